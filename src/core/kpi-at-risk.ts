// At-risk customers: a CSAT of 1–2, an NPS detractor score (0–6), or 3+ support items in the 30 days
// before a time, each with the reasons, so service can reach out before they churn.
import type { Db } from '../store/store.js';
import { AT_RISK_SUPPORT_ITEMS, atRiskRows, countIds, lowestScores, type AtRiskRow } from './kpi-queries.js';
import type { Period } from './kpi-period.js';

const AT_RISK_DAYS = 30;

export interface AtRiskReason {
  kind: 'csat' | 'nps' | 'support_items';
  /** The lowest score in the window (csat, nps). */
  score?: number;
  /** When that score was given. */
  at?: string;
  /** Support items created in the window (support_items). */
  count?: number;
}

export interface AtRiskCustomer {
  customerId: number;
  name: string;
  email: string | null;
  reasons: AtRiskReason[];
  /** An open outbound service item for this customer (a follow-up already under way), if any. */
  openFollowUpId: number | null;
}

export function atRiskWindow(to: string): Period {
  return { from: new Date(Date.parse(to) - AT_RISK_DAYS * 86_400_000).toISOString(), to };
}

/** A window's customer ids, one per support item created and one per low CSAT or NPS answer (kpi-team.ts reads them from the day rollups). */
export interface AtRiskLists {
  support: ArrayLike<number>;
  lowCsat: ArrayLike<number>;
  lowNps: ArrayLike<number>;
}

/** Who is at risk in a window and for which reasons, before any score is looked up. */
interface AtRiskMark {
  customerId: number;
  csat: boolean;
  nps: boolean;
  supportItems: number;
}

function marksOf(lists: AtRiskLists): AtRiskMark[] {
  const marks = new Map<number, AtRiskMark>();
  const mark = (id: number) => {
    let m = marks.get(id);
    if (!m) marks.set(id, (m = { customerId: id, csat: false, nps: false, supportItems: 0 }));
    return m;
  };
  // Low answers are few: each is marked as it comes (support items are many: counted per customer).
  for (let i = 0; i < lists.lowCsat.length; i++) mark(lists.lowCsat[i]!).csat = true;
  for (let i = 0; i < lists.lowNps.length; i++) mark(lists.lowNps[i]!).nps = true;
  countIds(
    lists.support,
    (id, n) => {
      mark(id).supportItems = n;
    },
    AT_RISK_SUPPORT_ITEMS,
  );
  return [...marks.values()];
}

/** The customers at risk in the 30 days before `to`: from the window's lists when given, else from the rows. */
export async function atRiskCount(db: Db, to: string, lists?: AtRiskLists): Promise<number> {
  return lists ? marksOf(lists).length : (await atRiskRows(db, atRiskWindow(to))).length;
}

function reasonsOf(r: AtRiskRow): AtRiskReason[] {
  const out: AtRiskReason[] = [];
  if (r.csat) out.push({ kind: 'csat', score: r.csat.score, at: r.csat.at });
  if (r.nps) out.push({ kind: 'nps', score: r.nps.score, at: r.nps.at });
  if (r.supportItems >= AT_RISK_SUPPORT_ITEMS) out.push({ kind: 'support_items', count: r.supportItems });
  return out;
}

/** Most reasons first, then the most support items, then the lowest customer id. */
export async function atRiskCustomers(db: Db, to: string, limit = 50): Promise<AtRiskCustomer[]> {
  return atRiskList(db, firstRanked(await atRiskRows(db, atRiskWindow(to)), limit));
}

/**
 * The at-risk list and its full count. With the window's lists (from the day rollups), the lowest
 * scores are looked up for the listed customers only; without, the whole window is read from the rows.
 */
export async function atRiskSummary(
  db: Db,
  to: string,
  limit = 50,
  lists?: AtRiskLists,
): Promise<{ count: number; list: AtRiskCustomer[] }> {
  const w = atRiskWindow(to);
  if (!lists) {
    const rows = await atRiskRows(db, w);
    return { count: rows.length, list: await atRiskList(db, firstRanked(rows, limit)) };
  }
  const marks = marksOf(lists);
  const top = firstRanked(marks, limit);
  const [csat, nps] = await Promise.all([
    lowestScores(
      db,
      w,
      'csat',
      top.filter((m) => m.csat).map((m) => m.customerId),
    ),
    lowestScores(
      db,
      w,
      'nps',
      top.filter((m) => m.nps).map((m) => m.customerId),
    ),
  ]);
  const rows = top.map(
    (m): AtRiskRow => ({
      customerId: m.customerId,
      csat: m.csat ? (csat.get(m.customerId) ?? null) : null,
      nps: m.nps ? (nps.get(m.customerId) ?? null) : null,
      supportItems: m.supportItems,
    }),
  );
  return { count: marks.length, list: await atRiskList(db, rows) };
}

/** The first `limit` by rank: most reasons first, then the most support items, then the lowest customer id. */
function firstRanked<T extends { customerId: number; csat: unknown; nps: unknown; supportItems: number }>(all: T[], limit: number): T[] {
  // Count each row's reasons once, not in every comparison (tens of thousands of rows at 1M items).
  const reasons = (r: T) => (r.csat ? 1 : 0) + (r.nps ? 1 : 0) + (r.supportItems >= AT_RISK_SUPPORT_ITEMS ? 1 : 0);
  return all
    .map((r) => ({ r, reasons: reasons(r) }))
    .sort((a, b) => b.reasons - a.reasons || b.r.supportItems - a.r.supportItems || a.r.customerId - b.r.customerId)
    .slice(0, limit)
    .map((k) => k.r);
}

/** The listed customers (ranked), with their names, reasons and open follow-up. */
async function atRiskList(db: Db, rows: AtRiskRow[]): Promise<AtRiskCustomer[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.customerId);
  const customers = new Map(
    (await db.selectFrom('customers').select(['id', 'name', 'email']).where('id', 'in', ids).execute()).map((c) => [c.id, c]),
  );
  const followUps = await db
    .selectFrom('items')
    .select(['customer_id', (eb) => eb.fn.max('id').as('id')])
    .where('customer_id', 'in', ids)
    .where('role', '=', 'service')
    .where('direction', '=', 'outbound')
    .where('status', 'not in', ['resolved', 'closed'])
    .groupBy('customer_id')
    .execute();
  const open = new Map(followUps.map((f) => [f.customer_id, Number(f.id)]));
  return rows.map((r) => ({
    customerId: r.customerId,
    name: customers.get(r.customerId)?.name ?? `#${r.customerId}`,
    email: customers.get(r.customerId)?.email ?? null,
    reasons: reasonsOf(r),
    openFollowUpId: open.get(r.customerId) ?? null,
  }));
}

/** The opening note of a follow-up made for an at-risk customer: why they are at risk. */
export function atRiskNote(reasons: AtRiskReason[]): string {
  return `At risk: ${reasons.map(describeReason).join(', ')}. Reach out before they churn.`;
}

/** One line per reason, for faces: "CSAT 2", "NPS 4", "3 support items in 30 days". */
export function describeReason(r: AtRiskReason): string {
  if (r.kind === 'csat') return `CSAT ${r.score}`;
  if (r.kind === 'nps') return `NPS ${r.score}`;
  return `${r.count} support items in ${AT_RISK_DAYS} days`;
}
