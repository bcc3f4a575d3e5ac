// KPI durations are computed by SQLite since migration 0003 (generated columns): they must still be the
// documented whole seconds, Math.round(ms / 1000), for times that carry milliseconds, and the
// percentiles must pick the same durations as nearest rank over those seconds.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { standardAgents, testEnv, type TestEnv } from '../helpers/core.js';
import { addCustomer } from '../../src/core/customers.js';
import * as items from '../../src/core/items.js';
import { computeKpis } from '../../src/core/kpi.js';
import { exactSeconds, parseIntegerList } from '../../src/core/kpi-queries.js';
import { medianAndP90, medianAndP90BySelection, nearestRank } from '../../src/core/percentiles.js';

const START = '2026-05-04T08:00:00.250Z';
// Reply and resolve this many milliseconds after creation: half-second ties, just under and over,
// more than a day, and a first response that lands on another UTC day than the item's creation.
const OFFSETS_MS = [499, 500, 1_499, 1_500, 2_500, 59_999, 3_600_500, 90_061_499, 90_061_500, 172_799_999];

let env: TestEnv;
const made: { id: number; created: string; replied: string; resolved: string }[] = [];

beforeAll(async () => {
  env = await testEnv(START);
  const { cleo } = await standardAgents(env.ctx);
  await addCustomer(env.ctx, { name: 'alice', email: 'alice@example.com' });
  for (const [i, ms] of OFFSETS_MS.entries()) {
    const created = new Date(Date.parse(START) + i * 7).toISOString();
    env.clock.set(created);
    const item = await items.createItem(env.ctx, cleo, { subject: `d${i}`, customer: '#1', kind: 'bug', body: 'help', assignee: 'cleo' });
    const replied = new Date(Date.parse(created) + ms).toISOString();
    env.clock.set(replied);
    await items.reply(env.ctx, cleo, item.id, 'on it');
    const resolved = new Date(Date.parse(created) + 2 * ms + 1).toISOString();
    env.clock.set(resolved);
    await items.resolve(env.ctx, cleo, item.id);
    made.push({ id: item.id, created, replied, resolved });
  }
  env.clock.set('2026-06-01T00:00:00.000Z');
});
afterAll(async () => env.close());

describe('KPI durations with milliseconds', () => {
  it('first response and resolution seconds are Math.round(ms / 1000), half a second rounding up', async () => {
    const rows = await env.store.db.selectFrom('items').select(['id', 'first_response_secs', 'resolution_secs']).orderBy('id').execute();
    for (const m of made) {
      const r = rows.find((x) => x.id === m.id)!;
      expect(r.first_response_secs).toBe(exactSeconds(m.created, m.replied));
      expect(r.resolution_secs).toBe(exactSeconds(m.created, m.resolved));
    }
    // The ties themselves: 500 ms → 1 s, 1 500 ms → 2 s, 499 ms → 0 s.
    expect(rows.slice(0, 4).map((r) => r.first_response_secs)).toEqual([0, 1, 1, 2]);
  });

  it('median and p90 are nearest rank over those seconds, for the team, the agent and each day', async () => {
    const period = { from: '2026-05-01T00:00:00.000Z', to: '2026-05-31T00:00:00.000Z' };
    const r = await computeKpis(env.ctx, { role: 'support', period, byAgent: true });
    const fr = made.map((m) => exactSeconds(m.created, m.replied)).sort((a, b) => a - b);
    const res = made.map((m) => exactSeconds(m.created, m.resolved)).sort((a, b) => a - b);
    const f = r.support!.figures;
    expect([f.firstResponseMedian!.value, f.firstResponseP90!.value, f.firstResponseMedian!.count]).toEqual([
      nearestRank(fr, 50),
      nearestRank(fr, 90),
      fr.length,
    ]);
    expect([f.resolutionMedian!.value, f.resolutionP90!.value]).toEqual([nearestRank(res, 50), nearestRank(res, 90)]);
    const cleo = r.support!.agents!.find((a) => a.handle === 'cleo')!.figures;
    expect(cleo.firstResponseMedian!.value).toBe(nearestRank(fr, 50));
    // Each day's point covers the first responses made that day only.
    for (const point of r.support!.series.firstResponseMedian!) {
      const that = made
        .filter((m) => m.replied.slice(0, 10) === point.date)
        .map((m) => exactSeconds(m.created, m.replied))
        .sort((a, b) => a - b);
      expect([point.date, point.value, point.count]).toEqual([point.date, nearestRank(that, 50), that.length]);
    }
  });
});

describe('reading a group_concat list of seconds', () => {
  it('gives back every integer, negative and multi-digit ones included, and nothing for an empty list', () => {
    expect([...parseIntegerList('12,-3,40000,0,7')]).toEqual([12, -3, 40000, 0, 7]);
    expect([...parseIntegerList('5')]).toEqual([5]);
    expect(parseIntegerList('').length).toBe(0);
  });
});

describe('percentiles by selection', () => {
  it('pick the same nearest-rank median and p90 as sorting, with ties, odd and even counts', () => {
    let seed = 7;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648) % 50;
    for (const n of [0, 1, 2, 3, 9, 10, 11, 100, 1001]) {
      const values = Array.from({ length: n }, next);
      expect(medianAndP90BySelection(values)).toEqual(medianAndP90(values));
      expect(medianAndP90BySelection(Float64Array.from(values))).toEqual(medianAndP90(values));
    }
  });
});
