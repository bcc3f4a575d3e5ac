// The console's KPI view on the hand-built KPI fixture (tests/helpers/kpi-fixture.ts): the panels show the
// values worked out by hand in tests/core/kpi.test.ts for P = [D10, D20) against Q = [Feb 28, D10).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeCtx } from '../../src/core/context.js';
import { addCustomer } from '../../src/core/customers.js';
import { getItemView, itemEvents } from '../../src/core/item-view.js';
import { addSurvey } from '../../src/core/surveys.js';
import * as items from '../../src/core/items.js';
import { openStore } from '../../src/store/open.js';
import type { Store } from '../../src/store/store.js';
import { commandForKey, commandsFor, hintsFor } from '../../src/tui/keymap.js';
import { squeeze } from '../../src/tui/kpi-lines.js';
import { testEnv, type TestEnv } from '../helpers/core.js';
import { buildKpiFixture, NOW, type Fixture } from '../helpers/kpi-fixture.js';
import { renderConsole, type Harness } from './harness.js';

let env: TestEnv;
let fx: Fixture;
let ui: Harness | undefined;
let other: Store | undefined;

beforeEach(async () => {
  env = await testEnv(NOW);
  fx = await buildKpiFixture(env);
});
afterEach(async () => {
  ui?.unmount();
  ui = undefined;
  await other?.close();
  other = undefined;
  await env.close();
});

/** Open the KPI view on the fixture's period P through the command line. */
async function openOnP(h: Harness): Promise<string> {
  await h.press(':');
  await h.type('kpi 2026-03-10T00:00:00Z 2026-03-20T00:00:00Z');
  await h.press('enter');
  return h.waitFor((f) => f.includes('[custom period]') && /Volume\s/.test(f) && !f.includes('computing…'));
}

/** The panel row of a figure: the part of a frame line from its label to the panel's edge. */
function row(frame: string, label: string): string {
  for (const line of frame.split('\n')) {
    for (const part of line.split(/ │ ?/)) if (part.startsWith(label + ' ')) return part.trimEnd();
  }
  throw new Error(`no row "${label}" in:\n${frame}`);
}

const lineOf = (frame: string, re: RegExp) => frame.split('\n').findIndex((l) => re.test(l));

describe('the KPI panels', () => {
  it("show the fixture period's figures, each with n and the change against the previous period", async () => {
    ui = await renderConsole(env, fx.sam, { columns: 170, rows: 70 });
    const f = await openOnP(ui);
    expect(f).toContain('2026-03-10 00:00 → 2026-03-20 00:00');
    // Support (tests/core/kpi.test.ts has the working).
    expect(row(f, 'Volume')).toMatch(/^Volume\s+8\s+n=8\s+↑ \+5\b/);
    expect(row(f, 'Backlog')).toMatch(/\s3\s+n=3\s+↑ \+2\b/);
    expect(row(f, 'First response (median)')).toMatch(/\s2h\s+n=6\s+→ =/);
    expect(row(f, 'First response (p90)')).toMatch(/\s4h\s+n=6\s+↓ −6h$/);
    expect(row(f, 'Resolution (median)')).toMatch(/\s1d\s+n=6\s+↓ −3d\b/);
    expect(row(f, 'Resolution (p90)')).toMatch(/\s3d\s+n=6\s+↓ −7d\b/);
    expect(row(f, 'CSAT')).toMatch(/^CSAT\s+50\.0%\s+n=4\s+→ =/);
    expect(row(f, 'SLA first response')).toMatch(/\s62\.5%\s+n=8\s+↓ −4\.2 pts/);
    expect(row(f, 'SLA resolution')).toMatch(/\s57\.1%\s+n=7\s+↑ \+23\.8 pts/);
    expect(row(f, 'Reopen rate')).toMatch(/\s33\.3%\s+n=6\s+↑ \+33\.3 pts/);
    expect(row(f, 'One-touch resolution')).toMatch(/\s83\.3%\s+n=6\s+↓ −16\.7 pts/);
    expect(row(f, 'Escalations received')).toMatch(/\s1\s+n=1\s+↑ \+1$/);
    // Service.
    expect(row(f, 'NPS')).toMatch(/^NPS\s+\+25\.0\s+n=4\s+↑ \+25\.0/);
    expect(row(f, 'Repeat purchase rate')).toMatch(/\s50\.0%\s+n=2\s+↑ \+16\.7 pts/);
    expect(row(f, 'Customer lifetime value')).toMatch(/\s\$150\.00\s+n=3\s+↑ \+\$83\.33/);
    expect(row(f, 'Average order value')).toMatch(/\s\$56\.25\s+n=8\s+↑ \+\$16\.25/);
    expect(row(f, 'Orders per customer')).toMatch(/\s2\.67\s+n=3\s+↑ \+1\.00/);
    expect(row(f, 'Follow-ups on time')).toMatch(/\s50\.0%\s+n=4\s+↓ −50\.0 pts/);
    expect(row(f, 'Escalation rate')).toMatch(/\s16\.7%\s+n=6\s+↑ \+16\.7 pts/);
    expect(row(f, 'At-risk customers')).toMatch(/\s4\s+n=4\s+↑ \+3$/);
    // Both titles on one line: side by side; sam has both roles, support first.
    expect(f).toMatch(/^Support\s.*│ Service/m);
  });

  it("draw a sparkline of each headline figure's daily series", async () => {
    ui = await renderConsole(env, fx.sam, { columns: 170, rows: 70 });
    const f = await openOnP(ui);
    // Volume per day [1,1,1,1,0,1,1,1,1,0]: top bar on days with an item, the floor on the empty ones.
    expect(row(f, 'Volume')).toMatch(/████▁████▁$/);
    // Backlog at each day's end [1,1,1,1,1,1,2,3,4,3].
    expect(row(f, 'Backlog')).toMatch(/▁▁▁▁▁▁▃▆█▆$/);
    // Business-wide figures have no series.
    expect(row(f, 'Customer lifetime value')).toMatch(/\+\$83\.33$/);
  });

  it("fit a long series into the sparkline's columns by averaging neighbouring days, gaps staying gaps", () => {
    const points = (values: (number | null)[]) => values.map((value, i) => ({ date: `d${i}`, value, count: 1 }));
    expect(squeeze(points([1, 2, 3]), 5)).toEqual([1, 2, 3]);
    expect(squeeze(points([1, 3, 5, 7, null, null, 2, null]), 4)).toEqual([2, 6, null, 2]);
    expect(squeeze(points(Array.from({ length: 90 }, () => 1)), 30)).toHaveLength(30);
  });

  it('colour a change by whether it is good for that figure', async () => {
    ui = await renderConsole(env, fx.sam, { columns: 170, rows: 70, colour: 1 });
    const f = await openOnP(ui);
    const red = '\u001b[31m';
    const green = '\u001b[32m';
    // NPS up is good, escalation rate up is bad, first response p90 down is good, volume up is bad.
    expect(f).toMatch(new RegExp(`${green.replace('[', '\\[')} *↑ \\+25\\.0`));
    expect(f).toMatch(new RegExp(`${red.replace('[', '\\[')} *↑ \\+16\\.7 pts`));
    expect(f).toMatch(new RegExp(`${green.replace('[', '\\[')} *↓ −6h`));
    expect(f).toMatch(new RegExp(`${red.replace('[', '\\[')} *↑ \\+5`));
  });

  it('have a per-agent table under each panel', async () => {
    ui = await renderConsole(env, fx.sam, { columns: 170, rows: 70 });
    const f = await openOnP(ui);
    expect(f).toMatch(/^Support by agent\s.*│ Service by agent/m);
    // cleo: volume 5, backlog 1, first response 2h, resolution 1d, CSAT 50%; sam (support): 2, 1, 2h, 1d, 100%.
    expect(row(f, '@cleo')).toMatch(/^@cleo\s+5\s+1\s+2h\s+1d\s+50\.0%\s+100\.0%\s+100\.0%/);
    expect(f).toMatch(/^@sam\s+2\s+1\s+2h\s+1d\s+100\.0%\s+0\.0%\s+0\.0%/m);
    // ana (service): NPS 0, follow-ups 50%, first response 1h, escalation rate 25%.
    expect(row(f, '@ana')).toMatch(/^@ana\s+0\.0\s+50\.0%\s+1h\s+25\.0%$/);
  });

  it('show — for figures with nothing to measure', async () => {
    ui = await renderConsole(env, fx.sam, { columns: 170, rows: 70 });
    await ui.press(':');
    await ui.type('kpi 2025-01-01T00:00:00Z 2025-01-11T00:00:00Z');
    await ui.press('enter');
    const f = await ui.waitFor((fr) => fr.includes('2025-01-01 00:00 → 2025-01-11 00:00') && !fr.includes('computing…'));
    expect(row(f, 'CSAT')).toMatch(/^CSAT\s+—\s+n=0\s+—/);
    expect(row(f, 'NPS')).toMatch(/^NPS\s+—\s+n=0\s+—/);
    expect(row(f, 'Volume')).toMatch(/^Volume\s+0\s+n=0\s+→ =/);
  });
});

describe('periods', () => {
  it('d cycles the last 7, 30 and 90 days; Esc, % and q go back to the inbox', async () => {
    ui = await renderConsole(env, fx.sam, { columns: 170, rows: 70 });
    await ui.press('%');
    let f = await ui.waitFor((fr) => fr.includes('[30 days]') && /^Volume/m.test(fr) && !fr.includes('computing…'));
    expect(f).toContain('2026-02-23 00:00 → 2026-03-25 00:00');
    // [Feb 23, D25): S1…S13 (S12 on Feb 27).
    expect(row(f, 'Volume')).toMatch(/^Volume\s+13\s+n=13/);
    await ui.press('d');
    f = await ui.waitFor(
      (fr) => fr.includes('[90 days]') && fr.includes('2025-12-25 00:00 → 2026-03-25 00:00') && !fr.includes('computing…'),
    );
    expect(row(f, 'Volume')).toMatch(/^Volume\s+13\s+n=13\s+↑ \+13/);
    await ui.press('d');
    f = await ui.waitFor(
      (fr) => fr.includes('[7 days]') && fr.includes('2026-03-18 00:00 → 2026-03-25 00:00') && !fr.includes('computing…'),
    );
    // [D18, D25): S6 (D18 00:00) and S7 (D20).
    expect(row(f, 'Volume')).toMatch(/^Volume\s+2\s+n=2/);
    // Two d's in one read: 7 → 30 → 90.
    await ui.press('dd');
    await ui.waitFor((fr) => fr.includes('[90 days]') && !fr.includes('computing…'));
    await ui.press('d');
    await ui.waitFor((fr) => fr.includes('[7 days]') && !fr.includes('computing…'));
    await ui.press('d');
    await ui.waitFor((fr) => fr.includes('[30 days]') && fr.includes('2026-02-23 00:00 → 2026-03-25 00:00'));
    // Digits keep their inbox meaning: 3 does not change the period.
    await ui.press('3');
    expect(ui.frame()).toContain('[30 days]');
    await ui.press('esc');
    await ui.waitFor((fr) => fr.includes('SUBJECT') && !fr.includes('[30 days]'));
    await ui.press('%');
    await ui.waitFor('[30 days]');
    await ui.press('%');
    await ui.waitFor((fr) => fr.includes('SUBJECT') && !fr.includes('[30 days]'));
    await ui.press('%');
    await ui.waitFor('[30 days]');
    await ui.press('q');
    await ui.waitFor((fr) => fr.includes('SUBJECT') && !fr.includes('[30 days]'));
  });

  it('refuses a period it cannot read, keeping the one shown', async () => {
    ui = await renderConsole(env, fx.sam, { columns: 170, rows: 70 });
    await openOnP(ui);
    await ui.press(':');
    await ui.type('kpi 2026-03-20T00:00:00Z 2026-03-10T00:00:00Z');
    await ui.press('enter');
    const f = await ui.waitFor('the period is empty');
    expect(f).toContain('2026-03-10 00:00 → 2026-03-20 00:00');
  });

  it('recomputes when another process commits', async () => {
    other = await openStore(env.dbPath);
    ui = await renderConsole(env, fx.sam, { columns: 170, rows: 70, pollMs: 50 });
    const f = await openOnP(ui);
    expect(row(f, 'Volume')).toMatch(/^Volume\s+8\s/);
    // Another terminal, whose clock says D15: one more support item in P.
    await items.createItem(
      makeCtx(other, () => new Date('2026-03-15T00:00:00.000Z')),
      fx.cleo,
      { subject: 'new', customer: '#6', kind: 'bug' },
    );
    // Recomputation is debounced to one every few seconds: wait for it rather than time it.
    await ui.waitFor((fr) => /^Volume\s+9\s/m.test(fr), 8000);
  });
});

describe('layout by width and role', () => {
  it('stacks the panels on a narrow terminal', async () => {
    ui = await renderConsole(env, fx.sam, { columns: 90, rows: 80 });
    const f = await openOnP(ui);
    expect(f).not.toContain(' │ ');
    const support = lineOf(f, /^Support\b/);
    const service = lineOf(f, /^Service\b/);
    expect(support).toBeGreaterThan(-1);
    expect(service).toBeGreaterThan(support);
    expect(row(f, 'CSAT')).toMatch(/^CSAT\s+50\.0%\s+n=4/);
    await ui.resize(170, 80);
    await ui.waitFor((fr) => /^Support\s.*│ Service/m.test(fr));
  });

  it("puts a one-role agent's own panel first", async () => {
    ui = await renderConsole(env, fx.ana, { columns: 170, rows: 70 });
    let f = await openOnP(ui);
    expect(f).toMatch(/^Service {2}\(your role\)\s.*│ Support/m);
    ui.unmount();
    ui = await renderConsole(env, fx.cleo, { columns: 90, rows: 80 });
    f = await openOnP(ui);
    const own = lineOf(f, /^Support {2}\(your role\)/);
    expect(own).toBeGreaterThanOrEqual(0);
    expect(own).toBeLessThan(lineOf(f, /^Service\b/));
  });
});

describe('at-risk customers', () => {
  it('are listed with their reasons; F creates a proactive follow-up for the selected one', async () => {
    ui = await renderConsole(env, fx.sam, { columns: 170, rows: 70 });
    let f = await openOnP(ui);
    // Most reasons first: bob, gus; then alice and carol with 3 support items.
    expect(f).toMatch(/^> #2 +bob +CSAT 2, NPS 6$/m);
    expect(f).toMatch(/^ {2}#7 +gus +CSAT 1, NPS 0$/m);
    expect(f).toMatch(/^ {2}#1 +alice +3 support items in 30 days$/m);
    expect(f).toMatch(/^ {2}#3 +carol +3 support items in 30 days$/m);
    await ui.press('j', 'j');
    expect(ui.cursorLine()).toContain('alice');
    await ui.press('F');
    await ui.waitFor('Follow up with alice — due:');
    await ui.type('soonish');
    await ui.press('enter');
    await ui.waitFor('✗ not a date or time');
    await ui.press('ctrl+u');
    await ui.type('2d');
    await ui.press('enter');
    f = await ui.waitFor(/Follow-up #\d+ with alice due 2026-03-27 00:00, assigned to @sam/);
    const id = Number(/Follow-up #(\d+)/.exec(f)![1]);
    const made = await getItemView(env.store.db, id, env.clock.now());
    expect(made).toMatchObject({
      role: 'service',
      kind: 'follow_up',
      direction: 'outbound',
      status: 'open',
      assignee: 'sam',
      customer: { id: 1, name: 'alice' },
    });
    expect(made.sla.resolutionDueAt).toBe('2026-03-27T00:00:00.000Z');
    // Its opening note says why: the reasons alice is at risk.
    const notes = (await itemEvents(env.store.db, id)).filter((e) => e.type === 'note');
    expect(notes.map((n) => n.body)).toEqual(['At risk: 3 support items in 30 days. Reach out before they churn.']);
    // The list shows it, and F again asks before making a second one.
    await ui.waitFor(new RegExp(`alice +3 support items in 30 days +follow-up #${id} open`));
    await ui.press('F');
    await ui.waitFor(`alice already has an open follow-up, #${id}. Create another?`);
    await ui.press('n');
    await ui.waitFor(`Follow-up #${id} stays the open one for alice`);
    // Enter opens it.
    await ui.press('enter');
    await ui.waitFor(`#${id} Proactive follow-up with alice`);
  });

  it("show a customer's name without the terminal control sequences in it", async () => {
    env.clock.set('2026-03-12T00:00:00.000Z');
    const evil = await addCustomer(env.ctx, { name: 'Evil\u001b]0;pwned\u0007\u001b[2J Corp', email: 'evil@example.com' });
    await addSurvey(env.ctx, fx.sam, { kind: 'csat', score: 1, customer: `#${evil.id}`, at: '2026-03-12T00:00:00.000Z' });
    env.clock.set(NOW);
    ui = await renderConsole(env, fx.sam, { columns: 170, rows: 70 });
    const f = await openOnP(ui);
    const line = f.split('\n').find((l) => l.includes(`#${evil.id} `) && l.includes('CSAT 1'))!;
    expect(line).toMatch(/Evil.*Corp/);
    expect(line).not.toContain('\u001b');
    expect(line).not.toContain('\u0007');
  });

  it('Esc in the due prompt creates nothing', async () => {
    ui = await renderConsole(env, fx.sam, { columns: 170, rows: 70 });
    await openOnP(ui);
    const count = async () => (await env.store.db.selectFrom('items').select('id').execute()).length;
    const before = await count();
    await ui.press('F');
    await ui.waitFor('Follow up with bob — due:');
    await ui.press('esc');
    await ui.waitFor('No follow-up created for bob.');
    expect(await count()).toBe(before);
  });
});

describe('the KPI keys', () => {
  it('are in the one keymap: no key twice in the view, help and hints read them', async () => {
    const seen = new Map<string, string>();
    for (const c of commandsFor('kpi')) {
      for (const k of c.keys) {
        expect(seen.get(k), `${k}: ${seen.get(k)} and ${c.id}`).toBeUndefined();
        seen.set(k, c.id);
      }
    }
    expect(commandForKey('list', '%')?.id).toBe('view.kpi');
    expect(commandForKey('kpi', 'd')?.id).toBe('kpi.period');
    expect(commandForKey('kpi', 'F')?.id).toBe('kpi.followUp');
    expect(hintsFor('kpi', false).map((h) => h.keys)).toEqual(expect.arrayContaining(['d', 'F', 'Esc']));
    ui = await renderConsole(env, fx.sam, { columns: 170, rows: 70 });
    await ui.press('%', '?');
    const f = await ui.waitFor('Keys — KPIs');
    for (const c of commandsFor('kpi')) expect(f, c.id).toContain(c.help);
  });
});
