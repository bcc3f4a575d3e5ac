import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { standardAgents, testEnv, type TestEnv } from '../helpers/core.js';
import * as items from '../../src/core/items.js';
import { itemEvents, getItemView } from '../../src/core/item-view.js';
import { queryInbox } from '../../src/core/inbox.js';
import { TandemError } from '../../src/core/errors.js';
import type { Agent } from '../../src/core/agents.js';

let env: TestEnv;
let sam: Agent, ana: Agent, cleo: Agent;

beforeEach(async () => {
  env = await testEnv();
  ({ sam, ana, cleo } = await standardAgents(env.ctx));
});
afterEach(async () => env.close());

async function expectError(p: Promise<unknown>, kind: TandemError['kind'], match?: RegExp) {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  expect(e, 'expected the call to be refused').toBeInstanceOf(TandemError);
  expect((e as TandemError).kind).toBe(kind);
  if (match) expect((e as TandemError).message).toMatch(match);
}

async function eventCount(id: number) {
  return (await itemEvents(env.store.db, id)).length;
}

describe('creating items', () => {
  it('makes an inbound item from a customer, new and unassigned, with SLA due times from the policy', async () => {
    const item = await items.createItem(env.ctx, sam, {
      subject: 'Cannot log in',
      body: 'Help',
      customer: 'jo@example.com',
      kind: 'access',
    });
    expect(item).toMatchObject({
      role: 'support',
      kind: 'access',
      status: 'new',
      priority: 'normal',
      direction: 'inbound',
      version: 1,
      assignee: null,
    });
    expect(item.customer?.email).toBe('jo@example.com');
    // support normal: first response 8h, resolution 3 days, from creation (09:00).
    expect(item.sla.firstResponseDueAt).toBe('2026-03-02T17:00:00.000Z');
    expect(item.sla.resolutionDueAt).toBe('2026-03-05T09:00:00.000Z');
    const events = await itemEvents(env.store.db, item.id);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ type: 'created', body: 'Help', author: { type: 'customer', name: 'jo' } });
  });

  it('makes an outbound item started by the agent, open, with no first-response clock until the customer writes', async () => {
    const item = await items.createItem(env.ctx, ana, {
      subject: 'How is onboarding going?',
      customer: 'jo@example.com',
      direction: 'outbound',
      kind: 'onboarding',
      body: 'Hi Jo',
    });
    expect(item).toMatchObject({ role: 'service', status: 'open', direction: 'outbound' });
    expect(item.sla.firstResponseDueAt).toBeNull();
    const events = await itemEvents(env.store.db, item.id);
    expect(events[0]!.author).toMatchObject({ type: 'agent', handle: 'ana' });
    // The agent's opening message is not a response; the reply after the customer's message is.
    env.clock.hours(2);
    await items.reply(env.ctx, ana, item.id, 'Anything else?');
    expect((await getItemView(env.store.db, item.id, env.clock.now())).firstResponseAt).toBeNull();
    env.clock.hours(1);
    await items.customerMessage(env.ctx, item.id, 'Actually yes, one question');
    env.clock.minutes(30);
    const r = await items.reply(env.ctx, ana, item.id, 'Sure!');
    expect(r.item.firstResponseAt).toBe('2026-03-02T12:30:00.000Z');
  });

  it('refuses bad input and writes nothing', async () => {
    await expectError(items.createItem(env.ctx, sam, { subject: '  ', customer: 'a@b.co' }), 'invalid', /subject/);
    await expectError(
      items.createItem(env.ctx, sam, { subject: 'x', customer: 'a@b.co', priority: 'asap' }),
      'invalid',
      /priority must be one of/,
    );
    await expectError(items.createItem(env.ctx, sam, { subject: 'x', customer: 'not-an-email' }), 'invalid', /email/);
    await expectError(items.createItem(env.ctx, sam, { subject: 'x', customer: 'a@b.co', body: '   ' }), 'invalid', /empty/);
    await expectError(items.createItem(env.ctx, sam, { subject: 'x' }), 'invalid', /customer/);
    await expectError(items.createItem(env.ctx, sam, { subject: 'x', customer: 'a@b.co', assignee: 'nobody' }), 'not_found');
    await expectError(
      items.createItem(env.ctx, sam, { subject: 'x', customer: 'a@b.co', kind: 'bug', assignee: 'ana' }),
      'conflict',
      /does not work support/,
    );
    const all = await queryInbox(env.ctx, null, { statuses: 'all' });
    expect(all).toHaveLength(0);
    const customers = await env.store.db.selectFrom('customers').selectAll().execute();
    expect(customers).toHaveLength(0);
  });
});

describe('actions', () => {
  it('sets first_response_at on the first public reply only, and notes never count', async () => {
    const { id } = await items.createItem(env.ctx, sam, { subject: 'Bug', customer: 'jo@example.com', kind: 'bug' });
    env.clock.minutes(10);
    await items.note(env.ctx, cleo, id, 'checking logs');
    expect((await getItemView(env.store.db, id, env.clock.now())).firstResponseAt).toBeNull();
    env.clock.minutes(5);
    const first = await items.reply(env.ctx, cleo, id, 'On it');
    expect(first.item.firstResponseAt).toBe('2026-03-02T09:15:00.000Z');
    expect(first.item.status).toBe('open');
    env.clock.minutes(5);
    const second = await items.reply(env.ctx, cleo, id, 'Fixed');
    expect(second.item.firstResponseAt).toBe('2026-03-02T09:15:00.000Z');
  });

  it('bumps the version and writes an event on every change', async () => {
    const { id } = await items.createItem(env.ctx, sam, { subject: 'Bug', customer: 'jo@example.com', kind: 'bug' });
    const steps = [
      () => items.take(env.ctx, cleo, id),
      () => items.setPriority(env.ctx, cleo, id, 'high'),
      () => items.changeTags(env.ctx, cleo, id, { add: ['vip', 'refund'] }),
      () => items.changeTags(env.ctx, cleo, id, { remove: ['refund'] }),
      () => items.setStatus(env.ctx, cleo, id, 'pending'),
      () => items.resolve(env.ctx, cleo, id),
      () => items.reopen(env.ctx, cleo, id),
      () => items.close(env.ctx, cleo, id),
    ];
    let version = 1;
    for (const step of steps) {
      const before = await eventCount(id);
      const r = await step();
      expect(r.changed).toBe(true);
      expect(r.item.version).toBe(++version);
      expect(await eventCount(id)).toBeGreaterThan(before);
    }
    const view = await getItemView(env.store.db, id, env.clock.now());
    expect(view).toMatchObject({ status: 'closed', priority: 'high', tags: ['vip'], assignee: 'cleo', reopenCount: 1 });
    const events = await itemEvents(env.store.db, id);
    expect(events.every((e) => e.author.type === 'agent' || e.type === 'created')).toBe(true);
    expect(Math.max(...events.map((e) => e.version))).toBe(view.version);
  });

  it('does nothing (and bumps nothing) when asked for what is already true', async () => {
    const { id } = await items.createItem(env.ctx, sam, { subject: 'Bug', customer: 'jo@example.com', kind: 'bug', priority: 'high' });
    const r = await items.setPriority(env.ctx, sam, id, 'high');
    expect(r.changed).toBe(false);
    expect(r.item.version).toBe(1);
    expect(await eventCount(id)).toBe(1);
  });

  it('refuses a stale version with who changed what, and writes nothing', async () => {
    const { id } = await items.createItem(env.ctx, sam, { subject: 'Bug', customer: 'jo@example.com', kind: 'bug' });
    await items.setPriority(env.ctx, cleo, id, 'urgent', { expectedVersion: 1 });
    const before = await eventCount(id);
    await expectError(items.reply(env.ctx, sam, id, 'hello', { expectedVersion: 1 }), 'conflict', /@cleo.*priority normal → urgent/);
    expect(await eventCount(id)).toBe(before);
    const view = await getItemView(env.store.db, id, env.clock.now());
    expect(view.version).toBe(2);
    expect(view.firstResponseAt).toBeNull();
  });

  it('only allows the status transitions of the design', async () => {
    const { id } = await items.createItem(env.ctx, sam, { subject: 'Bug', customer: 'jo@example.com', kind: 'bug' });
    await expectError(items.setStatus(env.ctx, sam, id, 'escalated'), 'conflict', /escalate/);
    await expectError(items.setStatus(env.ctx, sam, id, 'snoozed'), 'invalid', /snooze/);
    await items.resolve(env.ctx, sam, id);
    await expectError(items.setStatus(env.ctx, sam, id, 'pending'), 'conflict', /resolved; it can go to open, closed/);
    await items.close(env.ctx, sam, id);
    await expectError(items.reply(env.ctx, sam, id, 'hi'), 'conflict', /closed/);
    await expectError(items.setStatus(env.ctx, sam, id, 'new'), 'conflict');
  });

  it('reopens a resolved item when the customer writes, counting a reopen, without resetting the first response', async () => {
    const { id } = await items.createItem(env.ctx, sam, { subject: 'Bug', customer: 'jo@example.com', kind: 'bug' });
    env.clock.minutes(20);
    await items.reply(env.ctx, cleo, id, 'Fixed');
    await items.resolve(env.ctx, cleo, id);
    env.clock.days(1);
    const r = await items.customerMessage(env.ctx, id, 'It broke again');
    expect(r.item).toMatchObject({ status: 'open', reopenCount: 1, resolvedAt: null, firstResponseAt: '2026-03-02T09:20:00.000Z' });
    const events = await itemEvents(env.store.db, id);
    expect(events.slice(-2).map((e) => [e.type, e.author.type])).toEqual([
      ['message', 'customer'],
      ['status', 'customer'],
    ]);
  });

  it('needs --force to take an item assigned to someone else', async () => {
    const { id } = await items.createItem(env.ctx, sam, { subject: 'Q', customer: 'jo@example.com', kind: 'question' });
    await items.take(env.ctx, ana, id);
    await expectError(items.take(env.ctx, sam, id), 'conflict', /assigned to @ana.*--force/);
    const r = await items.take(env.ctx, sam, id, { force: true });
    expect(r.item.assignee).toBe('sam');
  });

  it('recomputes due times when the priority changes, keeping an explicit due date', async () => {
    const { id } = await items.createItem(env.ctx, sam, { subject: 'Bug', customer: 'jo@example.com', kind: 'bug' });
    env.clock.minutes(61);
    const r = await items.setPriority(env.ctx, sam, id, 'urgent');
    // support urgent: 1h / 8h from creation at 09:00
    expect(r.item.sla).toMatchObject({
      firstResponseDueAt: '2026-03-02T10:00:00.000Z',
      resolutionDueAt: '2026-03-02T17:00:00.000Z',
      state: 'breached',
    });
    const f = await items.createItem(env.ctx, ana, {
      subject: 'Follow up',
      customer: 'jo@example.com',
      direction: 'outbound',
      due: '2026-03-10T09:00:00Z',
    });
    const r2 = await items.setPriority(env.ctx, ana, f.id, 'high');
    expect(r2.item.sla.resolutionDueAt).toBe('2026-03-10T09:00:00.000Z');
  });

  it('wakes snoozed items by themselves once their time has passed', async () => {
    const { id } = await items.createItem(env.ctx, sam, { subject: 'Bug', customer: 'jo@example.com', kind: 'bug' });
    await items.snooze(env.ctx, sam, id, '2h');
    expect((await queryInbox(env.ctx, null, {})).map((i) => i.id)).not.toContain(id);
    env.clock.hours(2);
    env.clock.minutes(1);
    // Reading the inbox wakes it (recorded as a system event), so it is back without anyone acting.
    expect((await queryInbox(env.ctx, null, {})).map((i) => i.id)).toContain(id);
    expect(await items.wakeSnoozed(env.ctx)).toBe(0);
    const view = await getItemView(env.store.db, id, env.clock.now());
    expect(view).toMatchObject({ status: 'open', snoozedUntil: null });
    const last = (await itemEvents(env.store.db, id)).at(-1)!;
    expect(last).toMatchObject({ type: 'status', author: { type: 'system' }, data: { from: 'snoozed', to: 'open' } });
  });

  it('refuses empty, NUL-containing and oversized bodies', async () => {
    const { id } = await items.createItem(env.ctx, sam, { subject: 'Bug', customer: 'jo@example.com', kind: 'bug' });
    await expectError(items.reply(env.ctx, sam, id, ' \n '), 'invalid', /empty/);
    await expectError(items.note(env.ctx, sam, id, 'a\u0000b'), 'invalid', /NUL/);
    await expectError(items.reply(env.ctx, sam, id, 'x'.repeat(1_000_001)), 'invalid', /limit/);
    expect(await eventCount(id)).toBe(1);
  });
});

describe('search', () => {
  it('finds items by subject and by message body, and treats FTS syntax as plain words', async () => {
    const a = await items.createItem(env.ctx, sam, { subject: 'Refund for order 1234', customer: 'jo@example.com', kind: 'billing' });
    const b = await items.createItem(env.ctx, sam, {
      subject: 'Login',
      customer: 'al@example.com',
      kind: 'access',
      body: 'the "magic" link NEAR(expired) -again',
    });
    const ids = async (q: string) => (await queryInbox(env.ctx, null, { search: q, statuses: 'all' })).map((i) => i.id).sort();
    expect(await ids('refund')).toEqual([a.id]);
    expect(await ids('magic link')).toEqual([b.id]);
    expect(await ids('expir')).toEqual([b.id]); // prefix on the last word
    for (const hostile of ['"', '*', 'NEAR(', '-', ':', 'a OR b', '"unbalanced', 'col:value', '^', '(', 'AND', 'NOT']) {
      await expect(ids(hostile)).resolves.toBeInstanceOf(Array);
    }
    expect(await ids('NEAR(expired')).toEqual([b.id]);
    expect(await ids('-again')).toEqual([b.id]);
  });
});
