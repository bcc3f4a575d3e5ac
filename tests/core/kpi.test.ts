// KPIs on a hand-built fixture (tests/helpers/kpi-fixture.ts): every expected value below is worked
// out by hand from the fixture, for the period P = [D10, D20) and the previous period Q = [Feb 28, D10).
// Dn = 2026-03-nn. Durations in seconds: 1h = 3600, 1d = 86400. Percentiles: nearest rank,
// the value at rank ceil(p/100 × n) of the ascending durations.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testEnv, type TestEnv } from '../helpers/core.js';
import { buildKpiFixture, P, Q, NOW, type Fixture } from '../helpers/kpi-fixture.js';
import { computeKpis, type Figure, type KpiReport } from '../../src/core/kpi.js';
import { nearestRank, medianAndP90 } from '../../src/core/percentiles.js';
import { previousPeriod, resolvePeriod, periodDays } from '../../src/core/kpi-period.js';
import { createFollowUp } from '../../src/core/follow-up.js';
import { atRiskCustomers } from '../../src/core/kpi-at-risk.js';
import { getItemView } from '../../src/core/item-view.js';
import type { TandemError } from '../../src/core/errors.js';

let env: TestEnv;
let fx: Fixture;
let report: KpiReport;

beforeAll(async () => {
  env = await testEnv(NOW);
  fx = await buildKpiFixture(env);
  report = await computeKpis(env.ctx, { role: 'all', period: P, byAgent: true });
});
afterAll(async () => env.close());

/** value, previous, count, previousCount of a figure; change follows from value − previous. */
function expectFigure(f: Figure | undefined, value: number | null, previous: number | null, count: number, previousCount: number) {
  expect(f, 'figure present').toBeDefined();
  const close = (a: number | null, b: number | null) => (b === null ? expect(a).toBeNull() : expect(a).toBeCloseTo(b, 9));
  close(f!.value, value);
  close(f!.previous, previous);
  expect(f!.count).toBe(count);
  expect(f!.previousCount).toBe(previousCount);
  close(f!.change, value === null || previous === null ? null : value - previous);
}

const agent = (role: 'support' | 'service', handle: string) => report[role]!.agents!.find((a) => a.handle === handle)!.figures;

describe('percentiles (nearest rank)', () => {
  it('takes the value at rank ceil(p·n), so the median of an even set is the lower middle, and empty is null', () => {
    expect(nearestRank([], 50)).toBeNull();
    expect(nearestRank([7], 90)).toBe(7);
    expect(nearestRank([1, 2, 3, 4], 50)).toBe(2); // rank ceil(2) = 2
    expect(nearestRank([1, 2, 3, 4, 5], 50)).toBe(3); // rank ceil(2.5) = 3
    expect(nearestRank([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 90)).toBe(9); // rank ceil(9) = 9
    expect(nearestRank([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11], 90)).toBe(10); // rank ceil(9.9) = 10
    // n = 20: rank ceil(18) = 18 exactly.
    expect(
      nearestRank(
        Array.from({ length: 20 }, (_, i) => i + 1),
        90,
      ),
    ).toBe(18);
    expect(medianAndP90([30, 10, 20])).toEqual({ median: 20, p90: 30, count: 3 });
  });
});

describe('support KPIs, team', () => {
  it('has the period and the previous one of the same length', () => {
    expect(report.period).toEqual(P);
    expect(report.previousPeriod).toEqual(Q);
  });

  it('volume: items created in [from, to): the one at `from` counts, the one at `to` does not', () => {
    // P: S1 (D10 00:00, at from), S2, S3, S4, S5, S6, S8 (escalation, D13 12:00), S13 = 8; S7 at D20 00:00 is out.
    // Q: S9, S10, S11 = 3 (S12 was created Feb 27, before Q).
    expectFigure(report.support!.figures.volume, 8, 3, 8, 3);
  });

  it('backlog: items not resolved or closed at `to` (resolved after `to` still counts; resolved before and reopened after does not)', () => {
    // At D20: S4, S5 never resolved; S6 resolved D21 (after to) → 3. S13 resolved D19 and reopened D22 → done at D20.
    // S7 created exactly at D20 → not created before `to`. At D10 (previous): only S11 (resolved D11) → 1.
    expectFigure(report.support!.figures.backlog, 3, 1, 3, 1);
  });

  it('first response time: first message → first reply, over items first responded to in the period', () => {
    // P: S1 1h, S2 2h, S3 2h, S6 4h, S8 2h, S13 1h → [3600, 3600, 7200, 7200, 7200, 14400], n = 6:
    // median rank ceil(3) = 3 → 7200; p90 rank ceil(5.4) = 6 → 14400.
    // Q: S9 2h, S10 10h, S11 1h → [3600, 7200, 36000]: median rank 2 → 7200; p90 rank ceil(2.7) = 3 → 36000.
    expectFigure(report.support!.figures.firstResponseMedian, 7200, 7200, 6, 3);
    expectFigure(report.support!.figures.firstResponseP90, 14400, 36000, 6, 3);
  });

  it('resolution time: first resolution − creation, over items first resolved in the period', () => {
    // P: S1 5h = 18000; S2 D12 10:00 − D11 10:00 = 86400 (its second resolution D15 does not count);
    // S3 86400; S8 86400; S11 D11 − Mar 8 = 259200; S13 D19 − D17 = 172800.
    // Sorted [18000, 86400, 86400, 86400, 172800, 259200]: median rank 3 → 86400; p90 rank 6 → 259200.
    // Q: S9 86400, S10 Mar 9 − Mar 5 = 345600, S12 Mar 9 12:00 − Feb 27 12:00 = 864000 → median 345600, p90 864000.
    expectFigure(report.support!.figures.resolutionMedian, 86400, 345600, 6, 3);
    expectFigure(report.support!.figures.resolutionP90, 259200, 864000, 6, 3);
  });

  it('CSAT: responses in the period scoring 4–5 ÷ all responses (a response at `to` is out)', () => {
    // P: 5 (S1), 2 (S2), 4 (S3), 3 (customer C4, no item) → 2/4 = 0.5; the 1 on S8 at D20 00:00 is out.
    // Q: 4 (S9), 1 (S10) → 1/2.
    expectFigure(report.support!.figures.csat, 0.5, 0.5, 4, 2);
  });

  it('SLA compliance, first response: targets due in the period that were met', () => {
    // P due: S1 D10 08:00 met, S2 D11 18:00 met, S3 (urgent, 1h) D12 09:00 missed (replied 10:00),
    // S4 D15 08:00 missed (no reply), S5 D16 20:00 missed, S6 D18 08:00 met, S8 D13 20:00 met, S13 D17 08:00 met → 5/8.
    // Q due: S9 met, S10 Mar 5 08:00 missed (replied 10:00), S11 met → 2/3 (S12's was due Feb 27).
    expectFigure(report.support!.figures.slaFirstResponse, 5 / 8, 2 / 3, 8, 3);
  });

  it('SLA compliance, resolution: targets due in the period met by the first resolution (at the due time counts)', () => {
    // P due: S1 D13 met, S2 D14 10:00 met (first resolved D12), S3 D12 16:00 missed (D13 08:00), S4 D18 missed,
    // S5 D19 12:00 missed, S8 D16 12:00 met, S11 D11 00:00 met (resolved exactly then) → 4/7.
    // S6 (due D21) and S13 (due D20 00:00 = to) are out.
    // Q due: S9 Mar 4 met, S10 Mar 8 missed (Mar 9), S12 Mar 2 12:00 missed → 1/3.
    expectFigure(report.support!.figures.slaResolution, 4 / 7, 1 / 3, 7, 3);
  });

  it('reopen rate and one-touch resolution, over items first resolved in the period', () => {
    // P resolved: S1, S2, S3, S8, S11, S13 = 6. Reopened since: S2 (D14), S13 (D22) → 2/6.
    // Fewer than 2 agent replies: all but S2 (2 replies) → 5/6.
    // Q resolved: S9, S10, S12 → none reopened 0/3; replies 1, 1, 0 → 3/3.
    expectFigure(report.support!.figures.reopenRate, 2 / 6, 0, 6, 3);
    expectFigure(report.support!.figures.oneTouch, 5 / 6, 1, 6, 3);
  });

  it('escalations received: support items created by escalation in the period', () => {
    // P: S8 (V4 escalated D13 12:00). Q: none.
    expectFigure(report.support!.figures.escalationsReceived, 1, 0, 1, 0);
  });
});

describe('support KPIs, per agent', () => {
  it('lists the support agents with their own figures', () => {
    expect(report.support!.agents!.map((a) => a.handle)).toEqual(['cleo', 'sam']);
  });

  it('cleo', () => {
    const f = agent('support', 'cleo');
    // Volume P: S1, S2, S6, S8, S13 = 5; Q: S9, S11 = 2. Backlog at D20: S6 → 1; at D10: S11 → 1.
    expectFigure(f.volume, 5, 2, 5, 2);
    expectFigure(f.backlog, 1, 1, 1, 1);
    // FRT P: [3600 (S1), 3600 (S13), 7200 (S2), 7200 (S8), 14400 (S6)]: median rank 3 → 7200, p90 rank ceil(4.5) = 5 → 14400.
    // Q: [3600 (S11), 7200 (S9)]: median rank 1 → 3600, p90 rank 2 → 7200.
    expectFigure(f.firstResponseMedian, 7200, 3600, 5, 2);
    expectFigure(f.firstResponseP90, 14400, 7200, 5, 2);
    // Resolution P: [18000, 86400 (S2), 86400 (S8), 172800, 259200]: median rank 3 → 86400, p90 rank 5 → 259200. Q: S9 86400.
    expectFigure(f.resolutionMedian, 86400, 86400, 5, 1);
    expectFigure(f.resolutionP90, 259200, 86400, 5, 1);
    // CSAT P: 5 (S1), 2 (S2) → 1/2. Q: 4 (S9) → 1/1.
    expectFigure(f.csat, 0.5, 1, 2, 1);
    // SLA FR P: S1, S2, S6, S8, S13 all met → 5/5; Q: S9, S11 → 2/2. Resolution P: S1, S2, S8, S11 → 4/4; Q: S9 → 1/1.
    expectFigure(f.slaFirstResponse, 1, 1, 5, 2);
    expectFigure(f.slaResolution, 1, 1, 4, 1);
    // Resolved P: S1, S2, S8, S11, S13: reopened S2, S13 → 2/5; one-touch S1, S8, S11, S13 → 4/5. Q: S9 → 0/1, 1/1.
    expectFigure(f.reopenRate, 0.4, 0, 5, 1);
    expectFigure(f.oneTouch, 0.8, 1, 5, 1);
    expectFigure(f.escalationsReceived, 1, 0, 1, 0);
  });

  it('sam', () => {
    const f = agent('support', 'sam');
    // Volume P: S3, S4 = 2; Q: S10 = 1. Backlog D20: S4 → 1; D10: 0.
    expectFigure(f.volume, 2, 1, 2, 1);
    expectFigure(f.backlog, 1, 0, 1, 0);
    // FRT P: S3 7200; Q: S10 36000. Resolution P: S3 86400; Q: [345600 (S10), 864000 (S12)] → median rank 1, p90 rank 2.
    expectFigure(f.firstResponseMedian, 7200, 36000, 1, 1);
    expectFigure(f.resolutionMedian, 86400, 345600, 1, 2);
    expectFigure(f.resolutionP90, 86400, 864000, 1, 2);
    // CSAT P: 4 (S3) → 1/1; Q: 1 (S10) → 0/1.
    expectFigure(f.csat, 1, 0, 1, 1);
    // SLA FR P: S3 missed, S4 missed → 0/2; Q: S10 missed → 0/1. Resolution P: S3, S4 missed → 0/2; Q: S10, S12 → 0/2.
    expectFigure(f.slaFirstResponse, 0, 0, 2, 1);
    expectFigure(f.slaResolution, 0, 0, 2, 2);
    // Resolved P: S3 (not reopened, 1 reply) → 0/1, 1/1; Q: S10, S12 → 0/2, 2/2.
    expectFigure(f.reopenRate, 0, 0, 1, 2);
    expectFigure(f.oneTouch, 1, 1, 1, 2);
    expectFigure(f.escalationsReceived, 0, 0, 0, 0);
  });
});

describe('service KPIs, team', () => {
  it('NPS: % promoters − % detractors over responses in the period', () => {
    // P: 10 (V1), 6 (V2), 9 (C9, no item), 7 (V5) → promoters 2, detractors 1 → 100 × (2 − 1) / 4 = 25.
    // Q: 9 (V7), 0 (V8) → 100 × (1 − 1) / 2 = 0.
    expectFigure(report.service!.figures.nps, 25, 0, 4, 2);
  });

  it('repeat purchase rate: customers with 2+ orders in the period ÷ customers with 1+ (an order at `to` is out)', () => {
    // P: C1 (30, 20), C2 (200) → 1/2; C3's order at D20 00:00 is out. Q: C1 (50), C2 (10, 15), C4 (25) → 1/3.
    expectFigure(report.service!.figures.repeatPurchaseRate, 0.5, 1 / 3, 2, 3);
  });

  it('customer lifetime value, average order value and orders per customer, over all orders before `to`', () => {
    // Before D20: 100 + 50 + 30 + 20 (C1) + 200 + 10 + 15 (C2) + 25 (C4) = 450 over 8 orders, 3 customers.
    // CLV 450 / 3 = 150; AOV 450 / 8 = 56.25; orders per customer 8 / 3.
    // Before D10: 100 + 50 (C1) + 10 + 15 (C2) + 25 (C4) = 200 over 5 orders, 3 customers → 200/3, 40, 5/3.
    expectFigure(report.service!.figures.customerLifetimeValue, 150, 200 / 3, 3, 3);
    expectFigure(report.service!.figures.averageOrderValue, 56.25, 40, 8, 5);
    expectFigure(report.service!.figures.ordersPerCustomer, 8 / 3, 5 / 3, 3, 3);
  });

  it('follow-ups on time: outbound service items due in the period resolved by their due time (due at `from` counts)', () => {
    // P due: V9 D10 00:00 (resolved Mar 9) on time, V1 D12 (resolved D11) on time, V2 D14 (resolved D15) late,
    // V3 D16 never resolved → 2/4. V6's default due (D24) is out. Q due: V7 Mar 3 (resolved Mar 2) → 1/1.
    expectFigure(report.service!.figures.followUpsOnTime, 0.5, 1, 4, 1);
  });

  it('first response time of service items', () => {
    // P: V4 6h = 21600, V5 2h = 7200, V6 1h = 3600 (from the customer's message D17 10:00, not the agent's opening)
    // → [3600, 7200, 21600]: median 7200, p90 rank ceil(2.7) = 3 → 21600. Q: V8 12h = 43200.
    expectFigure(report.service!.figures.firstResponseMedian, 7200, 43200, 3, 1);
    expectFigure(report.service!.figures.firstResponseP90, 21600, 43200, 3, 1);
  });

  it('escalation rate: service items created in the period that were escalated', () => {
    // P created: V1, V2, V3, V4, V5, V6 = 6; escalated: V4 → 1/6. Q: V7, V8, V9 → 0/3.
    expectFigure(report.service!.figures.escalationRate, 1 / 6, 0, 6, 3);
  });

  it('at-risk customers in the 30 days before `to`, each with its reasons', () => {
    // Window [Feb 18, D20): C2 bob CSAT 2 + NPS 6; C7 gus CSAT 1 + NPS 0; C1 alice 3 support items (S9, S1, S13);
    // C3 carol 3 support items (S3, S4, S5). C5 erin has S11, S6 and S7 — but S7 is at `to`, so 2: not at risk.
    // Previous (window [Jan 29, D10)): C7 (CSAT 1 on Mar 9, NPS 0 on Mar 5) only; alice's S1 is at D10 = out.
    expectFigure(report.service!.figures.atRiskCustomers, 4, 1, 4, 1);
    // Order: most reasons first (bob, gus: 2; by id), then most support items, then id (alice 1, carol 3).
    expect(report.service!.atRisk.map((r) => r.name)).toEqual(['bob', 'gus', 'alice', 'carol']);
    expect(report.service!.atRisk[0]).toEqual({
      customerId: 2,
      name: 'bob',
      email: 'bob@example.com',
      openFollowUpId: null,
      reasons: [
        { kind: 'csat', score: 2, at: '2026-03-12T12:00:00.000Z' },
        { kind: 'nps', score: 6, at: '2026-03-15T00:00:00.000Z' },
      ],
    });
    expect(report.service!.atRisk[2]!.reasons).toEqual([{ kind: 'support_items', count: 3 }]);
  });
});

describe('service KPIs, per agent', () => {
  it('lists the service agents, without the business-wide figures', () => {
    expect(report.service!.agents!.map((a) => a.handle)).toEqual(['ana', 'sam']);
    expect(Object.keys(agent('service', 'ana'))).toEqual([
      'nps',
      'followUpsOnTime',
      'firstResponseMedian',
      'firstResponseP90',
      'escalationRate',
    ]);
  });

  it('ana', () => {
    const f = agent('service', 'ana');
    // NPS P: 10 (V1), 6 (V2) → 100 × (1 − 1) / 2 = 0; Q: 9 (V7) → 100.
    expectFigure(f.nps, 0, 100, 2, 1);
    // Follow-ups P: V1 on time, V2 late → 1/2; Q: V7 → 1/1.
    expectFigure(f.followUpsOnTime, 0.5, 1, 2, 1);
    // FRT P: [3600 (V6), 21600 (V4)] → median rank 1 → 3600, p90 rank 2 → 21600. Q: none → null.
    expectFigure(f.firstResponseMedian, 3600, null, 2, 0);
    expectFigure(f.firstResponseP90, 21600, null, 2, 0);
    // Escalation P: V1, V2, V4, V6 created, V4 escalated → 1/4; Q: V7 → 0/1.
    expectFigure(f.escalationRate, 0.25, 0, 4, 1);
  });

  it('sam', () => {
    const f = agent('service', 'sam');
    // NPS P: 7 (V5) → 0 promoters, 0 detractors → 0; Q: 0 (V8) → −100.
    expectFigure(f.nps, 0, -100, 1, 1);
    // Follow-ups P: V9 on time, V3 not resolved → 1/2; Q: none due → null.
    expectFigure(f.followUpsOnTime, 0.5, null, 2, 0);
    // FRT P: V5 7200; Q: V8 43200.
    expectFigure(f.firstResponseMedian, 7200, 43200, 1, 1);
    // Escalation P: V3, V5 → 0/2; Q: V8, V9 → 0/2.
    expectFigure(f.escalationRate, 0, 0, 2, 2);
  });
});

describe('limiting to one agent', () => {
  it("gives that agent's figures as the panel, and leaves out the business-wide ones", async () => {
    const r = await computeKpis(env.ctx, { role: 'all', period: P, agent: 'cleo' });
    expect(r.agent).toBe('cleo');
    expect(r.support!.figures).toEqual(agent('support', 'cleo'));
    expect(r.service!.figures.customerLifetimeValue).toBeUndefined();
    expect(r.service!.atRisk).toEqual([]);
    // cleo's backlog at each day's end: S11 until D11 00:00 (not yet resolved at the end of D10), then S2 (D11–D12),
    // S8 (D13), S2 reopened (D14), none (D15–D16), S13 (D17–D18), S6 (D19).
    expect(r.support!.series.backlog!.map((p) => p.value)).toEqual([1, 1, 0, 1, 1, 0, 0, 1, 2, 1]);
  });
});

describe('daily series', () => {
  it("has one point per UTC day of the period, each computed with the figure's formula over that day", () => {
    const s = report.support!.series;
    expect(s.volume!.map((p) => p.date)).toEqual(periodDays(P));
    expect(s.volume!).toHaveLength(10);
    // Created per day: D10 S1, D11 S2, D12 S3, D13 S8, D15 S4, D16 S5, D17 S13, D18 S6.
    expect(s.volume!.map((p) => p.value)).toEqual([1, 1, 1, 1, 0, 1, 1, 1, 1, 0]);
    // First responses per day: D10 S1 3600; D11 S2 7200; D12 S3 7200; D13 S8 7200; D17 S13 3600; D18 S6 14400.
    expect(s.firstResponseMedian!.map((p) => p.value)).toEqual([3600, 7200, 7200, 7200, null, null, null, 3600, 14400, null]);
    // CSAT per day: D11 5 → 1; D12 2 → 0; D14 4 → 1; D15 3 → 0.
    expect(s.csat!.map((p) => p.value)).toEqual([null, 1, 0, null, 1, 0, null, null, null, null]);
  });

  it('gives the backlog at the end of each day, ending at the backlog figure', () => {
    // End of D10: S11 (S1 resolved D10 05:00) = 1. D11: S11 resolved D11 00:00, S2 open → 1. D12: S2 resolved 10:00,
    // S3 open → 1. D13: S3 resolved 08:00, S8 open → 1. D14: S8 resolved 12:00, S2 reopened 09:00 → 1.
    // D15: S2 resolved 10:00, S4 open → 1. D16: S4, S5 → 2. D17: S4, S5, S13 → 3. D18: + S6 → 4.
    // D19: S13 resolved → 3.
    expect(report.support!.series.backlog!.map((p) => p.value)).toEqual([1, 1, 1, 1, 1, 1, 2, 3, 4, 3]);
    expect(report.support!.series.backlog!.at(-1)!.value).toBe(report.support!.figures.backlog!.value);
  });

  it("cuts the first and last day at the period's edges when it does not start at midnight", async () => {
    // [D12 12:00, D14 12:00): days D12 (from 12:00), D13, D14 (until 12:00). Created: S8 (D13 12:00) only —
    // S3 was created D12 08:00, before the period. Backlog at D13 00:00: S3 (resolved D13 08:00) → 1;
    // at D14 00:00: S8 → 1; at D14 12:00: S2 (reopened D14 09:00) and S8, resolved at 12:00 exactly — a resolution
    // at `to` belongs to the next period, so S8 is still in the backlog at `to` → 2.
    const r = await computeKpis(env.ctx, { role: 'support', period: { from: '2026-03-12T12:00:00.000Z', to: '2026-03-14T12:00:00.000Z' } });
    expect(r.support!.series.volume!.map((p) => [p.date, p.value])).toEqual([
      ['2026-03-12', 0],
      ['2026-03-13', 1],
      ['2026-03-14', 0],
    ]);
    expect(r.support!.figures.volume!.value).toBe(1);
    expect(r.support!.series.backlog!.map((p) => p.value)).toEqual([1, 1, 2]);
    expect(r.support!.figures.backlog!.value).toBe(2);
  });

  it('service series: NPS and follow-ups per day', () => {
    const s = report.service!.series;
    // NPS: D12 10 → 100; D15 6 → −100; D16 9 → 100; D17 7 → 0.
    expect(s.nps!.map((p) => p.value)).toEqual([null, null, 100, null, null, -100, 100, 0, null, null]);
    // Follow-ups due: D10 V9 on time → 1; D12 V1 → 1; D14 V2 late → 0; D16 V3 → 0.
    expect(s.followUpsOnTime!.map((p) => p.value)).toEqual([1, null, 1, null, 0, null, 0, null, null, null]);
  });
});

describe('an empty period', () => {
  it('gives null for every rate, time and average, and 0 for counts — never a division by zero', async () => {
    const r = await computeKpis(env.ctx, { role: 'all', period: { from: '2025-01-01T00:00:00.000Z', to: '2025-01-11T00:00:00.000Z' } });
    const s = r.support!.figures;
    const v = r.service!.figures;
    for (const key of [
      'firstResponseMedian',
      'firstResponseP90',
      'resolutionMedian',
      'resolutionP90',
      'csat',
      'slaFirstResponse',
      'slaResolution',
      'reopenRate',
      'oneTouch',
    ]) {
      expect(s[key], key).toEqual({ value: null, previous: null, change: null, count: 0, previousCount: 0 });
    }
    for (const key of [
      'nps',
      'repeatPurchaseRate',
      'customerLifetimeValue',
      'averageOrderValue',
      'ordersPerCustomer',
      'followUpsOnTime',
      'firstResponseMedian',
      'escalationRate',
    ]) {
      expect(v[key], key).toEqual({ value: null, previous: null, change: null, count: 0, previousCount: 0 });
    }
    for (const key of ['volume', 'backlog', 'escalationsReceived']) expect(s[key]!.value, key).toBe(0);
    expect(v.atRiskCustomers!.value).toBe(0);
    expect(r.support!.series.csat!.every((p) => p.value === null)).toBe(true);
  });
});

describe('targets not yet due', () => {
  it('counts a target as fallen due only once its time has come', async () => {
    // With "now" at D17 12:00, the period's SLA targets due after then are not counted yet:
    // first response due ≤ D17 12:00: S1, S2, S3, S4, S5, S8, S13 (D17 08:00) → 7 (S6's D18 08:00 is not yet).
    env.clock.set('2026-03-17T12:00:00.000Z');
    try {
      const r = await computeKpis(env.ctx, { role: 'support', period: P, series: false });
      expect(r.support!.figures.slaFirstResponse!.count).toBe(7);
    } finally {
      env.clock.set(NOW);
    }
  });
});

describe('periods', () => {
  it('resolves --last, --from/--to, and refuses empty or mixed periods', () => {
    const clock = () => new Date(NOW);
    expect(resolvePeriod({ last: '7d' }, clock)).toEqual({ from: '2026-03-18T00:00:00.000Z', to: NOW });
    expect(resolvePeriod({}, clock)).toEqual({ from: '2026-02-23T00:00:00.000Z', to: NOW });
    expect(resolvePeriod({ from: '2026-03-10', to: '2026-03-20' }, clock)).toEqual(P);
    expect(previousPeriod(P)).toEqual(Q);
    const kind = (f: () => unknown) => {
      try {
        f();
        return null;
      } catch (e) {
        return (e as TandemError).kind;
      }
    };
    expect(kind(() => resolvePeriod({ from: '2026-03-20', to: '2026-03-10' }, clock))).toBe('invalid');
    expect(kind(() => resolvePeriod({ from: '2026-03-20', to: '2026-03-20' }, clock))).toBe('invalid');
    expect(kind(() => resolvePeriod({ last: 'week' }, clock))).toBe('invalid');
    expect(kind(() => resolvePeriod({ last: '7d', from: '2026-03-01' }, clock))).toBe('usage');
  });
});

describe('createFollowUp', () => {
  it('makes an open outbound service follow-up for an at-risk customer, due when asked, and the at-risk list shows it', async () => {
    const item = await createFollowUp(env.ctx, fx.ana, 3, '2d');
    expect(item).toMatchObject({ role: 'service', kind: 'follow_up', direction: 'outbound', status: 'open', assignee: 'ana' });
    expect(item.customer?.email).toBe('carol@example.com');
    expect(item.sla.resolutionDueAt).toBe('2026-03-27T00:00:00.000Z');
    const list = await atRiskCustomers(env.store.db, P.to);
    expect(list.find((r) => r.customerId === 3)!.openFollowUpId).toBe(item.id);
    // A support-only agent can start one; it waits for the service team.
    const other = await createFollowUp(env.ctx, fx.cleo, 7, '2026-04-01T09:00:00Z');
    expect((await getItemView(env.store.db, other.id, env.clock.now())).assignee).toBeNull();
  });

  it('refuses a due time in the past and an unknown customer', async () => {
    await expect(createFollowUp(env.ctx, fx.ana, 3, '2026-03-01T00:00:00Z')).rejects.toMatchObject({ kind: 'invalid' });
    await expect(createFollowUp(env.ctx, fx.ana, 999, '2d')).rejects.toMatchObject({ kind: 'not_found' });
  });
});
