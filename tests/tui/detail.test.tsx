import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import stringWidth from 'string-width';
import { escalate } from '../../src/core/escalation.js';
import * as items from '../../src/core/items.js';
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

/** Put the list cursor on the row whose subject contains `text`. */
async function cursorTo(h: Harness, text: string) {
  for (let i = 0; i < 20 && !h.cursorLine().includes(text); i++) await h.press('j');
  expect(h.cursorLine()).toContain(text);
}

describe('the item detail', () => {
  it('opens with enter: fields, customer card, and a thread where messages, replies and notes differ', async () => {
    ui = await renderConsole(inbox.env, inbox.sam, { rows: 40 });
    await cursorTo(ui, 'Refund has not arrived');
    await ui.press('enter');
    const f = await ui.waitFor('── Thread');
    expect(f).toMatch(new RegExp(`#${inbox.ids.refund} Refund has not arrived`));
    expect(f).toMatch(/SUP billing · inbound via email · high · open/);
    expect(f).toMatch(/Customer Jo Park <jo@example.com> · assignee nobody/);
    expect(f).toMatch(/Created 6 minutes ago · updated just now · v4 · resolution due in 24 hours/);
    // The customer card: value, other open items of both roles, last scores.
    expect(f).toMatch(/\n\n── Customer/); // blank lines keep their row
    expect(f).toMatch(/Lifetime \$200\.50 over 2 orders · last \$80\.50/);
    expect(f).toMatch(new RegExp(`Open: #${inbox.ids.seats} SVC new “Does the Pro plan include team seats\\?”`));
    expect(f).toMatch(/last CSAT 2\/5 .* · last NPS 9\/10/);
    // The thread: customer ← , public reply →, internal note ✎ with its body marked ┊.
    expect(f).toMatch(/← Jo Park wrote · 2026-03-02 09:00 · 6 minutes ago\n\s+I was promised a refund two weeks ago\./);
    expect(f).toMatch(/→ @cleo replied · .*\n\s+Sorry about that, checking with finance\./);
    expect(f).toMatch(/✎ @cleo internal note · .*\n\s+┊ Finance says the refund bounced\./);
    expect(f).toMatch(/← Jo Park wrote · .*\n\s+Any news\?/);
    // Esc goes back to the list, cursor where it was.
    await ui.press('esc');
    await ui.waitFor('ID ROL PRI');
    expect(ui.cursorLine()).toContain('Refund has not arrived');
  });

  it('scrolls a long thread with j/k and Space, and J/K move to the next and previous item', async () => {
    for (let i = 0; i < 30; i++) await items.note(inbox.env.ctx, inbox.cleo, inbox.ids.refund, `Line of investigation number ${i}`);
    ui = await renderConsole(inbox.env, inbox.sam, { rows: 20 });
    await cursorTo(ui, 'Refund has not arrived');
    await ui.press('enter');
    let f = await ui.waitFor(/↓ \d+ more lines/);
    const below = Number(/↓ (\d+) more lines/.exec(f)![1]);
    await ui.press('j', 'j');
    f = await ui.waitFor(`↓ ${below - 2} more lines`);
    await ui.press('space');
    expect(ui.frame()).toMatch(new RegExp(`↓ ${below - 2 - 13} more lines`));
    await ui.press('G');
    f = await ui.waitFor('— end —');
    expect(f).toContain('Line of investigation number 29');
    await ui.press('g');
    await ui.waitFor(`↓ ${below} more lines`);
    await ui.press('J');
    f = await ui.waitFor(/^#\d+ Does the Pro plan/m);
    expect(f).toMatch(/· 4\/6/);
    await ui.press('K');
    await ui.waitFor(/#\d+ Refund has not arrived/);
  });

  it('shows list and detail side by side on a wide terminal; Tab moves the keys between them', async () => {
    ui = await renderConsole(inbox.env, inbox.sam, { columns: 180, rows: 30 });
    let f = await ui.waitFor(/│#\d+ App crashes/);
    for (const line of f.split('\n')) expect(stringWidth(line)).toBeLessThanOrEqual(180);
    // The detail follows the cursor.
    await ui.press('j');
    f = await ui.waitFor(/│#\d+ Cannot log in/);
    await ui.press('tab');
    f = await ui.waitFor('J/K next/prev');
    // In the detail, j scrolls it instead of moving the list.
    await ui.press('j');
    expect(ui.cursorLine()).toContain('Cannot log in');
    await ui.press('tab');
    await ui.waitFor('j/k move');
  });

  it('opens a support item made by escalation with the hand-off card; l jumps between the linked items', async () => {
    await items.note(inbox.env.ctx, inbox.ana, inbox.ids.seats, 'Customer is upset; asked twice already.');
    const r = await escalate(inbox.env.ctx, inbox.ana, inbox.ids.seats, { reason: 'Seats page errors for this account', to: 'cleo' });
    ui = await renderConsole(inbox.env, inbox.sam, { rows: 50, columns: 120 });
    // The escalated service item says where it is.
    await cursorTo(ui, `→SUP #${r.support.id} @cleo`);
    expect(ui.cursorLine()).toMatch(/SVC normal escalated →SUP #\d+ @cleo now Does the Pro plan/);
    await ui.press('enter');
    let f = await ui.waitFor('At support as');
    expect(f).toMatch(new RegExp(`⇢ At support as #${r.support.id} \\(open, @cleo holds it\\) since just now`));
    await ui.press('l');
    f = await ui.waitFor('HAND-OFF');
    expect(f).toMatch(new RegExp(`#${r.support.id} Does the Pro plan include team seats\\?`));
    expect(f).toMatch(new RegExp(`HAND-OFF\\s+from service #${inbox.ids.seats} \\(now escalated\\) · escalated by @ana`));
    expect(f).toMatch(/│ Why: Seats page errors for this account/);
    expect(f).toMatch(/│ Customer: Jo Park <jo@example.com>/);
    expect(f).toMatch(/│ Value: \$200\.50 over 2 orders/);
    expect(f).toMatch(new RegExp(`│ Open then: #${inbox.ids.refund} SUP open “Refund has not arrived”`));
    expect(f).toMatch(/│ Scores: NPS 9 .* · CSAT 2/);
    expect(f).toMatch(/│ {2}✎ @ana internal note .*\n│\s+┊ Customer is upset; asked twice already\./);
    // The card comes before support's own thread.
    expect(f.indexOf('HAND-OFF')).toBeLessThan(f.indexOf('── Thread'));
    await ui.press('l');
    await ui.waitFor(new RegExp(`^#${inbox.ids.seats} Does the Pro plan`, 'm'));
  });

  it('draws an escalation reason once on the support item, in the card, not as a public reply', async () => {
    const reason = 'Seats page errors for this account';
    const r = await escalate(inbox.env.ctx, inbox.ana, inbox.ids.seats, { reason, to: 'cleo' });
    ui = await renderConsole(inbox.env, inbox.sam, { rows: 60, columns: 120, colour: 1 });
    await ui.press(':');
    await ui.type(`go ${r.support.id}`);
    await ui.press('enter');
    const f = await ui.waitFor('── Thread');
    expect(f.split(reason).length - 1).toBe(1);
    const line = f.split('\n').find((l) => l.includes(reason))!;
    expect(line).toMatch(/│ .*Why:/);
    expect(line).not.toContain('\u001b[32m'); // green is the public reply's colour
    expect(f).toMatch(new RegExp(`⇢ @ana escalated this from service #${inbox.ids.seats}`));
  });

  it('says a wrapped label once: continuation lines are indented, not labelled again', async () => {
    for (let i = 0; i < 6; i++)
      await items.createItem(inbox.env.ctx, inbox.sam, {
        subject: `Another long open question number ${i} about seats`,
        customer: 'jo@example.com',
        kind: 'question',
      });
    const reason =
      'The seats page fails for this account with a long error that will certainly need more than one line to show at eighty columns';
    const r = await escalate(inbox.env.ctx, inbox.ana, inbox.ids.seats, { reason, to: 'cleo' });
    ui = await renderConsole(inbox.env, inbox.sam, { rows: 80, columns: 80 });
    await ui.press(':');
    await ui.type(`go ${r.support.id}`);
    await ui.press('enter');
    const f = await ui.waitFor('── Thread');
    const lines = f.split('\n');
    for (const label of ['│ Why:', '│ Open then:', 'Open:']) {
      const at = lines.findIndex((l) => l.startsWith(label));
      expect(at, label).toBeGreaterThan(-1);
      expect(
        lines.filter((l) => l.startsWith(label)),
        label,
      ).toHaveLength(1);
      // The next line goes on with the text, indented under it (the card keeps its bar).
      const indent = label.startsWith('│') ? '│ ' + ' '.repeat(label.length - 2) : ' '.repeat(label.length);
      expect(lines[at + 1]!.startsWith(indent + ' ') || lines[at + 1]!.startsWith(indent), label).toBe(true);
      expect(lines[at + 1]!.slice(indent.length).trim().length, label).toBeGreaterThan(0);
    }
  });

  it(':go moves the list cursor to the item when the list has it, so J and K go on from there', async () => {
    await items.resolve(inbox.env.ctx, inbox.sam, inbox.ids.invoice); // not in the list of open work
    ui = await renderConsole(inbox.env, inbox.sam, { rows: 30 });
    const order = ui
      .frame()
      .split('\n')
      .filter((l) => /^[> ][* ]\s*\d+ (SVC|SUP) /.test(l))
      .map((l) => Number(/^[> ][* ]\s*(\d+)/.exec(l)![1]));
    await ui.press(':');
    await ui.type(`go ${order[3]}`);
    await ui.press('enter');
    await ui.waitFor(new RegExp(`^#${order[3]} `, 'm'));
    expect(ui.frame()).toContain('· 4/5');
    await ui.press('J');
    await ui.waitFor(new RegExp(`^#${order[4]} `, 'm'));
    await ui.press('K', 'K');
    await ui.waitFor(new RegExp(`^#${order[2]} `, 'm'));
    // An item the list does not show opens on its own; the cursor stays.
    await ui.press(':');
    await ui.type(`go ${inbox.ids.invoice}`);
    await ui.press('enter');
    await ui.waitFor(new RegExp(`^#${inbox.ids.invoice} `, 'm'));
    expect(ui.frame()).toContain('· 3/5');
  });

  it('c shows the customer page: items of both roles, orders, surveys, lifetime value; Enter opens an item', async () => {
    ui = await renderConsole(inbox.env, inbox.sam, { rows: 40 });
    await cursorTo(ui, 'Refund has not arrived');
    await ui.press('c');
    const f = await ui.waitFor('Items, both roles');
    expect(f).toMatch(/^Jo Park <jo@example\.com>/m);
    expect(f).toContain('Lifetime value $200.50 over 2 orders · average order $100.25 · 2 open items');
    expect(f).toMatch(new RegExp(`^> #${inbox.ids.seats} +SVC new`, 'm')); // newest first, both roles
    expect(f).toMatch(new RegExp(`^ {2}#${inbox.ids.refund} +SUP open`, 'm'));
    expect(f).toMatch(/2026-02-20 +\$80\.50/);
    expect(f).toMatch(/2026-02-25 +CSAT 2\/5/);
    expect(f).toMatch(/2026-02-26 +NPS 9\/10/);
    await ui.press('j', 'enter');
    await ui.waitFor(new RegExp(`^#${inbox.ids.refund} Refund has not arrived`, 'm'));
    await ui.press('c');
    await ui.waitFor('Items, both roles');
    await ui.press('esc');
    await ui.waitFor((fr) => !fr.includes('Items, both roles'));
  });

  it('marks a service item back from support until someone acts on it', async () => {
    const r = await escalate(inbox.env.ctx, inbox.ana, inbox.ids.seats, { reason: 'Needs a fix', to: 'cleo' });
    inbox.env.clock.minutes(5);
    await items.resolve(inbox.env.ctx, inbox.cleo, r.support.id, { note: 'Fixed the seat limit.' });
    ui = await renderConsole(inbox.env, inbox.sam, { rows: 40 });
    await cursorTo(ui, '↩ back from support');
    expect(ui.cursorLine()).toMatch(/SVC normal open\s+↩ back from support Does the Pro plan/);
    await ui.press('enter');
    const f = await ui.waitFor('Back from support');
    expect(f).toMatch(new RegExp(`↩ Back from support \\(#${r.support.id}, .*\\): support resolved: Fixed the seat limit\\.`));
    expect(f).toMatch(/↩ support resolved: Fixed the seat limit\./);
    await ui.press('esc');
    // Someone acts on it: the mark goes.
    inbox.env.clock.minutes(1);
    await items.note(inbox.env.ctx, inbox.ana, inbox.ids.seats, 'Calling the customer now.');
    await ui.press('ctrl+l');
    await ui.press('2');
    await ui.waitFor((fr) => fr.includes('Does the Pro plan') && !fr.includes('back from support'));
  });
});
