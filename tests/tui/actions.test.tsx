import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { escalationsOfItem } from '../../src/core/escalation.js';
import { getItemView, itemEvents } from '../../src/core/item-view.js';
import * as items from '../../src/core/items.js';
import type { EditorResult } from '../../src/tui/editor.js';
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
const lastEvent = async (id: number) => (await itemEvents(inbox.env.store.db, id)).at(-1)!;

async function cursorTo(h: Harness, text: string) {
  for (let i = 0; i < 20 && !h.cursorLine().includes(text); i++) await h.press('j');
  expect(h.cursorLine()).toContain(text);
}

describe('acting on an item', () => {
  it('assigns through the agent picker (a), narrowing by typing', async () => {
    ui = await renderConsole(inbox.env, inbox.sam);
    await cursorTo(ui, 'Refund has not arrived');
    await ui.press('a');
    let f = await ui.waitFor('Assign #1 (support) to');
    expect(f).toMatch(/> nobody\s+unassign/);
    expect(f).toMatch(/@cleo\s+Cleo · support/);
    expect(f).toMatch(/@ana\s+Ana · service · other role/);
    await ui.type('cle');
    f = await ui.waitFor((fr) => !fr.includes('@sam (me)'));
    expect(f).toMatch(/> @cleo/);
    await ui.press('enter');
    await ui.waitFor('#1 assigned to @cleo.');
    expect((await item(inbox.ids.refund)).assignee).toBe('cleo');
    // The status line is said before the list reloads (slower on PostgreSQL): wait for the row.
    await ui.waitFor((fr) => /^>.*Refund has not arrived .*@cleo/m.test(fr));
    expect(ui.cursorLine()).toMatch(/Refund has not arrived .*@cleo/);
  });

  it("takes an item (A); taking someone else's asks first", async () => {
    ui = await renderConsole(inbox.env, inbox.sam);
    await cursorTo(ui, 'App crashes');
    await ui.press('A');
    await ui.waitFor(`You took #${inbox.ids.crash}.`);
    expect((await item(inbox.ids.crash)).assignee).toBe('sam');
    await cursorTo(ui, 'Cannot log in');
    await ui.press('A');
    await ui.waitFor(`#${inbox.ids.login} is assigned to @cleo. Take it over? [y/N]`);
    await ui.press('n');
    await ui.waitFor('stays with @cleo');
    await ui.press('A');
    await ui.waitFor('Take it over?');
    await ui.press('y');
    await ui.waitFor('over from @cleo');
    expect((await item(inbox.ids.login)).assignee).toBe('sam');
  });

  it('sets priority (p) and status (s) with one key, tags (t) and snoozes (z)', async () => {
    ui = await renderConsole(inbox.env, inbox.sam);
    await cursorTo(ui, 'Wrong VAT');
    await ui.press('p');
    let f = await ui.waitFor('Priority for #6');
    expect(f).toMatch(/\[l\]ow\*/);
    await ui.press('u');
    await ui.waitFor('#6 priority urgent');
    expect((await item(inbox.ids.invoice)).priority).toBe('urgent');
    await cursorTo(ui, 'Wrong VAT');
    await ui.press('s', 'p');
    await ui.waitFor('#6 is pending.');
    expect((await item(inbox.ids.invoice)).status).toBe('pending');
    await cursorTo(ui, 'Wrong VAT');
    await ui.press('t');
    await ui.type('vip billing/vat');
    await ui.press('enter');
    await ui.waitFor('#6 tags: #billing/vat #vip.');
    await ui.press('t');
    await ui.type('-vip');
    await ui.press('enter');
    await ui.waitFor('#6 tags: #billing/vat.');
    await ui.press('z');
    await ui.type('someday');
    await ui.press('enter');
    f = await ui.waitFor('✗ not a date or time');
    await ui.press('ctrl+u');
    await ui.type('tomorrow 9:00');
    await ui.press('enter');
    await ui.waitFor('#6 snoozed until 2026-03-03 09:00');
    const v = await item(inbox.ids.invoice);
    expect(v).toMatchObject({ status: 'snoozed', snoozedUntil: '2026-03-03T09:00:00.000Z' });
    // Snoozed items leave the open-work list.
    expect(ui.frame()).not.toContain('Wrong VAT');
  });

  it('replies in the inline editor when $EDITOR is not set: Ctrl-D goes to the review, y sends, Esc keeps a draft', async () => {
    ui = await renderConsole(inbox.env, inbox.sam);
    await cursorTo(ui, 'Does the Pro plan');
    await ui.press('r');
    let f = await ui.waitFor(/Reply to #3 Does the Pro plan include team seats\? · Jo Park <jo@example\.com>/);
    expect(f).toMatch(/Ctrl-D done/);
    // The message being answered stays in view above the text.
    expect(f).toMatch(/← Jo Park wrote on 2026-03-02 \d\d:\d\d:\n {2}> We are five people\./);
    await ui.type('Yes, five seats');
    await ui.press('esc');
    await ui.waitFor('Reply not sent; your draft is kept: r opens it again.');
    // The draft is in the database, and the list marks the item.
    expect((await inbox.env.store.db.selectFrom('drafts').select('body').execute()).map((d) => d.body)).toEqual(['Yes, five seats']);
    expect(ui.cursorLine()).toContain('✎ Does the Pro plan');
    // r on a draft shows it for review first; e edits it.
    await ui.press('r');
    f = await ui.waitFor('Review: reply to #3');
    expect(f).toContain('Yes, five seats');
    expect(f).toMatch(/y send · p send, then pending · x send, then resolved · e edit · k keep as draft · d discard/);
    await ui.press('e');
    await ui.waitFor('Ctrl-D done');
    await ui.type(' are included.');
    await ui.press('enter');
    await ui.type('Best, Sam');
    await ui.press('ctrl+d');
    await ui.waitFor('Review: reply to #3');
    // Enter does not send from the review.
    await ui.press('enter');
    expect((await itemEvents(inbox.env.store.db, inbox.ids.seats)).some((x) => x.type === 'reply')).toBe(false);
    await ui.press('y');
    await ui.waitFor('Reply sent on #3 (open).');
    const reply = (await itemEvents(inbox.env.store.db, inbox.ids.seats)).find((x) => x.type === 'reply')!;
    expect(reply.body).toBe('Yes, five seats are included.\nBest, Sam');
    expect(await inbox.env.store.db.selectFrom('drafts').selectAll().execute()).toEqual([]);
    await ui.waitFor((fr) => !fr.includes('✎'));
    // Empty text sends nothing.
    await ui.press('n', 'ctrl+d');
    await ui.waitFor('Nothing was sent: the text is empty.');
  });

  it('sends a reply and sets pending (p) or resolved (x) from the review, or discards it (d)', async () => {
    ui = await renderConsole(inbox.env, inbox.sam, {
      env: { EDITOR: 'vim' },
      runEditor: (_c, initial) => ({ text: 'Answer' + initial, ok: true }),
    });
    await cursorTo(ui, 'Does the Pro plan');
    await ui.press('r');
    await ui.waitFor('Review: reply to #3');
    await ui.press('p');
    await ui.waitFor('Reply sent on #3 (pending).');
    expect((await item(inbox.ids.seats)).status).toBe('pending');
    await ui.press('g');
    await cursorTo(ui, 'Wrong VAT');
    await ui.press('r');
    await ui.waitFor('Review: reply to #6');
    await ui.press('x');
    await ui.waitFor('Reply sent on #6 (resolved).');
    expect((await item(inbox.ids.invoice)).status).toBe('resolved');
    await ui.press('g', 'r');
    await ui.waitFor('Review: reply to');
    await ui.press('d');
    await ui.waitFor('Reply discarded: nothing was sent.');
    expect(await inbox.env.store.db.selectFrom('drafts').selectAll().execute()).toEqual([]);
  });

  it('sends nothing when $EDITOR fails, leaves the file unchanged, or empties it', async () => {
    const runs: { command: string; initial: string; file: string }[] = [];
    let answer: (initial: string) => EditorResult = () => ({ text: 'Refund re-sent today.', ok: true });
    ui = await renderConsole(inbox.env, inbox.sam, {
      env: { EDITOR: 'vim' },
      runEditor: (command, initial, file) => {
        runs.push({ command, initial, file });
        return answer(initial);
      },
    });
    const replies = async () => (await itemEvents(inbox.env.store.db, inbox.ids.refund)).filter((e) => e.type === 'reply').length;
    const before = await replies();
    await cursorTo(ui, 'Refund has not arrived');
    // The reported bug: r, half a reply, :cq (text kept); r again, :q! — nothing may be sent.
    answer = () => ({ text: 'half a reply', ok: false, error: 'the editor exited with status 1' });
    await ui.press('r');
    await ui.waitFor('The editor exited with status 1: nothing was sent. Your text is kept as a draft: r opens it.');
    expect(runs[0]).toMatchObject({ command: 'vim', file: 'tandem-reply-1.txt' });
    // The editor gets the customer's last message quoted below a scissors line, removed before sending.
    expect(runs[0]!.initial).toMatch(
      /^\n\n# -+ >8 -+\n# Everything from the line above down is removed before sending\.\n# Jo Park wrote on 2026-03-02 \d\d:\d\d:\n# > Any news\?\n$/,
    );
    await ui.press('r');
    await ui.waitFor('Review: reply to #1');
    answer = (initial) => ({ text: initial, ok: true }); // :q! leaves the file as it was given
    await ui.press('e');
    await ui.waitFor('Nothing was sent: the text was left unchanged. Your draft is kept: r opens it.');
    expect(runs.at(-1)!.initial).toMatch(/^half a reply\n\n# -+ >8/);
    answer = () => ({ text: '', ok: true });
    await ui.press('r', 'e');
    await ui.waitFor('Nothing was sent: the text is empty.');
    expect(await replies()).toBe(before);
    // Only a changed text, reviewed and sent with y, goes out.
    answer = (initial) => ({ text: initial.replace('half a reply', 'half a reply, finished'), ok: true });
    await ui.press('r', 'e');
    await ui.waitFor('Review: reply to #1');
    await ui.press('y');
    await ui.waitFor('Reply sent on #1');
    expect(await lastEvent(inbox.ids.refund)).toMatchObject({ type: 'reply', body: 'half a reply, finished' });
    // Notes the same way.
    answer = () => ({ text: 'half a note', ok: false, error: 'the editor exited with status 1' });
    await ui.press('n');
    await ui.waitFor('The editor exited with status 1: nothing was sent. Your text is kept as a draft: n opens it.');
    await ui.press('n');
    await ui.waitFor('Review: internal note on #1');
    await ui.press('y');
    await ui.waitFor('Internal note added to #1.');
    expect(await lastEvent(inbox.ids.refund)).toMatchObject({ type: 'note', body: 'half a note' });
  });

  it(':reply TEXT goes to the review too, and leaves a draft I already had alone', async () => {
    ui = await renderConsole(inbox.env, inbox.sam);
    await cursorTo(ui, 'Refund has not arrived');
    await ui.press('r');
    await ui.type('A long careful answer, half done');
    await ui.press('esc');
    await ui.waitFor('Reply not sent; your draft is kept');
    await ui.press(':');
    await ui.type('reply Quick: on it.');
    await ui.press('enter');
    const f = await ui.waitFor('Review: reply to #1');
    expect(f).toContain('Quick: on it.');
    await ui.press('y');
    await ui.waitFor('Reply sent on #1');
    expect(await lastEvent(inbox.ids.refund)).toMatchObject({ type: 'reply', body: 'Quick: on it.' });
    const drafts = await inbox.env.store.db.selectFrom('drafts').select('body').execute();
    expect(drafts.map((d) => d.body)).toEqual(['A long careful answer, half done']);
  });

  it('keys faster than frames act in order: "jry" in one read replies to the second item and sends it', async () => {
    ui = await renderConsole(inbox.env, inbox.sam, { env: { EDITOR: 'ed' }, runEditor: () => ({ text: 'Quick one', ok: true }) });
    const second = /^ +(\d+) /m.exec(
      ui
        .frame()
        .split('\n')
        .filter((l) => /^[> ] +\d+ (SVC|SUP)/.test(l))[1]!,
    )![1];
    await ui.press('jry');
    await ui.waitFor(`Reply sent on #${second}`);
    // A name and Enter in one read pick at once; so do "y" and Enter; "j" and Enter open the next item.
    await ui.press('g', 'a');
    await ui.waitFor('Find:');
    await ui.press('cle\r');
    await ui.waitFor(/assigned to @cleo\./);
    await ui.press('space', 'g', 'x');
    await ui.waitFor('[y/N]');
    await ui.press('y\r');
    await ui.waitFor(/Resolved 1 of 1 item/);
    await ui.press('g', 'j\r');
    await ui.waitFor('── Thread');
    // Each key is looked up in the view the keys before it left: after Enter, j scrolls the detail.
    await ui.press('esc', 'g', '\rj');
    const f = await ui.waitFor('── Thread');
    expect(f).toMatch(/· 1\/\d+/);
    // Keys typed ahead of the prompt they open go to it: "pu" sets urgent, not "unassigned".
    await ui.press('esc', 'g', 'pl');
    await ui.waitFor(/priority low/);
    expect(ui.frame()).not.toContain('Showing only unassigned');
  });

  it('resolves with x and goes to the next item', async () => {
    ui = await renderConsole(inbox.env, inbox.sam);
    const rows = ui
      .frame()
      .split('\n')
      .filter((l) => /^[> ] +\d+ (SVC|SUP)/.test(l));
    const second = /^[> ] +(\d+)/.exec(rows[1]!)![1];
    const first = /^[> ] +(\d+)/.exec(rows[0]!)![1];
    await ui.press('x');
    await ui.waitFor(`#${first} resolved. Next: #${second}.`);
    expect((await item(Number(first))).status).toBe('resolved');
    await ui.waitFor((fr) => new RegExp(`^> +${second} `, 'm').test(fr));
    expect(ui.cursorLine()).toMatch(new RegExp(`^> +${second} `));
    // In the detail, x shows the next item's detail.
    await ui.press('enter');
    await ui.waitFor(new RegExp(`^#${second} `, 'm'));
    await ui.press('x');
    const f = await ui.waitFor(/resolved\. Next: #\d+\./);
    const next = /Next: #(\d+)/.exec(f)![1];
    await ui.waitFor(new RegExp(`^#${next} `, 'm'));
  });

  it('acts on a selection with one confirmation', async () => {
    ui = await renderConsole(inbox.env, inbox.sam);
    await ui.press('space', 'space');
    let f = await ui.waitFor('2 selected');
    expect(f).toMatch(/^>?\s?\*/m);
    expect(f).toMatch(/selection: a p s t x U act on all/);
    await ui.press('p', 'h');
    await ui.waitFor(`Set priority high on 2 selected items (#${inbox.ids.crash} #${inbox.ids.login})? [y/N]`);
    await ui.press('y');
    await ui.waitFor('Priority high on 2 of 2 items.');
    const ids = [inbox.ids.crash, inbox.ids.login];
    for (const id of ids) expect((await item(id)).priority).toBe('high');
    expect(ui.frame()).not.toContain('selected');
    // A refusal leaves the refused item selected and says why.
    await ui.press('g', 'space', 'space');
    await items.setPriority(inbox.env.ctx, inbox.ana, inbox.ids.login, 'low'); // someone else, meanwhile
    await ui.press('x');
    await ui.waitFor(/Resolve 2 selected items \(#\d+ #\d+\)\? \[y\/N\]/);
    await ui.press('y');
    f = await ui.waitFor('Resolved 1 of 2 items; 1 refused (still selected)');
    expect(f).toMatch(/#2 changed while you were looking/);
    expect(f).toContain('1 selected');
    // The confirmation says how many selected items the current filter hides.
    await ui.press('2');
    await ui.waitFor('[2 Service]');
    await ui.press('p', 'u');
    await ui.waitFor(`Set priority urgent on 1 selected item (#${inbox.ids.login}; 1 not shown by the current filter)? [y/N]`);
    await ui.press('n');
    await ui.press('esc');
    await ui.waitFor('Selection cleared.');
  });

  it('explains a conflict, reloads, and keeps the typed reply to send again', async () => {
    ui = await renderConsole(inbox.env, inbox.sam);
    await cursorTo(ui, 'Refund has not arrived');
    // Another agent changes the item after the console loaded it.
    await items.setPriority(inbox.env.ctx, inbox.ana, inbox.ids.refund, 'urgent');
    await ui.press('r');
    await ui.type('We have re-sent the refund.');
    await ui.press('ctrl+d', 'y');
    const f = await ui.waitFor('changed while you were looking');
    expect(f).toMatch(
      /#1 changed while you were looking \(just now\) — @ana: priority high → urgent\. Nothing was written; it is reloaded\./,
    );
    expect(f.replace(/\s+/g, ' ')).toMatch(/Your text is kept as a draft: r opens it again\./);
    expect(ui.cursorLine()).toMatch(/Refund has not arrived/);
    await ui.waitFor((fr) => /urgent .*Refund has not arrived/.test(fr));
    await ui.press('r');
    await ui.waitFor('We have re-sent the refund.');
    await ui.press('y');
    await ui.waitFor('Reply sent on #1');
    expect((await lastEvent(inbox.ids.refund)).body).toBe('We have re-sent the refund.');
  });
});

describe('escalation in the console', () => {
  it('escalates a service item with e (reason, then who), and refuses on a support item', async () => {
    ui = await renderConsole(inbox.env, inbox.sam);
    await cursorTo(ui, 'Refund has not arrived');
    await ui.press('e');
    await ui.waitFor('#1 is a support item; only service items are escalated');
    await cursorTo(ui, 'Does the Pro plan');
    await ui.press('e');
    await ui.waitFor('Escalate #3 to support — why?');
    await ui.press('enter');
    await ui.waitFor('✗ say why support is needed');
    await ui.type('Seats page errors for this account');
    await ui.press('enter');
    let f = await ui.waitFor('Who at support takes #3?');
    expect(f).toMatch(/nobody yet\s+support triage picks it up/);
    expect(f).not.toMatch(/@ana/); // service-only agents cannot hold support items
    await ui.type('cleo');
    await ui.press('enter');
    f = await ui.waitFor(/Escalated #3 to support as #(\d+) \(@cleo\)\. l jumps to it\./);
    const supportId = Number(/as #(\d+)/.exec(f)![1]);
    expect((await item(inbox.ids.seats)).status).toBe('escalated');
    expect((await escalationsOfItem(inbox.env.store.db, inbox.ids.seats)).asSource[0]).toMatchObject({
      supportItemId: supportId,
      reason: 'Seats page errors for this account',
    });
    await ui.waitFor(new RegExp(`→SUP #${supportId} @cleo`));
    // l opens the support item with its hand-off card.
    await cursorTo(ui, 'Does the Pro plan');
    await ui.press('l');
    await ui.waitFor('HAND-OFF');
  });

  it('hands an escalated support item back with b', async () => {
    ui = await renderConsole(inbox.env, inbox.sam);
    await cursorTo(ui, 'Does the Pro plan');
    await ui.press(':');
    await ui.type('escalate Needs a look from support');
    await ui.press('enter');
    const f = await ui.waitFor(/Escalated #3 to support as #(\d+)/);
    const supportId = Number(/as #(\d+)/.exec(f)![1]);
    await ui.press('3');
    await ui.waitFor('[3 Support]');
    await cursorTo(ui, `${supportId} SUP`);
    await ui.press('b');
    await ui.waitFor(`Hand #${supportId} back to service #3 — why?`);
    await ui.type('Not a support issue: it is a sales question');
    await ui.press('enter');
    await ui.waitFor(`Handed #${supportId} back: service #3 is open again.`);
    expect((await item(inbox.ids.seats)).status).toBe('open');
    expect((await item(supportId)).status).toBe('closed');
    // b on a support item that was not escalated says there is nothing to hand back.
    await cursorTo(ui, 'Refund has not arrived');
    await ui.press('b');
    await ui.waitFor('#1 did not come from an escalation');
  });

  it('x on a support item made by an escalation asks for the note that goes back to service', async () => {
    const { escalate } = await import('../../src/core/escalation.js');
    const r = await escalate(inbox.env.ctx, inbox.ana, inbox.ids.seats, { reason: 'Seat limit bug', to: 'cleo' });
    ui = await renderConsole(inbox.env, inbox.sam);
    await ui.press('3');
    await ui.waitFor('[3 Support]');
    await cursorTo(ui, `${r.support.id} SUP`);
    await ui.press('x');
    await ui.waitFor(`Resolve #${r.support.id} — note for service #${inbox.ids.seats}:`);
    await ui.press('esc');
    await ui.waitFor(`#${r.support.id} not resolved.`);
    expect((await item(r.support.id)).status).not.toBe('resolved');
    await ui.press('x');
    await ui.type('Raised the seat limit to 10; the customer can add seats now.');
    await ui.press('enter');
    await ui.waitFor(`#${r.support.id} resolved; service #${inbox.ids.seats} is back with your note.`);
    expect((await item(inbox.ids.seats)).status).toBe('open');
    const back = (await itemEvents(inbox.env.store.db, inbox.ids.seats)).find((e) => e.type === 'return')!;
    expect(back.data?.summary).toBe('support resolved: Raised the seat limit to 10; the customer can add seats now.');
  });
});
