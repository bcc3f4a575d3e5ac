// KPI day rollups (migration 0010): for each whole UTC day that has passed, each family of KPI counts
// (created, SLA targets, surveys, …) and durations by assignee, read from one small row instead of a
// day's items. A day's row is computed by the very queries that count the raw rows (kpi-queries.ts),
// stored the first time a report needs it, and deleted in the write transaction of every change that
// touches the day (forgetKpiDays and its callers), so a stored day is never out of date. The parts of
// a range that are not whole past days (a period's edges, today, the future) are counted raw.
import type { CoreStore, Db } from '../store/store.js';
import type { Bucket, Counts, DurationPair, Scope, TallyPair } from './kpi-queries.js';

/** A family of counts and durations, as its raw query gives them for some ranges, for the whole team by assignee. */
export interface Family {
  /** Stored under this name: it must change whenever what the family counts changes. */
  key: string;
  /** Its count fields (summed across days and assignees). */
  fields: readonly string[];
  /** The family's raw query: its answer for these buckets, in this scope, split by agent or not. */
  raw(db: Db, scope: Scope, buckets: readonly Bucket[], byAgent: boolean): Promise<FamilyAnswer>;
}

/** One family asked for some buckets, limited to one agent or split by agent as the raw query would be. */
export interface FamilyRequest {
  family: Family;
  scope: Scope;
  buckets: readonly Bucket[];
  byAgent: boolean;
}

/** What a request gets: exactly what the family's raw query gives for its buckets. */
export interface FamilyAnswer {
  tallies: TallyPair<Counts>;
  durations: DurationPair;
}

/**
 * A family from its raw query (kpi-queries.ts). `version` is part of the stored name, so changing what
 * a family counts (bump it) never reads days counted the old way.
 */
export function family(
  key: string,
  version: number,
  fields: readonly string[],
  query: (
    db: Db,
    scope: Scope,
    buckets: readonly Bucket[],
    byAgent: boolean,
  ) => Promise<{ tallies?: TallyPair<Counts>; durations?: DurationPair }>,
): Family {
  return {
    key: `${key}:v${version}`,
    fields,
    raw: async (db, scope, buckets, byAgent) => {
      const r = await query(db, scope, buckets, byAgent);
      return { tallies: r.tallies ?? { cur: new Map(), prev: new Map() }, durations: r.durations ?? { cur: [], prev: [] } };
    },
  };
}

/** One assignee's part of a range: counts and durations (in pieces). */
interface Group {
  counts: Counts;
  numbers: ArrayLike<number>[];
}
/** A range's groups by assignee ('' = none). */
type Groups = Map<string, Group>;

const DAY_MS = 86_400_000;
export const dayStart = (day: string) => `${day}T00:00:00.000Z`;
const nextDay = (day: string) => new Date(Date.parse(dayStart(day)) + DAY_MS).toISOString().slice(0, 10);

/**
 * The UTC day whose range [D 00:00:00.000Z, D+1 00:00:00.000Z) holds time `t` under the string
 * comparison the queries use: its date, or the day before for a time that sorts before midnight
 * (a date alone, or a space instead of the T).
 */
export function dayOf(t: string): string {
  const d = t.slice(0, 10);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(d)) return d;
  return t < dayStart(d) ? new Date(Date.parse(dayStart(d)) - DAY_MS).toISOString().slice(0, 10) : d;
}

/**
 * The pieces of a bucket: the whole UTC days inside it that ended by `now`, and the rest (at most the
 * two edges, or the whole bucket) as raw ranges. The pieces are contiguous, so together they cover
 * exactly the bucket's [from, to) under the same string comparison the queries use.
 */
export function piecesOf(b: { from: string; to: string }, now: string): { days: string[]; raw: { from: string; to: string }[] } {
  const days: string[] = [];
  let day = dayOf(b.from);
  if (dayStart(day) < b.from) day = nextDay(day);
  const first = dayStart(day);
  let end = first;
  while (dayStart(nextDay(day)) <= b.to && dayStart(nextDay(day)) <= now) {
    days.push(day);
    day = nextDay(day);
    end = dayStart(day);
  }
  if (days.length === 0) return { days, raw: [{ from: b.from, to: b.to }] };
  const raw: { from: string; to: string }[] = [];
  if (b.from < first) raw.push({ from: b.from, to: first });
  if (end < b.to) raw.push({ from: end, to: b.to });
  return { days, raw };
}

/** Read families for their buckets: stored days where they exist, the rest counted raw (and stored when it is a whole past day). */
export async function readFamilies(store: CoreStore, now: string, requests: FamilyRequest[]): Promise<FamilyAnswer[]> {
  const plans = requests.map((r) => r.buckets.map((b) => piecesOf(b, now)));
  // Whole days each family needs.
  const needed = new Map<string, { family: Family; scope: Scope; days: Set<string> }>();
  requests.forEach((r, i) => {
    let n = needed.get(r.family.key);
    if (!n) needed.set(r.family.key, (n = { family: r.family, scope: r.scope, days: new Set() }));
    for (const p of plans[i]!) for (const d of p.days) n.days.add(d);
  });
  const stored = await loadDays(store.db, needed);
  const missing = [...needed.values()]
    .map(({ family, scope, days }) => ({ family, scope, days: [...days].filter((d) => !stored.get(family.key)?.has(d)) }))
    .filter((m) => m.days.length > 0);
  if (missing.length > 0) {
    // Counted and stored in one write transaction: no change can land between the count and the store.
    const fresh = store.readonly || storingFailedLately(store) ? await countDays(store.db, missing) : await countAndStore(store, missing);
    for (const [key, days] of fresh) {
      let into = stored.get(key);
      if (!into) stored.set(key, (into = new Map()));
      for (const [d, g] of days) into.set(d, g);
    }
  }
  // The rest of every request counted from the rows, in the request's own scope and split, one
  // statement per family.
  const rawParts = await Promise.all(
    requests.map(async (r, i) => {
      const ranges = plans[i]!.flatMap((p, bi) => p.raw.map((x, k) => ({ ...x, prev: false, day: `${bi}:${k}` })));
      return ranges.length
        ? groupsByRange(r.family, ranges, await r.family.raw(store.db, r.scope, ranges, r.byAgent))
        : new Map<string, Groups>();
    }),
  );
  return requests.map((r, i) => answer(r, plans[i]!, stored.get(r.family.key) ?? new Map(), rawParts[i]!));
}

/** When storing last failed, per store: a report does not wait for the write lock again for a while. */
const lastFailure = new WeakMap<CoreStore, number>();
const RETRY_STORING_AFTER_MS = 60_000;
const storingFailedLately = (store: CoreStore) => Date.now() - (lastFailure.get(store) ?? -Infinity) < RETRY_STORING_AFTER_MS;

/**
 * Count missing days and store them, in one write transaction. Storing only saves time: when the
 * write cannot be had (another process holds the write lock for a long import, a read-only login),
 * the days are counted without storing, and for a minute no report waits for the lock again; a query
 * that fails fails again there, and is reported.
 */
async function countAndStore(
  store: CoreStore,
  missing: { family: Family; scope: Scope; days: string[] }[],
): Promise<Map<string, Map<string, Groups>>> {
  try {
    return await store.write(async (trx) => {
      // Deleting first takes the table's write lock before any row is read: a bulk load (which
      // drops every stored day at its end) then waits for this transaction, or this one for it.
      await trx
        .deleteFrom('kpi_days')
        .where('day', 'in', [...new Set(missing.flatMap((m) => m.days))])
        .where(
          'family',
          'in',
          missing.map((m) => m.family.key),
        )
        .execute();
      const counted = await countDays(trx, missing);
      await saveDays(trx, counted);
      return counted;
    });
  } catch {
    lastFailure.set(store, Date.now());
    return countDays(store.db, missing);
  }
}

/** Put the pieces of each bucket back together, as the raw query would have answered. */
function answer(r: FamilyRequest, plan: ReturnType<typeof piecesOf>[], days: Map<string, Groups>, raw: Map<string, Groups>): FamilyAnswer {
  const out: FamilyAnswer = { tallies: { cur: new Map(), prev: new Map() }, durations: { cur: [], prev: [] } };
  // Stored days are the whole team by assignee: keep the request's agent, or merge them unless split.
  const only = r.scope.agentId === null ? null : String(r.scope.agentId);
  r.buckets.forEach((b, bi) => {
    const merged: Groups = new Map();
    const parts: [Groups | undefined, boolean][] = [
      ...plan[bi]!.days.map((d): [Groups | undefined, boolean] => [days.get(d), true]),
      ...plan[bi]!.raw.map((_, k): [Groups | undefined, boolean] => [raw.get(`${bi}:${k}`), false]),
    ];
    for (const [part, stored] of parts) {
      if (!part) continue;
      for (const [assignee, g] of part) {
        if (stored && only !== null && assignee !== only) continue;
        const key = stored && !r.byAgent ? '' : assignee;
        let into = merged.get(key);
        if (!into) merged.set(key, (into = { counts: Object.fromEntries(r.family.fields.map((f) => [f, 0])), numbers: [] }));
        for (const f of r.family.fields) into.counts[f]! += g.counts[f] ?? 0;
        into.numbers.push(...g.numbers);
      }
    }
    for (const [key, g] of merged) {
      (b.prev ? out.tallies.prev : out.tallies.cur).set(`${key}|${b.day}`, g.counts);
      const n = g.numbers.reduce((s, p) => s + p.length, 0);
      if (n > 0) (b.prev ? out.durations.prev : out.durations.cur).push([key, b.day, concat(g.numbers, n)]);
    }
  });
  return out;
}

function concat(pieces: ArrayLike<number>[], n: number): ArrayLike<number> {
  if (pieces.length === 1) return pieces[0]!;
  const out = new Float64Array(n);
  let at = 0;
  for (const p of pieces) {
    out.set(p, at); // native: typed arrays and arrays alike
    at += p.length;
  }
  return out;
}

/** A family's raw answer for labelled ranges, as groups by range label and assignee. */
function groupsByRange(family: Family, ranges: Bucket[], result: FamilyAnswer): Map<string, Groups> {
  const out = new Map<string, Groups>(ranges.map((r) => [r.day, new Map()]));
  const group = (label: string, assignee: string) => {
    const groups = out.get(label)!;
    let g = groups.get(assignee);
    if (!g) groups.set(assignee, (g = { counts: Object.fromEntries(family.fields.map((f) => [f, 0])), numbers: [] }));
    return g;
  };
  for (const [key, counts] of result.tallies.cur) {
    const bar = key.indexOf('|');
    const g = group(key.slice(bar + 1), key.slice(0, bar));
    for (const f of family.fields) g.counts[f] = counts[f] ?? 0;
  }
  for (const [assignee, label, numbers] of result.durations.cur) group(label, assignee).numbers.push(numbers);
  return out;
}

/** Count whole days from the raw rows: one statement per family (its days as the ranges). */
async function countDays(db: Db, missing: { family: Family; scope: Scope; days: string[] }[]): Promise<Map<string, Map<string, Groups>>> {
  const out = new Map<string, Map<string, Groups>>();
  for (const { family, scope, days } of missing) {
    const ranges = days.map((d) => ({ from: dayStart(d), to: dayStart(nextDay(d)), prev: false, day: d }));
    // Stored for every report: the whole team (of the family's role), by assignee.
    out.set(family.key, groupsByRange(family, ranges, await family.raw(db, { role: scope.role, agentId: null }, ranges, true)));
  }
  return out;
}

async function loadDays(db: Db, needed: Map<string, { days: Set<string> }>): Promise<Map<string, Map<string, Groups>>> {
  const out = new Map<string, Map<string, Groups>>();
  const all = [...needed.values()].flatMap((n) => [...n.days]).sort();
  if (all.length === 0) return out;
  const rows = await db
    .selectFrom('kpi_days')
    .select(['day', 'family', 'groups', 'numbers'])
    .where('day', '>=', all[0]!)
    .where('day', '<=', all.at(-1)!)
    .where('family', 'in', [...needed.keys()])
    .execute();
  for (const r of rows) {
    if (!needed.get(r.family)!.days.has(r.day)) continue;
    let into = out.get(r.family);
    if (!into) out.set(r.family, (into = new Map()));
    into.set(r.day, decode(r.groups, r.numbers));
  }
  return out;
}

async function saveDays(trx: Db, counted: Map<string, Map<string, Groups>>): Promise<void> {
  const rows = [...counted].flatMap(([family, days]) => [...days].map(([day, groups]) => ({ day, family, ...encode(groups) })));
  // A few rows per statement: each row's list of durations may be large.
  for (let i = 0; i < rows.length; i += 50) {
    await trx
      .insertInto('kpi_days')
      .values(rows.slice(i, i + 50))
      .onConflict((oc) => oc.columns(['day', 'family']).doNothing())
      .execute();
  }
}

/** Groups as stored: JSON [[assignee, counts, n]] and all durations as little-endian int32. */
function encode(groups: Groups): { groups: string; numbers: Uint8Array | null } {
  const list: [string, Counts, number][] = [];
  let n = 0;
  for (const [a, g] of groups) {
    const len = g.numbers.reduce((s, p) => s + p.length, 0);
    list.push([a, g.counts, len]);
    n += len;
  }
  if (n === 0) return { groups: JSON.stringify(list), numbers: null };
  const buf = Buffer.alloc(4 * n);
  let at = 0;
  for (const g of groups.values()) for (const p of g.numbers) for (let i = 0; i < p.length; i++, at += 4) buf.writeInt32LE(p[i]!, at);
  return { groups: JSON.stringify(list), numbers: buf };
}

function decode(json: string, numbers: Uint8Array | null): Groups {
  const list = JSON.parse(json) as [string, Counts, number][];
  const out: Groups = new Map();
  const buf = numbers ? Buffer.from(numbers.buffer, numbers.byteOffset, numbers.byteLength) : null;
  let at = 0;
  for (const [a, counts, n] of list) {
    const s = new Int32Array(n);
    if (n > 0 && LITTLE_ENDIAN) {
      // The stored bytes are the machine's own int32s: copied at once, not read one by one.
      new Uint8Array(s.buffer).set(buf!.subarray(at, at + 4 * n));
      at += 4 * n;
    } else {
      for (let i = 0; i < n; i++, at += 4) s[i] = buf!.readInt32LE(at);
    }
    out.set(a, { counts, numbers: n ? [s] : [] });
  }
  return out;
}
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

// ---------------------------------------------------------------------------------------------
// Keeping stored days true: every write that can change what a day counts deletes that day's rows,
// in its own transaction.

/** Forget the stored days these times fall in (null and undefined are skipped): of every family, or of these (by name, any version). */
export async function forgetKpiDays(trx: Db, times: Iterable<string | null | undefined>, families?: readonly string[]): Promise<void> {
  const days = new Set<string>();
  for (const t of times) if (t) days.add(dayOf(t));
  if (days.size === 0) return;
  let q = trx.deleteFrom('kpi_days').where('day', 'in', [...days]);
  if (families) q = q.where((eb) => eb.or(families.map((f) => eb('family', 'like', `${f}:%`))));
  await q.execute();
}

/** The families that count orders (kpi-team.ts), the only ones a change to orders touches. */
export const ORDER_FAMILIES = { orders: 'orders', customers: 'order_customers' } as const;

/**
 * A change to some customers' orders (`change`, in the write transaction): forget the days of the
 * orders it adds, changes or removes (`times`), and, for the customers counted on the day of their
 * first order, the days of each customer's first order before and after the change.
 */
export async function changeOrders<T>(
  trx: Db,
  customerIds: readonly number[],
  times: readonly string[],
  change: () => Promise<T>,
): Promise<T> {
  const firstOrders = async () =>
    customerIds.length === 0
      ? []
      : (
          await trx
            .selectFrom('orders')
            .select((eb) => eb.fn.min('ordered_at').as('t'))
            .where('customer_id', 'in', [...new Set(customerIds)])
            .groupBy('customer_id')
            .execute()
        ).map((r) => r.t);
  const before = await firstOrders();
  const result = await change();
  await forgetKpiDays(trx, [...times, ...before, ...(await firstOrders())], Object.values(ORDER_FAMILIES));
  return result;
}

/** The item columns whose days the KPI families count an item under. */
interface ItemTimes {
  created_at: string;
  first_response_at?: string | null | undefined;
  first_response_due_at?: string | null | undefined;
  resolution_due_at?: string | null | undefined;
  first_resolved_at?: string | null | undefined;
  assignee_id?: number | null | undefined;
  id?: number;
}

/** The days an item counts under (a new item, or a deleted one). */
export function itemKpiTimes(row: ItemTimes): (string | null | undefined)[] {
  return [row.created_at, row.first_response_at, row.first_response_due_at, row.resolution_due_at, row.first_resolved_at];
}

/**
 * A changed item: forget the days it counted under before and after (any of its columns may move it
 * within those days: assignee, role, direction, reply and reopen counts); a new assignee also moves its
 * survey answers and, for a support item, the escalation it came from, both counted by the item's assignee.
 */
export async function forgetChangedItemKpiDays(trx: Db, before: ItemTimes & { id: number }, after: ItemTimes): Promise<void> {
  const times = [...itemKpiTimes(before), ...itemKpiTimes(after)];
  if (before.assignee_id !== after.assignee_id) {
    const surveys = await trx.selectFrom('surveys').select('created_at').where('item_id', '=', before.id).execute();
    const escalations = await trx.selectFrom('escalations').select('escalated_at').where('support_item_id', '=', before.id).execute();
    times.push(...surveys.map((s) => s.created_at), ...escalations.map((e) => e.escalated_at));
  }
  await forgetKpiDays(trx, times);
}
