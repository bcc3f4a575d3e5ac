import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { standardAgents, testEnv, type TestEnv } from '../helpers/core.js';
import * as items from '../../src/core/items.js';
import { itemEvents, getItemView } from '../../src/core/item-view.js';
import { addCalendar, changeCalendar, changeHolidays, listCalendars, removeCalendar, showCalendar } from '../../src/core/calendars.js';
import { setPolicy } from '../../src/core/sla.js';
import { businessDue, explainSla } from '../../src/core/sla-explain.js';
import { computeKpis } from '../../src/core/kpi.js';
import { TandemError } from '../../src/core/errors.js';
import { asAgent, mutateItem } from '../../src/core/item-mutate.js';
import type { Agent } from '../../src/core/agents.js';

let env: TestEnv;
let sam: Agent;

// Monday 2 March 2026, 10:00 in Berlin (CET, UTC+1).
beforeEach(async () => {
  env = await testEnv('2026-03-02T09:00:00.000Z');
  ({ sam } = await standardAgents(env.ctx));
  await addCalendar(env.ctx, { name: 'berlin', tz: 'Europe/Berlin', hours: ['mon-fri 09:00-17:00'] });
});
afterEach(async () => env.close());

async function refused(p: Promise<unknown>, kind: TandemError['kind'], match?: RegExp) {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  expect(e, 'expected the call to be refused').toBeInstanceOf(TandemError);
  expect((e as TandemError).kind).toBe(kind);
  if (match) expect((e as TandemError).message).toMatch(match);
}

const ticket = (priority = 'normal') =>
  items.createItem(env.ctx, sam, { subject: 'Broken', customer: 'jo@example.com', kind: 'bug', priority });

describe('calendars', () => {
  it('are added, listed, shown, changed and removed; names are unique and bad input writes nothing', async () => {
    await addCalendar(env.ctx, {
      name: 'ny',
      tz: 'America/New_York',
      hours: ['mon-fri 08:00-18:00', 'sat 10:00-14:00'],
      holidays: ['2026-12-24..2026-12-25'],
    });
    expect((await listCalendars(env.ctx)).map((c) => c.name)).toEqual(['berlin', 'ny']);
    expect(await showCalendar(env.ctx, 'ny')).toMatchObject({
      tz: 'America/New_York',
      hours: ['mon-fri 08:00-18:00', 'sat 10:00-14:00'],
      holidays: ['2026-12-24', '2026-12-25'],
      policies: [],
    });
    await refused(addCalendar(env.ctx, { name: 'ny', tz: 'UTC', hours: ['24/7'] }), 'conflict', /already exists/);
    await refused(addCalendar(env.ctx, { name: 'x', tz: 'Nowhere/City', hours: ['24/7'] }), 'invalid', /time zone/);
    await refused(addCalendar(env.ctx, { name: 'x', tz: 'UTC', hours: [] }), 'invalid', /business hours/);
    expect((await listCalendars(env.ctx)).map((c) => c.name)).toEqual(['berlin', 'ny']);
    await changeHolidays(env.ctx, 'ny', { add: ['2026-12-31'], remove: ['2026-12-24'] });
    expect((await showCalendar(env.ctx, 'ny')).holidays).toEqual(['2026-12-25', '2026-12-31']);
    await changeCalendar(env.ctx, 'ny', { hours: ['24/7'] });
    expect((await showCalendar(env.ctx, 'ny')).hours).toEqual(['24/7']);
    await removeCalendar(env.ctx, 'ny');
    await refused(showCalendar(env.ctx, 'ny'), 'not_found');
  });

  it('are listed alphabetically, ignoring case, the same on either store', async () => {
    // Byte order (SQLite, PostgreSQL's C collation) would put Zurich first; a locale collation might not.
    for (const name of ['Zurich', 'amsterdam', 'Ny']) await addCalendar(env.ctx, { name, tz: 'UTC', hours: ['24/7'] });
    expect((await listCalendars(env.ctx)).map((c) => c.name)).toEqual(['amsterdam', 'berlin', 'Ny', 'Zurich']);
  });

  it('cannot be removed while a policy counts in it', async () => {
    await setPolicy(env.ctx, { role: 'support', priority: 'normal', calendar: 'berlin' });
    await refused(removeCalendar(env.ctx, 'berlin'), 'conflict', /support normal/);
    await setPolicy(env.ctx, { role: 'support', priority: 'normal', calendar: 'none' });
    await removeCalendar(env.ctx, 'berlin');
  });

  it('answers "when is N business minutes after T"', async () => {
    const a = await businessDue(env.ctx, { calendar: 'berlin', from: '2026-03-06T16:00:00+01:00', minutes: '240' });
    expect(a).toMatchObject({ due: '2026-03-09T11:00:00.000Z', dueLocal: '2026-03-09T12:00:00.000+01:00', minutes: 240 });
    await refused(businessDue(env.ctx, { calendar: 'berlin', from: 'friday', minutes: '60' }), 'invalid');
    await refused(businessDue(env.ctx, { calendar: 'nope', from: '2026-03-06T16:00:00Z', minutes: '60' }), 'not_found');
  });
});

describe('business-hours policies', () => {
  it('count targets in business time; a policy without a calendar stays wall-clock', async () => {
    await setPolicy(env.ctx, { role: 'support', priority: 'normal', firstResponse: '4h', resolution: '16h', calendar: 'berlin' });
    // Friday 6 March 16:00 CET.
    env.clock.set('2026-03-06T15:00:00.000Z');
    const item = await ticket();
    expect(item.sla.firstResponseDueAt).toBe('2026-03-09T11:00:00.000Z'); // Monday 12:00
    expect(item.sla.resolutionDueAt).toBe('2026-03-10T15:00:00.000Z'); // 1h Fri + 8h Mon + 7h Tue → Tue 16:00 CET
    const urgent = await ticket('urgent'); // support urgent: 1h / 8h wall-clock, as before
    expect(urgent.sla.firstResponseDueAt).toBe('2026-03-06T16:00:00.000Z');
    expect(urgent.sla.business).toBeNull();
    // The view counts down in business time: Monday 12:00 is 4 business hours away (66 wall-clock hours).
    expect(item.sla.business).toMatchObject({ calendar: 'berlin', tz: 'Europe/Berlin', leftSeconds: 4 * 3600, paused: false });
  });

  it('a new holiday moves the due times of open items, with an event saying why', async () => {
    await setPolicy(env.ctx, { role: 'support', priority: 'normal', firstResponse: '4h', resolution: '16h', calendar: 'berlin' });
    env.clock.set('2026-03-06T15:00:00.000Z');
    const item = await ticket();
    const done = await ticket();
    await items.resolve(env.ctx, sam, done.id);
    const r = await changeHolidays(env.ctx, 'berlin', { add: ['2026-03-09'] });
    expect(r.recomputed).toBe(1);
    const after = await getItemView(env.store.db, item.id, env.clock.now());
    expect(after.sla.firstResponseDueAt).toBe('2026-03-10T11:00:00.000Z'); // Tuesday 12:00 now
    expect(after.version).toBe(item.version + 1);
    const last = (await itemEvents(env.store.db, item.id)).at(-1)!;
    expect(last).toMatchObject({ type: 'sla', author: { type: 'system' } });
    expect(String(last.data!.reason)).toMatch(/holidays/);
    // A resolved item keeps the due times it was judged by.
    expect((await getItemView(env.store.db, done.id, env.clock.now())).sla.firstResponseDueAt).toBe(done.sla.firstResponseDueAt);
  });

  it("a role change takes the new role's policy (applyChange recomputes for any writer)", async () => {
    await setPolicy(env.ctx, { role: 'support', priority: 'normal', firstResponse: '4h', resolution: '16h', calendar: 'berlin' });
    env.clock.set('2026-03-06T15:00:00.000Z'); // Fri 16:00 CET
    const item = await ticket();
    expect(item.sla.firstResponseDueAt).toBe('2026-03-09T11:00:00.000Z');
    const moved = await mutateItem(env.ctx, item.id, asAgent(sam), {}, () => ({
      set: { role: 'service' },
      events: [{ type: 'note', body: 'moving to service' }],
    }));
    // service normal: 24h / 7 days of wall-clock time.
    expect(moved.item.sla.firstResponseDueAt).toBe('2026-03-07T15:00:00.000Z');
    expect(moved.item.sla.resolutionDueAt).toBe('2026-03-13T15:00:00.000Z');
  });

  it('giving a policy a calendar recomputes its open items', async () => {
    env.clock.set('2026-03-06T15:00:00.000Z');
    const item = await ticket();
    expect(item.sla.firstResponseDueAt).toBe('2026-03-06T23:00:00.000Z'); // 8h wall-clock
    const p = await setPolicy(env.ctx, { role: 'support', priority: 'normal', calendar: 'berlin' });
    expect(p).toMatchObject({ calendar: 'berlin', recomputed: 1 });
    expect((await getItemView(env.store.db, item.id, env.clock.now())).sla.firstResponseDueAt).toBe('2026-03-09T15:00:00.000Z'); // Mon 16:00
  });
});

describe('pauses', () => {
  beforeEach(async () => {
    await setPolicy(env.ctx, {
      role: 'support',
      priority: 'normal',
      firstResponse: '2h',
      resolution: '8h',
      calendar: 'berlin',
      pauses: 'on',
    });
    await setPolicy(env.ctx, {
      role: 'support',
      priority: 'high',
      firstResponse: '1h',
      resolution: '4h',
      calendar: 'berlin',
      pauses: 'on',
    });
  });

  it('pending time does not count; the priority changing during the pause takes effect when it ends', async () => {
    const item = await ticket(); // Mon 10:00 CET
    expect(item.sla.resolutionDueAt).toBe('2026-03-03T09:00:00.000Z'); // 7h Monday + 1h Tuesday → Tue 10:00
    env.clock.hours(1); // Mon 11:00: answered, waiting on the customer
    const waiting = await items.reply(env.ctx, sam, item.id, 'Can you send a screenshot?', { status: 'pending' });
    expect(waiting.item.sla.resolutionDueAt).toBeNull();
    expect(waiting.item.sla.business).toMatchObject({ paused: true });
    env.clock.hours(4); // Mon 15:00, still paused: the priority goes up
    const raised = await items.setPriority(env.ctx, sam, item.id, 'high');
    expect(raised.item.sla.resolutionDueAt).toBeNull();
    expect(raised.item.sla.firstResponseDueAt).toBe('2026-03-02T10:00:00.000Z'); // high: 1h from the first message
    env.clock.set('2026-03-03T09:00:00.000Z'); // Tue 10:00: the customer writes back
    const back = await items.customerMessage(env.ctx, item.id, 'Here it is');
    expect(back.item.status).toBe('open');
    // 1 business hour counted before the pause; high's 4h leaves 3h from Tue 10:00 → 13:00 CET.
    expect(back.item.sla.resolutionDueAt).toBe('2026-03-03T12:00:00.000Z');
    env.clock.hours(2); // Tue 12:00
    const resolved = await items.resolve(env.ctx, sam, item.id);
    expect(resolved.item.sla.state).toBe('met');
    const explained = await explainSla(env.ctx, item.id);
    expect(explained.segments.map((s) => [s.start, s.end])).toEqual([
      ['2026-03-02T09:00:00.000Z', '2026-03-02T10:00:00.000Z'],
      ['2026-03-03T09:00:00.000Z', '2026-03-03T11:00:00.000Z'],
    ]);
    expect(explained.pauses).toEqual([
      { status: 'pending', start: '2026-03-02T10:00:00.000Z', end: '2026-03-03T09:00:00.000Z', businessSeconds: 6 * 3600 + 3600 },
    ]);
    expect(explained.resolution).toMatchObject({ state: 'met', usedSeconds: 3 * 3600, targetMinutes: 240 });
    const row = await env.store.db
      .selectFrom('items')
      .select(['resolution_business_secs', 'first_response_business_secs'])
      .where('id', '=', item.id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ resolution_business_secs: 3 * 3600, first_response_business_secs: 3600 });
  });

  it('a snooze over the weekend pauses until it wakes', async () => {
    env.clock.set('2026-03-06T14:00:00.000Z'); // Fri 15:00 CET
    const item = await ticket();
    env.clock.hours(1); // Fri 16:00
    await items.snooze(env.ctx, sam, item.id, '2026-03-09T10:00:00.000Z'); // until Mon 11:00
    // While snoozed the due time already counts the snooze to its end: 1h Friday, then Mon 11:00 + 7h → Tue 10:00.
    const snoozed = await getItemView(env.store.db, item.id, env.clock.now());
    expect(snoozed.sla.resolutionDueAt).toBe('2026-03-10T09:00:00.000Z');
    env.clock.set('2026-03-09T10:30:00.000Z'); // woken half an hour late: the pause still ends at 11:00
    expect(await items.wakeSnoozed(env.ctx)).toBe(1);
    expect((await getItemView(env.store.db, item.id, env.clock.now())).sla.resolutionDueAt).toBe('2026-03-10T09:00:00.000Z');
  });

  it('the switch is per policy: without it pending time counts', async () => {
    await setPolicy(env.ctx, { role: 'support', priority: 'normal', pauses: 'off' });
    const item = await ticket();
    env.clock.hours(1);
    const waiting = await items.setStatus(env.ctx, sam, item.id, 'pending');
    expect(waiting.item.sla.resolutionDueAt).toBe(item.sla.resolutionDueAt);
    await refused(setPolicy(env.ctx, { role: 'support', priority: 'normal', pauses: 'maybe' }), 'invalid', /on or off/);
  });
});

describe('KPIs in business time', () => {
  it('add business-time first response and resolution where a calendar applies; wall-clock figures are unchanged', async () => {
    const before = await computeKpis(env.ctx, {
      role: 'support',
      period: { from: '2026-03-01T00:00:00.000Z', to: '2026-03-15T00:00:00.000Z' },
      series: false,
    });
    expect(before.support!.figures.firstResponseBusinessMedian).toBeUndefined();
    await setPolicy(env.ctx, { role: 'support', priority: 'normal', firstResponse: '4h', resolution: '16h', calendar: 'berlin' });
    env.clock.set('2026-03-06T15:00:00.000Z'); // Fri 16:00 CET
    const a = await ticket();
    env.clock.set('2026-03-09T09:00:00.000Z'); // Mon 10:00 CET: 2 business hours, 66 wall-clock hours later
    await items.reply(env.ctx, sam, a.id, 'On it');
    await items.resolve(env.ctx, sam, a.id);
    const urgent = await ticket('urgent'); // wall-clock policy: no business figure
    env.clock.minutes(30);
    await items.reply(env.ctx, sam, urgent.id, 'On it');
    const k = await computeKpis(env.ctx, {
      role: 'support',
      period: { from: '2026-03-01T00:00:00.000Z', to: '2026-03-15T00:00:00.000Z' },
      series: false,
    });
    const f = k.support!.figures;
    expect(f.firstResponseBusinessMedian).toMatchObject({ value: 2 * 3600, count: 1 });
    expect(f.resolutionBusinessMedian).toMatchObject({ value: 2 * 3600, count: 1 });
    // The wall-clock figures still count both items in wall-clock time.
    expect(f.firstResponseMedian!.count).toBe(2);
    expect(f.resolutionMedian).toMatchObject({ value: 66 * 3600, count: 1 });
    // SLA compliance reads the business due times: Monday 12:00 was met.
    env.clock.set('2026-03-14T00:00:00.000Z');
    const later = await computeKpis(env.ctx, {
      role: 'support',
      period: { from: '2026-03-01T00:00:00.000Z', to: '2026-03-15T00:00:00.000Z' },
      series: false,
    });
    expect(later.support!.figures.slaFirstResponse).toMatchObject({ value: 1, count: 2 });
  });
});
