// The KPI view's text: the Service and Support panels (value, n, change against the previous period,
// sparkline), each with its per-agent table, side by side when wide or stacked when narrow, then the
// at-risk customers. Each line is one pre-built string, as in the inbox list.
import type { AgentFigures, Figure, FigureInfo, KpiReport, RoleKpis, SeriesPoint } from '../core/kpi.js';
import { FIGURES } from '../core/kpi.js';
import { describeReason, type AtRiskCustomer } from '../core/kpi-at-risk.js';
import type { Role } from '../core/vocabulary.js';
import { changeArrow, changeTone, formatKpiChange, formatKpiValue, sparkline } from '../text/kpi-format.js';
import { sanitizeLine } from '../text/sanitize.js';
import { displayWidth, fit, truncate } from '../text/width.js';
import type { Theme } from './theme.js';

/** From this width on, the two panels sit side by side; below it they are stacked. */
const KPI_SIDE_BY_SIDE = 110;

const LABEL = 23;
const VALUE = 10;
const COUNT = 7;
const CHANGE = 12;
const SPARK_MAX = 30;
const GAP = ' │ ';

/** Headline columns of the per-agent tables, most telling first; the ones that do not fit are left out. */
const AGENT_COLUMNS: Record<Role, [key: string, header: string][]> = {
  support: [
    ['volume', 'VOLUME'],
    ['backlog', 'BACKLOG'],
    ['firstResponseMedian', '1ST RESP'],
    ['resolutionMedian', 'RESOLVE'],
    ['csat', 'CSAT'],
    ['slaFirstResponse', 'SLA FR'],
    ['slaResolution', 'SLA RES'],
    ['oneTouch', '1-TOUCH'],
  ],
  service: [
    ['nps', 'NPS'],
    ['followUpsOnTime', 'FOLLOW-UPS'],
    ['firstResponseMedian', '1ST RESP'],
    ['escalationRate', 'ESC RATE'],
  ],
};

const ROLE_TITLE: Record<Role, string> = { support: 'Support', service: 'Service' };

export interface KpiLinesInput {
  report: KpiReport | null;
  /** Panel order (panelOrder of the agent's roles). */
  order: Role[];
  width: number;
  theme: Theme;
  /** The at-risk row under the cursor. */
  cursor: number;
  /** The agent's own role(s), marked on their panels. */
  mine: Role[];
}

export interface KpiLines {
  lines: string[];
  /** The line of the at-risk cursor row, if any. */
  cursorLine: number | null;
}

/** Squeeze a daily series into at most `width` columns (each column the mean of its days). */
export function squeeze(points: readonly SeriesPoint[], width: number): (number | null)[] {
  const values = points.map((p) => p.value);
  if (values.length <= width) return values;
  const per = Math.ceil(values.length / width);
  const out: (number | null)[] = [];
  for (let i = 0; i < values.length; i += per) {
    const chunk = values.slice(i, i + per).filter((v): v is number => v !== null);
    out.push(chunk.length ? chunk.reduce((a, b) => a + b, 0) / chunk.length : null);
  }
  return out;
}

interface PanelColumns {
  count: boolean;
  spark: number;
}

function panelColumns(width: number): PanelColumns {
  const rest = width - (LABEL + 1 + VALUE + 1 + CHANGE + 1);
  // The n column only when it leaves a readable sparkline.
  if (rest >= COUNT + 1 + 10) return { count: true, spark: Math.min(SPARK_MAX, rest - COUNT - 1) };
  return { count: false, spark: Math.max(0, Math.min(SPARK_MAX, rest)) };
}

function changeCell(info: FigureInfo, f: Figure): string {
  if (f.change === null) return '—';
  return f.change === 0 ? '→ =' : `${changeArrow(f)} ${formatKpiChange(info, f.change)}`;
}

function figureRow(info: FigureInfo, f: Figure, series: SeriesPoint[] | undefined, cols: PanelColumns, theme: Theme): string {
  const tone = changeTone(info, f);
  const paint = tone === 'good' ? theme.ok : tone === 'bad' ? theme.bad : theme.dim;
  let row = fit(info.label, LABEL) + ' ' + theme.bold(fit(formatKpiValue(info, f.value), VALUE, 'right'));
  if (cols.count) row += ' ' + theme.dim(fit(`n=${f.count}`, COUNT, 'right'));
  row += ' ' + paint(fit(changeCell(info, f), CHANGE, 'right'));
  if (cols.spark > 0 && series?.length) row += ' ' + theme.accent(sparkline(squeeze(series, cols.spark)));
  return row;
}

function agentTable(role: Role, agents: AgentFigures[], width: number, theme: Theme): string[] {
  const infos = new Map(FIGURES[role].map((f) => [f.key, f]));
  const handleWidth = Math.min(14, Math.max(6, ...agents.map((a) => displayWidth(sanitizeLine(a.handle)) + 1)));
  const cols: { key: string; header: string; width: number }[] = [];
  let used = handleWidth;
  for (const [key, header] of AGENT_COLUMNS[role]) {
    const w = Math.max(8, header.length);
    if (used + 1 + w > width) break;
    cols.push({ key, header, width: w });
    used += 1 + w;
  }
  const head = theme.dim(fit('AGENT', handleWidth) + cols.map((c) => ' ' + fit(c.header, c.width, 'right')).join(''));
  if (agents.length === 0) return [head, theme.dim('No agents.')];
  return [
    head,
    ...agents.map(
      (a) =>
        fit('@' + sanitizeLine(a.handle), handleWidth) +
        cols.map((c) => ' ' + fit(formatKpiValue(infos.get(c.key)!, a.figures[c.key]?.value ?? null), c.width, 'right')).join(''),
    ),
  ];
}

/** One role's panel: title, column header, a row per figure, then its per-agent table. */
function panelLines(role: Role, k: RoleKpis, width: number, theme: Theme, mine: boolean): string[] {
  return [...figureLines(role, k, width, theme, mine), ...agentLines(role, k, width, theme)];
}

function agentLines(role: Role, k: RoleKpis, width: number, theme: Theme): string[] {
  return k.agents ? ['', theme.bold(`${ROLE_TITLE[role]} by agent`), ...agentTable(role, k.agents, width, theme)] : [];
}

function figureLines(role: Role, k: RoleKpis, width: number, theme: Theme, mine: boolean): string[] {
  const cols = panelColumns(width);
  const title = theme.bold(ROLE_TITLE[role]) + (mine ? theme.dim('  (your role)') : '');
  const head = theme.dim(
    fit('', LABEL) +
      ' ' +
      fit('VALUE', VALUE, 'right') +
      (cols.count ? ' ' + fit('N', COUNT, 'right') : '') +
      ' ' +
      fit('VS PREVIOUS', CHANGE, 'right') +
      (cols.spark > 0 ? ' ' + truncate('DAILY', cols.spark) : ''),
  );
  const lines = [title, head];
  for (const info of FIGURES[role]) {
    const f = k.figures[info.key];
    if (f) lines.push(figureRow(info, f, k.series[info.key], cols, theme));
  }
  return lines;
}

function pad(s: string, width: number): string {
  return s + ' '.repeat(Math.max(0, width - displayWidth(s)));
}

function atRiskLines(report: KpiReport, width: number, theme: Theme, cursor: number): KpiLines {
  const list: AtRiskCustomer[] = report.service?.atRisk ?? [];
  const total = report.service?.figures.atRiskCustomers?.value ?? list.length;
  const lines = [
    theme.bold('At-risk customers') +
      theme.dim(truncate(`  ${total} · CSAT ≤ 2, NPS detractor or 3+ support items in 30 days · F follow-up`, Math.max(0, width - 17))),
  ];
  if (list.length === 0) return { lines: [...lines, theme.dim('  No customer is at risk.')], cursorLine: null };
  const nameWidth = Math.min(24, Math.max(8, ...list.map((r) => displayWidth(sanitizeLine(r.name)))));
  const reasonsOf = (r: AtRiskCustomer) => r.reasons.map(describeReason).join(', ');
  const fixed = 2 + 7 + nameWidth + 2;
  const followWidth = list.some((r) => r.openFollowUpId)
    ? 2 + displayWidth(`follow-up #${Math.max(...list.map((r) => r.openFollowUpId ?? 0))} open`)
    : 0;
  const reasonsWidth = Math.max(10, Math.min(Math.max(...list.map((r) => displayWidth(reasonsOf(r)))), width - fixed - followWidth));
  let cursorLine: number | null = null;
  list.forEach((r, i) => {
    const at = i === cursor;
    const follow = r.openFollowUpId ? `follow-up #${r.openFollowUpId} open` : '';
    const text =
      `${at ? '>' : ' '} ${fit('#' + r.customerId, 6)} ${fit(sanitizeLine(r.name), nameWidth)}  ` +
      fit(reasonsOf(r), reasonsWidth) +
      (follow ? '  ' + follow : '');
    const row = truncate(text, width);
    if (at) cursorLine = lines.length;
    lines.push(at ? theme.cursor(pad(row, width)) : follow ? row.replace(follow, theme.ok(follow)) : row);
  });
  if (total > list.length) lines.push(theme.dim(`  … and ${total - list.length} more (tandem kpi --json lists them)`));
  return { lines, cursorLine };
}

/** Every line of the KPI view's body for a width, and where the at-risk cursor is. */
export function kpiLines(p: KpiLinesInput): KpiLines {
  const { report, width, theme } = p;
  if (!report) return { lines: [theme.dim('  Computing KPIs…')], cursorLine: null };
  const roles = p.order.filter((r) => report[r]);
  const lines: string[] = [];
  if (width >= KPI_SIDE_BY_SIDE && roles.length === 2) {
    const w = Math.floor((width - GAP.length) / 2);
    // Figures beside figures, then the agent tables beside each other, level.
    const side = (a: string[], b: string[]) => {
      for (let i = 0; i < Math.max(a.length, b.length); i++) lines.push(pad(a[i] ?? '', w) + theme.dim(GAP) + (b[i] ?? ''));
    };
    side(...(roles.map((r) => figureLines(r, report[r]!, w, theme, p.mine.includes(r))) as [string[], string[]]));
    side(...(roles.map((r) => agentLines(r, report[r]!, w, theme)) as [string[], string[]]));
  } else {
    roles.forEach((r, i) => {
      if (i > 0) lines.push('');
      lines.push(...panelLines(r, report[r]!, width, theme, p.mine.includes(r)));
    });
  }
  lines.push('');
  const risk = atRiskLines(report, width, theme, p.cursor);
  const offset = lines.length;
  lines.push(...risk.lines);
  return { lines, cursorLine: risk.cursorLine === null ? null : offset + risk.cursorLine };
}
