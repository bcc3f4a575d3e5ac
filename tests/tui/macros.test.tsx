// The console's macros and saved views: the `m` picker with its live preview, applying as one change,
// Tab to edit first, `::` in the inline editor, and saved views on keys 4–9, in `:` and in the header.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { getItemView, itemEvents } from '../../src/core/item-view.js';
import { addMacro } from '../../src/core/macros.js';
import { addView } from '../../src/core/views.js';
import * as items from '../../src/core/items.js';
import { renderConsole, type Harness } from './harness.js';
import { seededInbox, type Inbox } from './fixtures.js';

let inbox: Inbox;
let ui: Harness | undefined;

beforeEach(async () => {
  inbox = await seededInbox();
  const ctx = inbox.env.ctx;
  await addMacro(ctx, {
    name: 'refund-sent',
    body: 'Hi {{ customer.first_name | default: "there" }}, your refund for #{{ item.id }} is on its way.\n{{ agent.first_name }}',
    set: ['status=pending'],
    tags: ['refund'],
  });
  await addMacro(ctx, { name: 'greet', body: 'Hello {{ customer.first_name }}!' });
  await addMacro(ctx, { name: 'plans-answer', body: 'All plans include unlimited seats.', role: 'service' });
});
afterEach(async () => {
  ui?.unmount();
  ui = undefined;
  await inbox.env.close();
});

const item = (id: number) => getItemView(inbox.env.store.db, id, inbox.env.clock.now());
const events = (id: number) => itemEvents(inbox.env.store.db, id);

async function cursorTo(h: Harness, text: string) {
  for (let i = 0; i < 20 && !h.cursorLine().includes(text); i++) await h.press('j');
  expect(h.cursorLine()).toContain(text);
}

describe('the macro picker (m)', () => {
  it('previews the macro filled in for the item, narrows by fuzzy typing, and Enter applies it as one change', async () => {
    ui = await renderConsole(inbox.env, inbox.sam);
    await cursorTo(ui, 'Refund has not arrived');
    const before = await item(inbox.ids.refund);
    await ui.press('m');
    let f = await ui.waitFor(`Apply a macro to #${inbox.ids.refund}`);
    // Fuzzy: "rfs" finds refund-sent; its live preview is filled in for Jo.
    await ui.type('rfs');
    f = await ui.waitFor(`Hi Jo, your refund for #${inbox.ids.refund} is on its way.`);
    expect(f).toMatch(/> refund-sent/);
    expect(f).toMatch(/status \w+ → pending · tags \+refund/);
    expect(f).not.toMatch(/greet/);
    await ui.press('enter');
    await ui.waitFor(`Macro refund-sent applied to #${inbox.ids.refund}`);
    const after = await item(inbox.ids.refund);
    expect(after).toMatchObject({ status: 'pending', tags: ['refund'], version: before.version + 1 });
    const added = (await events(inbox.ids.refund)).filter((e) => e.version === after.version);
    expect(added.map((e) => e.type)).toEqual(['reply', 'status', 'tag']);
    expect(added[0]!.body).toBe(`Hi Jo, your refund for #${inbox.ids.refund} is on its way.\nSam`);
    // The thread says which macro wrote the reply.
    await ui.press('enter', 'G');
    await ui.waitFor('@sam replied with macro refund-sent');
  });

  it('shows why a macro cannot be applied (an empty field without a default) and writes nothing on Enter', async () => {
    ui = await renderConsole(inbox.env, inbox.sam);
    // max@example.com has no name: no first name to greet.
    await cursorTo(ui, 'App crashes');
    const before = await item(inbox.ids.crash);
    await ui.press('m');
    await ui.waitFor('Apply a macro to #'); // the picker opens after the macros load: type into it, not the list
    await ui.type('greet');
    await ui.waitFor(/✗ \{\{ customer\.first_name \}\} is empty for item #\d+/);
    await ui.press('enter');
    await ui.waitFor(/customer\.first_name \}\} is empty/);
    expect((await item(inbox.ids.crash)).version).toBe(before.version);
  });

  it('lists macros for the other role last, and the core refuses them', async () => {
    ui = await renderConsole(inbox.env, inbox.sam);
    await cursorTo(ui, 'Refund has not arrived');
    await ui.press('m');
    const f = await ui.waitFor('plans-answer');
    const rows = f.split('\n').filter((l) => /^[> ] (greet|refund-sent|plans-answer)/.test(l));
    expect(rows.at(-1)).toMatch(/plans-answer .*other role/);
    await ui.type('plans');
    await ui.waitFor(/✗ macro plans-answer is for service items/);
    await ui.press('esc');
    await ui.waitFor((fr) => !fr.includes('Apply a macro'));
  });

  it('Tab puts the text in the editor first; sending applies the macro with the edited text', async () => {
    ui = await renderConsole(inbox.env, inbox.sam);
    await cursorTo(ui, 'Refund has not arrived');
    await ui.press('m');
    await ui.waitFor('Apply a macro to #'); // the picker opens after the macros load: type into it, not the list
    await ui.type('refund');
    await ui.waitFor('Hi Jo, your refund');
    await ui.press('tab');
    await ui.waitFor(`Reply to #${inbox.ids.refund}`);
    await ui.type(' PS: sorry!');
    await ui.press('ctrl+d');
    await ui.waitFor(`Macro refund-sent applied to #${inbox.ids.refund}`);
    const evs = await events(inbox.ids.refund);
    const reply = evs.filter((e) => e.type === 'reply').at(-1)!;
    expect(reply.body).toBe(`Hi Jo, your refund for #${inbox.ids.refund} is on its way.\nSam PS: sorry!`);
    expect((await item(inbox.ids.refund)).status).toBe('pending');
  });

  it('a change made meanwhile refuses the macro, and the edited text is kept as the reply draft', async () => {
    ui = await renderConsole(inbox.env, inbox.sam);
    await cursorTo(ui, 'Refund has not arrived');
    await ui.press('m');
    await ui.waitFor('Apply a macro to #'); // the picker opens after the macros load: type into it, not the list
    await ui.type('refund');
    await ui.waitFor('Hi Jo, your refund');
    await ui.press('tab');
    await ui.waitFor(`Reply to #${inbox.ids.refund}`);
    await ui.type(' Edited.');
    // Someone else changes the item while the text is being edited.
    await items.setPriority(inbox.env.ctx, inbox.cleo, inbox.ids.refund, 'urgent');
    const before = await item(inbox.ids.refund);
    await ui.press('ctrl+d');
    await ui.waitFor(/changed while you were looking .*@cleo: priority high → urgent.*Your\s+text is kept as a draft: r opens it again/s);
    expect((await item(inbox.ids.refund)).version).toBe(before.version);
    await ui.press('r');
    await ui.waitFor('Sam Edited.');
  });

  it('Tab with $EDITOR set hands the filled-in text to the editor; an empty file applies nothing', async () => {
    const seen: string[] = [];
    let answer = '';
    ui = await renderConsole(inbox.env, inbox.sam, {
      env: { EDITOR: 'vi' },
      runEditor: (_cmd, initial) => {
        seen.push(initial);
        return { text: answer, ok: true };
      },
    });
    await cursorTo(ui, 'Refund has not arrived');
    await ui.press('m');
    await ui.waitFor('Apply a macro to #'); // the picker opens after the macros load: type into it, not the list
    await ui.type('refund');
    await ui.waitFor('Hi Jo, your refund');
    await ui.press('tab');
    await ui.waitFor('Macro refund-sent not applied.');
    expect(seen[0]).toBe(`Hi Jo, your refund for #${inbox.ids.refund} is on its way.\nSam`);
    expect((await item(inbox.ids.refund)).tags).toEqual([]);
    answer = 'Hi Jo, done.';
    await ui.press('m');
    await ui.waitFor('Apply a macro to #'); // the picker opens after the macros load: type into it, not the list
    await ui.type('refund');
    await ui.waitFor('Hi Jo, your refund');
    await ui.press('tab');
    await ui.waitFor(`Macro refund-sent applied to #${inbox.ids.refund}`);
    expect((await events(inbox.ids.refund)).filter((e) => e.type === 'reply').at(-1)!.body).toBe('Hi Jo, done.');
    expect((await item(inbox.ids.refund)).tags).toEqual(['refund']);
  });

  it('with a selection, applies the macro to every selected item after one confirmation', async () => {
    ui = await renderConsole(inbox.env, inbox.sam);
    await cursorTo(ui, 'Refund has not arrived');
    await ui.press('space');
    await cursorTo(ui, 'Wrong VAT');
    await ui.press('space');
    await ui.press('m');
    await ui.waitFor('Apply a macro to 2 selected items');
    await ui.type('refund');
    await ui.waitFor('Hi Jo, your refund');
    await ui.press('enter');
    await ui.waitFor(/Apply macro refund-sent to 2 selected items \(#\d+ #\d+\)\? \[y\/N\]/);
    await ui.press('y');
    await ui.waitFor('Applied refund-sent to 2 of 2 items');
    expect((await item(inbox.ids.refund)).tags).toEqual(['refund']);
    expect((await item(inbox.ids.invoice)).tags).toEqual(['refund']);
    // Lee's invoice got Lee's greeting, not Jo's.
    const reply = (await events(inbox.ids.invoice)).filter((e) => e.type === 'reply').at(-1)!;
    expect(reply.body).toMatch(/^Hi there, your refund for #\d+ is on its way\./);
  });

  it('`:macro NAME` applies without the picker; Tab completes the name', async () => {
    ui = await renderConsole(inbox.env, inbox.sam);
    await cursorTo(ui, 'Refund has not arrived');
    await ui.press(':');
    await ui.type('macro re');
    await ui.press('tab');
    await ui.waitFor(':macro refund-sent');
    await ui.press('enter');
    await ui.waitFor(`Macro refund-sent applied to #${inbox.ids.refund}`);
    expect((await item(inbox.ids.refund)).tags).toEqual(['refund']);
  });
});

describe(':: in the inline reply editor', () => {
  it('opens the picker and inserts the filled-in text where :: was typed; sending is a plain reply', async () => {
    ui = await renderConsole(inbox.env, inbox.sam);
    await cursorTo(ui, 'Refund has not arrived');
    await ui.press('r');
    await ui.waitFor(`Reply to #${inbox.ids.refund}`);
    await ui.type('Hello. ::');
    await ui.waitFor('Enter inserts the text');
    await ui.type('refund');
    await ui.waitFor('Hi Jo, your refund');
    await ui.press('enter');
    await ui.waitFor(`Reply to #${inbox.ids.refund}`);
    await ui.type(' Bye');
    await ui.press('ctrl+d');
    await ui.waitFor('Review: reply to #'); // the console's review step: y sends
    await ui.press('y');
    await ui.waitFor(`Reply sent on #${inbox.ids.refund}`);
    const reply = (await events(inbox.ids.refund)).filter((e) => e.type === 'reply').at(-1)!;
    expect(reply.body).toBe(`Hello. Hi Jo, your refund for #${inbox.ids.refund} is on its way.\nSam Bye`);
    // Only the text was inserted: the macro's actions were not applied.
    expect((await item(inbox.ids.refund)).tags).toEqual([]);
  });

  it('Esc in the picker goes back to the editor with the text as it was', async () => {
    ui = await renderConsole(inbox.env, inbox.sam);
    await cursorTo(ui, 'Refund has not arrived');
    await ui.press('r');
    // Keys that arrive in one chunk (a busy terminal) open it too.
    await ui.press('Dear Jo ::');
    await ui.waitFor('Enter inserts the text');
    await ui.press('esc');
    await ui.waitFor(`Reply to #${inbox.ids.refund}`);
    await ui.press('ctrl+d');
    await ui.waitFor('Review: reply to #'); // the console's review step: y sends
    await ui.press('y');
    await ui.waitFor(`Reply sent on #${inbox.ids.refund}`);
    expect((await events(inbox.ids.refund)).filter((e) => e.type === 'reply').at(-1)!.body).toBe('Dear Jo ');
  });
});

describe('saved views', () => {
  it('sit on keys 4–9 with their counts in the header; the key shows the view, and the tab is marked', async () => {
    await addView(inbox.env.ctx, 'urgent-support', { role: 'support', priorities: ['urgent', 'high'] });
    await addView(inbox.env.ctx, 'cleos', { assignee: 'cleo', sort: 'newest' });
    ui = await renderConsole(inbox.env, inbox.sam);
    let f = await ui.waitFor(/4 urgent-support 2 .* 5 cleos 1/);
    expect(f).toContain('[1 All]');
    await ui.press('4');
    f = await ui.waitFor('[4 urgent-support 2]');
    expect(f).not.toContain('[1 All]');
    const rows = f.split('\n').filter((l) => /^[> ] +\d+ SUP/.test(l));
    expect(rows).toHaveLength(2);
    expect(f).toMatch(/View urgent-support: support · urgent\/high/);
    await ui.press('5');
    f = await ui.waitFor('[5 cleos 1]');
    expect(f).toContain('Cannot log in');
    // Changing the filter leaves the view: the role tab is marked again.
    await ui.press('C');
    await ui.waitFor('[1 All]');
    await ui.press('6');
    await ui.waitFor('No saved view on 6; views are on 4 urgent-support, 5 cleos.');
  });

  it('`:view NAME` shows a view by name (or unique prefix), and counts follow changes', async () => {
    await addView(inbox.env.ctx, 'mine', { assignee: 'me' });
    ui = await renderConsole(inbox.env, inbox.sam);
    await ui.waitFor(/4 mine 0/);
    await ui.press(':');
    await ui.type('view mi');
    await ui.press('enter');
    await ui.waitFor('[4 mine 0]');
    await ui.press('C');
    // The whole list again (the view's filter is cleared), then from the top down to the item.
    await ui.waitFor(/· \d+\/6\b/);
    await ui.press('g');
    await cursorTo(ui, 'App crashes');
    await ui.press('A');
    await ui.waitFor(/\b4 mine 1\b/);
  });

  it('with no saved views, 4 says how to make one', async () => {
    ui = await renderConsole(inbox.env, inbox.sam);
    await ui.press('4');
    await ui.waitFor('No saved views yet');
  });
});
