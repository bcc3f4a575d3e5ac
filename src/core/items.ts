// Items: creating them and every action an agent (or a customer message) can take on one.
import { findAgent, type Agent } from './agents.js';
import type { Ctx } from './context.js';
import { findCustomer, findOrCreateCustomer, type Customer } from './customers.js';
import { conflict, invalid } from './errors.js';
import { getItemView, type ItemView } from './item-view.js';
import {
  applyChange,
  asAgent,
  mutateItem,
  type Actor,
  type Change,
  type ItemRow,
  type MutationOptions,
  type MutationResult,
  type NewEvent,
} from './item-mutate.js';
import { policyRules } from './sla.js';
import { parseWhen } from './time.js';
import { PRIORITIES, parseEnum, type Priority, type Role, type Status } from './vocabulary.js';
import { newItemRecord } from './new-item.js';
import { policyLookup, transactionItemWriter } from './item-writers.js';
import { onItemDone } from './escalation-hooks.js';
import type { Db } from '../store/store.js';
import { fireRules } from './rules/hook.js';
import { checkAssignable, normaliseTag, requireBody } from './item-rules.js';
import { canTransition, refuseTransition, statusChange, tagChange } from './item-status.js';
import { queueReply } from '../mail/outbox.js';

// The text and assignment rules live in item-rules.ts and the status rules in item-status.ts (escalation
// and the rules engine need them without the actions); re-exported here.
export { MAX_BODY_CHARS, normaliseSubject, normaliseTag, requireBody } from './item-rules.js';

// ---------------------------------------------------------------------------------------------
// Create

export interface NewItemInput {
  role?: string;
  kind?: string;
  subject: string;
  body?: string | null;
  /** Email, `#id`, or a profile to find-or-create by email. */
  customer?: string | { name?: string; email?: string | null; phone?: string | null; company?: string | null } | null;
  channel?: string;
  direction?: string;
  priority?: string;
  assignee?: string | null;
  tags?: string[];
  /** Explicit resolution due time (ISO or everyday form), e.g. a follow-up's date. */
  due?: string | null;
  externalId?: string | null;
  /** The opening message's id in another system (an email Message-ID): unique, for threading and idempotent imports. */
  messageId?: string | null;
  /** Extra facts for the 'created' event's data (e.g. an email's attachments). */
  eventData?: Record<string, unknown> | null;
}

/**
 * Create an item. Inbound items are a customer's message (author: the customer);
 * outbound items are started by the acting agent (their opening message is not a "response").
 * The rules of a new item are new-item.ts's; this finds the customer and assignee it names.
 */
export async function createItem(ctx: Ctx, actor: Agent, input: NewItemInput): Promise<ItemView> {
  const clockNow = ctx.clock();
  const now = clockNow.toISOString();
  const explicitDue = input.due ? parseWhen(input.due, clockNow, 'future').toISOString() : null;
  return ctx.store.write(async (trx) => {
    let customer: Customer | null = null;
    if (typeof input.customer === 'string') {
      const ref = input.customer.trim();
      customer = /^#?\d+$/.test(ref) ? await findCustomer(trx, ref) : await findOrCreateCustomer(trx, { email: ref }, now);
    } else if (input.customer) {
      customer = await findOrCreateCustomer(trx, input.customer, now);
    }
    const assignee = input.assignee ? await findAgent(trx, input.assignee) : null;
    const record = newItemRecord(
      {
        subject: input.subject,
        body: input.body,
        role: input.role,
        kind: input.kind,
        channel: input.channel,
        direction: input.direction,
        priority: input.priority,
        assignee,
        customerId: customer?.id ?? null,
        tags: input.tags,
        createdAt: now,
        createdBy: actor.handle,
        creatorAgentId: actor.id,
        due: explicitDue,
        externalId: input.externalId,
        messageId: input.messageId,
        eventData: input.eventData,
      },
      policyLookup(await policyRules(trx)),
    );
    const id = await transactionItemWriter(trx).create(record);
    if (id === null) {
      const externalId = record.item.external_id ?? null;
      const dup = await trx.selectFrom('items').select('id').where('external_id', '=', externalId).executeTakeFirstOrThrow();
      throw conflict(`an item with external id ${JSON.stringify(externalId)} already exists (#${dup.id})`);
    }
    await fireRules(trx, 'created', id, { change: 'created', actor: asAgent(actor), now: clockNow });
    return getItemView(trx, id, clockNow);
  });
}

// ---------------------------------------------------------------------------------------------
// Actions

type Opts = MutationOptions;

/** A step that must commit or fail with the text that is sent (drafts.ts removes the sent draft). */
type WithinWrite = { withinWrite?: (trx: Db) => Promise<void> };

function alsoAfter(change: Change, step: WithinWrite['withinWrite']): Change {
  if (!step) return change;
  const before = change.after;
  return {
    ...change,
    after: async (trx, version) => {
      await before?.(trx, version);
      await step(trx);
    },
  };
}

export interface ReplyOptions {
  status?: string;
  messageId?: string | null;
  data?: Record<string, unknown> | null;
}

/** The change a public reply makes (and a status it moves to), for `reply` and composed changes (macros). */
export function replyChange(row: ItemRow, agent: Agent, text: string, now: string, opts: ReplyOptions = {}): Change {
  const then = opts.status ? parseEnum('status', ['open', 'pending', 'resolved'] as const, opts.status) : undefined;
  if (row.status === 'closed') throw conflict(`item #${row.id} is closed; reopen it before replying`);
  const set: Change['set'] = { agent_reply_count: row.agent_reply_count + 1 };
  // The first public reply after the customer's first message is the first response; reopens don't reset it.
  if (!row.first_response_at && row.first_customer_message_at) set.first_response_at = now;
  const events: NewEvent[] = [{ type: 'reply', body: text, messageId: opts.messageId ?? null, data: opts.data ?? null }];
  let change: Change = { set, events };
  const target: Status | undefined = then ?? (row.status === 'new' ? 'open' : undefined);
  if (target && target !== row.status) {
    if (!canTransition(row.status as Status, target)) refuseTransition(row, target);
    const sc = statusChange(row, target, now);
    change = { set: { ...sc.set, ...set }, events: [...events, ...sc.events] };
    if (target === 'resolved') change.after = (trx) => onItemDone(trx, { ...row, ...change.set } as ItemRow, 'resolved', text, agent, now);
  }
  return change;
}

export async function reply(
  ctx: Ctx,
  agent: Agent,
  itemId: number,
  body: string,
  opts: Opts & WithinWrite & ReplyOptions = {},
): Promise<MutationResult> {
  const text = requireBody(body, 'reply');
  if (opts.status) parseEnum('status', ['open', 'pending', 'resolved'] as const, opts.status);
  return mutateItem(ctx, itemId, asAgent(agent), opts, async (row, trx, now) =>
    alsoAfter(await withDelivery(trx, row, agent, text, now, replyChange(row, agent, text, now, opts), opts.messageId), opts.withinWrite),
  );
}

/**
 * Queue a public reply for delivery in the reply's own transaction (never lost, sent after commit) and
 * give the reply event the mail's Message-ID. A reply that brings its own Message-ID was sent elsewhere.
 */
export async function withDelivery(
  trx: Db,
  row: ItemRow,
  agent: Agent,
  text: string,
  now: string,
  change: Change,
  ownMessageId?: string | null,
): Promise<Change> {
  if (ownMessageId) return change;
  const queuedId = await queueReply(trx, row, agent, text, now);
  const event = change.events.find((e) => e.type === 'reply');
  if (queuedId && event) event.messageId = queuedId;
  return change;
}

export function noteChange(text: string): Change {
  return { set: {}, events: [{ type: 'note', body: text }] };
}

export async function note(
  ctx: Ctx,
  agent: Agent,
  itemId: number,
  body: string,
  opts: Opts & WithinWrite & { messageId?: string | null; data?: Record<string, unknown> | null } = {},
): Promise<MutationResult> {
  const text = requireBody(body, 'note');
  // An imported note carries its id in the other system, so importing it again adds nothing.
  return mutateItem(ctx, itemId, asAgent(agent), opts, () => {
    const change = noteChange(text);
    change.events[0]!.messageId = opts.messageId ?? null;
    change.events[0]!.data = opts.data ?? null;
    return alsoAfter(change, opts.withinWrite);
  });
}

/**
 * A message from the customer (email, chat, script). On a resolved or closed item it reopens the
 * item and counts a reopen; on a pending or snoozed item it brings the item back to open.
 */
export async function customerMessage(
  ctx: Ctx,
  itemId: number,
  body: string,
  opts: Opts & { messageId?: string | null; data?: Record<string, unknown> | null } = {},
): Promise<MutationResult> {
  const text = requireBody(body);
  // The author (the item's customer) is known only once the row is loaded, so each event names it.
  return mutateItem(ctx, itemId, SYSTEM_PLACEHOLDER, opts, async (row, _trx, now) => {
    if (!row.customer_id) throw invalid(`item #${row.id} has no customer to write as`);
    const actor: Actor = { type: 'customer', customerId: row.customer_id };
    const set: Change['set'] = {};
    const events: NewEvent[] = [{ type: 'message', body: text, messageId: opts.messageId ?? null, data: opts.data ?? null, actor }];
    // The first-response clock starts now; applyChange computes its due time (sla-due.ts).
    if (!row.first_customer_message_at) set.first_customer_message_at = now;
    const status = row.status as Status;
    if (status === 'resolved' || status === 'closed' || status === 'pending' || status === 'snoozed') {
      const sc = statusChange(row, 'open', now);
      for (const e of sc.events) e.actor = actor;
      return { set: { ...sc.set, ...set }, events: [...events, ...sc.events] };
    }
    return { set, events };
  });
}
const SYSTEM_PLACEHOLDER: Actor = { type: 'system' };

/** The change assigning `assigneeHandle` (null: nobody) makes, or null when it is already so. */
export async function assignChange(
  trx: Db,
  row: ItemRow,
  agent: Agent,
  assigneeHandle: string | null,
  force = false,
): Promise<Change | null> {
  const target = assigneeHandle ? await findAgent(trx, assigneeHandle) : null;
  if (target) checkAssignable(target, row.role as Role);
  if ((target?.id ?? null) === row.assignee_id) return null;
  const current = row.assignee_id
    ? await trx.selectFrom('agents').select('handle').where('id', '=', row.assignee_id).executeTakeFirst()
    : null;
  // Collision detection: taking over someone else's item must be deliberate.
  if (row.assignee_id && row.assignee_id !== agent.id && target?.id === agent.id && !force) {
    throw conflict(`item #${row.id} is assigned to @${current?.handle}; use --force to take it over`, { assignee: current?.handle });
  }
  const set: Change['set'] = { assignee_id: target?.id ?? null };
  const events: NewEvent[] = [{ type: 'assign', data: { from: current?.handle ?? null, to: target?.handle ?? null } }];
  if (target && row.status === 'new') {
    set.status = 'open';
    events.push({ type: 'status', data: { from: 'new', to: 'open' } });
  }
  return { set, events };
}

export async function assign(
  ctx: Ctx,
  agent: Agent,
  itemId: number,
  assigneeHandle: string | null,
  opts: Opts & { force?: boolean } = {},
): Promise<MutationResult> {
  return mutateItem(ctx, itemId, asAgent(agent), opts, (row, trx) => assignChange(trx, row, agent, assigneeHandle, opts.force));
}

export async function take(ctx: Ctx, agent: Agent, itemId: number, opts: Opts & { force?: boolean } = {}): Promise<MutationResult> {
  return assign(ctx, agent, itemId, agent.handle, opts);
}

/** The change setting `priority` makes, or null when it is already so. */
export async function priorityChange(_trx: Db, row: ItemRow, priority: Priority): Promise<Change | null> {
  if (row.priority === priority) return null;
  // Due times follow the new priority's targets: applyChange recomputes them (an explicit due date is kept).
  return { set: { priority }, events: [{ type: 'priority', data: { from: row.priority, to: priority } }] };
}

export async function setPriority(ctx: Ctx, agent: Agent, itemId: number, priorityText: string, opts: Opts = {}): Promise<MutationResult> {
  const priority = parseEnum('priority', PRIORITIES, priorityText);
  return mutateItem(ctx, itemId, asAgent(agent), opts, (row, trx) => priorityChange(trx, row, priority));
}

/** The change moving to status `to` makes (by the status rules), or null when it is already so. */
export function setStatusChange(row: ItemRow, agent: Agent, to: Status, now: string): Change | null {
  if (row.status === to) return null;
  if (!canTransition(row.status as Status, to)) refuseTransition(row, to);
  const change = statusChange(row, to, now);
  if (to === 'resolved' || to === 'closed') {
    change.after = (t) => onItemDone(t, { ...row, ...change.set } as ItemRow, to, null, agent, now);
  }
  return change;
}

export async function setStatus(ctx: Ctx, agent: Agent, itemId: number, statusText: string, opts: Opts = {}): Promise<MutationResult> {
  const to = parseEnum('status', ['new', 'open', 'pending', 'snoozed', 'escalated', 'resolved', 'closed'] as const, statusText);
  return mutateItem(ctx, itemId, asAgent(agent), opts, (row, _trx, now) => setStatusChange(row, agent, to, now));
}

export async function resolve(ctx: Ctx, agent: Agent, itemId: number, opts: Opts & { note?: string | null } = {}): Promise<MutationResult> {
  const noteText = opts.note ? requireBody(opts.note, 'resolution note') : null;
  return mutateItem(ctx, itemId, asAgent(agent), opts, (row, _trx, now) => {
    if (row.status === 'resolved') return null;
    if (!canTransition(row.status as Status, 'resolved')) refuseTransition(row, 'resolved');
    const change = statusChange(row, 'resolved', now, noteText ? [{ type: 'note', body: noteText, data: { resolution: true } }] : []);
    change.after = (t) => onItemDone(t, { ...row, ...change.set } as ItemRow, 'resolved', noteText, agent, now);
    return change;
  });
}

export async function reopen(ctx: Ctx, agent: Agent, itemId: number, opts: Opts = {}): Promise<MutationResult> {
  return mutateItem(ctx, itemId, asAgent(agent), opts, (row, _trx, now) => {
    if (row.status !== 'resolved' && row.status !== 'closed') {
      throw conflict(`item #${row.id} is ${row.status}, not resolved or closed: nothing to reopen`);
    }
    return statusChange(row, 'open', now);
  });
}

export async function close(ctx: Ctx, agent: Agent, itemId: number, opts: Opts = {}): Promise<MutationResult> {
  return mutateItem(ctx, itemId, asAgent(agent), opts, (row, _trx, now) => {
    if (row.status === 'closed') return null;
    if (!canTransition(row.status as Status, 'closed')) refuseTransition(row, 'closed');
    const change = statusChange(row, 'closed', now);
    change.after = (t) => onItemDone(t, { ...row, ...change.set } as ItemRow, 'closed', null, agent, now);
    return change;
  });
}

export async function snooze(ctx: Ctx, agent: Agent, itemId: number, untilText: string, opts: Opts = {}): Promise<MutationResult> {
  const clockNow = ctx.clock();
  const until = parseWhen(untilText, clockNow, 'future');
  if (until.getTime() <= clockNow.getTime()) throw invalid(`snooze time ${untilText} is not in the future`);
  const untilIso = until.toISOString();
  return mutateItem(ctx, itemId, asAgent(agent), opts, (row) => {
    const from = row.status as Status;
    if (from === 'resolved' || from === 'closed' || from === 'escalated') {
      throw conflict(`item #${row.id} is ${from} and cannot be snoozed`);
    }
    return {
      set: { status: 'snoozed', snoozed_until: untilIso },
      events: [
        { type: 'snooze', data: { until: untilIso } },
        ...(from === 'snoozed' ? [] : [{ type: 'status' as const, data: { from, to: 'snoozed' } }]),
      ],
    };
  });
}

/** The change adding and removing (normalised) tags makes, or null when nothing would change. */
export async function tagsChange(trx: Db, row: ItemRow, add: string[], remove: string[]): Promise<Change | null> {
  const current = new Set((await trx.selectFrom('item_tags').select('tag').where('item_id', '=', row.id).execute()).map((r) => r.tag));
  const added = add.filter((t) => !current.has(t));
  const removed = remove.filter((t) => current.has(t));
  if (added.length === 0 && removed.length === 0) return null;
  return tagChange(row.id, added, removed);
}

export async function changeTags(
  ctx: Ctx,
  agent: Agent,
  itemId: number,
  change: { add?: string[]; remove?: string[] },
  opts: Opts = {},
): Promise<MutationResult> {
  const add = [...new Set((change.add ?? []).map(normaliseTag))];
  const remove = [...new Set((change.remove ?? []).map(normaliseTag))];
  if (add.length === 0 && remove.length === 0) throw invalid('name at least one tag');
  return mutateItem(ctx, itemId, asAgent(agent), opts, (row, trx) => tagsChange(trx, row, add, remove));
}

/** Snoozes whose time has come go back to open, each with a system event. Returns how many woke. */
export async function wakeSnoozed(ctx: Ctx): Promise<number> {
  const now = ctx.clock().toISOString();
  const due = await ctx.store.db
    .selectFrom('items')
    .select('id')
    .where('status', '=', 'snoozed')
    .where('snoozed_until', '<=', now)
    .limit(1)
    .execute();
  if (due.length === 0) return 0; // the common case costs one indexed read and no lock
  return ctx.store.write(async (trx) => {
    const rows = await trx.selectFrom('items').selectAll().where('status', '=', 'snoozed').where('snoozed_until', '<=', now).execute();
    for (const row of rows) {
      // The wake happens when the snooze ended, not when someone next looked: the same data gives the
      // same history whenever a command runs (a demo written with --now in the past stays deterministic).
      const endedAt = [row.snoozed_until!, row.updated_at].sort().at(-1)!;
      await applyChange(
        trx,
        row,
        { type: 'system' },
        {
          set: { status: 'open', snoozed_until: null },
          events: [{ type: 'status', data: { from: 'snoozed', to: 'open', reason: 'snooze ended' } }],
        },
        endedAt,
      );
    }
    return rows.length;
  });
}
