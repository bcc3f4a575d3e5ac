// Delivery in the console: each reply's state in the thread, the failed-delivery count in the status
// bar, and retrying from the item (D). Delivery goes to a real SMTP server (smtp-server on loopback).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as items from '../../src/core/items.js';
import { addMailbox } from '../../src/mail/mailboxes.js';
import { listOutbox } from '../../src/mail/outbox.js';
import { sendQueue } from '../../src/mail/send.js';
import { TestSmtp } from '../helpers/smtp.js';
import { renderConsole, type Harness } from './harness.js';
import { seededInbox, type Inbox } from './fixtures.js';

let inbox: Inbox;
let smtp: TestSmtp;
let ui: Harness | undefined;

beforeEach(async () => {
  inbox = await seededInbox();
  smtp = await TestSmtp.start();
  await addMailbox(inbox.env.ctx, {
    name: 'support',
    address: 'support@shop.example',
    imap: 'imap://support@127.0.0.1:1',
    smtp: smtp.url,
    passwordEnv: 'PW',
  });
});
afterEach(async () => {
  ui?.unmount();
  ui = undefined;
  await smtp.stop();
  await inbox.env.close();
});

const send = () => sendQueue(inbox.env.ctx, { env: { PW: smtp.password } });

describe('delivery in the console', () => {
  it('shows a refused reply in the thread and the status bar, and D sends it again', async () => {
    await items.reply(inbox.env.ctx, inbox.sam, inbox.ids.refund, 'The refund left our bank today.');
    smtp.mode = '550';
    await send();
    ui = await renderConsole(inbox.env, inbox.sam);
    let f = await ui.waitFor('failed delivery');
    expect(f).toContain(`✉ 1 failed delivery (#${inbox.ids.refund}; D in the item retries)`);
    for (let i = 0; i < 20 && !ui.cursorLine().includes('Refund has not arrived'); i++) await ui.press('j');
    await ui.press('enter');
    f = await ui.waitFor('NOT DELIVERED');
    expect(f).toMatch(/@sam replied[^\n]*\n\s+✉ NOT DELIVERED to jo@example\.com: 550 Mailbox unavailable/);
    await ui.press('D');
    await ui.waitFor(`Send 1 reply on #${inbox.ids.refund} again?`);
    await ui.press('y');
    await ui.waitFor('queued again');
    // The console says so first and then reloads the item and the counts (a PostgreSQL read takes a
    // moment longer): wait for the reloaded screen rather than the first frame with the message.
    f = await ui.waitFor((fr) => fr.includes('✉ queued to jo@example.com') && !fr.includes('failed delivery'));
    expect(f).toContain('queued again');
    expect(f).not.toContain('NOT DELIVERED');
    smtp.mode = 'accept';
    await send();
    expect(smtp.received).toHaveLength(1);
    expect((await listOutbox(inbox.env.store.db)).map((e) => e.state)).toEqual(['sent']);
    await ui.press('esc', 'enter');
    await ui.waitFor('✉ sent to jo@example.com');
  });

  it('says when the server may already have an uncertain reply before sending it again', async () => {
    await items.reply(inbox.env.ctx, inbox.sam, inbox.ids.refund, 'Did this arrive?');
    smtp.next.push('drop-after-data');
    await send();
    ui = await renderConsole(inbox.env, inbox.sam);
    for (let i = 0; i < 20 && !ui.cursorLine().includes('Refund has not arrived'); i++) await ui.press('j');
    await ui.press('enter');
    await ui.waitFor('✉ UNCERTAIN to jo@example.com: the server may have it');
    await ui.press('D');
    await ui.waitFor('may already have arrived');
    await ui.press('n');
    await ui.waitFor('Nothing changed.');
    expect((await listOutbox(inbox.env.store.db)).map((e) => e.state)).toEqual(['uncertain']);
  });
});
