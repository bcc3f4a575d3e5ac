// The KPI day rollups (src/core/kpi-days.ts) must give exactly the figures counted from the raw rows:
// on random histories of items, replies, resolutions, reopenings, reassignments, escalations, SLA
// changes and survey answers, read again after more changes (which must forget the days they touch),
// and on the hand-built fixture of tests/core/kpi.test.ts. Runs on both stores.
import { afterEach, describe, expect, it } from 'vitest';
import { standardAgents, testEnv, type TestEnv } from '../helpers/core.js';
import { buildKpiFixture, NOW, P } from '../helpers/kpi-fixture.js';
import { addAgent, type Agent } from '../../src/core/agents.js';
import { addCustomer } from '../../src/core/customers.js';
import { escalate } from '../../src/core/escalation.js';
import { TandemError } from '../../src/core/errors.js';
import * as items from '../../src/core/items.js';
import { computeKpis, type KpiOptions } from '../../src/core/kpi.js';
import { dayOf, piecesOf } from '../../src/core/kpi-days.js';
import { setPolicy } from '../../src/core/sla.js';
import { addSurvey } from '../../src/core/surveys.js';

let env: TestEnv | null = null;
afterEach(async () => {
  await env?.close();
  env = null;
});

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

/** Every report shape the KPIs have: both roles, per agent, one agent, with and without series, odd edges. */
function reportsToCheck(now: string, handles: string[], quick = false): KpiOptions[] {
  const at = (days: number, hours = 0) => new Date(Date.parse(now) - days * 86_400_000 - hours * 3_600_000).toISOString();
  const periods = [
    { from: at(30), to: now },
    { from: at(9, 7), to: at(1, 5) },
    { from: at(14), to: at(4) },
    { from: at(6, 13), to: at(0, 2) },
  ];
  if (quick) return periods.slice(0, 2).map((period) => ({ role: 'all', period, byAgent: true }));
  return periods.flatMap((period) => [
    { role: 'all', period, byAgent: true },
    { role: 'all', period, series: false },
    ...handles.map((agent): KpiOptions => ({ role: 'all', period, agent })),
  ]);
}

/** The figures through the rollups must equal the figures counted from the rows, for every report shape. */
async function expectSameAsRaw(e: TestEnv, handles: string[], quick = false) {
  const now = e.clock.now().toISOString();
  for (const opts of reportsToCheck(now, handles, quick)) {
    const raw = await computeKpis(e.ctx, { ...opts, fromRawRows: true });
    const fast = await computeKpis(e.ctx, opts);
    expect(fast, JSON.stringify({ ...opts, now })).toEqual(raw);
  }
}

async function storedDays(e: TestEnv): Promise<number> {
  const r = await e.store.db
    .selectFrom('kpi_days')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

/** Item ids made so far (a later history works on earlier items too). */
interface Made {
  ids: number[];
  serviceIds: number[];
}

/** Random work by random agents, the clock moving forward by minutes to hours at each step. */
async function randomHistory(e: TestEnv, seed: number, agents: Agent[], steps: number, made: Made) {
  const rnd = random(seed);
  const { ids, serviceIds } = made;
  const handles = agents.map((a) => a.handle);
  for (let step = 0; step < steps; step++) {
    e.clock.advance(rnd.int(5 * 3_600_000) + 60_000);
    const actor = rnd.pick(agents);
    const op = rnd.int(11);
    try {
      if (op <= 2 || ids.length < 4) {
        const service = rnd.next() < 0.4;
        const outbound = service && rnd.next() < 0.5;
        const assignee = rnd.next() < 0.2 ? null : rnd.pick(service ? ['sam', 'ana'] : ['sam', 'cleo', 'dev']);
        const item = await items.createItem(e.ctx, agents[0]!, {
          subject: `s${step}`,
          customer: `#${1 + rnd.int(6)}`,
          role: service ? 'service' : 'support',
          kind: outbound ? 'follow_up' : service ? 'question' : 'bug',
          direction: outbound ? 'outbound' : 'inbound',
          assignee,
          priority: rnd.pick(['low', 'normal', 'high', 'urgent']),
          due: outbound && rnd.next() < 0.7 ? new Date(e.clock.now().getTime() + rnd.int(4 * 86_400_000) + 3_600_000).toISOString() : null,
        });
        ids.push(item.id);
        if (service) serviceIds.push(item.id);
      } else {
        const id = rnd.pick(ids);
        switch (op) {
          case 3:
          case 4:
            await items.reply(e.ctx, actor, id, 'reply');
            break;
          case 5:
            await items.resolve(e.ctx, actor, id);
            break;
          case 6:
            await items.customerMessage(e.ctx, id, 'again');
            break;
          case 7:
            await items.assign(e.ctx, actor, id, rnd.next() < 0.2 ? null : rnd.pick(handles), { force: true });
            break;
          case 8:
            await items.close(e.ctx, actor, id);
            break;
          case 9: {
            const kind = rnd.pick(['csat', 'nps'] as const);
            // Answers arrive late, for days already passed too.
            const at = new Date(e.clock.now().getTime() - rnd.int(6 * 86_400_000)).toISOString();
            await addSurvey(e.ctx, actor, {
              kind,
              score: kind === 'csat' ? 1 + rnd.int(5) : rnd.int(11),
              itemId: rnd.next() < 0.8 ? id : null,
              customer: '#1',
              at,
            });
            break;
          }
          case 10:
            if (rnd.next() < 0.5 && serviceIds.length)
              await escalate(e.ctx, actor, rnd.pick(serviceIds), { reason: 'needs a fix', to: rnd.next() < 0.5 ? 'cleo' : null });
            else
              await setPolicy(e.ctx, {
                role: rnd.pick(['support', 'service']),
                priority: rnd.pick(['low', 'normal', 'high', 'urgent']),
                firstResponse: String(30 + rnd.int(600)),
                resolution: String(600 + rnd.int(5000)),
              });
            break;
        }
      }
    } catch (err) {
      // Refused moves (resolving a closed item, escalating twice, …) are part of a random history.
      if (!(err instanceof TandemError)) throw err;
    }
  }
}

describe('KPI day rollups', () => {
  it.each([11, 29, 4242])(
    'give the raw figures on a random history (seed %i), before and after more changes',
    async (seed) => {
      env = await testEnv('2026-05-01T08:00:00.000Z');
      const { sam, ana, cleo } = await standardAgents(env.ctx);
      const dev = await addAgent(env.ctx, { handle: 'dev', name: 'Dev', roles: 'support' });
      for (let c = 1; c <= 6; c++) await addCustomer(env.ctx, { name: `c${c}`, email: `c${c}@example.com` });
      const agents = [sam, ana, cleo, dev];
      const handles = agents.map((a) => a.handle);
      const made: Made = { ids: [], serviceIds: [] };
      await randomHistory(env, seed, agents, 220, made);
      // The history has every kind of change the figures count.
      const count = async (q: string) =>
        Number(
          (
            await env!.store.db
              .selectFrom(q as 'items')
              .select((eb) => eb.fn.countAll<number>().as('n'))
              .executeTakeFirstOrThrow()
          ).n,
        );
      expect(await count('surveys')).toBeGreaterThan(3);
      expect(await count('escalations')).toBeGreaterThan(0);
      const reopened = await env.store.db.selectFrom('items').select('id').where('reopen_count', '>', 0).execute();
      const resolved = await env.store.db.selectFrom('items').select('id').where('first_resolved_at', 'is not', null).execute();
      expect([reopened.length > 0, resolved.length > 5]).toEqual([true, true]);
      await expectSameAsRaw(env, handles);
      // The reports stored the days they counted; more work (on old items too) must forget what it
      // touches: checked every few changes, so one change's stale day is not hidden by the next.
      expect(await storedDays(env)).toBeGreaterThan(0);
      for (let chunk = 0; chunk < 10; chunk++) {
        await randomHistory(env, seed * 100 + chunk, agents, 8, made);
        await expectSameAsRaw(env, handles, true);
      }
      await expectSameAsRaw(env, handles);
    },
    120_000,
  );

  it("give the fixture's figures, and stay true when old items change", async () => {
    env = await testEnv(NOW);
    const fx = await buildKpiFixture(env);
    const handles = ['sam', 'ana', 'cleo'];
    const opts: KpiOptions = { role: 'all', period: P, byAgent: true };
    expect(await computeKpis(env.ctx, opts)).toEqual(await computeKpis(env.ctx, { ...opts, fromRawRows: true }));
    await expectSameAsRaw(env, handles);
    expect(await storedDays(env)).toBeGreaterThan(0);
    // Changes to items of days already stored, each checked on its own: a reassignment (moves its
    // counts, its surveys and its escalation), a reopening (reopen rate of the day it was first
    // resolved), a late reply (one-touch), late survey answers, an escalation of an old item.
    env.clock.set('2026-03-25T10:00:00.000Z');
    const changes: (() => Promise<unknown>)[] = [
      () => items.assign(env!.ctx, fx.sam, fx.ids.S2!, 'sam', { force: true }),
      () => items.assign(env!.ctx, fx.cleo, fx.ids.S8!, 'sam', { force: true }),
      () => items.customerMessage(env!.ctx, fx.ids.S3!, 'it broke again'),
      () => items.reply(env!.ctx, fx.cleo, fx.ids.S1!, 'one more thing'),
      () => addSurvey(env!.ctx, fx.sam, { kind: 'csat', score: 2, itemId: fx.ids.S6!, at: '2026-03-12T09:00:00.000Z' }),
      () => addSurvey(env!.ctx, fx.sam, { kind: 'nps', score: 3, itemId: null, customer: '#2', at: '2026-03-16T09:00:00.000Z' }),
      () => escalate(env!.ctx, fx.ana, fx.ids.V5!, { reason: 'late escalation', to: 'cleo' }),
      () => items.assign(env!.ctx, fx.sam, fx.ids.V1!, 'sam', { force: true }),
      // A clock set back (then corrected): new items and an escalation on days already stored.
      async () => {
        env!.clock.set('2026-03-23T12:00:00.000Z');
        await items.createItem(env!.ctx, fx.sam, { subject: 'back in time', customer: '#3', kind: 'bug', assignee: 'cleo' });
        env!.clock.set('2026-03-25T11:00:00.000Z');
      },
      async () => {
        env!.clock.set('2026-03-22T12:00:00.000Z');
        await escalate(env!.ctx, fx.ana, fx.ids.V6!, { reason: 'back in time', to: 'cleo' });
        env!.clock.set('2026-03-25T11:30:00.000Z');
      },
    ];
    for (const change of changes) {
      await change();
      await expectSameAsRaw(env, handles, true);
      env.clock.minutes(5);
    }
    await expectSameAsRaw(env, handles);
    const after = await computeKpis(env.ctx, opts);
    // S2 and S8 now count for sam (S3, S4 and those two): the figures moved, not read back unchanged.
    expect(after.support!.agents!.find((a) => a.handle === 'sam')!.figures.volume!.value).toBe(4);
    // V4, and now V5 and V6, were escalated: 3 of the 6 service items created in P.
    expect(after.service!.figures.escalationRate!.value).toBeCloseTo(3 / 6, 9);
  }, 60_000);
});

describe('a bulk load', () => {
  it('drops the stored days, so rows it wrote into past days are counted', async () => {
    env = await testEnv(NOW);
    await buildKpiFixture(env);
    const opts: KpiOptions = { role: 'all', period: P, byAgent: true };
    await computeKpis(env.ctx, opts);
    expect(await storedDays(env)).toBeGreaterThan(0);
    // An import adds an answer to a day already stored (bulk writes bypass the core's write path).
    await env.store.bulk.load(async (w) => {
      w.insert('surveys', {
        id: w.nextId('surveys'),
        kind: 'csat',
        score: 5,
        comment: null,
        customer_id: 2,
        item_id: null,
        created_at: '2026-03-13T09:00:00.000Z',
      });
    });
    expect(await storedDays(env)).toBe(0);
    const fast = await computeKpis(env.ctx, opts);
    expect(fast).toEqual(await computeKpis(env.ctx, { ...opts, fromRawRows: true }));
    // 4 answers in P before (tests/core/kpi.test.ts), now 5.
    expect(fast.support!.figures.csat!.count).toBe(5);
  });
});

describe('the pieces of a range', () => {
  it('are the whole UTC days that have ended, and the edges counted raw, covering the range exactly', () => {
    const now = '2026-03-20T15:00:00.000Z';
    expect(piecesOf({ from: '2026-03-10T06:00:00.000Z', to: '2026-03-13T02:00:00.000Z' }, now)).toEqual({
      days: ['2026-03-11', '2026-03-12'],
      raw: [
        { from: '2026-03-10T06:00:00.000Z', to: '2026-03-11T00:00:00.000Z' },
        { from: '2026-03-13T00:00:00.000Z', to: '2026-03-13T02:00:00.000Z' },
      ],
    });
    // Midnight to midnight: only whole days.
    expect(piecesOf({ from: '2026-03-10T00:00:00.000Z', to: '2026-03-12T00:00:00.000Z' }, now)).toEqual({
      days: ['2026-03-10', '2026-03-11'],
      raw: [],
    });
    // Today (not over yet) and the future are counted raw.
    expect(piecesOf({ from: '2026-03-19T00:00:00.000Z', to: '2026-03-22T00:00:00.000Z' }, now)).toEqual({
      days: ['2026-03-19'],
      raw: [{ from: '2026-03-20T00:00:00.000Z', to: '2026-03-22T00:00:00.000Z' }],
    });
    // Inside one day: raw.
    expect(piecesOf({ from: '2026-03-10T01:00:00.000Z', to: '2026-03-10T05:00:00.000Z' }, now)).toEqual({
      days: [],
      raw: [{ from: '2026-03-10T01:00:00.000Z', to: '2026-03-10T05:00:00.000Z' }],
    });
  });

  it('put a time in the day whose range holds it as the queries compare text', () => {
    expect(dayOf('2026-03-10T00:00:00.000Z')).toBe('2026-03-10');
    expect(dayOf('2026-03-10T23:59:59.999Z')).toBe('2026-03-10');
    // Sorts before "2026-03-10T00:00:00.000Z": in the range of the 9th.
    expect(dayOf('2026-03-10')).toBe('2026-03-09');
    expect(dayOf('2026-03-10 12:00:00')).toBe('2026-03-09');
    expect(dayOf('2026-03-01T00:00:00.000Z')).toBe('2026-03-01');
  });
});

describe('a year-long period', () => {
  it('is counted and stored on a database with no stored days (more days than one statement can count)', async () => {
    env = await testEnv(NOW);
    const fx = await buildKpiFixture(env);
    // An item long before the fixture, so the year before the period holds work too.
    env.clock.set('2024-09-01T10:00:00.000Z');
    await items.createItem(env.ctx, fx.sam, { subject: 'last year', customer: '#1', kind: 'bug', assignee: 'cleo' });
    env.clock.set(NOW);
    const period = { from: new Date(Date.parse(NOW) - 366 * 86_400_000).toISOString(), to: NOW };
    const opts: KpiOptions = { role: 'all', period, byAgent: true };
    const fast = await computeKpis(env.ctx, opts);
    expect(fast).toEqual(await computeKpis(env.ctx, { ...opts, fromRawRows: true }));
    expect(await storedDays(env)).toBeGreaterThan(500);
    expect(fast.support!.figures.volume!.previous).toBe(1);
  }, 60_000);
});
