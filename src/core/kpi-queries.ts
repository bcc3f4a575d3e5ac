// The SQL behind the KPIs: grouped counts over indexed time ranges, one query per family of figures.
// Each returns tallies keyed by group (the assignee id, or the UTC day of the figure's own time column),
// so one query serves the team (sum of the groups), the per-agent table and the daily series.
import { sql, type RawBuilder } from 'kysely';
import type { Db } from '../store/store.js';
import type { Period } from './kpi-period.js';
import type { Role } from './vocabulary.js';

export interface Scope {
  role: Role;
  /** Only items assigned to this agent; null = the whole team (assigned or not). */
  agentId: number | null;
}

export type Group = 'assignee' | 'day';

/** n = how many the figure is computed over; k, j = the counted subsets (e.g. met, promoters). */
export interface Tally {
  n: number;
  k: number;
  j: number;
}

export type Tallies = Map<string, Tally>;

/** The group key as a string: assignee id ('' = unassigned) or 'YYYY-MM-DD'. */
function key(g: unknown): string {
  return g === null || g === undefined ? '' : String(g);
}

function groupExpr(group: Group, assigneeCol: string, timeCol: string): RawBuilder<unknown> {
  return group === 'assignee' ? sql`${sql.ref(assigneeCol)}` : sql`substr(${sql.ref(timeCol)}, 1, 10)`;
}

const flag = (cond: RawBuilder<unknown>) => sql<number>`sum(case when ${cond} then 1 else 0 end)`;

function toTallies(rows: { g: unknown; n: unknown; k?: unknown; j?: unknown }[]): Tallies {
  const out: Tallies = new Map();
  for (const r of rows) out.set(key(r.g), { n: Number(r.n ?? 0), k: Number(r.k ?? 0), j: Number(r.j ?? 0) });
  return out;
}

function itemsOf(db: Db, scope: Scope) {
  let q = db.selectFrom('items').where('items.role', '=', scope.role);
  if (scope.agentId !== null) q = q.where('items.assignee_id', '=', scope.agentId);
  return q;
}

/** Items created in the period: n = created, k = escalated to support (service items, when asked). */
export async function createdTallies(db: Db, scope: Scope, p: Period, group: Group, withEscalated = false): Promise<Tallies> {
  const g = groupExpr(group, 'items.assignee_id', 'items.created_at');
  const escalated = withEscalated
    ? flag(sql`exists (select 1 from escalations x where x.source_item_id = items.id)`)
    : sql<number>`0`;
  const rows = await itemsOf(db, scope)
    .where('items.created_at', '>=', p.from).where('items.created_at', '<', p.to)
    .select([g.as('g'), sql<number>`count(*)`.as('n'), escalated.as('k')])
    .groupBy(g).execute();
  return toTallies(rows);
}

/**
 * Targets that fell due in the period: n = due, k = met. First response is met when the first
 * response came at or before its due time; resolution when the first resolution (or, for an item
 * closed without resolving, the close) came at or before its due time.
 */
export async function slaTallies(
  db: Db, scope: Scope, p: Period, group: Group, target: 'first_response' | 'resolution', outboundOnly = false,
): Promise<Tallies> {
  const dueCol = target === 'first_response' ? 'items.first_response_due_at' : 'items.resolution_due_at';
  const met = target === 'first_response'
    ? sql`items.first_response_at is not null and items.first_response_at <= items.first_response_due_at`
    : sql`coalesce(items.first_resolved_at, items.closed_at) is not null and coalesce(items.first_resolved_at, items.closed_at) <= items.resolution_due_at`;
  const g = groupExpr(group, 'items.assignee_id', dueCol);
  let q = itemsOf(db, scope).where(sql.ref(dueCol), '>=', p.from).where(sql.ref(dueCol), '<', p.to);
  if (outboundOnly) q = q.where('items.direction', '=', 'outbound');
  const rows = await q.select([g.as('g'), sql<number>`count(*)`.as('n'), flag(met).as('k')]).groupBy(g).execute();
  return toTallies(rows);
}

/** Items first resolved in the period: n = resolved, k = reopened since, j = fewer than 2 agent replies. */
export async function resolvedTallies(db: Db, scope: Scope, p: Period, group: Group): Promise<Tallies> {
  const g = groupExpr(group, 'items.assignee_id', 'items.first_resolved_at');
  const rows = await itemsOf(db, scope)
    .where('items.first_resolved_at', '>=', p.from).where('items.first_resolved_at', '<', p.to)
    .select([g.as('g'), sql<number>`count(*)`.as('n'), flag(sql`items.reopen_count > 0`).as('k'), flag(sql`items.agent_reply_count < 2`).as('j')])
    .groupBy(g).execute();
  return toTallies(rows);
}

/**
 * Survey responses in the period (all of them for the team; by the item's assignee per agent):
 * CSAT: n = responses, k = scored 4–5. NPS: n = responses, k = promoters (9–10), j = detractors (0–6).
 */
export async function surveyTallies(db: Db, kind: 'csat' | 'nps', agentId: number | null, p: Period, group: Group): Promise<Tallies> {
  const g = groupExpr(group, 'items.assignee_id', 'surveys.created_at');
  let q = db.selectFrom('surveys').leftJoin('items', 'items.id', 'surveys.item_id')
    .where('surveys.kind', '=', kind).where('surveys.created_at', '>=', p.from).where('surveys.created_at', '<', p.to);
  if (agentId !== null) q = q.where('items.assignee_id', '=', agentId);
  const good = kind === 'csat' ? sql`surveys.score >= 4` : sql`surveys.score >= 9`;
  const rows = await q
    .select([g.as('g'), sql<number>`count(*)`.as('n'), flag(good).as('k'), flag(sql`surveys.score <= 6`).as('j')])
    .groupBy(g).execute();
  return toTallies(rows);
}

/** Support items created by escalation in the period (by the support item's assignee). */
export async function escalationsReceivedTallies(db: Db, agentId: number | null, p: Period, group: Group): Promise<Tallies> {
  const g = groupExpr(group, 's.assignee_id', 'x.escalated_at');
  let q = db.selectFrom('escalations as x').innerJoin('items as s', 's.id', 'x.support_item_id')
    .where('x.escalated_at', '>=', p.from).where('x.escalated_at', '<', p.to);
  if (agentId !== null) q = q.where('s.assignee_id', '=', agentId);
  const rows = await q.select([g.as('g'), sql<number>`count(*)`.as('n')]).groupBy(g).execute();
  return toTallies(rows);
}

export interface DurationRow {
  assigneeId: number | null;
  /** ISO time the duration ends (its day places it in the series). */
  at: string;
  seconds: number;
}

/**
 * The durations of the period, for percentiles: first response (first customer message → first
 * response, over items first responded to in the period) or resolution (created → first resolution,
 * over items first resolved in the period). Only the period's rows are read, never all items.
 */
export async function durationRows(db: Db, scope: Scope, p: Period, what: 'first_response' | 'resolution'): Promise<DurationRow[]> {
  if (what === 'first_response') {
    const rows = await itemsOf(db, scope)
      .where('items.first_response_at', '>=', p.from).where('items.first_response_at', '<', p.to)
      .where('items.first_customer_message_at', 'is not', null)
      .select(['items.assignee_id', 'items.first_customer_message_at as start', 'items.first_response_at as end'])
      .execute();
    return rows.map((r) => ({ assigneeId: r.assignee_id, at: r.end!, seconds: exactSeconds(r.start!, r.end!) }));
  }
  const rows = await itemsOf(db, scope)
    .where('items.first_resolved_at', '>=', p.from).where('items.first_resolved_at', '<', p.to)
    .select(['items.assignee_id', 'items.created_at as start', 'items.first_resolved_at as end'])
    .execute();
  return rows.map((r) => ({ assigneeId: r.assignee_id, at: r.end!, seconds: exactSeconds(r.start, r.end!) }));
}

/** Whole seconds between two ISO times (stored times carry milliseconds; they are rounded once, here). */
export function exactSeconds(fromIso: string, toIso: string): number {
  return Math.round((Date.parse(toIso) - Date.parse(fromIso)) / 1000);
}

/**
 * Items of the role not resolved or closed at instant `t` (created before `t`), by current assignee.
 * Without a reopen, an item is done from coalesce(resolved_at, closed_at) on; an item reopened at
 * least once is judged by its last status event before `t`.
 */
export async function backlogAt(db: Db, scope: Scope, t: string): Promise<Tallies> {
  const statusAtTIsOpen = sql<boolean>`(items.reopen_count = 0 or coalesce((select e.data from events e
      where e.item_id = items.id and e.type = 'status' and e.created_at < ${t} order by e.id desc limit 1), '')
      not like '%"to":"resolved"%' and coalesce((select e.data from events e
      where e.item_id = items.id and e.type = 'status' and e.created_at < ${t} order by e.id desc limit 1), '')
      not like '%"to":"closed"%')`;
  const g = sql`items.assignee_id`;
  const stillOpen = await itemsOf(db, scope)
    .where('items.status', 'in', ['new', 'open', 'pending', 'snoozed', 'escalated'])
    .where('items.created_at', '<', t).where(statusAtTIsOpen)
    .select([g.as('g'), sql<number>`count(*)`.as('n')]).groupBy(g).execute();
  const doneLater = await itemsOf(db, scope)
    .where('items.status', 'in', ['resolved', 'closed'])
    .where((eb) => eb.or([
      eb('items.resolved_at', '>=', t),
      eb.and([eb('items.resolved_at', 'is', null), eb('items.closed_at', '>=', t)]),
    ]))
    .where('items.created_at', '<', t).where(statusAtTIsOpen)
    .select([g.as('g'), sql<number>`count(*)`.as('n')]).groupBy(g).execute();
  const out = toTallies(stillOpen);
  for (const [k, v] of toTallies(doneLater)) {
    const cur = out.get(k);
    out.set(k, cur ? { n: cur.n + v.n, k: 0, j: 0 } : v);
  }
  return out;
}

/** All orders placed before `t`: how many, their total, and how many customers placed them. */
export async function ordersBefore(db: Db, t: string): Promise<{ orders: number; revenueCents: number; customers: number }> {
  const r = await db.selectFrom('orders').where('ordered_at', '<', t)
    .select([sql<number>`count(*)`.as('orders'), sql<number>`coalesce(sum(amount_cents), 0)`.as('cents'), sql<number>`count(distinct customer_id)`.as('customers')])
    .executeTakeFirstOrThrow();
  return { orders: Number(r.orders), revenueCents: Number(r.cents), customers: Number(r.customers) };
}

/** Customers ordering in the period: n = with 1+ order, k = with 2+ orders. */
export async function repeatPurchaseTally(db: Db, p: Period): Promise<Tally> {
  const perCustomer = db.selectFrom('orders').where('ordered_at', '>=', p.from).where('ordered_at', '<', p.to)
    .select(['customer_id', sql<number>`count(*)`.as('orders')]).groupBy('customer_id');
  const r = await db.selectFrom(perCustomer.as('c'))
    .select([sql<number>`count(*)`.as('n'), sql<number>`coalesce(sum(case when c.orders >= 2 then 1 else 0 end), 0)`.as('k')])
    .executeTakeFirstOrThrow();
  return { n: Number(r.n), k: Number(r.k), j: 0 };
}

export interface AtRiskRow {
  customerId: number;
  csat: { score: number; at: string } | null;
  nps: { score: number; at: string } | null;
  supportItems: number;
}

/**
 * Customers at risk in the window: a CSAT of 1–2, an NPS of 0–6, or 3+ support items created.
 * For each, the lowest score of the window (latest when tied) and the number of support items.
 */
export async function atRiskRows(db: Db, w: Period): Promise<AtRiskRow[]> {
  const low = async (kind: 'csat' | 'nps', max: number) => db.selectFrom('surveys')
    .where('kind', '=', kind).where('score', '<=', max).where('created_at', '>=', w.from).where('created_at', '<', w.to)
    .select(['customer_id', 'score', 'created_at']).orderBy('customer_id').orderBy('score').orderBy('created_at', 'desc').execute();
  const csat = await low('csat', 2);
  const nps = await low('nps', 6);
  const busy = await db.selectFrom('items')
    .where('role', '=', 'support').where('created_at', '>=', w.from).where('created_at', '<', w.to).where('customer_id', 'is not', null)
    .select(['customer_id', sql<number>`count(*)`.as('n')]).groupBy('customer_id').having(sql`count(*)`, '>=', 3).execute();
  const rows = new Map<number, AtRiskRow>();
  const row = (id: number) => {
    let r = rows.get(id);
    if (!r) rows.set(id, (r = { customerId: id, csat: null, nps: null, supportItems: 0 }));
    return r;
  };
  for (const s of csat) row(s.customer_id).csat ??= { score: s.score, at: s.created_at };
  for (const s of nps) row(s.customer_id).nps ??= { score: s.score, at: s.created_at };
  for (const b of busy) row(b.customer_id!).supportItems = Number(b.n);
  return [...rows.values()];
}
