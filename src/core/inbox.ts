// The inbox query: filters, sort orders and windows over items, evaluated by the store's indexes.
import type { Ctx } from './context.js';
import { findAgent, type Agent } from './agents.js';
import { invalid } from './errors.js';
import { itemsQuery, selectItemColumns, viewsFromRows, type ItemView } from './item-view.js';
import { findCustomer } from './customers.js';
import { wakeSnoozed } from './items.js';
import { PRIORITIES, ROLES, STATUSES, parseEnum, type Priority, type Role, type Status } from './vocabulary.js';

export const SORTS = ['due', 'priority', 'newest', 'oldest', 'updated'] as const;
export type Sort = (typeof SORTS)[number];

export interface InboxFilter {
  role?: Role | 'all';
  /** Explicit statuses; undefined means open work (not resolved/closed, not snoozed unless woken). 'all' means every status. */
  statuses?: Status[] | 'all';
  /** 'me' needs `me`; 'none' = unassigned; else a handle. */
  assignee?: string;
  priorities?: Priority[];
  tag?: string;
  customer?: string;
  search?: string;
  breached?: boolean;
  /** Only these items (e.g. which of a selection the filter shows). */
  ids?: number[];
  sort?: Sort;
  limit?: number;
  offset?: number;
}

export function parseStatuses(text: string): Status[] | 'all' {
  if (text.trim() === 'all') return 'all';
  return text.split(',').map((s) => parseEnum('status', STATUSES, s));
}

export function parsePriorities(text: string): Priority[] {
  return text.split(',').map((s) => parseEnum('priority', PRIORITIES, s));
}

export function parseRoleFilter(text: string): Role | 'all' {
  return text === 'all' ? 'all' : parseEnum('role', ROLES, text);
}

async function buildQuery(ctx: Ctx, me: Agent | null, f: InboxFilter) {
  const db = ctx.store.db;
  const now = ctx.clock().toISOString();
  // Filters only: the caller picks the columns (the list joins customers and agents, a count does not).
  let q = itemsQuery(db);
  if (f.role && f.role !== 'all') q = q.where('i.role', '=', f.role);
  if (f.statuses === undefined) {
    // Open work (snoozes whose time has come were woken to open before the query).
    q = q.where('i.open_work', '=', 1);
  } else if (f.statuses !== 'all') {
    q = q.where('i.status', 'in', f.statuses);
  }
  if (f.assignee) {
    const a = f.assignee.trim().toLowerCase();
    if (a === 'none') q = q.where('i.assignee_id', 'is', null);
    else if (a === 'me') {
      if (!me) throw invalid('--assignee me needs to know who you are (--as HANDLE or TANDEM_AGENT)');
      q = q.where('i.assignee_id', '=', me.id);
    } else q = q.where('i.assignee_id', '=', (await findAgent(db, a)).id);
  }
  if (f.priorities?.length) q = q.where('i.priority', 'in', f.priorities);
  if (f.tag) {
    const tag = f.tag.trim().toLowerCase().replace(/^#/, '');
    q = q.where('i.id', 'in', (eb) => eb.selectFrom('item_tags').select('item_id').where('tag', '=', tag));
  }
  if (f.customer) q = q.where('i.customer_id', '=', (await findCustomer(db, f.customer)).id);
  if (f.search?.trim()) {
    const matches = await ctx.store.search.matchCondition(f.search, 'i.id');
    if (!matches) return null;
    q = q.where(matches);
  }
  if (f.breached) q = q.where('i.due_sort', '<', now);
  if (f.ids) {
    if (f.ids.length === 0) return null;
    q = q.where('i.id', 'in', f.ids);
  }
  return q;
}

/** Snoozed items come back by themselves: wake any whose time has passed before reading. */
async function wakeFirst(ctx: Ctx): Promise<void> {
  if (!ctx.store.readonly) await wakeSnoozed(ctx);
}

export async function queryInbox(ctx: Ctx, me: Agent | null, f: InboxFilter = {}): Promise<ItemView[]> {
  await wakeFirst(ctx);
  const limit = f.limit ?? 50;
  if (!Number.isInteger(limit) || limit < 1 || limit > 100_000) throw invalid('--limit must be a whole number from 1 to 100000');
  const filtered = await buildQuery(ctx, me, f);
  if (!filtered) return [];
  let q = selectItemColumns(ctx.store.db, filtered);
  const sort = f.sort ?? 'due';
  switch (sort) {
    case 'due':
      // Items with a target first (soonest first), then the rest, oldest first: an index walk.
      q = q.orderBy('i.due_sort').orderBy('i.id');
      break;
    case 'priority':
      q = q
        .orderBy((eb) =>
          eb
            .case()
            .when('i.priority', '=', 'urgent')
            .then(0)
            .when('i.priority', '=', 'high')
            .then(1)
            .when('i.priority', '=', 'normal')
            .then(2)
            .else(3)
            .end(),
        )
        .orderBy('i.due_sort')
        .orderBy('i.id');
      break;
    case 'newest':
      q = q.orderBy('i.id', 'desc');
      break;
    case 'oldest':
      q = q.orderBy('i.id');
      break;
    case 'updated':
      q = q.orderBy('i.updated_at', 'desc').orderBy('i.id', 'desc');
      break;
  }
  const rows = await q
    .limit(limit)
    .offset(f.offset ?? 0)
    .execute();
  return viewsFromRows(ctx.store.db, rows, ctx.clock());
}

export async function countInbox(ctx: Ctx, me: Agent | null, f: InboxFilter = {}): Promise<number> {
  await wakeFirst(ctx);
  const q = await buildQuery(ctx, me, f);
  if (!q) return 0;
  const r = await q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(r.n);
}

/** Open-work counts per role and the number breached, for headers. */
export async function inboxCounts(ctx: Ctx): Promise<{ service: number; support: number; breached: number }> {
  const now = ctx.clock().toISOString();
  const db = ctx.store.db;
  // One count per role, each within the (role, open_work) index: a GROUP BY over the open items would
  // visit every open row in the table (a third of a second at a million items).
  const openOf = (role: Role) =>
    db
      .selectFrom('items')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('role', '=', role)
      .where('open_work', '=', 1)
      .executeTakeFirstOrThrow();
  const service = await openOf('service');
  const support = await openOf('support');
  const breached = await db
    .selectFrom('items')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('open_work', '=', 1)
    .where('due_sort', '<', now)
    .executeTakeFirstOrThrow();
  return { service: Number(service.n), support: Number(support.n), breached: Number(breached.n) };
}
