// The rules of a new item (src/core/new-item.ts), as a pure function: status, role and kind, due
// times from the policy, explicit due, historic timelines, and who may be assigned.
import { describe, expect, it } from 'vitest';
import { newItemRecord, type NewItem, type PolicyOf } from '../../src/core/new-item.js';
import { policyLookup } from '../../src/core/item-writers.js';
import { TandemError } from '../../src/core/errors.js';
import type { PolicyRule } from '../../src/core/sla.js';
import type { Priority, Role } from '../../src/core/vocabulary.js';

const T0 = '2026-03-02T09:00:00.000Z';
const plus = (iso: string, minutes: number) => new Date(Date.parse(iso) + minutes * 60_000).toISOString();

const rule = (role: Role, priority: Priority, fr: number, res: number): PolicyRule => ({
  role,
  priority,
  firstResponseMinutes: fr,
  resolutionMinutes: res,
  calendar: null,
  pauseWhenWaiting: false,
  hours: null,
});
// Distinct targets per role and priority, so a due time says which policy it came from.
const policies: PolicyOf = policyLookup([
  rule('support', 'normal', 60, 24 * 60),
  rule('support', 'urgent', 15, 4 * 60),
  rule('service', 'normal', 120, 48 * 60),
  rule('service', 'high', 30, 8 * 60),
]);

const ana = { id: 2, handle: 'ana', roles: 'service' as const, active: true };
const cleo = { id: 4, handle: 'cleo', roles: 'support' as const, active: true };
const gone = { id: 9, handle: 'gone', roles: 'both' as const, active: false };

const base: NewItem = {
  subject: 'Charged twice',
  body: 'Please refund one.',
  customerId: 7,
  createdAt: T0,
  createdBy: 'sam',
  creatorAgentId: 1,
};
const make = (input: Partial<NewItem>, options = {}) => newItemRecord({ ...base, ...input }, policies, options);
const data = (json: string | null | undefined) => JSON.parse(json ?? 'null');

function refusal(fn: () => unknown): TandemError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(TandemError);
    return e as TandemError;
  }
  throw new Error('expected the input to be refused');
}

describe('a new item', () => {
  it('is new while nobody holds it, open once assigned, and open when an agent started it', () => {
    expect(make({}).item.status).toBe('new');
    expect(make({ role: 'support', assignee: cleo }).item).toMatchObject({ status: 'open', assignee_id: 4 });
    expect(make({ direction: 'outbound' }).item.status).toBe('open');
  });

  it('takes its role from its kind, its kind from its role and direction, and support/other from nothing', () => {
    expect(make({ kind: 'billing' }).item).toMatchObject({ role: 'support', kind: 'billing' });
    expect(make({ kind: 'renewal' }).item).toMatchObject({ role: 'service', kind: 'renewal' });
    expect(make({ role: 'service' }).item).toMatchObject({ role: 'service', kind: 'question' });
    expect(make({ role: 'service', direction: 'outbound' }).item).toMatchObject({ role: 'service', kind: 'follow_up' });
    expect(make({}).item).toMatchObject({ role: 'support', kind: 'other', channel: 'email', direction: 'inbound', priority: 'normal' });
    expect(make({ direction: 'outbound' }).item).toMatchObject({ role: 'service', kind: 'follow_up', channel: 'phone' });
    expect(refusal(() => make({ kind: 'weather' })).message).toMatch(/kind must be one of/);
  });

  it("is due by its role and priority's policy, from the customer's message; the earliest due is next", () => {
    const support = make({ kind: 'bug', priority: 'urgent' }).item;
    expect(support).toMatchObject({
      first_response_due_at: plus(T0, 15),
      resolution_due_at: plus(T0, 240),
      next_due_at: plus(T0, 15),
      resolution_due_explicit: 0,
    });
    const service = make({ role: 'service', priority: 'high' }).item;
    expect(service).toMatchObject({ first_response_due_at: plus(T0, 30), resolution_due_at: plus(T0, 480) });
    // An agent's opening message is no customer message: nothing to respond to yet.
    const outbound = make({ role: 'service', direction: 'outbound' }).item;
    expect(outbound).toMatchObject({
      first_customer_message_at: null,
      first_response_due_at: null,
      resolution_due_at: plus(T0, 48 * 60),
      next_due_at: plus(T0, 48 * 60),
    });
    // No policy for a role and priority: no targets, never a crash.
    expect(make({ role: 'support', priority: 'low' }).item).toMatchObject({
      first_response_due_at: null,
      resolution_due_at: null,
      next_due_at: null,
    });
  });

  it('keeps an explicit due time as the resolution due, marked explicit', () => {
    const due = '2026-03-05T17:00:00.000Z';
    const item = make({ role: 'service', direction: 'outbound', due }).item;
    expect(item).toMatchObject({ resolution_due_at: due, resolution_due_explicit: 1, next_due_at: due });
  });

  it('writes one created event, by the customer when they wrote it, else by the agent who made it', () => {
    const inbound = make({ tags: ['VIP', '#vip', 'refund'], eventData: { source: 'test' } });
    expect(inbound.tags).toEqual(['vip', 'refund']);
    expect(inbound.events).toHaveLength(1);
    expect(inbound.events[0]).toMatchObject({
      version: 1,
      type: 'created',
      author_type: 'customer',
      author_customer_id: 7,
      body: 'Please refund one.',
      created_at: T0,
    });
    expect(data(inbound.events[0]!.data)).toMatchObject({
      role: 'support',
      kind: 'other',
      assignee: null,
      tags: ['vip', 'refund'],
      createdBy: 'sam',
      source: 'test',
    });
    const outbound = make({ direction: 'outbound' });
    expect(outbound.events[0]).toMatchObject({ author_type: 'agent', author_agent_id: 1, author_customer_id: null });
    expect(outbound.item.version).toBe(1);
  });

  it('refuses an empty subject, a bad tag, and a customer-less item outside the internal channel', () => {
    expect(refusal(() => make({ subject: '   ' })).kind).toBe('invalid');
    expect(refusal(() => make({ tags: ['no spaces allowed'] })).kind).toBe('invalid');
    expect(refusal(() => make({ customerId: null })).message).toMatch(/needs a customer/);
    expect(make({ customerId: null, channel: 'internal' }).events[0]!.author_type).toBe('agent');
  });
});

describe('who may be assigned', () => {
  it("refuses an agent who does not work the item's role, and a deactivated one", () => {
    const wrongRole = refusal(() => make({ kind: 'bug', assignee: ana }));
    expect(wrongRole.kind).toBe('conflict');
    expect(wrongRole.message).toMatch(/@ana does not work support/);
    expect(refusal(() => make({ assignee: gone })).message).toMatch(/deactivated/);
  });

  it('an import that keeps such rows leaves the item unassigned and new, with the assignee as imported text', () => {
    const kept = make({ kind: 'bug', assignee: ana, importedAssignee: 'Ana Costa' }, { keepUnassignable: true });
    expect(kept.item).toMatchObject({ assignee_id: null, status: 'new' });
    expect(data(kept.events[0]!.data)).toMatchObject({ assignee: null, importedAssignee: 'Ana Costa' });
    // An agent who can take it is assigned, and nothing is "imported".
    const taken = make({ kind: 'bug', assignee: cleo, importedAssignee: 'cleo' }, { keepUnassignable: true });
    expect(taken.item).toMatchObject({ assignee_id: 4, status: 'open' });
    expect(data(taken.events[0]!.data)).not.toHaveProperty('importedAssignee');
  });
});

describe('a historic item', () => {
  it('arrives resolved then closed, with a status event for each, in time order, never closed before resolved', () => {
    const resolvedAt = plus(T0, 90);
    const { item, events } = make({ outcome: { status: 'closed', resolvedAt, updatedAt: plus(T0, 60) }, createdBy: 'import' });
    expect(events.map((e) => [e.version, e.type, data(e.data)?.to ?? null, e.created_at])).toEqual([
      [1, 'created', null, T0],
      [2, 'status', 'resolved', resolvedAt],
      [3, 'status', 'closed', resolvedAt],
    ]);
    expect(data(events[1]!.data)).toEqual({ from: 'new', to: 'resolved', imported: true });
    expect(events[1]!.author_type).toBe('system');
    expect(item).toMatchObject({
      status: 'closed',
      version: 3,
      first_resolved_at: resolvedAt,
      resolved_at: resolvedAt,
      closed_at: resolvedAt,
      updated_at: resolvedAt,
      next_due_at: null,
    });
  });

  it('times before its creation count from the creation; a resolved one owes nothing; pending moves from its first status', () => {
    const resolved = make({ outcome: { status: 'resolved', resolvedAt: plus(T0, -60) } }).item;
    expect(resolved).toMatchObject({ status: 'resolved', resolved_at: T0, first_resolved_at: T0, next_due_at: null });
    const pending = make({ role: 'support', assignee: cleo, outcome: { status: 'pending', updatedAt: plus(T0, 30) } });
    expect(pending.events.map((e) => data(e.data)?.from ?? null)).toEqual([null, 'open']);
    expect(pending.item).toMatchObject({ status: 'pending', updated_at: plus(T0, 30), version: 2 });
    // "new" in the other system, but held by someone: open, as any assigned item.
    expect(make({ role: 'support', assignee: cleo, outcome: { status: 'new' } }).item).toMatchObject({ status: 'open', version: 1 });
  });

  it('reads a later timeline into the row: first response, reopen, snooze, and a version per change', () => {
    const agent = { type: 'agent' as const, agentId: 4 };
    const customer = { type: 'customer' as const, customerId: 7 };
    const { item, events } = make({
      role: 'support',
      assignee: cleo,
      history: [
        { type: 'reply', at: plus(T0, 20), author: agent, body: 'On it.' },
        { type: 'status', at: plus(T0, 80), author: agent, data: { from: 'open', to: 'resolved' } },
        { type: 'message', at: plus(T0, 200), author: customer, body: 'Again!' },
        { type: 'status', at: plus(T0, 200), author: customer, data: { from: 'resolved', to: 'open', reopen: true } },
        { type: 'snooze', at: plus(T0, 300), author: agent, data: { until: plus(T0, 900) } },
        { type: 'status', at: plus(T0, 300), author: agent, data: { from: 'open', to: 'snoozed' }, sameChange: true },
      ],
    });
    expect(item).toMatchObject({
      status: 'snoozed',
      snoozed_until: plus(T0, 900),
      first_response_at: plus(T0, 20),
      agent_reply_count: 1,
      first_resolved_at: plus(T0, 80),
      resolved_at: null,
      reopen_count: 1,
      version: 6,
      updated_at: plus(T0, 300),
    });
    expect(events.map((e) => e.version)).toEqual([1, 2, 3, 4, 5, 6, 6]);
  });

  it('a reply opens an item nobody held; a second resolution keeps the first one as the first', () => {
    const agent = { type: 'agent' as const, agentId: 1 };
    const customer = { type: 'customer' as const, customerId: 7 };
    expect(make({ history: [{ type: 'reply', at: plus(T0, 5), author: agent, body: 'Hi' }] }).item.status).toBe('open');
    const { item } = make({
      role: 'support',
      assignee: cleo,
      history: [
        { type: 'status', at: plus(T0, 10), author: agent, data: { from: 'open', to: 'resolved' } },
        { type: 'status', at: plus(T0, 20), author: customer, data: { from: 'resolved', to: 'open', reopen: true } },
        { type: 'status', at: plus(T0, 30), author: agent, data: { from: 'open', to: 'resolved' } },
      ],
    });
    expect(item).toMatchObject({ status: 'resolved', first_resolved_at: plus(T0, 10), resolved_at: plus(T0, 30), reopen_count: 1 });
  });

  it("an agent-started item owes a first response from the customer's first message", () => {
    const customer = { type: 'customer' as const, customerId: 7 };
    const { item } = make({
      role: 'service',
      direction: 'outbound',
      history: [{ type: 'message', at: plus(T0, 600), author: customer, body: 'Thanks!' }],
    });
    expect(item).toMatchObject({ status: 'open', first_customer_message_at: plus(T0, 600), first_response_due_at: plus(T0, 600 + 120) });
  });
});
