// The rules of a new item, as one pure function: from what is known about an item to the rows that
// record it (the items row with its status, due times, next due time and version; its tags; its
// timeline events). Every writer of items uses it: create, escalation, ingest, the imports and the demo.
// item-writers.ts writes the result, inside a transaction or through a bulk load.
import type { Insertable } from 'kysely';
import type { EventTable, ItemTable } from '../store/schema.js';
import type { Agent } from './agents.js';
import { businessMsBetween, type BusinessCalendar } from './business-time.js';
import { invalid } from './errors.js';
import { checkAssignable, normaliseSubject, normaliseTag, requireBody } from './item-rules.js';
import { dueTimes, nextDueAt, type SlaPolicy } from './sla.js';
import { pausesFromHistory } from './sla-due.js';
import {
  CHANNELS,
  DIRECTIONS,
  KINDS,
  PRIORITIES,
  ROLES,
  defaultRoleForKind,
  parseEnum,
  type Channel,
  type Direction,
  type EventType,
  type Kind,
  type Priority,
  type Role,
  type Status,
} from './vocabulary.js';

/** Who wrote an event of the new item's timeline. */
export type EventAuthor = { type: 'agent'; agentId: number } | { type: 'customer'; customerId: number } | { type: 'system' };

/** One event after the item's creation (a historic item's later life: the demo, an import). */
export interface TimelineEntry {
  type: EventType;
  at: string;
  author: EventAuthor;
  body?: string | null;
  data?: Record<string, unknown> | null;
  messageId?: string | null;
  /** Part of the same change as the entry before it (escalate and its status): no version of its own. */
  sameChange?: boolean;
}

/** The agent fields the assignment rule needs. */
export type AssigneeAgent = Pick<Agent, 'id' | 'handle' | 'roles' | 'active'>;

/** Statuses another system's item can arrive in (historic imports). */
export type ImportedStatus = 'new' | 'open' | 'pending' | 'resolved' | 'closed';

export interface NewItem {
  subject: string;
  body?: string | null;
  /** What the body is called in errors ("message", "description"…). */
  bodyName?: string;
  /** Role and kind: either, both or neither (decided from each other and the direction). */
  role?: string | null;
  kind?: string | null;
  /** Default: email for inbound items, phone for outbound ones. */
  channel?: string | null;
  /** Default: inbound (the customer wrote first). */
  direction?: string | null;
  priority?: string | null;
  assignee?: AssigneeAgent | null;
  /** The assignee as the source named them; kept in the created event when the item ends up without them. */
  importedAssignee?: string | null;
  customerId: number | null;
  tags?: readonly string[];
  /** When the item was created (now, or the historic creation time of an import). */
  createdAt: string;
  /** Who made it, as the created event says: an agent's handle, "import"… */
  createdBy: string;
  /** The agent who made it, if one did: the created event's author unless the customer wrote it. */
  creatorAgentId?: number | null;
  /** The created event's author, when the default (the customer of an inbound item, else the creator) is not it. */
  openedBy?: EventAuthor;
  /** An explicit resolution due time (ISO), e.g. a follow-up's date; kept when the priority changes. */
  due?: string | null;
  externalId?: string | null;
  /** The opening message's id in another system (an email's Message-ID). */
  messageId?: string | null;
  /** Extra facts for the created event's data. */
  eventData?: Record<string, unknown> | null;
  /**
   * A historic import: the status the item had in the other system and its times. Status events
   * (marked imported) take the item from its first status there.
   */
  outcome?: { status: ImportedStatus; updatedAt?: string | null; resolvedAt?: string | null } | null;
  /** Events after the creation, oldest first (the demo's simulated life). The row follows them. */
  history?: readonly TimelineEntry[];
}

export interface NewItemOptions {
  /**
   * An assignee who cannot take the item (deactivated, or not working its role) is left off and kept
   * as imported text in the created event, instead of refusing the item (imports keep such rows).
   */
  keepUnassignable?: boolean;
}

/** The SLA policy of a role and priority (a missing policy is one without targets). */
export type PolicyOf = (role: Role, priority: Priority) => SlaPolicy & { hours?: BusinessCalendar | null };

/** The items row of a new item (its id comes from the writer). */
type NewItemRow = Omit<Insertable<ItemTable>, 'id'> & {
  role: Role;
  kind: Kind;
  channel: Channel;
  direction: Direction;
  status: Status;
  priority: Priority;
  version: number;
  created_at: string;
  updated_at: string;
  next_due_at: string | null;
};

/** An event row of a new item (its id and item id come from the writer). */
export type NewItemEvent = Omit<Insertable<EventTable>, 'id' | 'item_id'>;

export interface NewItemRecord {
  item: NewItemRow;
  tags: string[];
  events: NewItemEvent[];
}

/** Role and kind from each other and the direction (docs/concepts.md, "Words"). */
function decideRoleAndKind(role: Role | undefined, kind: Kind | undefined, direction: Direction): { role: Role; kind: Kind } {
  if (role && kind) return { role, kind };
  if (kind) return { role: defaultRoleForKind(kind), kind };
  if (role) return { role, kind: role === 'service' ? (direction === 'outbound' ? 'follow_up' : 'question') : 'other' };
  return direction === 'outbound' ? { role: 'service', kind: 'follow_up' } : { role: 'support', kind: 'other' };
}

/** A value of a closed set: typed values pass as they are (bulk loads), text is parsed. */
function member<T extends string>(what: string, allowed: readonly T[], value: string): T {
  return (allowed as readonly string[]).includes(value) ? (value as T) : parseEnum(what, allowed, value);
}

const authorColumns = (a: EventAuthor) => ({
  author_type: a.type,
  author_agent_id: a.type === 'agent' ? a.agentId : null,
  author_customer_id: a.type === 'customer' ? a.customerId : null,
});

const SYSTEM: EventAuthor = { type: 'system' };

/**
 * The rows of a new item. Throws (nothing to write) when the input breaks a rule: an unknown word, an
 * empty subject or body, a bad tag, no customer on a non-internal item, an assignee who cannot take it.
 */
export function newItemRecord(input: NewItem, policyOf: PolicyOf, options: NewItemOptions = {}): NewItemRecord {
  const direction = member('direction', DIRECTIONS, input.direction ?? 'inbound');
  const { role, kind } = decideRoleAndKind(
    input.role ? member('role', ROLES, input.role) : undefined,
    input.kind ? member('kind', KINDS, input.kind) : undefined,
    direction,
  );
  const channel = member('channel', CHANNELS, input.channel ?? (direction === 'inbound' ? 'email' : 'phone'));
  const priority = member('priority', PRIORITIES, input.priority ?? 'normal');
  const subject = normaliseSubject(input.subject);
  const body = input.body === undefined || input.body === null ? null : requireBody(input.body, input.bodyName);
  const tags = input.tags?.length ? [...new Set(input.tags.map(normaliseTag))] : [];
  if (input.customerId === null && channel !== 'internal') {
    throw invalid('an item needs a customer (--customer EMAIL), unless its channel is internal');
  }
  let assignee = input.assignee ?? null;
  if (assignee) {
    try {
      checkAssignable(assignee, role);
    } catch (e) {
      if (!options.keepUnassignable) throw e;
      assignee = null;
    }
  }
  const importedAssignee = !assignee && input.importedAssignee ? input.importedAssignee : null;
  const createdAt = input.createdAt;
  const externalId = input.externalId?.trim() || null;

  // An item someone holds, or one an agent started, is open; a customer's unassigned message is new.
  const initial: Status = direction === 'outbound' || assignee ? 'open' : 'new';
  const opener: EventAuthor =
    input.openedBy ??
    (direction === 'inbound' && input.customerId !== null
      ? { type: 'customer', customerId: input.customerId }
      : input.creatorAgentId
        ? { type: 'agent', agentId: input.creatorAgentId }
        : SYSTEM);
  const events: NewItemEvent[] = [
    {
      version: 1,
      type: 'created',
      ...authorColumns(opener),
      body,
      data: JSON.stringify({
        role,
        kind,
        channel,
        direction,
        priority,
        assignee: assignee?.handle ?? null,
        tags,
        createdBy: input.createdBy,
        ...(importedAssignee ? { importedAssignee } : {}),
        ...input.eventData,
      }),
      created_at: createdAt,
      message_id: input.messageId ?? null,
    },
  ];

  const later = input.outcome ? [...importedTimeline(input.outcome, initial, createdAt), ...(input.history ?? [])] : (input.history ?? []);
  const timeline = inTimeOrder(later);

  // The row as its timeline leaves it: each event changes it as the same action would on a live item.
  let status: Status = initial;
  let firstCustomerMessageAt = direction === 'inbound' ? createdAt : null;
  let firstResponseAt: string | null = null;
  let firstResolvedAt: string | null = null;
  let resolvedAt: string | null = null;
  let closedAt: string | null = null;
  let snoozedUntil: string | null = null;
  let reopenCount = 0;
  let agentReplyCount = 0;
  let updatedAt = input.outcome?.updatedAt && input.outcome.updatedAt > createdAt ? input.outcome.updatedAt : createdAt;
  let version = 1;
  for (const e of timeline) {
    if (!e.sameChange) version++;
    if (e.at > updatedAt) updatedAt = e.at;
    events.push({
      version,
      type: e.type,
      ...authorColumns(e.author),
      body: e.body ?? null,
      data: e.data ? JSON.stringify(e.data) : null,
      created_at: e.at,
      message_id: e.messageId ?? null,
    });
    switch (e.type) {
      case 'message':
        if (e.author.type === 'customer' && !firstCustomerMessageAt) firstCustomerMessageAt = e.at;
        break;
      case 'reply':
        agentReplyCount++;
        // The first reply after the customer's first message is the first response; a reply opens a new item.
        if (!firstResponseAt && firstCustomerMessageAt) firstResponseAt = e.at;
        if (status === 'new') status = 'open';
        break;
      case 'snooze':
        snoozedUntil = typeof e.data?.until === 'string' ? e.data.until : null;
        break;
      case 'status': {
        const to = e.data?.to as Status;
        if (to === 'resolved') {
          resolvedAt = e.at;
          firstResolvedAt ??= e.at;
        }
        if (to === 'closed') closedAt = e.at;
        if (to === 'open' && (status === 'resolved' || status === 'closed')) {
          reopenCount++;
          resolvedAt = null;
          closedAt = null;
        }
        if (to !== 'snoozed') snoozedUntil = null;
        status = to;
        break;
      }
    }
  }

  const policy = policyOf(role, priority);
  const pauses =
    policy.pauseWhenWaiting && timeline.length
      ? pausesFromHistory(
          timeline
            .filter((e) => e.type === 'status' || e.type === 'snooze')
            .map((e) => ({ type: e.type, createdAt: e.at, data: e.data ?? null })),
        )
      : [];
  const due = dueTimes(policy, createdAt, firstCustomerMessageAt, pauses);
  const explicitDue = input.due ?? null;
  const hours = policy.hours ?? null;
  const row = {
    role,
    kind,
    subject,
    customer_id: input.customerId,
    channel,
    direction,
    status,
    priority,
    assignee_id: assignee?.id ?? null,
    created_at: createdAt,
    updated_at: updatedAt,
    first_customer_message_at: firstCustomerMessageAt,
    first_response_at: firstResponseAt,
    first_resolved_at: firstResolvedAt,
    resolved_at: resolvedAt,
    closed_at: closedAt,
    snoozed_until: snoozedUntil,
    first_response_due_at: due.firstResponseDueAt,
    resolution_due_at: explicitDue ?? due.resolutionDueAt,
    resolution_due_explicit: explicitDue ? 1 : 0,
    // Business durations, as a live item gets them when it is answered and resolved (calendar policies).
    first_response_business_secs:
      hours && firstResponseAt && firstCustomerMessageAt
        ? Math.round(businessMsBetween(hours, Date.parse(firstCustomerMessageAt), Date.parse(firstResponseAt)) / 1000)
        : null,
    resolution_business_secs:
      hours && firstResolvedAt
        ? Math.round(businessMsBetween(hours, Date.parse(createdAt), Date.parse(firstResolvedAt), pauses) / 1000)
        : null,
    reopen_count: reopenCount,
    agent_reply_count: agentReplyCount,
    version,
    external_id: externalId,
  };
  return { item: { ...row, next_due_at: nextDueAt(row) }, tags, events };
}

/** Oldest first, keeping the given order of events at the same time (sorted only when they are not). */
function inTimeOrder(entries: readonly TimelineEntry[]): readonly TimelineEntry[] {
  for (let i = 1; i < entries.length; i++) {
    if (entries[i]!.at < entries[i - 1]!.at) return [...entries].sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
  }
  return entries;
}

/**
 * How an imported item got to the status it had in the other system: resolved when it was resolved,
 * then closed, or moved to pending or open, each a system event marked imported, never before its
 * creation and never closed before resolved.
 */
function importedTimeline(outcome: NonNullable<NewItem['outcome']>, initial: Status, createdAt: string): TimelineEntry[] {
  const notBefore = (t: string | null | undefined) => (t && t > createdAt ? t : createdAt);
  const status: Status = outcome.status === 'new' && initial === 'open' ? 'open' : outcome.status;
  const updatedAt = outcome.updatedAt ?? null;
  const resolvedAt = outcome.resolvedAt ?? null;
  const out: TimelineEntry[] = [];
  const move = (at: string, from: Status, to: Status) =>
    out.push({ type: 'status', at, author: SYSTEM, data: { from, to, imported: true } });
  let resolvedEventAt: string | null = null;
  if (status === 'resolved' || (status === 'closed' && resolvedAt)) {
    resolvedEventAt = notBefore(resolvedAt ?? updatedAt);
    move(resolvedEventAt, initial, 'resolved');
  }
  if (status === 'closed') {
    let at = notBefore(updatedAt ?? resolvedAt);
    if (resolvedEventAt && at < resolvedEventAt) at = resolvedEventAt;
    move(at, resolvedEventAt ? 'resolved' : initial, 'closed');
  }
  if (status === 'pending' || (status === 'open' && initial === 'new')) move(notBefore(updatedAt), initial, status);
  return out;
}
