// The console's SLA column and detail line count business time when the policy has a calendar.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { standardAgents, testEnv, type TestEnv } from '../helpers/core.js';
import * as items from '../../src/core/items.js';
import { addCalendar } from '../../src/core/calendars.js';
import { setPolicy } from '../../src/core/sla.js';
import { renderConsole, type Harness } from './harness.js';
import type { Agent } from '../../src/core/agents.js';

let env: TestEnv;
let sam: Agent;
let ui: Harness | undefined;

beforeEach(async () => {
  // Friday 6 March 2026, 16:00 in Berlin.
  env = await testEnv('2026-03-06T15:00:00.000Z');
  ({ sam } = await standardAgents(env.ctx));
  await addCalendar(env.ctx, { name: 'office', tz: 'Europe/Berlin', hours: ['mon-fri 09:00-17:00'] });
  await setPolicy(env.ctx, {
    role: 'support',
    priority: 'normal',
    firstResponse: '4h',
    resolution: '16h',
    calendar: 'office',
    pauses: 'on',
  });
});
afterEach(async () => {
  ui?.unmount();
  ui = undefined;
  await env.close();
});

describe('business-hours SLA in the console', () => {
  it('counts down in business time in the list and the detail, and shows a pause', async () => {
    const item = await items.createItem(env.ctx, sam, { subject: 'Export fails', customer: 'jo@example.com', kind: 'bug' });
    await items.createItem(env.ctx, sam, { subject: 'Site down', customer: 'al@example.com', kind: 'bug', priority: 'urgent' });
    env.clock.minutes(48); // Fri 16:48: 12 business minutes left today, 3h more on Monday
    ui = await renderConsole(env, sam, { rows: 30 });
    const list = await ui.waitFor('Export fails');
    // 3h 12m of business time, though Monday 12:00 is ~67 wall-clock hours away; the wall-clock item keeps its countdown.
    expect(list).toMatch(/Export fails.*\s3h 12m\s*\n/);
    expect(list).toMatch(/Site down.*\s12m\s*\n/);
    for (let i = 0; i < 5 && !ui.cursorLine().includes('Export fails'); i++) await ui.press('j');
    await ui.press('enter');
    const detail = await ui.waitFor('── Thread');
    expect(detail).toMatch(/first response due in 3h 12m business · Mon 12:00/);
    ui.unmount();
    await items.reply(env.ctx, sam, item.id, 'Which file?', { status: 'pending' });
    ui = await renderConsole(env, sam, { rows: 30 });
    const paused = await ui.waitFor('Export fails');
    expect(paused).toMatch(/Export fails.*\spaused\s*\n/);
  });

  it('adds business-time first response and resolution to the support panel', async () => {
    const item = await items.createItem(env.ctx, sam, { subject: 'Export fails', customer: 'jo@example.com', kind: 'bug' });
    env.clock.set('2026-03-09T09:00:00.000Z'); // Monday 10:00: 2 business hours later
    await items.reply(env.ctx, sam, item.id, 'Fixed', { status: 'resolved' });
    ui = await renderConsole(env, sam, { columns: 170, rows: 70 });
    await ui.press(':');
    await ui.type('kpi 2026-03-01T00:00:00Z 2026-03-15T00:00:00Z');
    await ui.press('enter');
    const f = await ui.waitFor((fr) => fr.includes('[custom period]') && /Volume\s/.test(fr) && !fr.includes('computing…'));
    expect(f).toMatch(/Biz first resp \(median\)\s+2h\s+n=1/);
    expect(f).toMatch(/Biz resolution \(median\)\s+2h\s+n=1/);
    expect(f).toMatch(/First response \(median\)\s+2d 18h\s+n=1/);
  });
});
