// Filtering the inbox: roles, search (live as you type), the filter prompt, mine/unassigned, sort.
import { SORTS, type Sort } from '../../core/inbox.js';
import { DEFAULT_FILTER, type ConsoleFilter } from '../console-api.js';
import { describeFilter, formatFilter, parseFilter } from '../filter-text.js';
import type { CommandContext, Handler } from './context.js';
import { explainError } from '../explain.js';

async function apply(c: CommandContext, next: ConsoleFilter, said?: string): Promise<boolean> {
  try {
    await c.inbox.setFilter(next);
    c.showItem(null);
    if (said !== undefined) c.status.say(said, 'info');
    return true;
  } catch (e) {
    c.status.say(explainError(e, c.api.now()), 'error');
    return false;
  }
}

// Each filter key waits for its list before the next key reads the filter ("o o o" sorts three times).
const role =
  (r: ConsoleFilter['role'], label: string): Handler =>
  async (c) => {
    await apply(c, { ...c.inbox.state.filter, role: r }, `Showing ${label}.`);
  };

function shown(f: ConsoleFilter): string {
  const d = describeFilter(f);
  return d ? `Showing ${d}.` : 'Showing all open work.';
}

export const filter: Record<string, Handler> = {
  'filter.all': role('all', 'both roles'),
  'filter.service': role('service', 'service items'),
  'filter.support': role('support', 'support items'),

  'filter.search': async (c, arg) => {
    const before = c.inbox.state.filter;
    if (arg !== undefined) {
      await apply(c, { ...before, search: arg.trim() }, shown({ ...before, search: arg.trim() }));
      return;
    }
    // Live: the list follows each keystroke (debounced); Esc puts the previous search back.
    let timer: NodeJS.Timeout | undefined;
    const text = await c.modal.ask({
      label: 'Search: ',
      initial: before.search,
      hint: 'Words in subjects and messages · Enter keeps it · Esc goes back · empty clears',
      onChange: (t) => {
        clearTimeout(timer);
        timer = setTimeout(() => void c.inbox.setFilter({ ...before, search: t.trim() }).catch(() => undefined), 150);
      },
    });
    clearTimeout(timer);
    if (text === null) {
      await apply(c, before);
      return;
    }
    const next = { ...before, search: text.trim() };
    await apply(c, next, next.search ? shown(next) : 'Search cleared.');
  },

  'filter.prompt': async (c, arg) => {
    const base = c.inbox.state.filter;
    let parsed: ConsoleFilter | null = null;
    const text =
      arg ??
      (await c.modal.ask({
        label: 'Filter: ',
        initial: formatFilter(base),
        hint: 'status:open,pending  priority:high,urgent  assignee:me|none|HANDLE  tag:vip  breached · empty clears',
        validate: (t) => {
          try {
            parsed = parseFilter(t, base);
            return null;
          } catch (e) {
            return (e as Error).message;
          }
        },
      }));
    if (text === null) return;
    try {
      parsed ??= parseFilter(text, base);
    } catch (e) {
      c.status.say((e as Error).message, 'error');
      return;
    }
    await apply(c, parsed, shown(parsed));
  },

  'filter.mine': async (c) => {
    const f = c.inbox.state.filter;
    const next = { ...f, assignee: f.assignee === 'me' ? '' : 'me' };
    await apply(c, next, next.assignee ? "Showing only items assigned to you (M again: everyone's)." : "Showing everyone's items.");
  },

  'filter.unassigned': async (c) => {
    const f = c.inbox.state.filter;
    const next = { ...f, assignee: f.assignee === 'none' ? '' : 'none' };
    await apply(c, next, next.assignee ? "Showing only unassigned items (u again: everyone's)." : "Showing everyone's items.");
  },

  'filter.sort': async (c, arg) => {
    const f = c.inbox.state.filter;
    let sort: Sort;
    if (arg) {
      const wanted = arg.trim().toLowerCase();
      if (!(SORTS as readonly string[]).includes(wanted)) return c.status.say(`Sort by one of: ${SORTS.join(', ')}.`, 'error');
      sort = wanted as Sort;
    } else {
      sort = SORTS[(SORTS.indexOf(f.sort) + 1) % SORTS.length]!;
    }
    const labels: Record<Sort, string> = {
      due: 'next due time first',
      priority: 'priority, urgent first',
      newest: 'newest first',
      oldest: 'oldest first',
      updated: 'recently updated first',
    };
    await apply(c, { ...f, sort }, `Sorted by ${labels[sort]}.`);
  },

  'filter.clear': async (c) => {
    const f = c.inbox.state.filter;
    await apply(c, { ...DEFAULT_FILTER, role: f.role, sort: f.sort }, 'Filters cleared: all open work.');
  },
};
