// The KPI view (K): a header line with the period tabs, then the panels and at-risk list from
// kpi-lines.ts, shown through a window that follows the at-risk cursor or scrolls by page.
import { Box, Text } from 'ink';
import { useMemo } from 'react';
import { panelOrder } from '../../core/kpi.js';
import { localTime } from '../../text/format.js';
import { displayWidth, truncate } from '../../text/width.js';
import type { KpiController } from '../hooks/use-kpi.js';
import { kpiLines } from '../kpi-lines.js';
import type { Theme } from '../theme.js';
import type { Agent } from '../../core/agents.js';
import { headerLines, type HeaderProps } from './header.js';

const TABS = [7, 30, 90];

/** The second header line in the KPI view: the period tabs (d cycles them), the period against the previous one, and progress. */
function kpiHeaderLine(kpi: KpiController, width: number, theme: Theme): string {
  const { span, report, computing, error } = kpi.state;
  const days = 'days' in span ? span.days : null;
  const tabs = TABS.map((d) => (days === d ? theme.bold(`[${d} days]`) : theme.dim(` ${d} days `))).join('');
  const label = days === null ? theme.bold('[custom period]') : TABS.includes(days) ? '' : theme.bold(`[${days} days]`);
  const state = computing ? theme.warn('computing…') : error ? theme.bad(error) : '';
  const line = (range: string, keys: boolean) =>
    `${theme.bold('KPIs')} ${tabs}${label}${keys ? ' ' + theme.dim('(d)') : ''}  ${[range, state].filter(Boolean).join('  ')}`;
  if (!report) return truncate(line('', true), width);
  const { from, to } = report.period;
  const length = Number(((Date.parse(to) - Date.parse(from)) / 86_400_000).toFixed(1));
  // The most detailed line that fits: times and the comparison, then times, then dates only.
  const candidates = [
    line(`${localTime(from)} → ${localTime(to)}${theme.dim(` vs the ${length} days before`)}`, true),
    line(`${localTime(from)} → ${localTime(to)}`, false),
    line(`${localTime(from).slice(0, 10)} → ${localTime(to).slice(0, 10)}`, false),
  ];
  return truncate(candidates.find((c) => displayWidth(c) <= width) ?? candidates[2]!, width);
}

export function KpiHeader(p: HeaderProps & { kpi: KpiController }) {
  return (
    <>
      <Text wrap="truncate">{headerLines(p)[0]}</Text>
      <Text wrap="truncate">{kpiHeaderLine(p.kpi, p.width, p.theme)}</Text>
    </>
  );
}

export interface KpiViewProps {
  kpi: KpiController;
  me: Agent;
  width: number;
  height: number;
  theme: Theme;
}

export function KpiView({ kpi, me, width, height, theme }: KpiViewProps) {
  const { report, cursor, follow } = kpi.state;
  const body = useMemo(
    () =>
      kpiLines({
        report,
        order: panelOrder(me.roles),
        width,
        theme,
        cursor,
        mine: me.roles === 'both' ? [] : [me.roles],
      }),
    [report, me.roles, width, theme, cursor],
  );
  let top = kpi.state.top;
  if (follow && body.cursorLine !== null) {
    if (body.cursorLine < top) top = body.cursorLine;
    if (body.cursorLine >= top + height) top = body.cursorLine - height + 1;
  }
  top = Math.max(0, Math.min(top, body.lines.length - height));
  kpi.shown.top = top;
  kpi.shown.height = height;
  const lines = body.lines.slice(top, top + height);
  return (
    <Box flexDirection="column" width={width} height={height}>
      {/* An empty <Text> takes no row: a blank line is a space. */}
      {lines.map((line, i) => (
        <Text key={i} wrap="truncate">
          {line || ' '}
        </Text>
      ))}
    </Box>
  );
}
