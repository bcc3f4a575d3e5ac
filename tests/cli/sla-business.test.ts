// Business-hours SLAs through the built binary: calendars, `sla set --calendar`, `sla due`, `sla explain`,
// business-time KPIs in `kpi --json`, and the exit codes of bad input.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { standardAgents, testEnv } from '../helpers/core.js';
import { runJson, runTandem } from '../helpers/cli-inproc.js';
import { dropDatabase } from '../helpers/store-target.js';
import * as items from '../../src/core/items.js';
import { addCalendar } from '../../src/core/calendars.js';
import { setPolicy } from '../../src/core/sla.js';

let db: string;
let worked: number;

beforeAll(async () => {
  // A history built with a fixed clock: a ticket from Friday 6 March 2026, 16:00 in Berlin, answered and
  // put on hold Monday 10:00, the customer back Tuesday 10:00, resolved Tuesday 11:00.
  const env = await testEnv('2026-03-06T15:00:00.000Z');
  const { sam } = await standardAgents(env.ctx);
  await addCalendar(env.ctx, { name: 'office', tz: 'Europe/Berlin', hours: ['mon-fri 09:00-17:00'] });
  await setPolicy(env.ctx, { role: 'support', priority: 'high', firstResponse: '4h', resolution: '8h', calendar: 'office', pauses: 'on' });
  const item = await items.createItem(env.ctx, sam, { subject: 'Export fails', customer: 'jo@example.com', kind: 'bug', priority: 'high' });
  worked = item.id;
  env.clock.set('2026-03-09T09:00:00.000Z');
  await items.reply(env.ctx, sam, item.id, 'Which file?', { status: 'pending' });
  env.clock.set('2026-03-10T09:00:00.000Z');
  await items.customerMessage(env.ctx, item.id, 'This one');
  env.clock.set('2026-03-10T10:00:00.000Z');
  await items.resolve(env.ctx, sam, item.id);
  await env.store.close();
  db = env.dbPath;
});
afterAll(() => dropDatabase(db));

describe('tandem calendar', () => {
  it('adds, lists, shows and removes calendars, with holidays added and removed later', async () => {
    const added = await runJson(
      [
        'calendar',
        'add',
        'nights',
        '--tz',
        'America/New_York',
        '--hours',
        'mon-fri 22:00-06:00',
        '--hours',
        'sat 10:00-14:00',
        '--holiday',
        '2026-12-24..2026-12-25',
      ],
      { db },
    );
    expect(added).toEqual({
      name: 'nights',
      tz: 'America/New_York',
      hours: ['mon-fri 22:00-06:00', 'sat 10:00-14:00'],
      holidays: ['2026-12-24', '2026-12-25'],
      policies: [],
    });
    const list = await runJson(['calendar', 'list'], { db });
    expect(list.map((c: any) => [c.name, c.policies])).toEqual([
      ['nights', []],
      ['office', ['support high']],
    ]);
    await runJson(['calendar', 'holiday', 'add', 'nights', '2026-12-31'], { db });
    const after = await runJson(['calendar', 'holiday', 'remove', 'nights', '2026-12-24'], { db });
    expect(after.holidays).toEqual(['2026-12-25', '2026-12-31']);
    const plain = await runTandem(['calendar', 'show', 'nights'], { db });
    expect(plain.stdout).toContain('hours\tmon-fri 22:00-06:00; sat 10:00-14:00');
    expect((await runTandem(['calendar', 'remove', 'nights'], { db })).code).toBe(0);
    expect((await runTandem(['calendar', 'show', 'nights'], { db })).code).toBe(3);
  });

  it('refuses bad input with the documented exit codes, writing nothing', async () => {
    const dup = await runTandem(['calendar', 'add', 'office', '--tz', 'UTC', '--hours', '24/7'], { db });
    expect(dup.code).toBe(4);
    expect(dup.stderr).toMatch(/already exists/);
    const zone = await runTandem(['calendar', 'add', 'x', '--tz', 'Europe/Atlantis', '--hours', '24/7'], { db });
    expect(zone.code).toBe(5);
    expect(zone.stderr).toMatch(/unknown time zone/);
    expect((await runTandem(['calendar', 'add', 'x', '--tz', 'UTC', '--hours', 'weekdays 9-5pm'], { db })).code).toBe(5);
    expect((await runTandem(['calendar', 'holiday', 'add', 'office', '2026-02-30'], { db })).code).toBe(5);
    const used = await runTandem(['calendar', 'remove', 'office'], { db });
    expect(used.code).toBe(4);
    expect(used.stderr).toMatch(/support high/);
    expect((await runJson(['calendar', 'list'], { db })).map((c: any) => c.name)).toEqual(['office']);
  });
});

describe('tandem sla due', () => {
  it('prints the due time: Friday 16:00 plus 4 business hours is Monday 12:00, a Monday holiday makes it Tuesday', async () => {
    const r = await runTandem(['sla', 'due', '--calendar', 'office', '--from', '2026-03-06T16:00:00+01:00', '--minutes', '240'], { db });
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe('2026-03-09T11:00:00.000Z');
    await runJson(['calendar', 'holiday', 'add', 'office', '2026-03-09'], { db });
    const j = await runJson(['sla', 'due', '--calendar', 'office', '--from', '2026-03-06T16:00:00+01:00', '--minutes', '4h'], { db });
    expect(j).toEqual({
      calendar: 'office',
      tz: 'Europe/Berlin',
      from: '2026-03-06T15:00:00.000Z',
      minutes: 240,
      due: '2026-03-10T11:00:00.000Z',
      dueLocal: '2026-03-10T12:00:00.000+01:00',
    });
    await runJson(['calendar', 'holiday', 'remove', 'office', '2026-03-09'], { db });
    expect((await runTandem(['sla', 'due', '--calendar', 'office', '--from', 'yesterday', '--minutes', '60'], { db })).code).toBe(5);
    expect(
      (await runTandem(['sla', 'due', '--calendar', 'office', '--from', '2026-03-06T16:00:00Z', '--minutes', 'soon'], { db })).code,
    ).toBe(5);
    expect((await runTandem(['sla', 'due', '--calendar', 'nope', '--from', '2026-03-06T16:00:00Z', '--minutes', '60'], { db })).code).toBe(
      3,
    );
  });
});

describe('tandem sla set and list', () => {
  it('puts a policy on a calendar with pauses, by flags; unknown calendars and switches are refused', async () => {
    const p = await runJson(
      [
        'sla',
        'set',
        '--role',
        'service',
        '--priority',
        'low',
        '--first-response',
        '8h',
        '--resolution',
        '5d',
        '--calendar',
        'office',
        '--pauses',
        'on',
      ],
      { db },
    );
    expect(p).toEqual({
      role: 'service',
      priority: 'low',
      firstResponseMinutes: 480,
      resolutionMinutes: 7200,
      calendar: 'office',
      pauseWhenWaiting: true,
      recomputed: 0,
    });
    const list = await runJson(['sla', 'list'], { db });
    expect(list.find((x: any) => x.role === 'service' && x.priority === 'low')).toMatchObject({
      calendar: 'office',
      pauseWhenWaiting: true,
    });
    expect(list.find((x: any) => x.role === 'support' && x.priority === 'urgent')).toMatchObject({
      calendar: null,
      pauseWhenWaiting: false,
    });
    expect((await runTandem(['sla', 'set', 'service', 'low', '--calendar', 'nowhere'], { db })).code).toBe(3);
    expect((await runTandem(['sla', 'set', 'service', 'low', '--pauses', 'sometimes'], { db })).code).toBe(5);
    const back = await runJson(['sla', 'set', 'service', 'low', '--calendar', 'none', '--pauses', 'off'], { db });
    expect(back).toMatchObject({ calendar: null, pauseWhenWaiting: false });
  });
});

describe('tandem sla explain', () => {
  it('lists the business segments counted and the pause', async () => {
    const e = await runJson(['sla', 'explain', String(worked)], { db });
    expect(e.policy).toMatchObject({ calendar: 'office', tz: 'Europe/Berlin', hours: ['mon-fri 09:00-17:00'], pauseWhenWaiting: true });
    // Fri 16–17 and Mon 09–10 before the hold; Tue 10–11 after it.
    expect(e.segments).toEqual([
      { start: '2026-03-06T15:00:00.000Z', end: '2026-03-06T16:00:00.000Z', seconds: 3600 },
      { start: '2026-03-09T08:00:00.000Z', end: '2026-03-09T09:00:00.000Z', seconds: 3600 },
      { start: '2026-03-10T09:00:00.000Z', end: '2026-03-10T10:00:00.000Z', seconds: 3600 },
    ]);
    expect(e.pauses).toEqual([
      { status: 'pending', start: '2026-03-09T09:00:00.000Z', end: '2026-03-10T09:00:00.000Z', businessSeconds: 8 * 3600 },
    ]);
    expect(e.firstResponse).toMatchObject({ state: 'met', usedSeconds: 7200, dueAt: '2026-03-09T11:00:00.000Z' }); // Mon 12:00 CET
    expect(e.resolution).toMatchObject({ state: 'met', usedSeconds: 3 * 3600 });
    const text = await runTandem(['sla', 'explain', String(worked)], { db });
    expect(text.stdout).toMatch(/calendar office \(Europe\/Berlin\)/);
    expect(text.stdout).toMatch(/Paused \(not counted\):\n\s+pending\s+Mon 9 Mar 2026 10:00 – Tue 10 Mar 2026 10:00\s+8h business/);
    expect((await runTandem(['sla', 'explain', '999'], { db })).code).toBe(3);
  });
});

describe('tandem kpi --json with a calendar', () => {
  it('gives first response and resolution in business time beside the wall-clock figures', async () => {
    const r = await runJson(['kpi', '--role', 'support', '--from', '2026-03-01T00:00:00Z', '--to', '2026-03-15T00:00:00Z'], { db });
    const f = r.support.figures;
    expect(f.firstResponseBusinessMedian).toMatchObject({ value: 7200, count: 1 });
    expect(f.resolutionBusinessMedian).toMatchObject({ value: 3 * 3600, count: 1 });
    // Wall-clock: Friday 16:00 to Monday 10:00 is 66 hours.
    expect(f.firstResponseMedian).toMatchObject({ value: 66 * 3600, count: 1 });
    expect(f.slaFirstResponse).toMatchObject({ value: 1, count: 1 });
  });
});
