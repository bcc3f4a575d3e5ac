// End to end: a reply typed in the console (the built binary in tmux) reaches a real SMTP server
// (smtp-server on loopback) through the outbox, and the thread then shows it sent.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { addAgent } from '../../src/core/agents.js';
import { makeCtx } from '../../src/core/context.js';
import * as items from '../../src/core/items.js';
import { addMailbox } from '../../src/mail/mailboxes.js';
import { openStore } from '../../src/store/open.js';
import { BIN, runTandem } from '../helpers/cli.js';
import { tempDir } from '../helpers/core.js';
import { dropDatabase, newDatabase } from '../helpers/store-target.js';
import { TestSmtp, headerOf } from '../helpers/smtp.js';
import { TmuxSession, hasTmux, sh } from '../helpers/tmux.js';

describe.skipIf(!hasTmux)('a reply typed in the console is delivered by email', () => {
  let dir: string;
  let db: string;
  let smtp: TestSmtp;
  let term: TmuxSession | undefined;

  beforeEach(async () => {
    dir = tempDir('tandem-e2e-mail-');
    db = await newDatabase('e2e_mail');
    smtp = await TestSmtp.start();
  });
  afterEach(async () => {
    term?.kill();
    term = undefined;
    await smtp.stop();
    fs.rmSync(dir, { recursive: true, force: true });
    await dropDatabase(db);
  });

  it("reaches the SMTP server with the customer as recipient and the thread's headers", async () => {
    const store = await openStore(db);
    const ctx = makeCtx(store);
    const sam = await addAgent(ctx, { handle: 'sam', name: 'Sam Rivera', roles: 'both' });
    await addMailbox(ctx, {
      name: 'support',
      address: 'support@shop.example',
      fromName: 'Shop support',
      imap: 'imap://support@127.0.0.1:1',
      smtp: smtp.url,
      passwordEnv: 'SHOP_PW',
    });
    const item = await items.createItem(ctx, sam, {
      subject: 'Where is my parcel?',
      body: 'It has been a week.',
      customer: { email: 'jo@customer.example', name: 'Jo Lee' },
      channel: 'email',
      messageId: '<parcel@customer.example>',
    });
    await store.close();

    const editor = path.join(dir, 'editor.sh');
    // The reply goes above the quoted message (everything from the scissors line down is dropped).
    fs.writeFileSync(editor, '#!/bin/sh\n{ printf "It is out for delivery today.\\n"; cat "$1"; } > "$1.new" && mv "$1.new" "$1"\n', {
      mode: 0o755,
    });
    const consoleCmd = `env -u CI -u NO_COLOR -u VISUAL EDITOR=${sh(editor)} ${sh(process.execPath)} ${sh(BIN)} --db ${sh(db)} --as sam`;
    term = new TmuxSession(`bash --noprofile --norc -c ${sh(`${consoleCmd}; sleep 120`)}`);
    await term.waitFor('Where is my parcel?');
    term.keys('Enter');
    await term.waitFor('It has been a week.');
    term.keys('r');
    // The editor wrote the reply; the console's review step shows it, and y sends it.
    await term.waitFor('Review: reply to #');
    term.keys('y');
    await term.waitFor(`Reply sent on #${item.id}`);
    await term.waitFor('✉ queued to jo@customer.example');

    // The mail daemon's send step, from another process, with the password in its environment only.
    const sent = await runTandem(['mail', 'send'], { db, as: 'sam', env: { SHOP_PW: smtp.password } });
    expect(sent.code).toBe(0);
    expect(smtp.received).toHaveLength(1);
    const mail = smtp.received[0]!;
    expect(mail.to).toEqual(['jo@customer.example']);
    expect(headerOf(mail.raw, 'In-Reply-To')).toBe('<parcel@customer.example>');
    expect(headerOf(mail.raw, 'Subject')).toBe(`Re: Where is my parcel? [#${item.id}]`);
    expect(mail.raw.toString()).toContain('It is out for delivery today.');
    // The console notices the other process's change and shows the reply delivered.
    await term.waitFor('✉ sent to jo@customer.example', 15_000);
  }, 60_000);
});
