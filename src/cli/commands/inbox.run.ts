// `tandem inbox`: the combined inbox, filtered and sorted, as a table, tab-separated lines, ids or JSON.
// The filter flags are shared with `tandem view add`, which saves them as a view.
import { countInbox, parsePriorities, parseRoleFilter, parseStatuses, queryInbox, type InboxFilter, type Sort } from '../../core/inbox.js';
import { invalid } from '../../core/errors.js';
import { getView, type ViewFilter } from '../../core/views.js';
import { itemColumns } from '../present.js';
import type { Deps } from '../runtime.js';

/** The inbox's filter flags, as typed (see withInboxFilterOptions). */
export interface InboxFilterFlags {
  role?: string;
  status?: string;
  assignee?: string;
  priority?: string;
  tag?: string;
  customer?: string;
  search?: string;
  breached?: boolean;
  sort?: Sort;
}

export interface InboxOptions extends InboxFilterFlags {
  view?: string;
  limit: string;
  offset: string;
  ids?: boolean;
  count?: boolean;
  headers?: boolean;
}

/** The filter the flags give, with only the flags that were given. */
export function filterFromOptions(o: InboxFilterFlags): ViewFilter {
  const f: ViewFilter = {};
  if (o.role !== undefined) f.role = parseRoleFilter(o.role);
  if (o.status !== undefined) f.statuses = parseStatuses(o.status);
  if (o.assignee !== undefined) f.assignee = o.assignee;
  if (o.priority !== undefined) f.priorities = parsePriorities(o.priority);
  if (o.tag !== undefined) f.tag = o.tag;
  if (o.customer !== undefined) f.customer = o.customer;
  if (o.search !== undefined) f.search = o.search;
  if (o.breached) f.breached = true;
  if (o.sort !== undefined) f.sort = o.sort;
  return f;
}

export async function runInbox(o: InboxOptions, deps: Deps): Promise<void> {
  const limit = Number(o.limit);
  const offset = Number(o.offset);
  if (!Number.isInteger(offset) || offset < 0) throw invalid('--offset must be a whole number ≥ 0');
  const given = filterFromOptions(o);
  const ctx = await deps.ctx();
  const base = o.view !== undefined ? (await getView(ctx.store.db, o.view)).filter : {};
  const filter: InboxFilter = { role: 'all', sort: 'due', ...base, ...given, limit, offset };
  const me = filter.assignee?.trim().toLowerCase() === 'me' ? await deps.me() : null;
  const out = deps.out;
  if (o.count) {
    const n = await countInbox(ctx, me, filter);
    return out.json ? out.printJson({ count: n }) : out.print(String(n));
  }
  const list = await queryInbox(ctx, me, filter);
  if (out.json) return out.printJson(list);
  if (o.ids) {
    for (const i of list) out.print(String(i.id));
    return;
  }
  out.table(list, itemColumns(ctx.clock()), {
    headers: Boolean(o.headers),
    empty: 'No items match. (Resolved, closed and snoozed items are hidden; try --status all.)',
  });
}
