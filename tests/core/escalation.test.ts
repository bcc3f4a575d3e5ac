// Escalation with context: the snapshot, the loop back to service, hand-back, and every refusal.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { standardAgents, testEnv, type TestEnv } from '../helpers/core.js';
import * as items from '../../src/core/items.js';
import { escalate, getSnapshot, handback, listEscalations } from '../../src/core/escalation.js';
import { getItemView, itemEvents } from '../../src/core/item-view.js';
import { addOrder } from '../../src/core/customers.js';
import { addSurvey } from '../../src/core/surveys.js';
import { TandemError } from '../../src/core/errors.js';
import type { Agent } from '../../src/core/agents.js';

let env: TestEnv;
let ana: Agent, cleo: Agent;

beforeEach(async () => {
  env = await testEnv();
  ({ ana, cleo } = await standardAgents(env.ctx));
});
afterEach(async () => env.close());

async function refused(p: Promise<unknown>, kind: TandemError['kind'], re: RegExp) {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(TandemError);
  expect((e as TandemError).kind).toBe(kind);
  expect((e as TandemError).message).toMatch(re);
}

async function serviceItemWithHistory() {
  await addOrder(env.ctx, { customer: 'jo@example.com', amount: 10, orderedAt: '2026-01-01T00:00:00Z' }).catch(() => undefined);
  const item = await items.createItem(env.ctx, ana, {
    subject: 'Pre-sales: invoice wrong?',
    customer: { email: 'jo@example.com', name: 'Jo' },
    kind: 'question',
    body: 'My invoice shows the wrong plan',
    priority: 'high',
  });
  await addOrder(env.ctx, { customer: 'jo@example.com', amount: 120, orderedAt: '2026-02-01T00:00:00Z' });
  await addOrder(env.ctx, { customer: 'jo@example.com', amount: 80.5, orderedAt: '2026-02-15T00:00:00Z' });
  await addSurvey(env.ctx, ana, { kind: 'nps', score: 4, customer: 'jo@example.com' });
  const other = await items.createItem(env.ctx, ana, { subject: 'Older bug', customer: 'jo@example.com', kind: 'bug' });
  await items.take(env.ctx, ana, item.id);
  env.clock.minutes(10);
  await items.reply(env.ctx, ana, item.id, 'Let me check');
  await items.note(env.ctx, ana, item.id, 'Looks like a billing bug, not mine to fix');
  return { item, other };
}

describe('escalate', () => {
  it('creates a linked support item with a frozen context snapshot, in one step', async () => {
    const { item, other } = await serviceItemWithHistory();
    env.clock.minutes(5);
    const r = await escalate(env.ctx, ana, item.id, { reason: 'Billing system shows the wrong plan', to: 'cleo' });
    expect(r.source).toMatchObject({ id: item.id, status: 'escalated' });
    expect(r.support).toMatchObject({
      role: 'support',
      status: 'open',
      priority: 'high',
      assignee: 'cleo',
      customer: { email: 'jo@example.com' },
    });
    expect(r.escalation).toMatchObject({ sourceItemId: item.id, supportItemId: r.support.id, escalatedBy: 'ana', state: 'open' });

    const snap = (await getSnapshot(env.store.db, r.support.id))!;
    expect(snap.reason).toBe('Billing system shows the wrong plan');
    expect(snap.escalatedBy.handle).toBe('ana');
    expect(snap.customer).toMatchObject({ name: 'Jo', email: 'jo@example.com', lifetimeRevenue: 200.5, orderCount: 2 });
    expect(snap.lastOrders.map((o) => o.amount)).toEqual([80.5, 120]);
    expect(snap.openItems.map((i) => i.id)).toEqual([other.id]);
    expect(snap.surveys).toMatchObject([{ kind: 'nps', score: 4 }]);
    expect(snap.source.thread.map((e) => e.type)).toEqual(['created', 'assign', 'status', 'reply', 'note']);
    expect(snap.source.thread.find((e) => e.type === 'note')!.body).toBe('Looks like a billing bug, not mine to fix');

    const sourceEvents = await itemEvents(env.store.db, item.id);
    expect(sourceEvents.slice(-2).map((e) => e.type)).toEqual(['escalate', 'status']);
    const supportEvents = await itemEvents(env.store.db, r.support.id);
    expect(supportEvents.map((e) => e.type)).toEqual(['created', 'escalate']);
  });

  it('never changes the snapshot afterwards, whatever happens to the customer, orders or source', async () => {
    const { item } = await serviceItemWithHistory();
    const r = await escalate(env.ctx, ana, item.id, { reason: 'Needs support' });
    const before = JSON.stringify(await getSnapshot(env.store.db, r.support.id));
    await addOrder(env.ctx, { customer: 'jo@example.com', amount: 999 });
    await env.store.db.updateTable('customers').set({ name: 'Joanna' }).execute();
    await items.note(env.ctx, ana, item.id, 'note after escalation');
    await items.reply(env.ctx, cleo, r.support.id, 'Fixing it');
    expect(JSON.stringify(await getSnapshot(env.store.db, r.support.id))).toBe(before);
  });

  it("returns the source to open, still assigned, with support's resolution note", async () => {
    const { item } = await serviceItemWithHistory();
    const r = await escalate(env.ctx, ana, item.id, { reason: 'Needs support', to: 'cleo' });
    env.clock.hours(3);
    await items.resolve(env.ctx, cleo, r.support.id, { note: 'Refunded the difference and fixed the plan' });
    const source = await getItemView(env.store.db, item.id, env.clock.now());
    expect(source).toMatchObject({ status: 'open', assignee: 'ana' });
    const ret = (await itemEvents(env.store.db, item.id)).find((e) => e.type === 'return')!;
    expect(ret.body).toBe('Refunded the difference and fixed the plan');
    expect(ret.data).toMatchObject({
      outcome: 'resolved',
      summary: 'support resolved: Refunded the difference and fixed the plan',
      supportItemId: r.support.id,
    });
    expect((await listEscalations(env.ctx))[0]).toMatchObject({
      state: 'resolved',
      returnNote: 'Refunded the difference and fixed the plan',
    });
    expect(await listEscalations(env.ctx, { open: true })).toEqual([]);
  });

  it('says so when support closes without resolving', async () => {
    const { item } = await serviceItemWithHistory();
    const r = await escalate(env.ctx, ana, item.id, { reason: 'Needs support' });
    await items.close(env.ctx, cleo, r.support.id);
    const ret = (await itemEvents(env.store.db, item.id)).find((e) => e.type === 'return')!;
    expect(ret.data).toMatchObject({ outcome: 'closed' });
    expect(String(ret.data!.summary)).toMatch(/support closed without resolving/);
    expect((await getItemView(env.store.db, item.id, env.clock.now())).status).toBe('open');
  });

  it('hands back without resolving: the support item closes and the source reopens with the reason', async () => {
    const { item } = await serviceItemWithHistory();
    const r = await escalate(env.ctx, ana, item.id, { reason: 'Needs support' });
    const h = await handback(env.ctx, cleo, r.support.id, 'Not a support issue: it is a pricing question');
    expect(h.support.status).toBe('closed');
    expect(h.source.status).toBe('open');
    expect(h.escalation.state).toBe('handed_back');
    const ret = (await itemEvents(env.store.db, item.id)).find((e) => e.type === 'return')!;
    expect(ret.body).toBe('Not a support issue: it is a pricing question');
    await refused(handback(env.ctx, cleo, r.support.id, 'again'), 'conflict', /already returned/);
  });

  it('refuses with a conflict and writes nothing: support items, escalated, resolved or closed items, non-support assignees', async () => {
    const { item } = await serviceItemWithHistory();
    const support = await items.createItem(env.ctx, cleo, { subject: 'Bug', customer: 'jo@example.com', kind: 'bug' });
    const count = async () =>
      (
        await env.store.db
          .selectFrom('items')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n;
    const n0 = await count();
    await refused(escalate(env.ctx, ana, support.id, { reason: 'x' }), 'conflict', /support item; only service items/);
    await refused(escalate(env.ctx, ana, item.id, { reason: 'x', to: 'ana' }), 'conflict', /does not work support/);
    await refused(escalate(env.ctx, ana, item.id, { reason: 'x', priority: 'low' }), 'invalid', /at least the source's \(high\)/);
    await refused(escalate(env.ctx, ana, item.id, { reason: '  ' }), 'invalid', /empty/);
    expect(await count()).toBe(n0);
    const r = await escalate(env.ctx, ana, item.id, { reason: 'x' });
    await refused(
      escalate(env.ctx, ana, item.id, { reason: 'again' }),
      'conflict',
      new RegExp(`already escalated \\(support item #${r.support.id}\\)`),
    );
    await refused(items.setStatus(env.ctx, ana, item.id, 'resolved'), 'conflict', /escalated to support/);
    await refused(items.assign(env.ctx, cleo, r.support.id, 'ana'), 'conflict', /does not work support/);
    const done = await items.createItem(env.ctx, ana, { subject: 'Done', customer: 'jo@example.com', kind: 'question' });
    await items.resolve(env.ctx, ana, done.id);
    await refused(escalate(env.ctx, ana, done.id, { reason: 'x' }), 'conflict', /resolved; reopen it/);
    await items.close(env.ctx, ana, done.id);
    await refused(escalate(env.ctx, ana, done.id, { reason: 'x' }), 'conflict', /closed/);
    await refused(handback(env.ctx, cleo, support.id, 'x'), 'conflict', /did not come from an escalation/);
  });
});
