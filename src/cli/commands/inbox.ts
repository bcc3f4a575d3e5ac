// `tandem inbox`: the combined inbox, filtered and sorted, as a table, tab-separated lines, ids or JSON.
// The filter flags are shared with `tandem view add`, which saves them as a view.
import type { Command } from 'commander';
import { Option } from 'commander';
import { countInbox, parsePriorities, parseRoleFilter, parseStatuses, queryInbox, SORTS, type InboxFilter, type Sort } from '../../core/inbox.js';
import { invalid } from '../../core/errors.js';
import { getView, type ViewFilter } from '../../core/views.js';
import { withRuntime, withJson } from '../command-kit.js';
import { itemColumns } from '../present.js';

/** The inbox's filter and sort flags (no defaults here: a flag not given leaves a view's value alone). */
export function withInboxFilterOptions(cmd: Command): Command {
  return cmd
    .option('-r, --role <role>', 'service | support | all (default all)')
    .option('-s, --status <list>', 'comma-separated statuses, or "all" (default: open work)')
    .option('-a, --assignee <who>', 'me | none | HANDLE')
    .option('-p, --priority <list>', 'comma-separated priorities')
    .option('-t, --tag <tag>', 'only items with this tag')
    .option('-c, --customer <email|#id>', 'only this customer\'s items')
    .option('-q, --search <text>', 'full-text search over subjects and messages')
    .option('--breached', 'only items past an SLA due time')
    .addOption(new Option('--sort <order>', 'sort order (default due)').choices([...SORTS]));
}

/** The filter the flags give, with only the flags that were given. */
export function filterFromOptions(o: Record<string, any>): ViewFilter {
  const f: ViewFilter = {};
  if (o.role !== undefined) f.role = parseRoleFilter(o.role);
  if (o.status !== undefined) f.statuses = parseStatuses(o.status);
  if (o.assignee !== undefined) f.assignee = o.assignee;
  if (o.priority !== undefined) f.priorities = parsePriorities(o.priority);
  if (o.tag !== undefined) f.tag = o.tag;
  if (o.customer !== undefined) f.customer = o.customer;
  if (o.search !== undefined) f.search = o.search;
  if (o.breached) f.breached = true;
  if (o.sort !== undefined) f.sort = o.sort as Sort;
  return f;
}

export function registerInboxCommand(program: Command): void {
  withJson(withInboxFilterOptions(program.command('inbox')))
    .description('list items: open work by default (not resolved/closed, not snoozed)')
    .option('--view <name>', 'start from a saved view (`tandem view list`); flags given here refine it')
    .option('-n, --limit <n>', 'at most this many items', '50')
    .option('--offset <n>', 'skip this many items first', '0')
    .option('--ids', 'print only item ids, one per line')
    .option('--count', 'print only the number of matching items')
    .option('--headers', 'print a header line on a pipe')
    .action(withRuntime(async (rt, o: Record<string, any>) => {
      const limit = Number(o.limit);
      const offset = Number(o.offset);
      if (!Number.isInteger(offset) || offset < 0) throw invalid('--offset must be a whole number ≥ 0');
      const given = filterFromOptions(o);
      const ctx = await rt.ctx();
      const base = o.view !== undefined ? (await getView(ctx.store.db, o.view)).filter : {};
      const filter: InboxFilter = { role: 'all', sort: 'due', ...base, ...given, limit, offset };
      const me = filter.assignee?.trim().toLowerCase() === 'me' ? await rt.me() : null;
      if (o.count) {
        const n = await countInbox(ctx, me, filter);
        return rt.out.json ? rt.out.printJson({ count: n }) : rt.out.print(String(n));
      }
      const list = await queryInbox(ctx, me, filter);
      if (rt.out.json) return rt.out.printJson(list);
      if (o.ids) return list.forEach((i) => rt.out.print(String(i.id)));
      rt.out.table(list, itemColumns(ctx.clock()), { headers: Boolean(o.headers), empty: 'No items match. (Resolved, closed and snoozed items are hidden; try --status all.)' });
    }));
}
