// `tandem inbox`: the combined inbox, filtered and sorted, as a table, tab-separated lines, ids or JSON.
import type { Command } from 'commander';
import { Option } from 'commander';
import { countInbox, parsePriorities, parseRoleFilter, parseStatuses, queryInbox, SORTS, type InboxFilter, type Sort } from '../../core/inbox.js';
import { invalid } from '../../core/errors.js';
import { withRuntime, withJson } from '../command-kit.js';
import { itemColumns } from '../present.js';

export function registerInboxCommand(program: Command): void {
  withJson(program.command('inbox'))
    .description('list items: open work by default (not resolved/closed, not snoozed)')
    .option('-r, --role <role>', 'service | support | all', 'all')
    .option('-s, --status <list>', 'comma-separated statuses, or "all" (default: open work)')
    .option('-a, --assignee <who>', 'me | none | HANDLE')
    .option('-p, --priority <list>', 'comma-separated priorities')
    .option('-t, --tag <tag>', 'only items with this tag')
    .option('-c, --customer <email|#id>', 'only this customer\'s items')
    .option('-q, --search <text>', 'full-text search over subjects and messages')
    .option('--breached', 'only items past an SLA due time')
    .addOption(new Option('--sort <order>', 'sort order').choices([...SORTS]).default('due'))
    .option('-n, --limit <n>', 'at most this many items', '50')
    .option('--offset <n>', 'skip this many items first', '0')
    .option('--ids', 'print only item ids, one per line')
    .option('--count', 'print only the number of matching items')
    .option('--headers', 'print a header line on a pipe')
    .action(withRuntime(async (rt, o: Record<string, any>) => {
      const limit = Number(o.limit);
      const offset = Number(o.offset);
      if (!Number.isInteger(offset) || offset < 0) throw invalid('--offset must be a whole number ≥ 0');
      const filter: InboxFilter = {
        role: parseRoleFilter(o.role),
        statuses: o.status ? parseStatuses(o.status) : undefined,
        assignee: o.assignee,
        priorities: o.priority ? parsePriorities(o.priority) : undefined,
        tag: o.tag, customer: o.customer, search: o.search, breached: Boolean(o.breached),
        sort: o.sort as Sort, limit, offset,
      };
      const ctx = await rt.ctx();
      const me = o.assignee === 'me' ? await rt.me() : null;
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
