// The team-only service figures read from the day rollups (src/core/kpi-team.ts: all orders before a
// time, repeat purchases, at-risk customers) must be exactly what the rows give: checked against the
// report counted from the rows (fromRawRows) and against a plain recount of the rows here, on random
// histories of orders (added, backdated before a customer's first order, brought up to date, refunded
// away), survey answers and support items, read again after more changes (which must forget the days
// they touch), and on the hand-built fixture. Runs on both stores.
import { afterEach, describe, expect, it } from 'vitest';
import { standardAgents, testEnv, type TestEnv } from '../helpers/core.js';
import { buildKpiFixture, NOW, P } from '../helpers/kpi-fixture.js';
import type { Agent } from '../../src/core/agents.js';
import { addCustomer, addOrder } from '../../src/core/customers.js';
import { TandemError } from '../../src/core/errors.js';
import * as items from '../../src/core/items.js';
import { computeKpis, type Figure, type KpiOptions } from '../../src/core/kpi.js';
import type { Period } from '../../src/core/kpi-period.js';
import { countIds } from '../../src/core/kpi-queries.js';
import { recordOrder, removeRefundedOrder } from '../../src/core/orders.js';
import { addSurvey } from '../../src/core/surveys.js';

let env: TestEnv | null = null;
afterEach(async () => {
  await env?.close();
  env = null;
});

const DAY = 86_400_000;

/** A small deterministic generator (mulberry32), so a failing history can be run again. */
function random(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { next, int: (n: number) => Math.floor(next() * n), pick: <T>(xs: readonly T[]) => xs[Math.floor(next() * xs.length)]! };
}

const previousOf = (p: Period): Period => ({ from: new Date(2 * Date.parse(p.from) - Date.parse(p.to)).toISOString(), to: p.from });

/** The team-only figures of a period, recounted here from every order, survey and support item. */
async function recount(e: TestEnv, p: Period): Promise<Record<string, Pick<Figure, 'value' | 'previous' | 'count' | 'previousCount'>>> {
  const db = e.store.db;
  const orders = await db.selectFrom('orders').select(['customer_id', 'amount_cents', 'ordered_at']).execute();
  const surveys = await db.selectFrom('surveys').select(['kind', 'score', 'customer_id', 'created_at']).execute();
  const support = await db.selectFrom('items').select(['customer_id', 'created_at']).where('role', '=', 'support').execute();
  const before = (t: string) => {
    const o = orders.filter((x) => x.ordered_at < t);
    const cents = o.reduce((s, x) => s + Number(x.amount_cents), 0);
    return { orders: o.length, cents, customers: new Set(o.map((x) => x.customer_id)).size };
  };
  const repeat = (q: Period) => {
    const per = new Map<number, number>();
    for (const x of orders) if (x.ordered_at >= q.from && x.ordered_at < q.to) per.set(x.customer_id, (per.get(x.customer_id) ?? 0) + 1);
    return { customers: per.size, repeat: [...per.values()].filter((n) => n >= 2).length };
  };
  const atRisk = (to: string) => {
    const from = new Date(Date.parse(to) - 30 * DAY).toISOString();
    const inWindow = (t: string) => t >= from && t < to;
    const who = new Set<number>();
    for (const s of surveys)
      if (s.customer_id !== null && inWindow(s.created_at) && s.score <= (s.kind === 'csat' ? 2 : 6)) who.add(s.customer_id);
    const perCustomer = new Map<number, number>();
    for (const i of support)
      if (i.customer_id !== null && inWindow(i.created_at)) perCustomer.set(i.customer_id, (perCustomer.get(i.customer_id) ?? 0) + 1);
    for (const [c, n] of perCustomer) if (n >= 3) who.add(c);
    return who.size;
  };
  const q = previousOf(p);
  const [bc, bq, rc, rq] = [before(p.to), before(q.to), repeat(p), repeat(q)];
  const fig = (value: number | null, previous: number | null, count: number, previousCount: number) => ({
    value,
    previous,
    count,
    previousCount,
  });
  const ratio = (k: number, n: number) => (n === 0 ? null : k / n);
  const [ac, aq] = [atRisk(p.to), atRisk(q.to)];
  return {
    repeatPurchaseRate: fig(ratio(rc.repeat, rc.customers), ratio(rq.repeat, rq.customers), rc.customers, rq.customers),
    customerLifetimeValue: fig(
      bc.customers === 0 ? null : bc.cents / 100 / bc.customers,
      bq.customers === 0 ? null : bq.cents / 100 / bq.customers,
      bc.customers,
      bq.customers,
    ),
    averageOrderValue: fig(
      bc.orders === 0 ? null : bc.cents / 100 / bc.orders,
      bq.orders === 0 ? null : bq.cents / 100 / bq.orders,
      bc.orders,
      bq.orders,
    ),
    ordersPerCustomer: fig(ratio(bc.orders, bc.customers), ratio(bq.orders, bq.customers), bc.customers, bq.customers),
    atRiskCustomers: fig(ac, aq, ac, aq),
  };
}

/** Periods of every kind of edge: the last 30 days, and periods ending mid-day, at midnight, in the past. */
function periodsAt(now: string, quick = false): Period[] {
  const at = (days: number, hours = 0) => new Date(Date.parse(now) - days * DAY - hours * 3_600_000).toISOString();
  const all = [
    { from: at(30), to: now },
    { from: at(9, 7), to: at(1, 5) },
    {
      from: new Date(Date.parse(now.slice(0, 10)) - 20 * DAY).toISOString(),
      to: new Date(Date.parse(now.slice(0, 10)) - 2 * DAY).toISOString(),
    },
    { from: at(200), to: at(90) },
  ];
  return quick ? all.slice(0, 2) : all;
}

/** The report through the rollups equals the report counted from the rows, and its team figures the recount. */
async function expectTrue(e: TestEnv, quick = false) {
  const now = e.clock.now().toISOString();
  for (const period of periodsAt(now, quick)) {
    const opts: KpiOptions = { role: 'service', period, atRiskLimit: 5 };
    const fast = await computeKpis(e.ctx, opts);
    const raw = await computeKpis(e.ctx, { ...opts, fromRawRows: true });
    const context = JSON.stringify({ period, now });
    expect(fast, context).toEqual(raw);
    const expected = await recount(e, period);
    const got = Object.fromEntries(
      Object.keys(expected).map((k) => {
        const f = fast.service!.figures[k]!;
        return [k, { value: f.value, previous: f.previous, count: f.count, previousCount: f.previousCount }];
      }),
    );
    expect(got, context).toEqual(expected);
  }
}

async function storedOrderDays(e: TestEnv): Promise<number> {
  const r = await e.store.db
    .selectFrom('kpi_days')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('family', 'like', 'orders:%')
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

const CUSTOMERS = 8;

/** Random orders, refunds, survey answers and support items, the clock moving forward by minutes to hours. */
async function randomHistory(e: TestEnv, seed: number, agent: Agent, steps: number, refs: string[]) {
  const rnd = random(seed);
  for (let step = 0; step < steps; step++) {
    e.clock.advance(rnd.int(6 * 3_600_000) + 60_000);
    const now = e.clock.now().getTime();
    const customer = 1 + rnd.int(CUSTOMERS);
    // Mostly recent, sometimes long ago (before most first orders, more than 500 days back).
    const past = () => new Date(now - (rnd.next() < 0.15 ? rnd.int(700 * DAY) : rnd.int(40 * DAY))).toISOString();
    const op = rnd.int(10);
    try {
      if (op <= 2) {
        await addOrder(e.ctx, { customer: `#${customer}`, amount: (1 + rnd.int(20000)) / 100, orderedAt: past() });
      } else if (op === 3 || (op === 4 && refs.length === 0)) {
        const reference = `R${seed}-${step}`;
        await recordOrder(e.ctx, {
          reference,
          customer: { email: `c${customer}@example.com` },
          amountCents: 100 + rnd.int(50000),
          currency: 'USD',
          orderedAt: past(),
        });
        refs.push(reference);
      } else if (op === 4) {
        // A later export: the same order with a refund taken off (or unchanged).
        const reference = rnd.pick(refs);
        const was = await e.store.db.selectFrom('orders').selectAll().where('reference', '=', reference).executeTakeFirst();
        if (was)
          await recordOrder(e.ctx, {
            reference,
            customer: { email: `c${was.customer_id}@example.com` },
            amountCents: rnd.next() < 0.2 ? was.amount_cents : rnd.int(was.amount_cents + 1),
            currency: 'USD',
            orderedAt: was.ordered_at,
          });
      } else if (op === 5) {
        if (refs.length) await removeRefundedOrder(e.ctx, refs.splice(rnd.int(refs.length), 1)[0]!);
      } else if (op <= 7) {
        const kind = rnd.pick(['csat', 'nps'] as const);
        await addSurvey(e.ctx, agent, {
          kind,
          score: kind === 'csat' ? 1 + rnd.int(5) : rnd.int(11),
          customer: `#${customer}`,
          at: new Date(now - rnd.int(8 * DAY)).toISOString(),
        });
      } else {
        await items.createItem(e.ctx, agent, { subject: `s${step}`, customer: `#${customer}`, kind: 'bug', assignee: null });
      }
    } catch (err) {
      if (!(err instanceof TandemError)) throw err;
    }
  }
}

describe('team figures from the day rollups', () => {
  it.each([7, 31, 2027])(
    'are the figures of the rows on a random history (seed %i), before and after more changes',
    async (seed) => {
      env = await testEnv('2026-06-01T08:00:00.000Z');
      const { sam } = await standardAgents(env.ctx);
      for (let c = 1; c <= CUSTOMERS; c++) await addCustomer(env.ctx, { name: `c${c}`, email: `c${c}@example.com` });
      const refs: string[] = [];
      // The history reaches back more than 500 days: more days than one statement can count.
      await addOrder(env.ctx, { customer: '#1', amount: 12, orderedAt: '2024-08-01T10:00:00.000Z' });
      await randomHistory(env, seed, sam, 160, refs);
      const orders = await env.store.db.selectFrom('orders').select(['reference']).execute();
      expect([orders.length > 20, orders.some((o) => o.reference !== null)]).toEqual([true, true]);
      await expectTrue(env);
      expect(await storedOrderDays(env)).toBeGreaterThan(500);
      // Each change must forget the days it touches: checked every few changes.
      for (let chunk = 0; chunk < 8; chunk++) {
        await randomHistory(env, seed * 100 + chunk, sam, 6, refs);
        await expectTrue(env, true);
      }
      await expectTrue(env);
    },
    120_000,
  );

  it("are the fixture's figures, and stay true when old orders change", async () => {
    env = await testEnv(NOW);
    const fx = await buildKpiFixture(env);
    await expectTrue(env);
    const opts: KpiOptions = { role: 'all', period: P, byAgent: true };
    const report = async () => computeKpis(env!.ctx, opts);
    expect(await report()).toEqual(await computeKpis(env.ctx, { ...opts, fromRawRows: true }));
    expect(await storedOrderDays(env)).toBeGreaterThan(0);
    const lifetime = () => report().then((r) => r.service!.figures.customerLifetimeValue!);
    const before = await lifetime();
    const changes: (() => Promise<unknown>)[] = [
      // An order before C3's only one (in P's last moment): C3 is now a customer before `to`.
      () => addOrder(env!.ctx, { customer: '#3', amount: 60, orderedAt: '2026-03-13T09:00:00.000Z', reference: 'EARLY-3' }),
      // Imported orders on stored days: new, then brought up to date by a refund, then refunded away.
      () =>
        recordOrder(env!.ctx, {
          reference: 'SHOP-1',
          customer: { email: 'erin@example.com' },
          amountCents: 9000,
          currency: 'USD',
          orderedAt: '2026-03-02T12:00:00.000Z',
        }),
      () =>
        recordOrder(env!.ctx, {
          reference: 'SHOP-1',
          customer: { email: 'erin@example.com' },
          amountCents: 4000,
          currency: 'USD',
          orderedAt: '2026-03-02T12:00:00.000Z',
        }),
      // C3's first order goes: its only one, exactly at `to`, is its first again.
      () => removeRefundedOrder(env!.ctx, 'EARLY-3'),
      () => removeRefundedOrder(env!.ctx, 'SHOP-1'),
      // Late answers and a support item on days already stored: who is at risk.
      () => addSurvey(env!.ctx, fx.sam, { kind: 'csat', score: 1, customer: '#9', at: '2026-03-12T09:00:00.000Z' }),
      () => addSurvey(env!.ctx, fx.sam, { kind: 'nps', score: 5, customer: '#10', at: '2026-02-25T09:00:00.000Z' }),
      async () => {
        env!.clock.set('2026-03-18T12:00:00.000Z');
        await items.createItem(env!.ctx, fx.sam, { subject: 'third', customer: '#6', kind: 'bug' });
        await items.createItem(env!.ctx, fx.sam, { subject: 'fourth', customer: '#6', kind: 'bug' });
        await items.createItem(env!.ctx, fx.sam, { subject: 'fifth', customer: '#6', kind: 'bug' });
        env!.clock.set(NOW);
      },
    ];
    const seen: number[] = [];
    for (const change of changes) {
      await change();
      await expectTrue(env, true);
      expect(await report()).toEqual(await computeKpis(env.ctx, { ...opts, fromRawRows: true }));
      seen.push((await lifetime()).count);
    }
    // The customers before `to` moved with the changes (not read back from days stored before them):
    // C3 and then erin became customers, and stopped being ones when their orders were refunded away.
    const b = before.count;
    expect(seen.slice(0, 5)).toEqual([b + 1, b + 2, b + 2, b + 1, b]);
  }, 60_000);

  it('count orders, answers and items a bulk load writes into stored days', async () => {
    env = await testEnv(NOW);
    await buildKpiFixture(env);
    const opts: KpiOptions = { role: 'service', period: P };
    const was = await computeKpis(env.ctx, opts);
    expect(await storedOrderDays(env)).toBeGreaterThan(0);
    await env.store.bulk.load(async (w) => {
      w.insert('orders', {
        id: w.nextId('orders'),
        customer_id: 9,
        amount_cents: 12345,
        currency: 'USD',
        ordered_at: '2026-03-11T09:00:00.000Z',
        reference: null,
        created_at: NOW,
      });
      // An anonymous low answer puts nobody at risk; a named one does.
      for (const customer of [null, 10])
        w.insert('surveys', {
          id: w.nextId('surveys'),
          kind: 'nps',
          score: 0,
          comment: null,
          customer_id: customer,
          item_id: null,
          created_at: '2026-03-12T09:00:00.000Z',
        });
    });
    const now = await computeKpis(env.ctx, opts);
    expect(now).toEqual(await computeKpis(env.ctx, { ...opts, fromRawRows: true }));
    expect(now.service!.figures.averageOrderValue!.count).toBe(was.service!.figures.averageOrderValue!.count + 1);
    expect(now.service!.figures.atRiskCustomers!.value).toBe(was.service!.figures.atRiskCustomers!.value! + 1);
    await expectTrue(env);
  });
});

describe('counting ids', () => {
  it('gives each id seen at least so often, with its count, for dense and sparse lists alike', () => {
    const rnd = random(99);
    // Dense (counted in an array by id), growing past the first array, sparse (sorted), huge ids, one id, none.
    const lists = [
      Array.from({ length: 3000 }, () => 1 + rnd.int(500)),
      Array.from({ length: 300_000 }, () => rnd.int(200_000)),
      Array.from({ length: 40 }, () => 1 + rnd.int(1_000_000)).flatMap((id) => (rnd.next() < 0.3 ? [id, id, id] : [id])),
      Array.from({ length: 40 }, () => 1 + rnd.int(1e12)).flatMap((id) => (rnd.next() < 0.3 ? [id, id, id] : [id])),
      [2 ** 40, 7, 2 ** 40, 2 ** 40, 7],
      [5],
      [],
    ];
    for (const list of lists) {
      for (const atLeast of [1, 3]) {
        const expected = new Map<number, number>();
        for (const id of list) expected.set(id, (expected.get(id) ?? 0) + 1);
        const want = [...expected].filter(([, n]) => n >= atLeast).sort((a, b) => a[0] - b[0]);
        const got: [number, number][] = [];
        countIds(Float64Array.from(list), (id, n) => got.push([id, n]), atLeast);
        expect(got.sort((a, b) => a[0] - b[0])).toEqual(want);
      }
    }
  });
});
