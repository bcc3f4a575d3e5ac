// The one path every item change takes: lock, check the expected version, apply, bump the version,
// and append the events that explain the change. A refused change writes nothing.
import { formatDistanceStrict } from 'date-fns/formatDistanceStrict';
import type { Selectable, Updateable } from 'kysely';
import type { Db } from '../store/store.js';
import type { ItemTable } from '../store/schema.js';
import type { Agent } from './agents.js';
import type { Ctx } from './context.js';
import { conflict, notFound } from './errors.js';
import { authorLabel, getItemView, itemEvents, type EventView, type ItemView } from './item-view.js';
import { nextDueAt } from './sla.js';
import { slaFieldsForChange } from './sla-due.js';
import { captureUndo, type UndoToken } from './undo-token.js';
import type { EventType } from './vocabulary.js';
import { fireRules } from './rules/hook.js';
import { forgetChangedItemKpiDays } from './kpi-days.js';

export type ItemRow = Selectable<ItemTable>;

export type Actor = { type: 'agent'; agent: Agent } | { type: 'customer'; customerId: number } | { type: 'system' };

export const SYSTEM: Actor = { type: 'system' };
export const asAgent = (agent: Agent): Actor => ({ type: 'agent', agent });

export interface NewEvent {
  type: EventType;
  body?: string | null;
  data?: Record<string, unknown> | null;
  messageId?: string | null;
  /** Overrides the change's actor (e.g. a system event alongside an agent's change). */
  actor?: Actor;
}

export interface Change {
  set: Updateable<ItemTable>;
  events: NewEvent[];
  /** Runs inside the same transaction after the item row is updated (e.g. tags). */
  after?: (trx: Db, version: number) => Promise<void>;
}

export interface MutationOptions {
  /** The version the caller saw; a different current version is a conflict. */
  expectedVersion?: number | undefined;
}

export interface MutationResult {
  item: ItemView;
  /** False when the request asked for what was already true: nothing was written. */
  changed: boolean;
  /** Present when the agent may undo this change for a short while (undo.ts). */
  undo?: UndoToken;
}

export async function loadItemRow(trx: Db, id: number): Promise<ItemRow> {
  const row = await trx.selectFrom('items').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound(`no item #${id}`);
  return row;
}

function eventAuthorColumns(actor: Actor) {
  return {
    author_type: actor.type,
    author_agent_id: actor.type === 'agent' ? actor.agent.id : null,
    author_customer_id: actor.type === 'customer' ? actor.customerId : null,
  };
}

export async function insertEvents(trx: Db, itemId: number, version: number, actor: Actor, events: NewEvent[], at: string): Promise<void> {
  if (events.length === 0) return;
  await trx
    .insertInto('events')
    .values(
      events.map((e) => ({
        item_id: itemId,
        version,
        type: e.type,
        ...eventAuthorColumns(e.actor ?? actor),
        body: e.body ?? null,
        data: e.data ? JSON.stringify(e.data) : null,
        created_at: at,
        message_id: e.messageId ?? null,
      })),
    )
    .execute();
}

/** One line describing an event, for conflict messages and activity lists. */
export function describeEvent(e: EventView): string {
  const told = describeRuled(e);
  return e.data?.undo !== undefined ? `${told} (undo)` : told;
}

function describeRuled(e: EventView): string {
  const d = e.data ?? {};
  const rule = d.rule as { name?: string; revision?: number } | undefined;
  // An action a rule took says so: `rule "refunds to billing" (v3): priority normal → high`.
  const by = rule ? `rule ${JSON.stringify(rule.name ?? '?')} (v${rule.revision ?? '?'}): ` : '';
  return by + describeChange(e.type, d);
}

function describeChange(type: EventType, d: Record<string, unknown>): string {
  const fromTo = (what: string) => `${what} ${String(d.from ?? 'none')} → ${String(d.to ?? 'none')}`;
  switch (type) {
    case 'created':
      return 'created the item';
    case 'message':
      return 'customer wrote';
    case 'reply':
      return 'replied';
    case 'note':
      return 'added a note';
    case 'status':
      return fromTo('status');
    case 'priority':
      return fromTo('priority');
    case 'role':
      return fromTo('role');
    case 'kind':
      return fromTo('kind');
    case 'assign':
      return `assignee ${d.from ? '@' + String(d.from) : 'none'} → ${d.to ? '@' + String(d.to) : 'none'}${d.how ? ` (${String(d.how)})` : ''}`;
    case 'tag': {
      const added = (d.added as string[] | undefined) ?? [];
      const removed = (d.removed as string[] | undefined) ?? [];
      return `tags ${[...added.map((t) => '+' + t), ...removed.map((t) => '-' + t)].join(' ')}`;
    }
    case 'snooze':
      return `snoozed until ${String(d.until)}`;
    case 'escalate':
      return 'escalated';
    case 'handback':
      return 'handed back';
    case 'return':
      return 'returned from support';
    case 'survey':
      return `${String(d.kind).toUpperCase()} ${String(d.score)}`;
    case 'delivery':
      if (d.action === 'retry') return `sent a reply again (outbox ${String(d.outbox)})`;
      if (d.action === 'cancel') return `cancelled a reply's delivery (outbox ${String(d.outbox)})`;
      return `reply ${d.state === 'uncertain' ? 'delivery uncertain' : `delivery ${String(d.state)}`}${d.reason ? `: ${String(d.reason)}` : ''} (outbox ${String(d.outbox)})`;
    case 'sla':
      return `SLA due times recomputed (${String(d.reason ?? 'policy changed')})`;
    case 'rule':
      if (d.skipped === 'depth')
        return `not run: rules already changed this item ${Number(d.depth) - 1} levels deep (limit ${String(d.limit)}); the loop stopped here`;
      if (d.refused) return `${String(d.action ?? 'action')} refused: ${String(d.refused)}; the rule changed nothing`;
      return 'rule';
    default:
      return type;
  }
}

/** Refuse a change made from a stale view: who changed what since `expected`. Nothing is written. */
export async function checkExpectedVersion(trx: Db, row: ItemRow, expected: number | undefined, now: Date): Promise<void> {
  if (expected !== undefined && expected !== row.version) throw await staleVersionError(trx, row, expected, now);
}

async function staleVersionError(trx: Db, row: ItemRow, expected: number, now: Date) {
  const events = (await itemEvents(trx, row.id)).filter((e) => e.version > expected);
  const last = events.at(-1);
  const who = [...new Set(events.map((e) => authorLabel(e.author)))].join(', ') || 'someone';
  const what = events.map(describeEvent).join('; ') || 'changed it';
  const when = last ? `${formatDistanceStrict(new Date(last.createdAt), now)} ago` : 'meanwhile';
  return conflict(
    `item #${row.id} changed since you loaded it (version ${expected}, now ${row.version}): ${who} ${when}: ${what}. Nothing was written; reload and try again.`,
    { itemId: row.id, expectedVersion: expected, currentVersion: row.version, changes: events },
  );
}

/**
 * Apply one change to one item. `decide` sees the locked current row and returns the change,
 * or null when there is nothing to do; it throws to refuse.
 */
export async function mutateItem(
  ctx: Ctx,
  itemId: number,
  actor: Actor,
  options: MutationOptions,
  decide: (row: ItemRow, trx: Db, now: string) => Promise<Change | null> | Change | null,
): Promise<MutationResult> {
  const clockNow = ctx.clock();
  const now = clockNow.toISOString();
  return ctx.store.write(async (trx) => {
    const row = await loadItemRow(trx, itemId);
    await checkExpectedVersion(trx, row, options.expectedVersion, clockNow);
    const change = await decide(row, trx, now);
    if (!change) return { item: await getItemView(trx, itemId, clockNow), changed: false };
    const version = await applyChange(trx, row, actor, change, now);
    const undo = captureUndo(row, actor.type === 'agent' ? actor.agent.id : null, change.events, version, now);
    return { item: await getItemView(trx, itemId, clockNow), changed: true, ...(undo ? { undo } : {}) };
  });
}

/** Write a decided change: bump the version, refresh next_due_at, append events. Inside a write transaction. */
export async function applyChange(trx: Db, row: ItemRow, actor: Actor, change: Change, now: string): Promise<number> {
  const version = row.version + 1;
  // SLA due times follow pauses, priority and role; business durations are written as they happen.
  const sla = await slaFieldsForChange(trx, row, { ...row, ...change.set } as ItemRow, change.events, now);
  const set = { ...change.set, ...sla };
  const merged = { ...row, ...set } as ItemRow;
  const result = await trx
    .updateTable('items')
    .set({ ...set, next_due_at: nextDueAt(merged), version, updated_at: now })
    .where('id', '=', row.id)
    .where('version', '=', row.version)
    .executeTakeFirst();
  // The write lock makes this impossible; if it ever happens, refuse rather than lose a write.
  if (Number(result.numUpdatedRows) !== 1) throw conflict(`item #${row.id} changed while saving; nothing was written`);
  // The KPI day rollups this item counted in (before or after) are out of date now.
  await forgetChangedItemKpiDays(trx, row, merged);
  if (change.after) await change.after(trx, version);
  await insertEvents(trx, row.id, version, actor, change.events, now);
  // A customer message or a status change runs the 'updated' rules, in this transaction.
  const what = change.events.some((e) => e.type === 'message')
    ? 'message'
    : change.events.some((e) => e.type === 'status')
      ? 'status'
      : null;
  if (what) await fireRules(trx, 'updated', row.id, { change: what, actor, now: new Date(now) });
  return version;
}

/** One step of a composed change: sees the row as the steps before it left it; null = nothing to do. */
export type ChangeStep = (row: ItemRow, trx: Db, now: string) => Promise<Change | null> | Change | null;

/**
 * Several changes as one (a macro: reply + status + tags…): each step decides on the row as the
 * earlier steps changed it; the sets merge, the events keep their order, and the `after` hooks run
 * in order. One version bump, one transaction. Null when no step changes anything.
 */
export async function composeChanges(row: ItemRow, trx: Db, now: string, steps: ChangeStep[]): Promise<Change | null> {
  let current = row;
  let set: Change['set'] = {};
  const events: NewEvent[] = [];
  const afters: NonNullable<Change['after']>[] = [];
  for (const step of steps) {
    const change = await step(current, trx, now);
    if (!change) continue;
    set = { ...set, ...change.set };
    events.push(...change.events);
    if (change.after) afters.push(change.after);
    current = { ...current, ...change.set } as ItemRow;
  }
  if (events.length === 0) return null;
  return {
    set,
    events,
    after: afters.length
      ? async (t, version) => {
          for (const after of afters) await after(t, version);
        }
      : undefined,
  };
}
