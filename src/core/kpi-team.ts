// The team-only service figures read from the day rollups (kpi-days.ts) instead of scanning their rows:
// all orders before a time (count, total, customers), the customers ordering in a period (repeat
// purchases), and the lists behind the at-risk customers of a window. Each comes from a family whose
// raw query (kpi-queries.ts) counts one range; the reports put the days together exactly as the raw
// queries of kpi.ts count the whole range (tests/core/kpi-team.test.ts holds them to it).
import type { CoreStore } from '../store/store.js';
import { dayOf, dayStart, family, ORDER_FAMILIES, readFamilies, type FamilyRequest } from './kpi-days.js';
import {
  AT_RISK_CSAT_MAX,
  AT_RISK_NPS_MAX,
  COUNT_FIELDS,
  countIds,
  earliestOrder,
  lowScoreCustomerLists,
  ordersBeforeEach,
  orderCustomerLists,
  orderTallies,
  supportCustomerLists,
  zeroCounts,
  type Bucket,
  type RepeatPurchaseCount,
  type Scope,
} from './kpi-queries.js';
import type { AtRiskLists } from './kpi-at-risk.js';
import type { Period } from './kpi-period.js';

// Business-wide: stored and read for the whole team, never split by agent.
const TEAM: Scope = { role: 'service', agentId: null };

const ORDERS = family(ORDER_FAMILIES.orders, 1, COUNT_FIELDS.orders, async (db, _s, b) => ({ tallies: await orderTallies(db, b) }));
const ORDER_CUSTOMERS = family(ORDER_FAMILIES.customers, 1, [], async (db, _s, b) => ({ durations: await orderCustomerLists(db, b) }));
/** The customer ids of support items created (their list in place of durations): the at-risk count. */
const SUPPORT_CUSTOMERS = family('support_item_customers', 1, [], async (db, s, b, by) => ({
  durations: await supportCustomerLists(db, s.agentId, b, by),
}));
const LOW_CSAT = family('low_csat_customers', 1, [], async (db, _s, b) => ({
  durations: await lowScoreCustomerLists(db, 'csat', AT_RISK_CSAT_MAX, b),
}));
const LOW_NPS = family('low_nps_customers', 1, [], async (db, _s, b) => ({
  durations: await lowScoreCustomerLists(db, 'nps', AT_RISK_NPS_MAX, b),
}));

const whole = (p: Period): Bucket[] => [{ from: p.from, to: p.to, prev: false, day: '' }];
const ask = (f: FamilyRequest['family'], p: Period): FamilyRequest => ({ family: f, scope: TEAM, buckets: whole(p), byAgent: false });

/** All orders placed before each time: how many, their total, and how many customers placed them (as ordersBeforeEach counts). */
export async function ordersBefore(
  store: CoreStore,
  now: string,
  ts: readonly string[],
): Promise<{ orders: number; revenueCents: number; customers: number }[]> {
  const none = { orders: 0, revenueCents: 0, customers: 0 };
  const first = await earliestOrder(store.db);
  if (first === null) return ts.map(() => none);
  // From the start of the first order's day: every order is in [from, t) or at/after t. (A first
  // order time that is no date, which no write path stores, is counted from the rows.)
  const day = dayOf(first);
  const ms = Date.parse(dayStart(day));
  if (!Number.isFinite(ms) || new Date(ms).toISOString().slice(0, 10) !== day) return ordersBeforeEach(store.db, ts);
  const from = dayStart(day);
  const asked = ts.filter((t) => from < t);
  const answers = await readFamilies(
    store,
    now,
    asked.map((t) => ask(ORDERS, { from, to: t })),
  );
  return ts.map((t) => {
    const i = asked.indexOf(t);
    const c = (i < 0 ? undefined : answers[i]!.tallies.cur.get('|')) ?? zeroCounts(COUNT_FIELDS.orders);
    return { orders: c.orders!, revenueCents: c.revenueCents!, customers: c.newCustomers! };
  });
}

/** Customers ordering in each period: with 1+ order, and with 2+ orders (as repeatPurchaseTally counts). */
export async function repeatPurchases(store: CoreStore, now: string, periods: readonly Period[]): Promise<RepeatPurchaseCount[]> {
  const answers = await readFamilies(
    store,
    now,
    periods.map((p) => ask(ORDER_CUSTOMERS, p)),
  );
  return answers.map((a) => {
    const out = { customers: 0, repeatCustomers: 0 };
    countIds(a.durations.cur[0]?.[2] ?? [], (_id, n) => {
      out.customers++;
      if (n >= 2) out.repeatCustomers++;
    });
    return out;
  });
}

/** The at-risk lists of each window, from the day rollups. */
export async function atRiskLists(store: CoreStore, now: string, windows: readonly Period[]): Promise<AtRiskLists[]> {
  const families = [SUPPORT_CUSTOMERS, LOW_CSAT, LOW_NPS];
  const answers = await readFamilies(
    store,
    now,
    windows.flatMap((w) => families.map((f) => ask(f, w))),
  );
  const list = (i: number) => answers[i]!.durations.cur[0]?.[2] ?? [];
  return windows.map((_, k) => ({ support: list(3 * k), lowCsat: list(3 * k + 1), lowNps: list(3 * k + 2) }));
}
