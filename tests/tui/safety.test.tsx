// The console safe for a whole day's work: keys of a burst are each handled, a paste is text, Ctrl-C
// in an input cancels only the input, q backs out one level, quitting with drafts asks, U undoes.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { getItemView, itemEvents } from '../../src/core/item-view.js';
import { renderConsole, type Harness } from './harness.js';
import { seededInbox, type Inbox } from './fixtures.js';

let inbox: Inbox;
let ui: Harness | undefined;

beforeEach(async () => {
  inbox = await seededInbox();
});
afterEach(async () => {
  ui?.unmount();
  ui = undefined;
  await inbox.env.close();
});

const item = (id: number) => getItemView(inbox.env.store.db, id, inbox.env.clock.now());
const row = (id: number) => inbox.env.store.db.selectFrom('items').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

async function cursorTo(h: Harness, text: string) {
  await h.press('g');
  for (let i = 0; i < 20 && !h.cursorLine().includes(text); i++) await h.press('j');
  expect(h.cursorLine()).toContain(text);
}

describe('keys that arrive together', () => {
  it('two Backspaces in one read delete two characters in the inline editor', async () => {
    ui = await renderConsole(inbox.env, inbox.sam);
    await ui.press('r');
    await ui.waitFor('Ctrl-D done');
    await ui.type('Hello!!');
    await ui.press('\u007f\u007f'); // one read, as a terminal under load delivers them
    await ui.press('ctrl+d');
    const f = await ui.waitFor('Review: reply to');
    expect(f).toMatch(/^ {2}Hello$/m);
  });

  it('"ooo" in one read moves the sort three times; "jjj" moves three rows', async () => {
    ui = await renderConsole(inbox.env, inbox.sam);
    await ui.press('ooo');
    await ui.waitFor('sort: oldest');
    await ui.press('g', 'jjj');
    await ui.waitFor('· 4/6');
  });

  it('text and Enter in one read fill a prompt and submit it once', async () => {
    ui = await renderConsole(inbox.env, inbox.sam);
    await ui.press('/');
    await ui.press('refund\r');
    await ui.waitFor('search “refund”');
    expect(ui.frame()).toContain('Refund has not arrived');
    expect(ui.frame()).not.toContain('Wrong VAT');
  });
});

describe('pasting', () => {
  it('a bracketed paste is text: line breaks stay in the editor, nothing is submitted, the list runs no keys', async () => {
    ui = await renderConsole(inbox.env, inbox.sam);
    // In the list, a paste full of command keys does nothing.
    await ui.press('\u001b[200~xxx\u001b[201~');
    await ui.press('j');
    expect((await item(inbox.ids.crash)).status).toBe('new');
    await ui.press('g', 'r');
    await ui.waitFor('Ctrl-D done');
    await ui.press('\u001b[200~Line one\rLine two\u001b[201~');
    let f = await ui.waitFor('Line two');
    expect(f).not.toContain('Review:');
    await ui.press('ctrl+d');
    f = await ui.waitFor('Review: reply to');
    expect(f).toMatch(/^ {2}Line one\n {2}Line two$/m);
    await ui.press('k');
    // In a one-line prompt, a pasted line break is a space and does not submit.
    await ui.press('/', '\u001b[200~jo\rexample\u001b[201~');
    f = await ui.waitFor('Search: jo example');
    expect(f).toContain('Enter keeps it'); // the prompt is still open: the line break did not submit it
  });
});

describe('leaving', () => {
  it('Ctrl-C in a prompt cancels the prompt, not the console; q backs out of the detail first', async () => {
    ui = await renderConsole(inbox.env, inbox.sam);
    await ui.press('t');
    await ui.waitFor('Tags for #');
    await ui.type('vip');
    await ui.press('ctrl+c');
    await ui.waitFor((f) => !f.includes('Tags for #'));
    expect((await item(inbox.ids.crash)).tags).toEqual([]);
    await ui.press('enter');
    await ui.waitFor('── Thread');
    await ui.press('q');
    const f = await ui.waitFor((fr) => !fr.includes('── Thread'));
    expect(f).toMatch(/^> +\d+ /m); // the list, still running
  });

  it('quitting with an unsent draft asks, naming it; n stays', async () => {
    ui = await renderConsole(inbox.env, inbox.sam);
    await cursorTo(ui, 'Refund has not arrived');
    await ui.press('n');
    await ui.type('Half a note');
    await ui.press('esc');
    await ui.waitFor('Note not sent; your draft is kept');
    await ui.press('q');
    await ui.waitFor(`You have 1 unsent draft (#${inbox.ids.refund} note); they stay saved for next time. Quit anyway? [y/N]`);
    await ui.press('n');
    await ui.waitFor('Not quitting.');
    await ui.press('ctrl+c');
    await ui.waitFor('Quit anyway? [y/N]');
    await ui.press('ctrl+c'); // Ctrl-C in the question cancels the question
    await ui.waitFor((f) => !f.includes('Quit anyway?'));
    expect(ui.frame()).toContain('Refund has not arrived');
  });
});

describe('undo', () => {
  it('U undoes a resolve: no reopen counted, the KPI columns as before', async () => {
    ui = await renderConsole(inbox.env, inbox.sam);
    await cursorTo(ui, 'Refund has not arrived');
    const before = await row(inbox.ids.refund);
    await ui.press('x');
    await ui.waitFor(`#${inbox.ids.refund} resolved.`);
    expect(ui.frame()).toContain('U undoes.');
    expect((await row(inbox.ids.refund)).first_resolved_at).not.toBeNull();
    await ui.press('U');
    await ui.waitFor(`Undone: resolve #${inbox.ids.refund}`);
    const after = await row(inbox.ids.refund);
    for (const col of ['status', 'resolved_at', 'first_resolved_at', 'closed_at', 'reopen_count', 'next_due_at'] as const)
      expect(after[col], col).toEqual(before[col]);
    expect((await itemEvents(inbox.env.store.db, inbox.ids.refund)).at(-1)).toMatchObject({
      type: 'status',
      data: { from: 'resolved', to: 'open' },
    });
    // Once only.
    await ui.press('U');
    await ui.waitFor('Nothing to undo');
  });

  it('U undoes a bulk action on every item it changed', async () => {
    ui = await renderConsole(inbox.env, inbox.sam);
    await ui.press('space', 'space', 'p', 'u', 'y');
    await ui.waitFor(/Priority urgent on \d of 2 items.* U undoes\./);
    await ui.press('U');
    await ui.waitFor(/Undone: priority urgent on \d items?/);
    expect((await item(inbox.ids.login)).priority).toBe('normal');
    expect((await item(inbox.ids.crash)).priority).toBe('urgent');
  });

  it('refuses to undo when someone changed the item since', async () => {
    ui = await renderConsole(inbox.env, inbox.sam);
    await cursorTo(ui, 'Wrong VAT');
    await ui.press('p', 'h');
    await ui.waitFor('priority high');
    const { setPriority } = await import('../../src/core/items.js');
    await setPriority(inbox.env.ctx, inbox.ana, inbox.ids.invoice, 'urgent');
    await ui.press('U');
    await ui.waitFor(/not undone: #6 changed while you were looking/);
    expect((await item(inbox.ids.invoice)).priority).toBe('urgent');
  });
});
