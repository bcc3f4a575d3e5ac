// The console's one keymap: every binding is a named command (aerc-style). The key dispatcher, the
// `?` help overlay, the `:` command line and the status-bar hints all read this table.
import type { Key } from 'ink';

/** Where a command applies. `inbox` = list or detail; `item` = acts on the current item. */
type Scope = 'global' | 'inbox' | 'list' | 'detail' | 'item' | 'kpi' | 'rules';
export type Group = 'Console' | 'Move' | 'Read' | 'Filter' | 'Act';

export type CommandId =
  | 'app.quit'
  | 'app.close'
  | 'app.help'
  | 'app.command'
  | 'app.redraw'
  | 'list.down'
  | 'list.up'
  | 'list.top'
  | 'list.bottom'
  | 'list.pageDown'
  | 'list.pageUp'
  | 'list.open'
  | 'view.back'
  | 'view.pane'
  | 'item.goto'
  | 'detail.down'
  | 'detail.up'
  | 'detail.top'
  | 'detail.bottom'
  | 'detail.pageDown'
  | 'detail.pageUp'
  | 'detail.next'
  | 'detail.prev'
  | 'filter.all'
  | 'filter.service'
  | 'filter.support'
  | 'filter.search'
  | 'filter.prompt'
  | 'filter.mine'
  | 'filter.unassigned'
  | 'filter.sort'
  | 'filter.clear'
  | 'item.select'
  | 'item.assign'
  | 'item.take'
  | 'item.priority'
  | 'item.status'
  | 'item.tag'
  | 'item.snooze'
  | 'item.reply'
  | 'item.note'
  | 'item.resolve'
  | 'item.escalate'
  | 'item.handback'
  | 'item.linked'
  | 'item.retryDelivery'
  | 'item.undo'
  | 'item.customer'
  | 'view.kpi'
  | 'kpi.back'
  | 'kpi.period'
  | 'kpi.down'
  | 'kpi.up'
  | 'kpi.pageDown'
  | 'kpi.pageUp'
  | 'kpi.open'
  | 'kpi.followUp'
  | 'item.macro'
  | 'view.saved'
  | 'view.key4'
  | 'view.key5'
  | 'view.key6'
  | 'view.key7'
  | 'view.key8'
  | 'view.key9'
  | 'item.accept'
  | 'view.rules'
  | 'rules.back'
  | 'rules.down'
  | 'rules.up'
  | 'rules.toggle'
  | 'rules.moveUp'
  | 'rules.moveDown'
  | 'rules.test';

export interface CommandSpec {
  id: CommandId;
  /** The name typed at the `:` command line. */
  name: string;
  /** Key names as produced by keyName(): 'j', 'G', 'down', 'enter', 'ctrl+c', 'space'… */
  keys: string[];
  scope: Scope;
  group: Group;
  help: string;
  /** What the command takes at the `:` command line (without it, it asks). */
  arg?: string;
  /** With a selection, applies to every selected item (after one confirmation). */
  bulk?: boolean;
  /** Short label for the status-bar hints. */
  hint?: string;
}

export const COMMANDS: readonly CommandSpec[] = [
  // Console
  {
    id: 'app.close',
    name: 'close',
    keys: ['q'],
    scope: 'global',
    group: 'Console',
    help: 'Back out one level (detail or KPIs → list); in the list, quit',
    hint: 'quit',
  },
  {
    id: 'app.quit',
    name: 'quit',
    keys: ['ctrl+c'],
    scope: 'global',
    group: 'Console',
    help: 'Quit from anywhere; asks first when you have unsent drafts (Ctrl-C in an input cancels the input)',
  },
  { id: 'app.help', name: 'help', keys: ['?'], scope: 'global', group: 'Console', help: 'Help: every key of this view', hint: 'help' },
  {
    id: 'app.command',
    name: 'command',
    keys: [':'],
    scope: 'global',
    group: 'Console',
    help: 'Command line: run any command by name (Tab completes)',
    hint: 'command',
  },
  { id: 'app.redraw', name: 'redraw', keys: ['ctrl+l'], scope: 'global', group: 'Console', help: 'Redraw the whole screen' },

  // Moving in the list
  { id: 'list.down', name: 'down', keys: ['j', 'down'], scope: 'list', group: 'Move', help: 'Next item', hint: 'move' },
  { id: 'list.up', name: 'up', keys: ['k', 'up'], scope: 'list', group: 'Move', help: 'Previous item' },
  { id: 'list.top', name: 'top', keys: ['g', 'home'], scope: 'list', group: 'Move', help: 'First item' },
  { id: 'list.bottom', name: 'bottom', keys: ['G', 'end'], scope: 'list', group: 'Move', help: 'Last item' },
  { id: 'list.pageDown', name: 'page-down', keys: ['pagedown', 'ctrl+f'], scope: 'list', group: 'Move', help: 'One page down' },
  { id: 'list.pageUp', name: 'page-up', keys: ['pageup', 'ctrl+b'], scope: 'list', group: 'Move', help: 'One page up' },
  {
    id: 'list.open',
    name: 'open',
    keys: ['enter'],
    scope: 'list',
    group: 'Move',
    help: 'Open the item (detail beside the list, or full screen when narrow)',
    hint: 'open',
  },
  { id: 'item.goto', name: 'go', keys: [], scope: 'inbox', group: 'Move', help: 'Open item #ID, whatever the filter', arg: '<id>' },
  {
    id: 'view.back',
    name: 'back',
    keys: ['esc'],
    scope: 'inbox',
    group: 'Move',
    help: 'Back to the list; in the list, clear the selection',
    hint: 'back',
  },
  { id: 'view.pane', name: 'pane', keys: ['tab'], scope: 'inbox', group: 'Move', help: 'Switch between list and detail' },

  // Reading an item
  { id: 'detail.down', name: 'scroll-down', keys: ['j', 'down'], scope: 'detail', group: 'Read', help: 'Scroll down', hint: 'scroll' },
  { id: 'detail.up', name: 'scroll-up', keys: ['k', 'up'], scope: 'detail', group: 'Read', help: 'Scroll up' },
  { id: 'detail.top', name: 'scroll-top', keys: ['g', 'home'], scope: 'detail', group: 'Read', help: 'Top of the item' },
  { id: 'detail.bottom', name: 'scroll-bottom', keys: ['G', 'end'], scope: 'detail', group: 'Read', help: 'End of the thread' },
  {
    id: 'detail.pageDown',
    name: 'scroll-page-down',
    keys: ['pagedown', 'space', 'ctrl+f'],
    scope: 'detail',
    group: 'Read',
    help: 'One page down',
  },
  { id: 'detail.pageUp', name: 'scroll-page-up', keys: ['pageup', 'ctrl+b'], scope: 'detail', group: 'Read', help: 'One page up' },
  { id: 'detail.next', name: 'next', keys: ['J'], scope: 'detail', group: 'Read', help: 'Next item in the list', hint: 'next/prev' },
  { id: 'detail.prev', name: 'prev', keys: ['K'], scope: 'detail', group: 'Read', help: 'Previous item in the list' },
  {
    id: 'item.linked',
    name: 'linked',
    keys: ['l'],
    scope: 'item',
    group: 'Read',
    help: 'Jump between an escalated item and its support item',
    hint: 'linked',
  },
  {
    id: 'item.customer',
    name: 'customer',
    keys: ['c'],
    scope: 'item',
    group: 'Read',
    help: 'Customer page: their items in both roles, orders, surveys, lifetime value',
  },

  // Filtering the inbox
  { id: 'filter.all', name: 'all', keys: ['1'], scope: 'inbox', group: 'Filter', help: 'Both roles', hint: 'roles' },
  { id: 'filter.service', name: 'service', keys: ['2'], scope: 'inbox', group: 'Filter', help: 'Service items only' },
  { id: 'filter.support', name: 'support', keys: ['3'], scope: 'inbox', group: 'Filter', help: 'Support items only' },
  {
    id: 'filter.search',
    name: 'search',
    keys: ['/'],
    scope: 'inbox',
    group: 'Filter',
    help: 'Full-text search (subjects and messages; live as you type)',
    arg: '[words]',
    hint: 'search',
  },
  {
    id: 'filter.prompt',
    name: 'filter',
    keys: ['f'],
    scope: 'inbox',
    group: 'Filter',
    help: 'Filter: status:… priority:… assignee:… tag:… breached',
    arg: '[status:open,pending priority:high assignee:me tag:vip breached]',
    hint: 'filter',
  },
  { id: 'filter.mine', name: 'mine', keys: ['M'], scope: 'inbox', group: 'Filter', help: "Only mine (again: everyone's)" },
  {
    id: 'filter.unassigned',
    name: 'unassigned',
    keys: ['u'],
    scope: 'inbox',
    group: 'Filter',
    help: "Only unassigned (again: everyone's)",
  },
  {
    id: 'filter.sort',
    name: 'sort',
    keys: ['o'],
    scope: 'inbox',
    group: 'Filter',
    help: 'Sort order: due → priority → newest → oldest → updated',
    arg: '[due|priority|newest|oldest|updated]',
  },
  {
    id: 'filter.clear',
    name: 'clear',
    keys: ['C'],
    scope: 'inbox',
    group: 'Filter',
    help: 'Clear search and filters (the role filter stays)',
  },
  // Saved views (`tandem view add`): the first six on 4–9, any by name (commands/macros.ts).
  {
    id: 'view.saved',
    name: 'view',
    keys: [],
    scope: 'inbox',
    group: 'Filter',
    help: 'Show a saved view (picker without a name)',
    arg: '[name]',
  },
  ...(['4', '5', '6', '7', '8', '9'] as const).map(
    (k, i): CommandSpec => ({
      id: `view.key${k}`,
      name: `view-${k}`,
      keys: [k],
      scope: 'inbox',
      group: 'Filter',
      help: `Saved view ${k} (the ${['first', 'second', 'third', 'fourth', 'fifth', 'sixth'][i]} saved view)`,
      ...(k === '4' ? { hint: 'views' } : {}),
    }),
  ),

  // Acting on the current item (or the selection)
  {
    id: 'item.select',
    name: 'select',
    keys: ['space'],
    scope: 'list',
    group: 'Act',
    help: 'Select / unselect for a bulk action, then move down',
    hint: 'select',
  },
  {
    id: 'item.assign',
    name: 'assign',
    keys: ['a'],
    scope: 'item',
    group: 'Act',
    help: 'Assign to an agent (picker)',
    arg: '[handle|none]',
    bulk: true,
    hint: 'assign',
  },
  { id: 'item.take', name: 'take', keys: ['A'], scope: 'item', group: 'Act', help: 'Take it: assign to me' },
  {
    id: 'item.priority',
    name: 'priority',
    keys: ['p'],
    scope: 'item',
    group: 'Act',
    help: 'Set the priority',
    arg: '[low|normal|high|urgent]',
    bulk: true,
  },
  {
    id: 'item.status',
    name: 'status',
    keys: ['s'],
    scope: 'item',
    group: 'Act',
    help: 'Set the status',
    arg: '[open|pending|resolved|closed]',
    bulk: true,
  },
  {
    id: 'item.tag',
    name: 'tag',
    keys: ['t'],
    scope: 'item',
    group: 'Act',
    help: 'Tags: words add, -word removes',
    arg: '[tag -tag…]',
    bulk: true,
  },
  {
    id: 'item.snooze',
    name: 'snooze',
    keys: ['z'],
    scope: 'item',
    group: 'Act',
    help: 'Snooze until a time (2h, tomorrow 9:00, monday 9am)',
    arg: '[when]',
  },
  {
    id: 'item.reply',
    name: 'reply',
    keys: ['r'],
    scope: 'item',
    group: 'Act',
    help: 'Reply to the customer: write ($EDITOR or inline), review, send (opens your draft)',
    arg: '[text]',
    hint: 'reply',
  },
  {
    id: 'item.note',
    name: 'note',
    keys: ['n'],
    scope: 'item',
    group: 'Act',
    help: 'Internal note, never shown to the customer (reviewed like a reply)',
    arg: '[text]',
    hint: 'note',
  },
  {
    id: 'item.resolve',
    name: 'resolve',
    keys: ['x'],
    scope: 'item',
    group: 'Act',
    help: 'Resolve and go to the next item',
    bulk: true,
    hint: 'resolve',
  },
  {
    id: 'item.escalate',
    name: 'escalate',
    keys: ['e'],
    scope: 'item',
    group: 'Act',
    help: 'Escalate a service item to support, with its context',
    arg: '[reason]',
    hint: 'escalate',
  },
  {
    id: 'item.macro',
    name: 'macro',
    keys: ['m'],
    scope: 'item',
    group: 'Act',
    help: 'Apply a macro (picker, live preview; Tab edits the text first)',
    arg: '[name]',
    bulk: true,
    hint: 'macro',
  },
  {
    id: 'item.undo',
    name: 'undo',
    keys: ['U'],
    scope: 'inbox',
    group: 'Act',
    help: 'Undo your last resolve, snooze, assignment, status, priority or tags (2 minutes; no reopen counted)',
  },
  {
    id: 'item.handback',
    name: 'handback',
    keys: ['b'],
    scope: 'item',
    group: 'Act',
    help: 'Hand an escalated support item back to service',
    arg: '[reason]',
  },
  {
    id: 'item.retryDelivery',
    name: 'retry-delivery',
    keys: ['D'],
    scope: 'item',
    group: 'Act',
    help: "Delivery: send this item's failed or uncertain replies again (the same mail)",
  },

  // The KPI view (% in the inbox, :kpi anywhere); digits stay the inbox's, K the detail's previous item
  {
    id: 'view.kpi',
    name: 'kpi',
    keys: ['%'],
    scope: 'inbox',
    group: 'Console',
    help: 'KPI panels for both roles, at-risk customers',
    arg: '[7|30|90 | FROM TO]',
    hint: 'KPIs',
  },
  { id: 'kpi.back', name: 'kpi-back', keys: ['esc', '%'], scope: 'kpi', group: 'Move', help: 'Back to the inbox (q too)', hint: 'back' },
  { id: 'kpi.down', name: 'risk-down', keys: ['j', 'down'], scope: 'kpi', group: 'Move', help: 'Next at-risk customer', hint: 'customer' },
  { id: 'kpi.up', name: 'risk-up', keys: ['k', 'up'], scope: 'kpi', group: 'Move', help: 'Previous at-risk customer' },
  {
    id: 'kpi.pageDown',
    name: 'kpi-page-down',
    keys: ['pagedown', 'space', 'ctrl+f'],
    scope: 'kpi',
    group: 'Move',
    help: 'Scroll the KPIs one page down',
  },
  { id: 'kpi.pageUp', name: 'kpi-page-up', keys: ['pageup', 'ctrl+b'], scope: 'kpi', group: 'Move', help: 'Scroll the KPIs one page up' },
  {
    id: 'kpi.period',
    name: 'days',
    keys: ['d'],
    scope: 'kpi',
    group: 'Filter',
    help: 'Period: the last 7 → 30 → 90 days (against as many before)',
    arg: '[7|30|90]',
    hint: 'period',
  },
  {
    id: 'kpi.followUp',
    name: 'follow-up',
    keys: ['F'],
    scope: 'kpi',
    group: 'Act',
    help: 'Proactive follow-up for the at-risk customer: an outbound service item due when you say',
    arg: '[when]',
    hint: 'follow up',
  },
  { id: 'kpi.open', name: 'open-follow-up', keys: ['enter'], scope: 'kpi', group: 'Act', help: "Open the customer's open follow-up" },

  // Rules and routing (R in the list: the rules view; y: accept the suggested role, kind and agent)
  {
    id: 'item.accept',
    name: 'accept',
    keys: ['y'],
    scope: 'item',
    group: 'Act',
    help: 'Accept the suggestion: the suggested role and kind (and agent, when nobody has it)',
  },
  {
    id: 'view.rules',
    name: 'rules',
    keys: ['R'],
    scope: 'list',
    group: 'Console',
    help: 'Rules: list, switch on/off, reorder, test against the current item',
    hint: 'rules',
  },
  { id: 'rules.back', name: 'rules-back', keys: ['esc', 'R'], scope: 'rules', group: 'Move', help: 'Back to the inbox', hint: 'back' },
  { id: 'rules.down', name: 'rule-down', keys: ['j', 'down'], scope: 'rules', group: 'Move', help: 'Next rule', hint: 'move' },
  { id: 'rules.up', name: 'rule-up', keys: ['k', 'up'], scope: 'rules', group: 'Move', help: 'Previous rule' },
  {
    id: 'rules.toggle',
    name: 'rule-toggle',
    keys: ['space'],
    scope: 'rules',
    group: 'Act',
    help: 'Switch the rule on or off',
    hint: 'on/off',
  },
  {
    id: 'rules.moveUp',
    name: 'rule-earlier',
    keys: ['K'],
    scope: 'rules',
    group: 'Act',
    help: 'Run the rule earlier (move it up the order)',
    hint: 'reorder',
  },
  {
    id: 'rules.moveDown',
    name: 'rule-later',
    keys: ['J'],
    scope: 'rules',
    group: 'Act',
    help: 'Run the rule later (move it down the order)',
  },
  {
    id: 'rules.test',
    name: 'rule-test',
    keys: ['t', 'enter'],
    scope: 'rules',
    group: 'Act',
    help: "Test the rule against the inbox's current item (writes nothing)",
    hint: 'test',
  },
];

export type ViewName = 'list' | 'detail' | 'kpi' | 'rules';

/** The scopes whose keys work in a view, most specific first. */
function scopesFor(view: ViewName): Scope[] {
  if (view === 'kpi') return ['kpi', 'global'];
  if (view === 'rules') return ['rules', 'global'];
  return view === 'list' ? ['list', 'item', 'inbox', 'global'] : ['detail', 'item', 'inbox', 'global'];
}

export function commandsFor(view: ViewName): CommandSpec[] {
  const scopes = scopesFor(view);
  return COMMANDS.filter((c) => scopes.includes(c.scope));
}

/** Turn Ink's (input, key) into one key name: 'j', 'G', 'down', 'enter', 'esc', 'ctrl+c', 'space'… */
export function keyName(input: string, key: Key): string | null {
  if (key.upArrow) return 'up';
  if (key.downArrow) return 'down';
  if (key.leftArrow) return 'left';
  if (key.rightArrow) return 'right';
  if (key.pageUp) return 'pageup';
  if (key.pageDown) return 'pagedown';
  if (key.home) return 'home';
  if (key.end) return 'end';
  if (key.return || input === '\n' || input === '\r') return 'enter';
  if (key.escape) return 'esc';
  if (key.tab) return key.shift ? 'shift+tab' : 'tab';
  if (key.backspace || key.delete) return 'backspace';
  if (key.ctrl && input) return `ctrl+${input.toLowerCase()}`;
  if (input === ' ') return 'space';
  if (input.length >= 1) return input;
  return null;
}

/** The command a key runs in a view, if any. */
export function commandForKey(view: ViewName, name: string): CommandSpec | undefined {
  for (const scope of scopesFor(view)) {
    const hit = COMMANDS.find((c) => c.scope === scope && c.keys.includes(name));
    if (hit) return hit;
  }
  return undefined;
}

/** How a key is shown in help and hints. */
function keyLabel(name: string): string {
  const labels: Record<string, string> = {
    down: '↓',
    up: '↑',
    left: '←',
    right: '→',
    pageup: 'PgUp',
    pagedown: 'PgDn',
    home: 'Home',
    end: 'End',
    enter: 'Enter',
    esc: 'Esc',
    tab: 'Tab',
    space: 'Space',
    backspace: 'Backspace',
  };
  if (labels[name]) return labels[name]!;
  if (name.startsWith('ctrl+')) return 'Ctrl-' + name.slice(5).toUpperCase();
  return name;
}

export function keysLabel(spec: CommandSpec): string {
  return spec.keys.map(keyLabel).join(' ');
}

/** Find a command by its `:` name (or id), exact first, then a unique prefix. */
export function findCommandByName(text: string, view: ViewName): CommandSpec | CommandSpec[] | undefined {
  const word = text.trim().toLowerCase();
  if (!word) return undefined;
  const visible = commandsFor(view);
  const exact = COMMANDS.find((c) => c.name === word || c.id === word);
  if (exact) return exact;
  const prefixed = visible.filter((c) => c.name.startsWith(word));
  if (prefixed.length === 1) return prefixed[0];
  return prefixed.length ? prefixed : undefined;
}

/** Status-bar hints for a view: the commands with a hint, moving first, then acting, filtering, the console. */
export function hintsFor(view: ViewName, selecting: boolean): { keys: string; label: string }[] {
  const order: Group[] = ['Move', 'Read', 'Act', 'Filter', 'Console'];
  const combined: Partial<Record<CommandId, string>> = {
    'list.down': 'j/k',
    'detail.down': 'j/k',
    'detail.next': 'J/K',
    'filter.all': '1/2/3',
    'view.key4': '4–9',
    'kpi.down': 'j/k',
    'rules.down': 'j/k',
    'rules.moveUp': 'K/J',
  };
  const out: { keys: string; label: string }[] = [];
  for (const group of order) {
    for (const c of commandsFor(view)) {
      if (c.group !== group || !c.hint) continue;
      if (selecting && c.group === 'Act' && !c.bulk && c.id !== 'item.select') continue;
      out.push({ keys: combined[c.id] ?? keyLabel(c.keys[0] ?? ''), label: c.hint });
    }
  }
  return out;
}
