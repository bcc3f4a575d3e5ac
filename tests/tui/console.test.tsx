import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeCtx } from '../../src/core/context.js';
import * as items from '../../src/core/items.js';
import { openStore } from '../../src/store/open.js';
import type { Store } from '../../src/store/store.js';
import { commandsFor } from '../../src/tui/keymap.js';
import { ConsoleApi, DEFAULT_FILTER } from '../../src/tui/console-api.js';
import { layoutFor } from '../../src/tui/layout.js';
import { renderConsole, type Harness } from './harness.js';
import { seededInbox, type Inbox } from './fixtures.js';

let inbox: Inbox;
let ui: Harness | undefined;
let other: Store | undefined;

beforeEach(async () => {
  inbox = await seededInbox();
});
afterEach(async () => {
  ui?.unmount();
  ui = undefined;
  await other?.close();
  other = undefined;
  await inbox.env.close();
});

describe('help and the command line', () => {
  it('? lists every key of the current view, from the keymap', async () => {
    ui = await renderConsole(inbox.env, inbox.sam, { rows: 80 });
    await ui.press('?');
    let f = await ui.waitFor('Keys — inbox list');
    for (const c of commandsFor('list')) expect(f, c.id).toContain(c.help);
    expect(f).toMatch(/j ↓\s+Next item/);
    expect(f).toMatch(/x\s+Resolve and go to the next item \(selection too\)\s+:resolve/);
    await ui.press('esc');
    await ui.press('enter', '?');
    f = await ui.waitFor('Keys — item detail');
    for (const c of commandsFor('detail')) expect(f, c.id).toContain(c.help);
    expect(f).not.toContain('Select / unselect');
    await ui.press('q');
    await ui.waitFor('── Thread');
  });

  it('scrolls the help when the terminal is short', async () => {
    ui = await renderConsole(inbox.env, inbox.sam, { rows: 16 });
    await ui.press('?');
    let f = await ui.waitFor('j/k or Space scroll');
    expect(f).toContain('Next item');
    await ui.press('space', 'space', 'space', 'space', 'space');
    f = ui.frame();
    expect(f).not.toContain('Next item');
    expect(f).toContain('Esc, q or ? closes');
  });

  it(': runs commands by name, with arguments, and completes names with Tab', async () => {
    ui = await renderConsole(inbox.env, inbox.sam);
    await ui.press(':');
    await ui.type('pr');
    let f = await ui.waitFor('priority  prev');
    await ui.press('i', 'tab');
    f = await ui.waitFor(':priority ');
    expect(f).toMatch(/priority \[low\|normal\|high\|urgent\] — Set the priority \(p\)/);
    await ui.type('low');
    await ui.press('enter');
    const first = /^> +(\d+)/m.exec(ui.frame())![1];
    await ui.waitFor(`#${first} priority low`);
    await ui.press(':');
    await ui.type('go 4');
    await ui.press('enter');
    await ui.waitFor(/^#4 Your annual plan renews next month/m);
    await ui.press(':');
    await ui.type('frobnicate');
    await ui.press('enter');
    await ui.waitFor('No command "frobnicate"');
    await ui.press(':');
    await ui.type('note Called the customer, all good');
    await ui.press('enter');
    // A text from the command line is reviewed like any other before it is added.
    await ui.waitFor('Review: internal note on #4');
    await ui.press('y');
    await ui.waitFor('Internal note added to #4.');
  });

  it('Ctrl-L redraws without losing anything', async () => {
    ui = await renderConsole(inbox.env, inbox.sam);
    // The header's counts load after the rows: compare frames once they are in.
    await ui.waitFor(/\d+ breached/);
    await ui.press('j');
    const before = ui.frame();
    await ui.press('ctrl+l');
    expect(ui.frame()).toBe(before);
  });
});

describe('the first frame', () => {
  it('is whole when the console starts with what run.ts fetched: rows, the list position and the header counts, and nothing is counted again', async () => {
    for (let i = 0; i < 80; i++)
      await items.createItem(inbox.env.ctx, inbox.sam, {
        subject: `Filler ${i}`,
        customer: 'f@example.com',
        kind: 'question',
        priority: 'low',
      });
    const api = new ConsoleApi(inbox.env.ctx, inbox.sam);
    // As run.ts does before drawing: a full window (so its length does not give the total), the count, the header counts.
    const { pageSize } = layoutFor({ columns: 100, rows: 24 });
    const w = await api.inboxWindow(DEFAULT_FILTER, 0, pageSize * 3);
    const total = await api.inboxCount(DEFAULT_FILTER);
    const counts = await api.counts();
    expect(w.rows.length).toBeLessThan(total);
    let countCalls = 0;
    for (const m of ['counts', 'inboxCount'] as const) {
      const real = api[m].bind(api) as (...a: never[]) => Promise<never>;
      (api as unknown as Record<string, unknown>)[m] = (...a: never[]) => {
        countCalls++;
        return real(...a);
      };
    }
    ui = await renderConsole(inbox.env, inbox.sam, {
      api,
      initialWindow: { start: 0, rows: w.rows, marks: w.marks, drafts: w.drafts },
      initialTotal: total,
      initialCounts: counts,
    });
    const first = ui.firstFrame();
    expect(first).toContain(`SVC ${counts.service} open · SUP ${counts.support} open`);
    expect(first).toMatch(new RegExp(`· 1/${total}$`, 'm'));
    expect(first).toContain(w.rows[0]!.subject);
    await ui.press('j');
    expect(countCalls).toBe(0);
  });
});

describe('live refresh', () => {
  it('shows changes other processes commit within a second, keeping the cursor on its item and the selection', async () => {
    other = await openStore(inbox.env.dbPath);
    const otherCtx = makeCtx(other, inbox.env.clock.now);
    ui = await renderConsole(inbox.env, inbox.sam, { pollMs: 50 });
    // Cursor on the login item (2nd), the renewal selected.
    await ui.press('j');
    expect(ui.cursorLine()).toContain('Cannot log in');
    for (let i = 0; i < 6 && !ui.cursorLine().includes('renews'); i++) await ui.press('j');
    await ui.press('space');
    await ui.press('g', 'j');
    expect(ui.cursorLine()).toContain('Cannot log in');
    // Another process makes an item jump above the cursor and assigns the login item.
    const created = await items.createItem(otherCtx, inbox.ana, {
      subject: 'Outage: nothing loads',
      customer: 'x@example.com',
      kind: 'bug',
      priority: 'urgent',
    });
    await items.assign(otherCtx, inbox.ana, inbox.ids.login, 'sam');
    // Live refresh, not a manual reload: the change shows within the wait (speed itself is the bench's).
    const f = await ui.waitFor('Outage: nothing loads', 2000);
    await ui.waitFor((fr) => /Cannot log in .*@sam/.test(fr));
    expect(ui.cursorLine()).toContain('Cannot log in');
    expect(ui.frame()).toContain('1 selected');
    expect(f).toMatch(new RegExp(`${created.id} SUP urgent\\s+new\\s+Outage: nothing loads`));
    // The counts follow: four open support items became five, six items in the list seven.
    await ui.waitFor('SUP 5 open');
    await ui.waitFor(/· \d+\/7$/m);
  });

  it("announces others' changes in the status line, and where a new row is when it lands above the window", async () => {
    for (let i = 0; i < 6; i++)
      await items.createItem(inbox.env.ctx, inbox.sam, {
        subject: `Filler ${i}`,
        customer: 'f@example.com',
        kind: 'question',
        priority: 'low',
      });
    other = await openStore(inbox.env.dbPath);
    const otherCtx = makeCtx(other, inbox.env.clock.now);
    ui = await renderConsole(inbox.env, inbox.sam, { pollMs: 50, rows: 12 });
    await ui.press('G');
    await ui.waitFor('12/12');
    await items.setPriority(otherCtx, inbox.ana, inbox.ids.renewal, 'high');
    await ui.waitFor(`@ana: #${inbox.ids.renewal} priority normal → high`);
    const created = await items.createItem(otherCtx, inbox.ana, {
      subject: 'Outage: nothing loads',
      customer: 'x@example.com',
      kind: 'bug',
      priority: 'urgent',
      assignee: 'cleo',
    });
    await ui.waitFor(new RegExp(`#${created.id} new item \\(row 2, above: g goes to the top\\)`));
  });

  it('refreshes the open detail too', async () => {
    other = await openStore(inbox.env.dbPath);
    const otherCtx = makeCtx(other, inbox.env.clock.now);
    ui = await renderConsole(inbox.env, inbox.sam, { pollMs: 50, rows: 40 });
    await ui.press('enter');
    const f = await ui.waitFor('── Thread');
    const id = Number(/^#(\d+)/m.exec(f)![1]);
    await items.customerMessage(otherCtx, id, 'Hello from another terminal');
    await ui.waitFor('Hello from another terminal', 2000);
    await ui.waitFor(`#${id} changed meanwhile: max wrote`);
  });
});
