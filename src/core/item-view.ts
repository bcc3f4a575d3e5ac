// Reading items: the stable shape every face shows (and --json prints), and the event timeline.
import type { Db } from '../store/store.js';
import { notFound } from './errors.js';
import { slaState, type SlaState } from './sla.js';
import { businessSlaReader, type BusinessSla } from './sla-explain.js';
import type { AuthorType, Channel, Direction, EventType, Kind, Priority, Role, Status } from './vocabulary.js';

export interface ItemView {
  id: number;
  role: Role;
  kind: Kind;
  subject: string;
  status: Status;
  priority: Priority;
  channel: Channel;
  direction: Direction;
  customer: { id: number; name: string; email: string | null } | null;
  assignee: string | null;
  tags: string[];
  createdAt: string;
  updatedAt: string;
  firstResponseAt: string | null;
  resolvedAt: string | null;
  closedAt: string | null;
  snoozedUntil: string | null;
  sla: {
    firstResponseDueAt: string | null;
    resolutionDueAt: string | null;
    nextDueAt: string | null;
    state: SlaState;
    /** With a calendar or pauses (sla-explain.ts): business time left, the calendar, whether paused. */
    business: BusinessSla | null;
  };
  reopenCount: number;
  version: number;
  externalId: string | null;
}

export interface EventView {
  id: number;
  version: number;
  type: EventType;
  author: { type: AuthorType; handle?: string; name?: string; customerId?: number };
  body: string | null;
  data: Record<string, unknown> | null;
  createdAt: string;
  messageId: string | null;
}

/** Columns selected for an item view (items joined with customer and assignee). */
/** Items as `i`, to filter before the columns are chosen (a count needs no joins). */
export function itemsQuery(db: Db) {
  return db.selectFrom('items as i');
}

export type ItemsQuery = ReturnType<typeof itemsQuery>;

export function selectItemColumns(db: Db, from: ItemsQuery = itemsQuery(db)) {
  return from
    .leftJoin('customers as c', 'c.id', 'i.customer_id')
    .leftJoin('agents as a', 'a.id', 'i.assignee_id')
    .selectAll('i')
    .select(['c.name as customer_name', 'c.email as customer_email', 'a.handle as assignee_handle']);
}

export type ItemRowWithJoins = Awaited<ReturnType<ReturnType<typeof selectItemColumns>['executeTakeFirstOrThrow']>>;

function toItemView(r: ItemRowWithJoins, tags: string[], now: Date, business: BusinessSla | null = null): ItemView {
  return {
    id: r.id,
    role: r.role,
    kind: r.kind,
    subject: r.subject,
    status: r.status,
    priority: r.priority,
    channel: r.channel,
    direction: r.direction,
    customer: r.customer_id == null ? null : { id: r.customer_id, name: r.customer_name ?? '', email: r.customer_email ?? null },
    assignee: r.assignee_handle ?? null,
    tags,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    firstResponseAt: r.first_response_at,
    resolvedAt: r.resolved_at,
    closedAt: r.closed_at,
    snoozedUntil: r.snoozed_until,
    sla: {
      firstResponseDueAt: r.first_response_due_at,
      resolutionDueAt: r.resolution_due_at,
      nextDueAt: r.next_due_at,
      state: slaState(r, now),
      business,
    },
    reopenCount: r.reopen_count,
    version: r.version,
    externalId: r.external_id,
  };
}

async function tagsFor(db: Db, ids: number[]): Promise<Map<number, string[]>> {
  const map = new Map<number, string[]>();
  if (ids.length === 0) return map;
  const rows = await db.selectFrom('item_tags').select(['item_id', 'tag']).where('item_id', 'in', ids).orderBy('tag').execute();
  for (const r of rows) {
    const list = map.get(r.item_id) ?? [];
    list.push(r.tag);
    map.set(r.item_id, list);
  }
  return map;
}

export async function viewsFromRows(db: Db, rows: ItemRowWithJoins[], now: Date): Promise<ItemView[]> {
  const tags = await tagsFor(
    db,
    rows.map((r) => r.id),
  );
  const business = rows.length ? await businessSlaReader(db, now) : () => null;
  return rows.map((r) => toItemView(r, tags.get(r.id) ?? [], now, business(r)));
}

export function parseItemId(ref: string | number): number {
  const m = /^#?(\d+)$/.exec(String(ref).trim());
  if (!m || Number(m[1]) <= 0 || !Number.isSafeInteger(Number(m[1]))) {
    throw notFoundOrInvalid(ref);
  }
  return Number(m[1]);
}

function notFoundOrInvalid(ref: string | number) {
  return notFound(`no item ${JSON.stringify(String(ref))} (item ids are numbers, like 42 or #42)`);
}

export async function getItemView(db: Db, id: number, now: Date): Promise<ItemView> {
  const row = await selectItemColumns(db).where('i.id', '=', id).executeTakeFirst();
  if (!row) throw notFound(`no item #${id}`);
  const [view] = await viewsFromRows(db, [row], now);
  return view!;
}

/** Events with their authors' names (filter and order them further). */
export function selectEvents(db: Db) {
  return db
    .selectFrom('events as e')
    .leftJoin('agents as a', 'a.id', 'e.author_agent_id')
    .leftJoin('customers as c', 'c.id', 'e.author_customer_id')
    .selectAll('e')
    .select(['a.handle as agent_handle', 'a.name as agent_name', 'c.name as customer_name']);
}

export async function itemEvents(db: Db, id: number): Promise<EventView[]> {
  const rows = await selectEvents(db).where('e.item_id', '=', id).orderBy('e.id').execute();
  return rows.map(toEventView);
}

/** An event row of selectEvents as the faces see it. */
export function toEventView(r: Awaited<ReturnType<ReturnType<typeof selectEvents>['execute']>>[number]): EventView {
  return {
    id: r.id,
    version: r.version,
    type: r.type as EventType,
    author:
      r.author_type === 'agent'
        ? { type: 'agent' as const, handle: r.agent_handle ?? '?', name: r.agent_name ?? '' }
        : r.author_type === 'customer'
          ? { type: 'customer' as const, name: r.customer_name ?? 'customer', customerId: r.author_customer_id ?? undefined }
          : { type: 'system' as const },
    body: r.body,
    data: r.data ? (JSON.parse(r.data) as Record<string, unknown>) : null,
    createdAt: r.created_at,
    messageId: r.message_id,
  };
}

/** "@ana", "Jo Customer" or "system": how an event's author is named in messages. */
export function authorLabel(a: EventView['author']): string {
  if (a.type === 'agent') return '@' + a.handle;
  if (a.type === 'customer') return a.name ?? 'the customer';
  return 'system';
}
