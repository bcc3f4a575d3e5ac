// `tandem inbox` wiring: its flags (shared with `tandem view add`) and a lazy action; the work is in inbox.run.ts.
import type { Command } from 'commander';
import { Option } from 'commander';
import type { Sort } from '../../core/inbox.js';
import { lazyAction, withJson } from '../command-kit.js';
import type { InboxOptions } from './inbox.run.js';

/** The sort orders of `--sort` (core/inbox.ts SORTS; tests/cli/wiring.test.ts keeps the two equal). */
export const SORT_CHOICES = ['due', 'priority', 'newest', 'oldest', 'updated'] as const satisfies readonly Sort[];

/** The inbox's filter and sort flags (no defaults here: a flag not given leaves a view's value alone). */
export function withInboxFilterOptions(cmd: Command): Command {
  return cmd
    .option('-r, --role <role>', 'service | support | all (default all)')
    .option('-s, --status <list>', 'comma-separated statuses, or "all" (default: open work)')
    .option('-a, --assignee <who>', 'me | none | HANDLE')
    .option('-p, --priority <list>', 'comma-separated priorities')
    .option('-t, --tag <tag>', 'only items with this tag')
    .option('-c, --customer <email|#id>', "only this customer's items")
    .option('-q, --search <text>', 'full-text search over subjects and messages')
    .option('--breached', 'only items past an SLA due time')
    .addOption(new Option('--sort <order>', 'sort order (default due)').choices([...SORT_CHOICES]));
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
    .action(
      lazyAction(
        () => import('./inbox.run.js'),
        (m, deps, o: InboxOptions) => m.runInbox(o, deps),
      ),
    );
}
