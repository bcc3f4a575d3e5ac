// At-risk customers: a CSAT of 1–2, an NPS detractor score (0–6), or 3+ support items in the 30 days
// before a time, each with the reasons, so service can reach out before they churn.
import type { Db } from '../store/store.js';
import { atRiskRows, type AtRiskRow } from './kpi-queries.js';
import type { Period } from './kpi-period.js';

const AT_RISK_DAYS = 30;
const AT_RISK_SUPPORT_ITEMS = 3;

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

/** `supportCustomers`: the customer ids of the window's support items, when already known (atRiskRows). */
export async function atRiskCount(db: Db, to: string, supportCustomers?: ArrayLike<number>): Promise<number> {
  return (await atRiskRows(db, atRiskWindow(to), supportCustomers)).length;
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
  return atRiskList(db, await atRiskRows(db, atRiskWindow(to)), limit);
}

/** The at-risk list and its full count from one read of the window. */
export async function atRiskSummary(
  db: Db,
  to: string,
  limit = 50,
  supportCustomers?: ArrayLike<number>,
): Promise<{ count: number; list: AtRiskCustomer[] }> {
  const rows = await atRiskRows(db, atRiskWindow(to), supportCustomers);
  return { count: rows.length, list: await atRiskList(db, rows, limit) };
}

async function atRiskList(db: Db, all: AtRiskRow[], limit: number): Promise<AtRiskCustomer[]> {
  // Count each row's reasons once, not in every comparison (tens of thousands of rows at 1M items).
  const keyed = all.map((r) => ({ r, reasons: reasonsOf(r).length }));
  const rows = keyed
    .sort((a, b) => b.reasons - a.reasons || b.r.supportItems - a.r.supportItems || a.r.customerId - b.r.customerId)
    .slice(0, limit)
    .map((k) => k.r);
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
