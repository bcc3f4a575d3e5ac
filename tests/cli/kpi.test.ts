// `tandem kpi` through the built binary, on the hand-built fixture of tests/helpers/kpi-fixture.ts
// (values worked out in tests/core/kpi.test.ts): the JSON shape and values, CSV, plain lines, bad input.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testEnv } from '../helpers/core.js';
import { buildKpiFixture } from '../helpers/kpi-fixture.js';
import { runJson, runTandem } from '../helpers/cli-inproc.js';

let db: string;
const PERIOD = ['--from', '2026-03-10T00:00:00Z', '--to', '2026-03-20T00:00:00Z'];

beforeAll(async () => {
  const env = await testEnv('2026-03-25T00:00:00.000Z');
  await buildKpiFixture(env);
  await env.store.close();
  db = env.dbPath;
});
afterAll(() => fs.rmSync(path.dirname(db), { recursive: true, force: true }));

describe('tandem kpi --json', () => {
  it('prints the documented shape: period, previous period, and per role figures with value, previous, change, count', async () => {
    const r = await runJson(['kpi', ...PERIOD, '--by', 'agent'], { db });
    expect(Object.keys(r)).toEqual(['period', 'previousPeriod', 'agent', 'support', 'service']);
    expect(r.period).toEqual({ from: '2026-03-10T00:00:00.000Z', to: '2026-03-20T00:00:00.000Z' });
    expect(r.previousPeriod).toEqual({ from: '2026-02-28T00:00:00.000Z', to: '2026-03-10T00:00:00.000Z' });
    expect(r.agent).toBeNull();
    expect(r.support.figures.volume).toEqual({ value: 8, previous: 3, change: 5, count: 8, previousCount: 3 });
    expect(r.support.figures.firstResponseMedian).toEqual({ value: 7200, previous: 7200, change: 0, count: 6, previousCount: 3 });
    expect(r.support.figures.slaResolution.value).toBeCloseTo(4 / 7, 12);
    expect(r.service.figures.nps).toEqual({ value: 25, previous: 0, change: 25, count: 4, previousCount: 2 });
    expect(r.service.figures.customerLifetimeValue).toEqual({
      value: 150,
      previous: 200 / 3,
      change: 150 - 200 / 3,
      count: 3,
      previousCount: 3,
    });
    expect(r.support.agents.map((a: any) => a.handle)).toEqual(['cleo', 'sam']);
    expect(r.support.agents[0]).toMatchObject({ handle: 'cleo', name: 'Cleo', figures: { volume: { value: 5, previous: 2 } } });
    expect(r.support.series.backlog.map((p: any) => p.value)).toEqual([1, 1, 1, 1, 1, 1, 2, 3, 4, 3]);
    expect(r.support.series.volume[0]).toEqual({ date: '2026-03-10', value: 1, count: 1 });
    expect(r.service.atRisk.map((c: any) => c.name)).toEqual(['bob', 'gus', 'alice', 'carol']);
  });

  it('limits to one role and to one agent', async () => {
    const r = await runJson(['kpi', ...PERIOD, '--role', 'support', '--agent', 'sam'], { db });
    expect(r.service).toBeUndefined();
    expect(r.agent).toBe('sam');
    expect(r.support.figures.volume).toEqual({ value: 2, previous: 1, change: 1, count: 2, previousCount: 1 });
    expect(r.support.agents).toBeUndefined();
  });

  it('gives null, not 0, for an empty period', async () => {
    const r = await runJson(['kpi', '--from', '2025-01-01T00:00:00Z', '--to', '2025-01-08T00:00:00Z', '--role', 'service'], { db });
    expect(r.service.figures.nps).toEqual({ value: null, previous: null, change: null, count: 0, previousCount: 0 });
  });
});

describe('tandem kpi --csv and plain output', () => {
  it('prints one CSV row per figure, team first (empty agent) then each agent, with raw numbers', async () => {
    const r = await runTandem(['kpi', ...PERIOD, '--by', 'agent', '--csv'], { db });
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe('role,agent,figure,value,previous,change,count,previous_count');
    expect(lines).toContain('support,,volume,8,3,5,8,3');
    expect(lines).toContain('support,,backlog,3,1,2,3,1');
    expect(lines).toContain('support,,slaFirstResponse,0.625,0.6666666666666666,-0.04166666666666663,8,3');
    expect(lines).toContain('support,cleo,volume,5,2,3,5,2');
    expect(lines).toContain('service,ana,firstResponseMedian,3600,,,2,0'); // no previous: empty cells, not 0
    expect(lines).toContain('service,,atRiskCustomers,4,1,3,4,1');
    // 12 support + 10 service team figures, 2 support agents × 12, 2 service agents × 5.
    expect(lines).toHaveLength(1 + 12 + 10 + 24 + 10);
  });

  it('prints tab-separated lines when piped', async () => {
    const r = await runTandem(['kpi', ...PERIOD, '--role', 'support'], { db });
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe('support\t\tvolume\t8\t3\t5\t8\t3');
    expect(lines).toHaveLength(12);
  });
});

describe('tandem kpi refuses bad input with one clear sentence', () => {
  const cases: [string, string[], number, RegExp][] = [
    ['an unknown role', ['--role', 'sales'], 5, /--role must be service, support or all/],
    ['--from after --to', ['--from', '2026-03-20T00:00:00Z', '--to', '2026-03-10T00:00:00Z'], 5, /period is empty/],
    ['--from equal to --to', ['--from', '2026-03-20T00:00:00Z', '--to', '2026-03-20T00:00:00Z'], 5, /period is empty/],
    ['a date that is not one', ['--from', 'someday'], 5, /not a date or time/],
    ['a bad --last', ['--last', 'week'], 5, /--last takes a number of days/],
    ['--last with --from', ['--last', '7d', '--from', '2026-03-01'], 2, /either --last or --from\/--to/],
    ['--json with --csv', ['--json', '--csv'], 2, /either --json or --csv/],
    ['--by anything but agent', ['--by', 'team'], 5, /--by takes "agent"/],
    ['an unknown agent', ['--agent', 'nobody'], 3, /no agent with handle @nobody/],
  ];
  for (const [what, args, code, message] of cases) {
    it(what, async () => {
      const r = await runTandem(['kpi', ...args], { db });
      expect(r.code).toBe(code);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(message);
      expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    });
  }
});
