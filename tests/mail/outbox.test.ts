// The outbox against a real SMTP server (smtp-server on loopback): a reply is queued in the reply's
// transaction, built once, and delivered once; 4xx retries with backoff, 5xx fails and is shown, and
// a connection lost after the data leaves the reply uncertain, never resent without an agent.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { addAgent, type Agent } from '../../src/core/agents.js';
import { itemEvents } from '../../src/core/item-view.js';
import * as items from '../../src/core/items.js';
import { addMailbox } from '../../src/mail/mailboxes.js';
import {
  ackOutbox,
  cancelOutbox,
  claimDue,
  deliveryProblemCount,
  getOutboxEntry,
  listOutbox,
  recoverStaleSending,
  retryOutbox,
} from '../../src/mail/outbox.js';
import { sendQueue } from '../../src/mail/send.js';
import { runTandem } from '../helpers/cli.js';
import { testEnv, type TestEnv } from '../helpers/core.js';
import { TestSmtp, headerOf } from '../helpers/smtp.js';

let env: TestEnv;
let smtp: TestSmtp;
let sam: Agent;
const secrets = { TANDEM_TEST_SMTP_PW: '' };

beforeEach(async () => {
  env = await testEnv();
  smtp = await TestSmtp.start();
  secrets.TANDEM_TEST_SMTP_PW = smtp.password;
  sam = await addAgent(env.ctx, { handle: 'sam', name: 'Sam Rivera', roles: 'both' });
});
afterEach(async () => {
  await smtp.stop();
  await env.close();
});

async function withMailbox() {
  return addMailbox(env.ctx, {
    name: 'support',
    address: 'support@shop.example',
    fromName: 'Shop support',
    imap: 'imap://support@127.0.0.1:1',
    smtp: smtp.url,
    passwordEnv: 'TANDEM_TEST_SMTP_PW',
  });
}

/** An email item whose opening message has a Message-ID, and a later customer message. */
async function emailItem() {
  const item = await items.createItem(env.ctx, sam, {
    subject: 'Parcel lost',
    body: 'Where is my parcel?',
    customer: { email: 'jo@customer.example', name: 'Jo Lee' },
    channel: 'email',
    messageId: '<open@customer.example>',
  });
  await items.customerMessage(env.ctx, item.id, 'Any news?', { messageId: '<news@customer.example>' });
  return item;
}

const send = (o: { ignoreBackoff?: boolean } = {}) => sendQueue(env.ctx, { env: secrets, ...o });

describe('outbox and delivery', () => {
  it("delivers an agent's reply to the customer with the threading headers, once", async () => {
    await withMailbox();
    const item = await emailItem();
    const r = await items.reply(env.ctx, sam, item.id, 'We found it; it arrives tomorrow.');
    const reply = (await itemEvents(env.store.db, item.id)).find((e) => e.type === 'reply')!;
    // Written and queued together: the reply's Message-ID is the outbox entry's.
    const [queued] = await listOutbox(env.store.db);
    expect(queued).toMatchObject({ itemId: item.id, state: 'queued', recipient: 'jo@customer.example', messageId: reply.messageId });
    expect(r.item.status).toBe('open');

    const result = await send();
    expect(result.results.map((x) => x.state)).toEqual(['sent']);
    expect(smtp.received).toHaveLength(1);
    const got = smtp.received[0]!;
    expect(got.from).toBe('support@shop.example');
    expect(got.to).toEqual(['jo@customer.example']);
    expect(headerOf(got.raw, 'Message-ID')).toBe(reply.messageId);
    expect(headerOf(got.raw, 'In-Reply-To')).toBe('<news@customer.example>');
    expect(headerOf(got.raw, 'References')).toBe('<open@customer.example> <news@customer.example>');
    expect(headerOf(got.raw, 'Subject')).toBe(`Re: Parcel lost [#${item.id}]`);
    expect(headerOf(got.raw, 'Reply-To')).toBe('support@shop.example');
    expect(headerOf(got.raw, 'To')).toContain('jo@customer.example');
    expect(headerOf(got.raw, 'From')).toBe('Shop support <support@shop.example>');
    expect(got.raw.toString()).toContain('We found it; it arrives tomorrow.');
    expect(await getOutboxEntry(env.store.db, queued!.id)).toMatchObject({ state: 'sent', attempts: 1 });
    // Nothing left to send.
    expect((await send({ ignoreBackoff: true })).results).toEqual([]);
    expect(smtp.received).toHaveLength(1);
  });

  it('retries a 451 with backoff and then delivers one mail with one Message-ID', async () => {
    await withMailbox();
    const item = await emailItem();
    await items.reply(env.ctx, sam, item.id, 'Greylisting will not stop this.');
    smtp.next.push('451');
    expect((await send()).results.map((x) => x.state)).toEqual(['retry']);
    const [waiting] = await listOutbox(env.store.db);
    expect(waiting).toMatchObject({ state: 'retry', attempts: 1, lastError: expect.stringContaining('451') });
    // Not before its backoff…
    env.clock.minutes(0.5);
    expect((await send()).results).toEqual([]);
    // …then it goes.
    env.clock.minutes(1);
    expect((await send()).results.map((x) => x.state)).toEqual(['sent']);
    expect(smtp.attempts).toBe(2);
    expect(smtp.received).toHaveLength(1);
    expect(headerOf(smtp.received[0]!.raw, 'Message-ID')).toBe(waiting!.messageId);
    expect(await getOutboxEntry(env.store.db, waiting!.id)).toMatchObject({ state: 'sent', attempts: 2 });
    expect(await deliveryProblemCount(env.store.db)).toBe(0);
  });

  it('marks a 550 failed, shows it on the item, and does not retry it by itself', async () => {
    await withMailbox();
    const item = await emailItem();
    await items.reply(env.ctx, sam, item.id, 'Hello?');
    smtp.mode = '550';
    expect((await send()).results.map((x) => x.state)).toEqual(['failed']);
    const [entry] = await listOutbox(env.store.db, { state: 'failed' });
    expect(entry!.lastError).toContain('550');
    expect(await deliveryProblemCount(env.store.db)).toBe(1);
    const ev = (await itemEvents(env.store.db, item.id)).at(-1)!;
    expect(ev).toMatchObject({ type: 'delivery', author: { type: 'system' }, data: { outbox: entry!.id, state: 'failed' } });
    env.clock.days(2);
    expect((await send()).results).toEqual([]);
    // An agent retries (the address was fixed on the server's side): same mail, same Message-ID.
    smtp.mode = 'accept';
    await retryOutbox(env.ctx, sam, entry!.id);
    expect((await send()).results.map((x) => x.state)).toEqual(['sent']);
    expect(headerOf(smtp.received[0]!.raw, 'Message-ID')).toBe(entry!.messageId);
    expect(await deliveryProblemCount(env.store.db)).toBe(0);
  });

  it('leaves a reply uncertain when the connection drops after the data, and never resends it by itself', async () => {
    await withMailbox();
    const item = await emailItem();
    await items.reply(env.ctx, sam, item.id, 'Maybe twice?');
    smtp.next.push('drop-after-data');
    expect((await send()).results.map((x) => x.state)).toEqual(['uncertain']);
    expect(smtp.received).toHaveLength(1);
    env.clock.days(3);
    expect((await send({ ignoreBackoff: true })).results).toEqual([]);
    expect(smtp.received).toHaveLength(1);
    const [entry] = await listOutbox(env.store.db, { state: 'uncertain' });
    expect(await deliveryProblemCount(env.store.db)).toBe(1);
    // The agent checked with the customer: it did not arrive. Now, and only now, it is sent again.
    await retryOutbox(env.ctx, sam, entry!.id);
    expect((await send()).results.map((x) => x.state)).toEqual(['sent']);
    expect(smtp.received).toHaveLength(2);
    expect(headerOf(smtp.received[1]!.raw, 'Message-ID')).toBe(entry!.messageId);
    const decided = (await itemEvents(env.store.db, item.id)).filter((e) => e.type === 'delivery');
    expect(decided.map((e) => [e.author.type, e.data?.state])).toEqual([
      ['system', 'uncertain'],
      ['agent', 'queued'],
    ]);
  });

  it('keeps a reply queued when the SMTP server is down, and sends it when it is back', async () => {
    await withMailbox();
    const item = await emailItem();
    await smtp.stop();
    const r = await items.reply(env.ctx, sam, item.id, 'Written while the server is down.');
    expect(r.changed).toBe(true);
    expect((await send()).results.map((x) => x.state)).toEqual(['retry']);
    const [entry] = await listOutbox(env.store.db);
    expect(entry!.lastError).toMatch(/connection refused/);
    expect(entry!.nextAttemptAt! > env.clock.now().toISOString()).toBe(true);
    smtp = await TestSmtp.start(smtp.port);
    env.clock.minutes(2);
    expect((await send()).results.map((x) => x.state)).toEqual(['sent']);
    expect(smtp.received).toHaveLength(1);
    expect(headerOf(smtp.received[0]!.raw, 'Message-ID')).toBe(entry!.messageId);
  });

  it('keeps retrying while the SMTP password is wrong, and delivers once it is fixed', async () => {
    await withMailbox();
    const item = await emailItem();
    await items.reply(env.ctx, sam, item.id, 'Behind a wrong password.');
    const wrong = await sendQueue(env.ctx, { env: { TANDEM_TEST_SMTP_PW: 'not-it' } });
    expect(wrong.results).toMatchObject([{ state: 'retry', detail: expect.stringContaining('authentication failed') }]);
    env.clock.minutes(2);
    expect((await send()).results.map((x) => x.state)).toEqual(['sent']);
    expect(smtp.received).toHaveLength(1);
  });

  it('sends each reply exactly once when three `mail send` processes run at the same moment', async () => {
    await withMailbox();
    const item = await emailItem();
    for (let i = 1; i <= 6; i++) await items.reply(env.ctx, sam, item.id, `Update number ${i}.`);
    // Three processes (the built binary): on PostgreSQL their claims collide under SERIALIZABLE and
    // are run again; a claim is committed before its mail goes out, so nothing is sent twice.
    const runs = await Promise.all([1, 2, 3].map(() => runTandem(['mail', 'send'], { db: env.dbPath, as: 'sam', env: secrets })));
    for (const r of runs) expect(r.code, r.stderr).toBe(0);
    expect(smtp.received).toHaveLength(6);
    const ids = smtp.received.map((m) => headerOf(m.raw, 'Message-ID'));
    expect(new Set(ids).size).toBe(6);
    expect((await listOutbox(env.store.db)).map((e) => e.state)).toEqual(Array(6).fill('sent'));
  });

  it('turns a reply a dead sender left in `sending` into uncertain after its lease', async () => {
    await withMailbox();
    const item = await emailItem();
    await items.reply(env.ctx, sam, item.id, 'Half sent.');
    const [claimed] = await claimDue(env.ctx, 'email');
    expect(claimed!.state).toBe('sending');
    expect(await recoverStaleSending(env.ctx)).toBe(0);
    env.clock.minutes(11);
    expect(await recoverStaleSending(env.ctx)).toBe(1);
    expect(await getOutboxEntry(env.store.db, claimed!.id)).toMatchObject({ state: 'uncertain' });
    expect((await send()).results).toEqual([]);
  });

  it('queues nothing for an email item while there is no mailbox (nothing could deliver it)', async () => {
    const item = await emailItem();
    await items.reply(env.ctx, sam, item.id, 'Recorded only.');
    expect(await listOutbox(env.store.db)).toEqual([]);
  });

  it('keeps a reply to a customer without an email address as failed, in plain sight', async () => {
    await withMailbox();
    const item = await items.createItem(env.ctx, sam, { subject: 'Call me', body: 'x', customer: { name: 'No Mail' }, channel: 'email' });
    await items.reply(env.ctx, sam, item.id, 'How do I reach you?');
    expect(await listOutbox(env.store.db)).toMatchObject([{ state: 'failed', lastError: 'the customer has no email address' }]);
    expect(await deliveryProblemCount(env.store.db)).toBe(1);
    await expect(retryOutbox(env.ctx, sam, (await listOutbox(env.store.db))[0]!.id)).rejects.toThrow(/no email address/);
  });

  it('queues replies on script channels for scripts, which acknowledge the outcome', async () => {
    const item = await items.createItem(env.ctx, sam, {
      subject: 'SMS',
      body: 'hi',
      customer: { email: 'p@customer.example', phone: '+15550100', name: 'P' },
      channel: 'sms',
    });
    await items.reply(env.ctx, sam, item.id, 'Your order shipped.');
    await items.reply(env.ctx, sam, item.id, 'Tracking: 123.');
    const claimed = await claimDue(env.ctx, 'sms');
    expect(claimed.map((c) => [c.recipient, c.body])).toEqual([
      ['+15550100', 'Your order shipped.'],
      ['+15550100', 'Tracking: 123.'],
    ]);
    expect(await claimDue(env.ctx, 'sms')).toEqual([]);
    await ackOutbox(env.ctx, sam, claimed[0]!.id);
    await ackOutbox(env.ctx, sam, claimed[1]!.id, 'provider said: number unreachable');
    expect((await listOutbox(env.store.db)).map((e) => [e.body, e.state, e.lastError])).toEqual([
      ['Tracking: 123.', 'failed', 'provider said: number unreachable'],
      ['Your order shipped.', 'sent', null],
    ]);
    await expect(ackOutbox(env.ctx, sam, claimed[0]!.id)).rejects.toThrow(/sent; nothing to acknowledge/);
    await expect(cancelOutbox(env.ctx, sam, claimed[0]!.id)).rejects.toThrow(/already sent/);
  });
});
