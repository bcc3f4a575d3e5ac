// The SQL behind the KPIs: counts over indexed time ranges, one query per family of figures. Each
// returns tallies keyed by assignee and/or UTC day of the figure's own time column (as asked), so one
// query serves the team (the sum), the per-agent table and the daily series.
import { sql, type AliasedRawBuilder, type RawBuilder, type SelectQueryBuilder } from 'kysely';
import type { Db } from '../store/store.js';
import type { Database } from '../store/schema.js';
import type { Period } from './kpi-period.js';
import type { Role } from './vocabulary.js';

export interface Scope {
  role: Role;
  /** Only items assigned to this agent; null = the whole team (assigned or not). */
  agentId: number | null;
}

/** Named counts of one group (the fields of each kind below); groups add up field by field. */
export type Counts = Record<string, number>;

/** Items created; of those (service items), how many were escalated to support. */
export type CreatedCount = { created: number; escalated: number };
/** Targets that fell due (SLA, follow-ups); of those, how many were met. */
export type TargetCount = { due: number; met: number };
/** Items first resolved; of those, how many were reopened since, and how many had fewer than 2 agent replies. */
export type ResolvedCount = { resolved: number; reopened: number; fewerThanTwoReplies: number };
/** CSAT responses; of those, how many scored 4–5. */
export type CsatCount = { responses: number; satisfied: number };
/** NPS responses; of those, the promoters (9–10) and the detractors (0–6). */
export type NpsCount = { responses: number; promoters: number; detractors: number };
/** Items (the backlog at an instant, escalations received). */
export type ItemCount = { items: number };
/** Orders placed, their total (minor units), and the customers whose first order it was. */
export type OrderCount = { orders: number; revenueCents: number; newCustomers: number };
/** Customers who ordered in a period; of those, how many ordered twice or more. */
export type RepeatPurchaseCount = { customers: number; repeatCustomers: number };

/** The field names of each kind, to read them from a row and to make its zero. */
export const COUNT_FIELDS = {
  created: ['created', 'escalated'],
  target: ['due', 'met'],
  resolved: ['resolved', 'reopened', 'fewerThanTwoReplies'],
  csat: ['responses', 'satisfied'],
  nps: ['responses', 'promoters', 'detractors'],
  items: ['items'],
  orders: ['orders', 'revenueCents', 'newCustomers'],
} as const;

/** A kind's counts, all zero. */
export function zeroCounts<K extends string>(fields: readonly K[]): Record<K, number> {
  return Object.fromEntries(fields.map((f) => [f, 0])) as Record<K, number>;
}

/** The named counts of a row (drivers may give counts as strings or bigints; absent = 0). */
function readCounts<K extends string>(row: Record<string, unknown>, fields: readonly K[]): Record<K, number> {
  return Object.fromEntries(fields.map((f) => [f, Number(row[f] ?? 0)])) as Record<K, number>;
}

/**
 * Counts keyed by `assignee|day`: the assignee id ('' = unassigned) and the UTC day (YYYY-MM-DD)
 * of the figure's own time column. Summing over keys gives the team, an agent, or one day.
 */
export type Tallies<T extends Counts> = Map<string, T>;

function groupKey(assignee: unknown, day: unknown): string {
  return `${assignee === null || assignee === undefined ? '' : String(assignee)}|${day === null || day === undefined ? '' : String(day)}`;
}

/**
 * One time range a figure is counted over: the previous period, the whole period, or (for its series)
 * one day of the period. Every family of figures reads all its ranges in one statement (UNION ALL of
 * one index range scan per range): SQLite aggregates while scanning, with no sorting for a GROUP BY;
 * the period's figures are the sum of its days.
 */
export interface Bucket {
  from: string;
  to: string;
  /** True for the previous period. */
  prev: boolean;
  /** The UTC day of a series range; '' for a whole period. */
  day: string;
}

/** Tallies of the period and of the previous one, each keyed `assignee|day`. */
export interface TallyPair<T extends Counts> {
  cur: Tallies<T>;
  prev: Tallies<T>;
}

/** A comma-separated list of integers: string_agg is spelled the same on SQLite (3.44+) and PostgreSQL. */
const listOf = (ref: RawBuilder<unknown> | ReturnType<typeof sql.ref>) => sql<string | null>`string_agg(cast(${ref} as text), ',')`;
const flag = (cond: RawBuilder<unknown>) => sql<number>`sum(case when ${cond} then 1 else 0 end)`;

/** A row of one arm: its bucket's index, the assignee (null unless split by agent) and its aggregates (named counts, a list). */
type ArmRow = { i: number; a: number | null; s?: string | null } & Record<string, unknown>;
// Arms differ in their tables and columns; the union's rows are all ArmRow.
// biome-ignore lint/suspicious/noExplicitAny: each arm selects from its own tables; only the row shape is shared
type Arm = SelectQueryBuilder<Database, any, any>;

/** One arm per bucket, tagged with its index; with byAgent each arm is grouped by its assignee column. */
async function perBucket(buckets: readonly Bucket[], byAgent: boolean, assigneeCol: string, arm: (b: Bucket) => Arm): Promise<ArmRow[]> {
  const arms = buckets.map((b, i) => {
    const q = arm(b).select([sql.lit(i).as('i'), (byAgent ? sql<number | null>`${sql.ref(assigneeCol)}` : sql<null>`null`).as('a')]);
    return byAgent ? q.groupBy(sql.ref(assigneeCol)) : q;
  });
  const out: ArmRow[] = [];
  // At most ARMS_PER_STATEMENT arms in one UNION ALL: SQLite refuses more than 500 (counting a year
  // of days for the rollups, or every day of the order history, goes past that).
  for (let at = 0; at < arms.length; at += ARMS_PER_STATEMENT) {
    const chunk = arms.slice(at, at + ARMS_PER_STATEMENT);
    let q = chunk[0]!;
    for (const next of chunk.slice(1)) q = q.unionAll(next);
    out.push(...((await q.execute()) as ArmRow[]));
  }
  return out;
}
const ARMS_PER_STATEMENT = 100;

function toPair<K extends string>(buckets: readonly Bucket[], rows: ArmRow[], fields: readonly K[]): TallyPair<Record<K, number>> {
  const out: TallyPair<Record<K, number>> = { cur: new Map(), prev: new Map() };
  for (const r of rows) {
    const b = buckets[Number(r.i)]!;
    (b.prev ? out.prev : out.cur).set(groupKey(r.a, b.day), readCounts(r, fields));
  }
  return out;
}

function itemsOf(db: Db, scope: Scope) {
  let q = db.selectFrom('items').where('items.role', '=', scope.role);
  if (scope.agentId !== null) q = q.where('items.assignee_id', '=', scope.agentId);
  return q;
}

/** The bucket a time falls in (buckets of one kind, ascending and disjoint), or null. */
function bucketOf(buckets: readonly Bucket[], t: string): number | null {
  for (let i = 0; i < buckets.length; i++) if (t >= buckets[i]!.from && t < buckets[i]!.to) return i;
  return null;
}

const ESCALATED_PER_ITEM_MS = 3 * 86_400_000;

/** Items created in each bucket, and how many of them were escalated to support (service items, when asked). */
export async function createdTallies(
  db: Db,
  scope: Scope,
  buckets: readonly Bucket[],
  byAgent: boolean,
  withEscalated = false,
): Promise<TallyPair<CreatedCount>> {
  // Over a few days (the edges of a period the day rollups do not cover), each item of the ranges is
  // looked up among the escalations' sources; over longer ranges, the few escalated items are found
  // from the escalations (below). Both count the same items.
  const span = buckets.reduce((n, b) => n + (Date.parse(b.to) - Date.parse(b.from)), 0);
  const perItem = withEscalated && span <= ESCALATED_PER_ITEM_MS;
  const rows = await perBucket(buckets, byAgent, 'items.assignee_id', (b) =>
    itemsOf(db, scope)
      .where('items.created_at', '>=', b.from)
      .where('items.created_at', '<', b.to)
      .select([
        sql<number>`count(*)`.as('created'),
        ...(perItem ? [flag(sql`exists (select 1 from escalations x where x.source_item_id = items.id)`).as('escalated')] : []),
      ]),
  );
  const pair = toPair(buckets, rows, COUNT_FIELDS.created);
  if (!withEscalated || perItem || buckets.length === 0) return pair;
  // Escalated items are few: start from the escalations and look their source items up by id.
  const lo = buckets.reduce((m, b) => (b.from < m ? b.from : m), buckets[0]!.from);
  const hi = buckets.reduce((m, b) => (b.to > m ? b.to : m), buckets[0]!.to);
  const sources = (await db.selectFrom('escalations').select('source_item_id').distinct().execute()).map((r) => r.source_item_id);
  const escalated: { created_at: string; assignee_id: number | null }[] = [];
  for (let i = 0; i < sources.length; i += 500) {
    // By id only: with the role and time in the WHERE, SQLite scans the period's range instead.
    const found = await db
      .selectFrom('items')
      .where('items.id', 'in', sources.slice(i, i + 500))
      .select(['items.role', 'items.created_at', 'items.assignee_id'])
      .execute();
    for (const r of found) {
      if (r.role === scope.role && r.created_at >= lo && r.created_at < hi && (scope.agentId === null || r.assignee_id === scope.agentId))
        escalated.push(r);
    }
  }
  for (const e of escalated) {
    const i = bucketOf(buckets, e.created_at);
    if (i === null) continue;
    const b = buckets[i]!;
    const into = b.prev ? pair.prev : pair.cur;
    const key = groupKey(byAgent ? e.assignee_id : null, b.day);
    const t = into.get(key) ?? zeroCounts(COUNT_FIELDS.created);
    into.set(key, { ...t, escalated: t.escalated + 1 });
  }
  return pair;
}

/**
 * Targets that fell due in each bucket, and how many were met. First response is met when the first
 * response came at or before its due time; resolution when the first resolution (or, for an item
 * closed without resolving, the close) came at or before its due time.
 */
export async function slaTallies(
  db: Db,
  scope: Scope,
  buckets: readonly Bucket[],
  byAgent: boolean,
  target: 'first_response' | 'resolution',
  outboundOnly = false,
): Promise<TallyPair<TargetCount>> {
  const dueCol = target === 'first_response' ? 'items.first_response_due_at' : 'items.resolution_due_at';
  const met =
    target === 'first_response'
      ? sql`items.first_response_at is not null and items.first_response_at <= items.first_response_due_at`
      : sql`coalesce(items.first_resolved_at, items.closed_at) is not null and coalesce(items.first_resolved_at, items.closed_at) <= items.resolution_due_at`;
  const rows = await perBucket(buckets, byAgent, 'items.assignee_id', (b) => {
    let q = itemsOf(db, scope).where(sql.ref(dueCol), '>=', b.from).where(sql.ref(dueCol), '<', b.to);
    if (outboundOnly) q = q.where('items.direction', '=', 'outbound');
    return q.select([sql<number>`count(*)`.as('due'), flag(met).as('met')]);
  });
  return toPair(buckets, rows, COUNT_FIELDS.target);
}

/** CSAT responses in each bucket (all of them for the team; by the item's assignee per agent), and those scored 4–5. */
export async function csatTallies(
  db: Db,
  agentId: number | null,
  buckets: readonly Bucket[],
  byAgent: boolean,
): Promise<TallyPair<CsatCount>> {
  const rows = await surveyRows(db, 'csat', agentId, buckets, byAgent, [flag(sql`surveys.score >= 4`).as('satisfied')]);
  return toPair(buckets, rows, COUNT_FIELDS.csat);
}

/** NPS responses in each bucket (as CSAT), the promoters (9–10) and the detractors (0–6). */
export async function npsTallies(
  db: Db,
  agentId: number | null,
  buckets: readonly Bucket[],
  byAgent: boolean,
): Promise<TallyPair<NpsCount>> {
  const rows = await surveyRows(db, 'nps', agentId, buckets, byAgent, [
    flag(sql`surveys.score >= 9`).as('promoters'),
    flag(sql`surveys.score <= 6`).as('detractors'),
  ]);
  return toPair(buckets, rows, COUNT_FIELDS.nps);
}

/** Responses of one kind per bucket, with the given counts of scores. */
async function surveyRows(
  db: Db,
  kind: 'csat' | 'nps',
  agentId: number | null,
  buckets: readonly Bucket[],
  byAgent: boolean,
  scores: AliasedRawBuilder<number, string>[],
): Promise<ArmRow[]> {
  // The team's figures need no item: read the survey index alone.
  const needItems = byAgent || agentId !== null;
  return perBucket(buckets, byAgent, 'items.assignee_id', (b) => {
    let q: Arm = needItems ? db.selectFrom('surveys').leftJoin('items', 'items.id', 'surveys.item_id') : db.selectFrom('surveys');
    q = q.where('surveys.kind', '=', kind).where('surveys.created_at', '>=', b.from).where('surveys.created_at', '<', b.to);
    if (agentId !== null) q = q.where('items.assignee_id', '=', agentId);
    return q.select([sql<number>`count(*)`.as('responses'), ...scores]);
  });
}

/** Support items created by escalation in each bucket (by the support item's assignee). */
export async function escalationsReceivedTallies(
  db: Db,
  agentId: number | null,
  buckets: readonly Bucket[],
  byAgent: boolean,
): Promise<TallyPair<ItemCount>> {
  const rows = await perBucket(buckets, byAgent, 's.assignee_id', (b) => {
    let q = db
      .selectFrom('escalations as x')
      .innerJoin('items as s', 's.id', 'x.support_item_id')
      .where('x.escalated_at', '>=', b.from)
      .where('x.escalated_at', '<', b.to);
    if (agentId !== null) q = q.where('s.assignee_id', '=', agentId);
    return q.select(sql<number>`count(*)`.as('items'));
  });
  return toPair(buckets, rows, COUNT_FIELDS.items);
}

/** Durations (whole seconds) of each bucket, by assignee ('' = unassigned) and day, unsorted. */
export interface DurationPair {
  cur: [agent: string, day: string, seconds: ArrayLike<number>][];
  prev: [agent: string, day: string, seconds: ArrayLike<number>][];
}

/**
 * The durations of each bucket, for percentiles: first response (first customer message → first
 * response, over items first responded to in the bucket) or resolution (created → first resolution,
 * over items first resolved in it). The seconds come from generated columns kept in an index
 * (migration 0003), as one comma-separated list per bucket (and assignee): only integers cross into JS.
 */
export async function durationLists(
  db: Db,
  scope: Scope,
  buckets: readonly Bucket[],
  byAgent: boolean,
  what: 'first_response' | 'resolution',
): Promise<DurationPair> {
  return (await durationsWithTallies(db, scope, buckets, byAgent, what)).durations;
}

/**
 * The durations of each bucket and the items they are over: for resolution, the resolved counts
 * (reopened since, fewer than 2 agent replies) from the same scan of the same index.
 */
export async function durationsWithTallies(
  db: Db,
  scope: Scope,
  buckets: readonly Bucket[],
  byAgent: boolean,
  what: 'first_response' | 'resolution',
): Promise<{ durations: DurationPair; tallies: TallyPair<ResolvedCount> }> {
  const [timeCol, secsCol] =
    what === 'first_response'
      ? (['items.first_response_at', 'items.first_response_secs'] as const)
      : (['items.first_resolved_at', 'items.resolution_secs'] as const);
  const flags =
    what === 'resolution'
      ? [flag(sql`items.reopen_count > 0`).as('reopened'), flag(sql`items.agent_reply_count < 2`).as('fewerThanTwoReplies')]
      : [sql<number>`0`.as('reopened'), sql<number>`0`.as('fewerThanTwoReplies')];
  const rows = await perBucket(buckets, byAgent, 'items.assignee_id', (b) =>
    itemsOf(db, scope)
      .where(sql.ref(timeCol), '>=', b.from)
      .where(sql.ref(timeCol), '<', b.to)
      .where(sql.ref(secsCol), 'is not', null)
      .select([sql<number>`count(*)`.as('resolved'), ...flags, listOf(sql.ref(secsCol)).as('s')]),
  );
  const durations: DurationPair = { cur: [], prev: [] };
  for (const r of rows) {
    if (!r.s) continue;
    const b = buckets[Number(r.i)]!;
    const seconds = parseIntegerList(String(r.s));
    (b.prev ? durations.prev : durations.cur).push([r.a === null || r.a === undefined ? '' : String(r.a), b.day, seconds]);
  }
  return { durations, tallies: toPair(buckets, rows, COUNT_FIELDS.resolved) };
}

/**
 * The integers of a string_agg() list ("12,-3,40000"), parsed in one pass over the characters:
 * splitting hundreds of thousands of them into strings first costs more than the query.
 */
export function parseIntegerList(text: string): Float64Array {
  if (text === '') return new Float64Array(0);
  let count = 1;
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 44) count++;
  const out = new Float64Array(count);
  let k = 0,
    value = 0,
    negative = false;
  for (let i = 0; i <= text.length; i++) {
    const c = i < text.length ? text.charCodeAt(i) : 44;
    if (c === 44) {
      out[k++] = negative ? -value : value;
      value = 0;
      negative = false;
    } else if (c === 45) {
      negative = true;
    } else {
      value = value * 10 + (c - 48);
    }
  }
  return out;
}

/** Whole seconds between two ISO times (stored times carry milliseconds; they are rounded once, here). */
export function exactSeconds(fromIso: string, toIso: string): number {
  return Math.round((Date.parse(toIso) - Date.parse(fromIso)) / 1000);
}

const DONE = ['resolved', 'closed'] as const;
const OPEN = ['new', 'open', 'pending', 'snoozed', 'escalated'] as const;

/** The last status event of an item before `t` moved it to resolved or closed (its data is JSON {from, to, ...}). */
function lastStatusIsDone(data: string | null): boolean {
  return data !== null && (data.includes('"to":"resolved"') || data.includes('"to":"closed"'));
}

/**
 * Items of the role not resolved or closed at instant `t` (created before `t`), by current assignee.
 * Without a reopen, an item is done from coalesce(resolved_at, closed_at) on; an item reopened at
 * least once is judged by its last status event before `t`.
 */
export async function backlogAt(db: Db, scope: Scope, t: string, byAgent = true): Promise<Tallies<ItemCount>> {
  const lastStatus = (tt: string) => sql<string | null>`(select e.data from events e
      where e.item_id = items.id and e.type = 'status' and e.created_at < ${tt} order by e.id desc limit 1)`;
  const openAtT = sql<boolean>`(items.reopen_count = 0 or (coalesce(${lastStatus(t)}, '') not like '%"to":"resolved"%'
      and coalesce(${lastStatus(t)}, '') not like '%"to":"closed"%'))`;
  const a = byAgent ? sql<number | null>`items.assignee_id` : sql<number | null>`null`;
  const keys = byAgent ? [a] : [];
  const count = (q: ReturnType<typeof itemsOf>) => {
    let sq = q
      .where('items.created_at', '<', t)
      .where(openAtT)
      .select([a.as('a'), sql<number>`count(*)`.as('items')]);
    if (keys.length) sq = sq.groupBy(keys);
    return sq.execute();
  };
  const parts = await Promise.all([
    count(itemsOf(db, scope).where('items.status', 'in', [...OPEN])),
    // Done now, but only since `t` or later: resolved at/after t, or closed at/after t without a resolution.
    count(
      itemsOf(db, scope)
        .where('items.status', 'in', [...DONE])
        .where('items.resolved_at', '>=', t),
    ),
    count(itemsOf(db, scope).where('items.status', '=', 'closed').where('items.resolved_at', 'is', null).where('items.closed_at', '>=', t)),
  ]);
  const out: Tallies<ItemCount> = new Map();
  for (const part of parts) {
    for (const r of part) {
      const key = groupKey(r.a, '');
      out.set(key, { items: (out.get(key)?.items ?? 0) + Number(r.items ?? 0) });
    }
  }
  return out;
}

/**
 * The backlog at the end of each day of the period (the last one at `to`), exactly as backlogAt
 * counts it, without one query per day: the backlog at `from`, plus items created, minus items done
 * (done since then and never reopened), day by day; items reopened at least once are followed
 * through their status events.
 */
export async function backlogSeries(
  db: Db,
  scope: Scope,
  p: Period,
  dayBuckets: readonly Bucket[],
  ends: string[],
  known: { atFrom: number; createdPerDay: Map<string, number> },
): Promise<number[]> {
  const days = dayBuckets.map((b) => b.day);
  const base = known.atFrom;
  const delta = new Map<string, number>(days.map((d) => [d, known.createdPerDay.get(d) ?? 0]));
  const bump = (day: string, by: number) => delta.set(day, (delta.get(day) ?? 0) + by);
  const [doneResolved, doneClosed] = await Promise.all([
    perBucket(dayBuckets, false, 'items.assignee_id', (b) =>
      itemsOf(db, scope)
        .where('items.status', 'in', [...DONE])
        .where('items.resolved_at', '>=', b.from)
        .where('items.resolved_at', '<', b.to)
        .select(sql<number>`count(*)`.as('done')),
    ),
    perBucket(dayBuckets, false, 'items.assignee_id', (b) =>
      itemsOf(db, scope)
        .where('items.status', '=', 'closed')
        .where('items.resolved_at', 'is', null)
        .where('items.closed_at', '>=', b.from)
        .where('items.closed_at', '<', b.to)
        .select(sql<number>`count(*)`.as('done')),
    ),
  ]);
  for (const r of [...doneResolved, ...doneClosed]) bump(dayBuckets[Number(r.i)]!.day, -Number(r.done));

  // Reopened items that could have been open during the period: take them out of the day counts
  // above and count them at each day's end from their status events instead.
  const reopened = await itemsOf(db, scope)
    .where(sql<boolean>`items.reopen_count > 0`)
    .where('items.created_at', '<', p.to)
    .where((eb) =>
      eb.or([
        eb('items.status', 'in', [...OPEN]),
        eb('items.resolved_at', '>=', p.from),
        eb.and([eb('items.resolved_at', 'is', null), eb('items.closed_at', '>=', p.from)]),
      ]),
    )
    .select(['items.id', 'items.created_at', 'items.status', 'items.resolved_at', 'items.closed_at'])
    .execute();
  const correction = ends.map(() => 0);
  let atFrom = 0;
  for (let i = 0; i < reopened.length; i += 2000) {
    const chunk = reopened.slice(i, i + 2000);
    const events = await db
      .selectFrom('events')
      .select(['item_id', 'data', 'created_at'])
      .where(
        'item_id',
        'in',
        chunk.map((r) => r.id),
      )
      .where('type', '=', 'status')
      .where('created_at', '<', p.to)
      .orderBy('item_id')
      .orderBy('id')
      .execute();
    const byItem = new Map<number, { data: string | null; created_at: string }[]>();
    for (const e of events) {
      let list = byItem.get(e.item_id);
      if (!list) byItem.set(e.item_id, (list = []));
      list.push(e);
    }
    for (const r of chunk) {
      const evs = byItem.get(r.id) ?? [];
      const openAt = (t: string) => {
        if (r.created_at >= t) return false;
        let last: string | null = null;
        for (const e of evs) if (e.created_at < t) last = e.data;
        return !lastStatusIsDone(last);
      };
      if (r.created_at >= p.from) bump(r.created_at.slice(0, 10), -1);
      const doneSince = DONE.includes(r.status as (typeof DONE)[number]) ? (r.resolved_at ?? r.closed_at) : null;
      if (doneSince && doneSince >= p.from && doneSince < p.to) bump(doneSince.slice(0, 10), +1);
      if (openAt(p.from)) atFrom += 1;
      ends.forEach((t, k) => {
        if (openAt(t)) correction[k]! += 1;
      });
    }
  }
  let running = base - atFrom;
  return days.map((d, k) => {
    running += delta.get(d) ?? 0;
    return running + correction[k]!;
  });
}

/**
 * All orders placed before each time `t`: how many, their total, and how many customers placed them.
 * The totals come from plain range sums over the time index (one per slice between the times), the
 * customers from one ordered pass over the per-customer index (each customer's first order), with no
 * DISTINCT sort.
 */
export async function ordersBeforeEach(
  db: Db,
  ts: readonly string[],
): Promise<{ orders: number; revenueCents: number; customers: number }[]> {
  // Totals per slice between consecutive times (plain range sums), added up to each time.
  const cuts = [...new Set(ts)].sort();
  const slices = await Promise.all(
    cuts.map((t, i) => {
      let q = db.selectFrom('orders').where('ordered_at', '<', t);
      if (i > 0) q = q.where('ordered_at', '>=', cuts[i - 1]!);
      return q.select([sql<number>`count(*)`.as('o'), sql<number>`coalesce(sum(amount_cents), 0)`.as('c')]).executeTakeFirstOrThrow();
    }),
  );
  const upTo = (t: string) => {
    let o = 0,
      c = 0;
    cuts.forEach((cut, i) => {
      if (cut <= t) {
        o += Number(slices[i]!.o);
        c += Number(slices[i]!.c);
      }
    });
    return { o, c };
  };
  const firsts = db.selectFrom('orders').select(sql<string>`min(ordered_at)`.as('first')).groupBy('customer_id');
  const customers = (await db
    .selectFrom(firsts.as('f'))
    .select(ts.map((t, i) => sql<number>`sum(case when f.first < ${t} then 1 else 0 end)`.as(`n${i}`)))
    .executeTakeFirstOrThrow()) as Record<string, unknown>;
  return ts.map((t, i) => ({ orders: upTo(t).o, revenueCents: upTo(t).c, customers: Number(customers[`n${i}`] ?? 0) }));
}

/** Customers ordering in the period: with 1+ order, and with 2+ orders. */
export async function repeatPurchaseTally(db: Db, p: Period): Promise<RepeatPurchaseCount> {
  const perCustomer = db
    .selectFrom('orders')
    .where('ordered_at', '>=', p.from)
    .where('ordered_at', '<', p.to)
    .select(['customer_id', sql<number>`count(*)`.as('orders')])
    .groupBy('customer_id');
  const r = await db
    .selectFrom(perCustomer.as('c'))
    .select([
      sql<number>`count(*)`.as('customers'),
      sql<number>`coalesce(sum(case when c.orders >= 2 then 1 else 0 end), 0)`.as('repeatCustomers'),
    ])
    .executeTakeFirstOrThrow();
  return { customers: Number(r.customers), repeatCustomers: Number(r.repeatCustomers) };
}

export interface AtRiskRow {
  customerId: number;
  csat: { score: number; at: string } | null;
  nps: { score: number; at: string } | null;
  supportItems: number;
}

/** The `s` lists of perBucket rows (ids, one per row counted), split like durationLists. */
function idLists(buckets: readonly Bucket[], rows: ArmRow[]): DurationPair {
  const out: DurationPair = { cur: [], prev: [] };
  for (const r of rows) {
    if (!r.s) continue;
    const b = buckets[Number(r.i)]!;
    (b.prev ? out.prev : out.cur).push([r.a === null || r.a === undefined ? '' : String(r.a), b.day, parseIntegerList(String(r.s))]);
  }
  return out;
}

/**
 * The customer ids of the support items created in each bucket (one per item, in no order), split
 * like durationLists: the at-risk count of support items per customer.
 */
export async function supportCustomerLists(
  db: Db,
  agentId: number | null,
  buckets: readonly Bucket[],
  byAgent: boolean,
): Promise<DurationPair> {
  const rows = await perBucket(buckets, byAgent, 'items.assignee_id', (b) =>
    itemsOf(db, { role: 'support', agentId })
      .where('items.created_at', '>=', b.from)
      .where('items.created_at', '<', b.to)
      .where('items.customer_id', 'is not', null)
      .select([sql<number>`count(*)`.as('items'), listOf(sql.ref('items.customer_id')).as('s')]),
  );
  return idLists(buckets, rows);
}

/**
 * The customer ids of the survey answers of one kind scored at most `max` in each bucket (one per
 * answer, anonymous answers left out), for the team: who is at risk for a low score.
 */
export async function lowScoreCustomerLists(db: Db, kind: 'csat' | 'nps', max: number, buckets: readonly Bucket[]): Promise<DurationPair> {
  const rows = await perBucket(buckets, false, 'surveys.customer_id', (b) =>
    db
      .selectFrom('surveys')
      .where('surveys.kind', '=', kind)
      .where('surveys.created_at', '>=', b.from)
      .where('surveys.created_at', '<', b.to)
      .where('surveys.score', '<=', max)
      .where('surveys.customer_id', 'is not', null)
      .select(listOf(sql.ref('surveys.customer_id')).as('s')),
  );
  return idLists(buckets, rows);
}

/**
 * Orders placed in each bucket, their total, and the customers whose first order is in it (they
 * ordered in the bucket and never before it): summed over the days before a time, the same as
 * ordersBeforeEach counts.
 */
export async function orderTallies(db: Db, buckets: readonly Bucket[]): Promise<TallyPair<OrderCount>> {
  const rows = await perBucket(buckets, false, 'orders.customer_id', (b) =>
    db
      .selectFrom('orders')
      .where('orders.ordered_at', '>=', b.from)
      .where('orders.ordered_at', '<', b.to)
      .select([
        sql<number>`count(*)`.as('orders'),
        sql<number>`coalesce(sum(orders.amount_cents), 0)`.as('revenueCents'),
        sql<number>`count(distinct case when not exists (select 1 from orders p
          where p.customer_id = orders.customer_id and p.ordered_at < ${b.from}) then orders.customer_id end)`.as('newCustomers'),
      ]),
  );
  return toPair(buckets, rows, COUNT_FIELDS.orders);
}

/** The customer ids of the orders placed in each bucket (one per order): repeat purchases, counted in JS. */
export async function orderCustomerLists(db: Db, buckets: readonly Bucket[]): Promise<DurationPair> {
  const rows = await perBucket(buckets, false, 'orders.customer_id', (b) =>
    db
      .selectFrom('orders')
      .where('orders.ordered_at', '>=', b.from)
      .where('orders.ordered_at', '<', b.to)
      .select(listOf(sql.ref('orders.customer_id')).as('s')),
  );
  return idLists(buckets, rows);
}

/** The time of the earliest order (null without orders): where the sums of all orders before a time start. */
export async function earliestOrder(db: Db): Promise<string | null> {
  const r = await db.selectFrom('orders').select(sql<string | null>`min(ordered_at)`.as('t')).executeTakeFirst();
  return r?.t ?? null;
}

/**
 * How often each id occurs in a list (ids in no order): calls `each(id, n)` once per distinct id seen
 * at least `atLeast` times, in no particular order. Ids are row ids: counted in one pass in an array
 * indexed by id (no sort); a list with ids far larger than its length is sorted instead.
 */
export function countIds(list: ArrayLike<number>, each: (id: number, n: number) => void, atLeast = 1): void {
  // Up to a few MB of counts: allocating them costs little beside one pass over the list.
  const limit = 4 * list.length + 1_000_000;
  let counts = new Int32Array(Math.min(limit, 1 << 16));
  const hits: number[] = [];
  for (let i = 0; i < list.length; i++) {
    const id = list[i]!;
    if (!(id >= 0 && id < counts.length)) {
      if (!(id >= 0 && id < limit && Number.isInteger(id))) return countIdsBySorting(list, each, atLeast);
      const grown = new Int32Array(Math.min(limit, Math.max(id + 1, 2 * counts.length)));
      grown.set(counts);
      counts = grown;
    }
    if (++counts[id]! === atLeast) hits.push(id);
  }
  for (const id of hits) each(id, counts[id]!);
}

function countIdsBySorting(list: ArrayLike<number>, each: (id: number, n: number) => void, atLeast: number): void {
  const sorted = new Float64Array(list).sort();
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j < sorted.length && sorted[j] === sorted[i]) j++;
    if (j - i >= atLeast) each(sorted[i]!, j - i);
    i = j;
  }
}

/**
 * Customers at risk in the window, counted from the rows: a CSAT of 1–2, an NPS of 0–6, or 3+
 * support items created. For each, the lowest score of the window (latest when tied) and the number
 * of support items. (The reports read the same from the day rollups: kpi-team.ts.)
 */
export async function atRiskRows(db: Db, w: Period): Promise<AtRiskRow[]> {
  const low = async (kind: 'csat' | 'nps', max: number) =>
    db
      .selectFrom('surveys')
      .where('kind', '=', kind)
      .where('score', '<=', max)
      .where('created_at', '>=', w.from)
      .where('created_at', '<', w.to)
      .where('customer_id', 'is not', null) // an anonymous answer puts nobody at risk
      .select((eb) => [eb.ref('customer_id').$notNull().as('customer_id'), 'score', 'created_at'])
      .orderBy('customer_id')
      .orderBy('score')
      .orderBy('created_at', 'desc')
      .execute();
  const csat = await low('csat', AT_RISK_CSAT_MAX);
  const nps = await low('nps', AT_RISK_NPS_MAX);
  // Support items per customer, counted in JS from one list of ids: grouping in SQL sorts the whole window.
  const list = parseIntegerList(
    (
      await db
        .selectFrom('items')
        .where('role', '=', 'support')
        .where('created_at', '>=', w.from)
        .where('created_at', '<', w.to)
        .where('customer_id', 'is not', null)
        .select(listOf(sql.ref('customer_id')).as('ids'))
        .executeTakeFirst()
    )?.ids ?? '',
  );
  const rows = new Map<number, AtRiskRow>();
  const row = (id: number) => {
    let r = rows.get(id);
    if (!r) rows.set(id, (r = { customerId: id, csat: null, nps: null, supportItems: 0 }));
    return r;
  };
  for (const s of csat) row(s.customer_id).csat ??= { score: s.score, at: s.created_at };
  for (const s of nps) row(s.customer_id).nps ??= { score: s.score, at: s.created_at };
  countIds(
    list,
    (id, n) => {
      row(id).supportItems = n;
    },
    AT_RISK_SUPPORT_ITEMS,
  );
  return [...rows.values()];
}

/**
 * The lowest score of one kind (latest when tied) each of these customers gave in the window, at
 * most `max` (the scores that put a customer at risk): the reasons shown for the listed customers.
 */
export async function lowestScores(
  db: Db,
  w: Period,
  kind: 'csat' | 'nps',
  customerIds: readonly number[],
): Promise<Map<number, { score: number; at: string }>> {
  const out = new Map<number, { score: number; at: string }>();
  for (let i = 0; i < customerIds.length; i += 500) {
    const rows = await db
      .selectFrom('surveys')
      .where('customer_id', 'in', customerIds.slice(i, i + 500))
      .where('kind', '=', kind)
      .where('score', '<=', kind === 'csat' ? AT_RISK_CSAT_MAX : AT_RISK_NPS_MAX)
      .where('created_at', '>=', w.from)
      .where('created_at', '<', w.to)
      .select((eb) => [eb.ref('customer_id').$notNull().as('customer_id'), 'score', 'created_at'])
      .orderBy('customer_id')
      .orderBy('score')
      .orderBy('created_at', 'desc')
      .execute();
    for (const r of rows) if (!out.has(r.customer_id)) out.set(r.customer_id, { score: r.score, at: r.created_at });
  }
  return out;
}

/** At risk: a CSAT of at most this, an NPS of at most this (a detractor), or this many support items in the window. */
export const AT_RISK_CSAT_MAX = 2;
export const AT_RISK_NPS_MAX = 6;
export const AT_RISK_SUPPORT_ITEMS = 3;

/**
 * Business-time durations (migration 0006: written by the write path when the first response or the
 * first resolution happens under a policy with a calendar), split like durationLists. Portable SQL:
 * the rows are read and put into buckets here, not concatenated in the database.
 */
export async function businessDurationLists(
  db: Db,
  scope: Scope,
  buckets: readonly Bucket[],
  byAgent: boolean,
  what: 'first_response' | 'resolution',
): Promise<DurationPair> {
  const out: DurationPair = { cur: [], prev: [] };
  if (buckets.length === 0) return out;
  const lo = buckets.reduce((m, b) => (b.from < m ? b.from : m), buckets[0]!.from);
  const hi = buckets.reduce((m, b) => (b.to > m ? b.to : m), buckets[0]!.to);
  const rows =
    what === 'first_response'
      ? await itemsOf(db, scope)
          .where('items.first_response_at', '>=', lo)
          .where('items.first_response_at', '<', hi)
          .where('items.first_response_business_secs', 'is not', null)
          .select(['items.assignee_id as a', 'items.first_response_at as t', 'items.first_response_business_secs as s'])
          .execute()
      : await itemsOf(db, scope)
          .where('items.first_resolved_at', '>=', lo)
          .where('items.first_resolved_at', '<', hi)
          .where('items.resolution_business_secs', 'is not', null)
          .select(['items.assignee_id as a', 'items.first_resolved_at as t', 'items.resolution_business_secs as s'])
          .execute();
  const groups = new Map<string, { prev: boolean; agent: string; day: string; seconds: number[] }>();
  const prevBuckets = buckets.filter((b) => b.prev);
  const curBuckets = buckets.filter((b) => !b.prev);
  for (const r of rows) {
    if (r.t === null || r.s === null) continue;
    const agent = byAgent && r.a !== null ? String(r.a) : '';
    for (const [kind, list] of [
      [true, prevBuckets],
      [false, curBuckets],
    ] as const) {
      const i = bucketOf(list, r.t);
      if (i === null) continue;
      const key = `${kind}|${agent}|${list[i]!.day}`;
      let g = groups.get(key);
      if (!g) groups.set(key, (g = { prev: kind, agent, day: list[i]!.day, seconds: [] }));
      g.seconds.push(Number(r.s));
    }
  }
  for (const g of groups.values()) (g.prev ? out.prev : out.cur).push([g.agent, g.day, g.seconds]);
  return out;
}

/** True when any SLA policy counts business time (then the KPIs add business-time durations). */
export async function anyBusinessPolicy(db: Db): Promise<boolean> {
  const r = await db.selectFrom('sla_policies').select('role').where('calendar_id', 'is not', null).limit(1).executeTakeFirst();
  return r !== undefined;
}
