// The KPI view (K): a header line with the period tabs, then the panels and at-risk list from
// kpi-lines.ts, shown through a window that follows the at-risk cursor or scrolls by page.
import { Box, Text } from 'ink';
import React, { useMemo } from 'react';
import { panelOrder } from '../../core/kpi.js';
import { localTime } from '../../text/format.js';
import { truncate } from '../../text/width.js';
import type { KpiController } from '../hooks/use-kpi.js';
import { kpiLines } from '../kpi-lines.js';
import type { Theme } from '../theme.js';
import type { Agent } from '../../core/agents.js';
import { headerLines, type HeaderProps } from './header.js';

const TABS = [7, 30, 90];

/** The second header line in the KPI view: 7/3/9 tabs, the period against the previous one, and progress. */
export function kpiHeaderLine(kpi: KpiController, width: number, theme: Theme): string {
  const { span, report, computing, error } = kpi.state;
  const days = 'days' in span ? span.days : null;
  const tabs = TABS.map((d) => (days === d ? theme.bold(`[${d} days]`) : theme.dim(` ${d} days `))).join('');
  const label = days === null ? theme.bold('[custom period]') : TABS.includes(days) ? '' : theme.bold(`[${days} days]`);
  const length = report ? (Date.parse(report.period.to) - Date.parse(report.period.from)) / 86_400_000 : 0;
  const range = report ? `${localTime(report.period.from)} → ${localTime(report.period.to)}${theme.dim(` vs the ${Number(length.toFixed(1))} days before`)}` : '';
  const state = computing ? theme.warn('computing…') : error ? theme.bad(error) : '';
  return truncate(`${theme.bold('KPIs')} ${tabs}${label} ${theme.dim('(7/3/9)')}  ${[range, state].filter(Boolean).join('  ')}`, width);
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
  const body = useMemo(() => kpiLines({
    report, order: panelOrder(me.roles), width, theme, cursor, mine: me.roles === 'both' ? [] : [me.roles],
  }), [report, me.roles, width, theme, cursor]);
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
      {lines.map((line, i) => <Text key={i} wrap="truncate">{line || ' '}</Text>)}
    </Box>
  );
}
