// Two header lines: who I am and the inbox's counts; then the role filter, sort, filters and position.
import { Text } from 'ink';
import type { Agent } from '../../core/agents.js';
import { sanitizeLine } from '../../text/sanitize.js';
import { displayWidth, truncate } from '../../text/width.js';
import type { ConsoleFilter, Counts } from '../console-api.js';
import { describeFilter } from '../filter-text.js';
import { sameFilter, type ViewTab } from '../macros-api.js';
import type { Theme } from '../theme.js';

export interface HeaderProps {
  me: Agent;
  counts: Counts | null;
  filter: ConsoleFilter;
  position: { cursor: number; total: number | null };
  selected: number;
  width: number;
  theme: Theme;
  /** Saved views (keys 4–9) with their counts; the one the list shows is marked. */
  views?: ViewTab[];
}

const ROLE_TABS: [ConsoleFilter['role'], string, string][] = [
  ['all', '1', 'All'],
  ['service', '2', 'Service'],
  ['support', '3', 'Support'],
];

export function headerLines(p: HeaderProps): [string, string] {
  const t = p.theme;
  const roles = p.me.roles === 'both' ? 'service + support' : p.me.roles;
  const left = `${t.bold('TANDEM')}  @${sanitizeLine(p.me.handle)} ${sanitizeLine(p.me.name)} · ${roles}`;
  const c = p.counts;
  const right = c
    ? `${t.svc} ${c.service} open · ${t.sup} ${c.support} open · ${c.breached ? t.bad(`${c.breached} breached`) : '0 breached'}`
    : t.dim('counting…');
  const plainLeft = `TANDEM  @${sanitizeLine(p.me.handle)} ${sanitizeLine(p.me.name)} · ${roles}`;
  const plainRight = c ? `SVC ${c.service} open · SUP ${c.support} open · ${c.breached} breached` : 'counting…';
  const lw = displayWidth(plainLeft);
  const rw = displayWidth(plainRight);
  let line1: string;
  if (lw + rw + 1 <= p.width) {
    line1 = left + ' '.repeat(p.width - lw - rw) + right;
  } else {
    // Narrow: the counts stay (the breached count above all); who I am is cut to what is left.
    const short = c
      ? `${t.svc} ${c.service} · ${t.sup} ${c.support} · ${c.breached ? t.bad(`${c.breached} breached`) : '0 breached'}`
      : right;
    const plainShort = c ? `SVC ${c.service} · SUP ${c.support} · ${c.breached} breached` : plainRight;
    const room = p.width - displayWidth(plainShort) - 1;
    line1 =
      room >= 8
        ? truncate(plainLeft, room) +
          ' '.repeat(Math.max(1, p.width - displayWidth(truncate(plainLeft, room)) - displayWidth(plainShort))) +
          short
        : truncate(plainShort, p.width);
  }

  // Role tabs, then saved views: a view showing exactly its filter is the tab in brackets, not the role.
  const onView = (p.views ?? []).find((v) => v.key && sameFilter(p.filter, v.filter));
  const roleTabs = ROLE_TABS.map(([role, key, label]) =>
    !onView && p.filter.role === role ? t.bold(`[${key} ${label}]`) : t.dim(` ${key} ${label} `),
  ).join('');
  const viewTabs = (p.views ?? [])
    .filter((v) => v.key)
    .map((v) => {
      const label = `${v.key} ${sanitizeLine(v.name)} ${v.count ?? '…'}`;
      return { text: v === onView ? t.bold(`[${label}]`) : t.dim(` ${label} `), width: displayWidth(label) + 2 };
    });
  const tabs = roleTabs + viewTabs.map((v) => v.text).join('');
  const tabsWidth =
    ROLE_TABS.reduce((n, [, key, label]) => n + key.length + label.length + 3, 0) + viewTabs.reduce((n, v) => n + v.width, 0);
  const desc = onView ? '' : describeFilter(p.filter);
  const pos =
    p.position.total === null
      ? `${p.position.cursor + 1}/…`
      : p.position.total === 0
        ? 'no items'
        : `${p.position.cursor + 1}/${p.position.total}`;
  const extras = [`sort: ${p.filter.sort}`, desc ? `filter: ${desc}` : '', p.selected ? `${p.selected} selected` : '', pos]
    .filter(Boolean)
    .join(' · ');
  const line2 = tabs + '  ' + truncate(extras, Math.max(0, p.width - tabsWidth - 2));
  return [line1, line2];
}

export function Header(p: HeaderProps) {
  const [a, b] = headerLines(p);
  return (
    <>
      <Text wrap="truncate">{a || ' '}</Text>
      <Text wrap="truncate">{b || ' '}</Text>
    </>
  );
}
