// Fetching mail from a real IMAP server (Dovecot, unprivileged, loopback) into items: once and only
// once, threaded, machine mail flagged and never answered, unreadable mail kept and shown.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { addAgent, type Agent } from '../../src/core/agents.js';
import { itemEvents } from '../../src/core/item-view.js';
import * as items from '../../src/core/items.js';
import { queryInbox } from '../../src/core/inbox.js';
import { fetchMailbox, fetchedMailRaw, listFetchedMail } from '../../src/mail/fetch.js';
import { addMailbox, type Mailbox } from '../../src/mail/mailboxes.js';
import { listOutbox } from '../../src/mail/outbox.js';
import { Dovecot, dovecotPresent, mailText } from '../helpers/dovecot.js';
import { testEnv, type TestEnv } from '../helpers/core.js';

const present = dovecotPresent();

describe.skipIf(!present)('mail fetch against Dovecot', () => {
  let dv: Dovecot;
  let env: TestEnv;
  let sam: Agent;
  let mb: Mailbox;
  const secrets = { TANDEM_TEST_IMAP_PW: '' };

  beforeAll(async () => {
    dv = await Dovecot.start();
    secrets.TANDEM_TEST_IMAP_PW = dv.password;
  }, 30_000);
  afterAll(async () => {
    await dv?.stop();
  });

  let folderSeq = 0;
  let folder = '';
  beforeEach(async () => {
    env = await testEnv();
    sam = await addAgent(env.ctx, { handle: 'sam', name: 'Sam', roles: 'both', email: 'sam@shop.example' });
    // Each test reads its own folder, so tests never see each other's mail.
    folder = `T${++folderSeq}`;
    await (await dv.client()).mailboxCreate(folder);
    mb = await addMailbox(env.ctx, {
      name: 'support',
      address: 'support@shop.example',
      imap: `${dv.url}/${folder}`,
      smtp: 'smtp://support@127.0.0.1:1',
      passwordEnv: 'TANDEM_TEST_IMAP_PW',
    });
  });
  afterEach(async () => {
    await env.close();
  });

  const fetch = () => fetchMailbox(env.ctx, sam, mb, { env: secrets });
  const append = (raw: string | Buffer) => dv.append(raw, folder);
  const allItems = () => queryInbox(env.ctx, null, { statuses: 'all', limit: 100 });

  it('turns new mail into items, and fetching again adds nothing', async () => {
    await append(mailText({ from: 'Jo <jo@customer.example>', subject: 'Order 1042 never arrived', body: 'Where is it?' }));
    await append(mailText({ from: 'kim@customer.example', subject: 'Invoice question' }));
    const first = await fetch();
    expect(first.messages.map((m) => m.state)).toEqual(['applied', 'applied']);
    const list = await allItems();
    expect(list.map((i) => i.subject).sort()).toEqual(['Invoice question', 'Order 1042 never arrived']);
    const jo = list.find((i) => i.subject.startsWith('Order'))!;
    expect(jo).toMatchObject({
      channel: 'email',
      direction: 'inbound',
      role: 'support',
      customer: { name: 'Jo', email: 'jo@customer.example' },
    });
    expect((await itemEvents(env.store.db, jo.id))[0]).toMatchObject({
      type: 'created',
      body: 'Where is it?',
      author: { type: 'customer' },
    });

    const again = await fetch();
    expect(again.messages).toEqual([]);
    expect(await allItems()).toHaveLength(2);
    // One new message later: only it is fetched (the cursor, not a rescan).
    await append(mailText({ from: 'lee@customer.example', subject: 'Third' }));
    expect((await fetch()).messages.map((m) => m.subject)).toEqual(['Third']);
    expect(await allItems()).toHaveLength(3);
  });

  it('with --since reads only mail the server received since then, and later fetches go on from there', async () => {
    await dv.append(mailText({ from: 'old@customer.example', subject: 'Years ago' }), folder, new Date('2019-05-01T10:00:00Z'));
    await append(mailText({ from: 'new@customer.example', subject: 'This week' }));
    const since = new Date(Date.now() - 7 * 86_400_000);
    expect((await fetchMailbox(env.ctx, sam, mb, { env: secrets, since })).messages.map((m) => m.subject)).toEqual(['This week']);
    expect((await fetch()).messages).toEqual([]);
    expect((await allItems()).map((i) => i.subject)).toEqual(['This week']);
  });

  it("puts a customer's reply on its item and reopens it; [#id] joins only for that item's customer", async () => {
    await append(mailText({ from: 'jo@customer.example', subject: 'Refund', messageId: '<first@customer.example>' }));
    await fetch();
    const [item] = await allItems();
    await items.resolve(env.ctx, sam, item!.id);
    await append(
      mailText({ from: 'jo@customer.example', subject: 'Re: Refund', inReplyTo: '<first@customer.example>', body: 'Still nothing.' }),
    );
    // Threads by Tandem's own Message-ID pattern even when the id is not one we stored.
    await append(
      mailText({
        from: 'jo@customer.example',
        subject: 'Re: something',
        references: `<tandem.${item!.id}.0123456789abcdef@shop.example>`,
        body: 'By pattern.',
      }),
    );
    await append(mailText({ from: 'jo@customer.example', subject: `About my refund [#${item!.id}]`, body: 'By tag.' }));
    await append(mailText({ from: 'stranger@elsewhere.example', subject: `Hijack [#${item!.id}]`, body: 'Not my item.' }));
    const r = await fetch();
    expect(r.messages.map((m) => [m.outcome, m.itemId === item!.id])).toEqual([
      ['message', true],
      ['message', true],
      ['message', true],
      ['item', false],
    ]);
    const events = await itemEvents(env.store.db, item!.id);
    expect(events.filter((e) => e.type === 'message').map((e) => e.body)).toEqual(['Still nothing.', 'By pattern.', 'By tag.']);
    const after = (await allItems()).find((i) => i.id === item!.id)!;
    expect(after.status).toBe('open');
    expect(after.reopenCount).toBe(1);
    expect(await allItems()).toHaveLength(2);
  });

  it("records mail an agent sent from another client as that agent's reply, and does not send it again", async () => {
    await append(mailText({ from: 'jo@customer.example', subject: 'Hello', messageId: '<q@customer.example>' }));
    await fetch();
    const [item] = await allItems();
    await append(
      mailText({
        from: 'Sam <sam@shop.example>',
        to: 'jo@customer.example',
        subject: 'Re: Hello',
        inReplyTo: '<q@customer.example>',
        body: 'Answered from my phone.',
      }),
    );
    await fetch();
    const reply = (await itemEvents(env.store.db, item!.id)).find((e) => e.type === 'reply');
    expect(reply).toMatchObject({ body: 'Answered from my phone.', author: { type: 'agent', handle: 'sam' } });
    expect(await listOutbox(env.store.db)).toEqual([]);
  });

  it('reads an ISO-2022-JP subject and body correctly', async () => {
    await append(
      [
        'From: =?ISO-2022-JP?B?GyRCOzNFRBsoQg==?= <yamada@customer.example.jp>',
        'To: support@shop.example',
        'Subject: =?ISO-2022-JP?B?GyRCJDRDbUo4JE43bxsoQg==?=',
        'Message-ID: <jp1@customer.example.jp>',
        'MIME-Version: 1.0',
        'Content-Type: text/plain; charset=ISO-2022-JP',
        'Content-Transfer-Encoding: 7bit',
        '',
        Buffer.from('GyRCJCpAJE9DJEskSiRDJEYkKiRqJF4kOSEjGyhC', 'base64').toString('latin1'),
        '',
      ].join('\r\n'),
    );
    await fetch();
    const [item] = await allItems();
    expect(item!.subject).toBe('ご注文の件');
    expect(item!.customer?.name).toBe('山田');
    expect((await itemEvents(env.store.db, item!.id))[0]!.body).toBe('お世話になっております。');
  });

  it('never answers an auto-reply: it becomes a flagged note, reopens nothing and queues nothing', async () => {
    await append(mailText({ from: 'jo@customer.example', subject: 'Question', messageId: '<ask@customer.example>' }));
    await fetch();
    const [item] = await allItems();
    await items.reply(env.ctx, sam, item!.id, 'Here is the answer.', { status: 'resolved' });
    const queued = await listOutbox(env.store.db);
    expect(queued).toHaveLength(1);
    await append(
      mailText({
        from: 'jo@customer.example',
        subject: 'Automatic reply: Re: Question',
        inReplyTo: queued[0]!.messageId,
        headers: { 'Auto-Submitted': 'auto-replied' },
        body: 'I am out of the office until Monday.',
      }),
    );
    // A new conversation from a list is flagged too, at low priority.
    await append(mailText({ from: 'news@vendor.example', subject: 'Our newsletter', headers: { 'List-Id': '<news.vendor.example>' } }));
    const r = await fetch();
    expect(r.messages.map((m) => m.outcome)).toEqual(['note (auto-reply)', 'item (list)']);
    const after = (await allItems()).find((i) => i.id === item!.id)!;
    expect(after.status).toBe('resolved');
    expect(after.tags).toContain('auto-reply');
    const last = (await itemEvents(env.store.db, item!.id)).filter((e) => e.type === 'note').at(-1);
    expect(last).toMatchObject({ body: 'I am out of the office until Monday.', data: { auto: 'auto-reply' } });
    expect(await listOutbox(env.store.db)).toHaveLength(1);
    const list = (await allItems()).find((i) => i.subject === 'Our newsletter')!;
    expect(list).toMatchObject({ priority: 'low', tags: ['list'] });
  });

  it('keeps a message it cannot apply, marks it failed with its bytes, and goes on with the rest', async () => {
    const broken = 'To: support@shop.example\r\nSubject: no sender at all\r\nMessage-ID: <nofrom@x.example>\r\n\r\nwho am I?\r\n';
    await append(mailText({ from: 'a@customer.example', subject: 'Before' }));
    await append(broken);
    await append(mailText({ from: 'b@customer.example', subject: 'After' }));
    const r = await fetch();
    expect(r.messages.map((m) => m.state)).toEqual(['applied', 'failed', 'applied']);
    expect((await allItems()).map((i) => i.subject).sort()).toEqual(['After', 'Before']);
    const failed = await listFetchedMail(env.ctx, { state: 'failed' });
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({ subject: 'no sender at all', error: expect.stringContaining('no From address') });
    expect((await fetchedMailRaw(env.ctx, failed[0]!.id))!.toString()).toBe(broken);
    // It is not retried forever on every fetch, and it does not block newer mail.
    await append(mailText({ from: 'c@customer.example', subject: 'Later' }));
    expect((await fetch()).messages.map((m) => m.subject)).toEqual(['Later']);
  });

  it('after a UIDVALIDITY reset rescans the folder without making duplicates', async () => {
    const a = mailText({ from: 'a@customer.example', subject: 'One' });
    const b = mailText({ from: 'b@customer.example', subject: 'Two' });
    await append(a);
    await append(b);
    const first = await fetch();
    expect(first.messages).toHaveLength(2);
    // The server forgets the folder's UIDs: delete and re-create it (a new UIDVALIDITY) with the same mail and one more.
    const client = await dv.client();
    await client.mailboxDelete(folder);
    await new Promise((r) => setTimeout(r, 1100)); // Dovecot derives UIDVALIDITY from the clock's second
    await client.mailboxCreate(folder);
    await append(a);
    await append(b);
    await append(mailText({ from: 'c@customer.example', subject: 'Three' }));
    const second = await fetch();
    expect(second.reset).toBe(true);
    expect(second.uidvalidity).not.toBe(first.uidvalidity);
    expect(second.messages.map((m) => m.state)).toEqual(['duplicate', 'duplicate', 'applied']);
    expect((await allItems()).map((i) => i.subject).sort()).toEqual(['One', 'Three', 'Two']);
    expect(await fetch()).toMatchObject({ reset: false, messages: [] });
  });
});
