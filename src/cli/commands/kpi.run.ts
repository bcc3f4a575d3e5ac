// `tandem kpi`: per-role KPIs for a period against the previous one, as a table, tab-separated lines, CSV or JSON.
import type { ChalkInstance } from 'chalk';
import { invalid, usage } from '../../core/errors.js';
import {
  computeKpis,
  FIGURES,
  panelOrder,
  resolvePeriod,
  type Figure,
  type FigureInfo,
  type KpiReport,
  type RoleKpis,
} from '../../core/kpi.js';
import { describeReason } from '../../core/kpi-at-risk.js';
import type { Role } from '../../core/vocabulary.js';
import { localTime } from '../../text/format.js';
import { changeArrow, changeTone, formatKpiChange, formatKpiValue, sparkline } from '../../text/kpi-format.js';
import { sanitizeLine } from '../../text/sanitize.js';
import type { Output } from '../output.js';
import type { Deps } from '../runtime.js';

const ROLE_ORDER: Role[] = ['support', 'service'];
const AT_RISK_SHOWN = 10;

/** Column headers of the per-agent table (its headline figures). */
const SHORT: Record<string, string> = {
  volume: 'VOLUME',
  backlog: 'BACKLOG',
  firstResponseMedian: 'FIRST RESP',
  resolutionMedian: 'RESOLUTION',
  csat: 'CSAT',
  slaFirstResponse: 'SLA FR',
  slaResolution: 'SLA RES',
  reopenRate: 'REOPEN',
  oneTouch: '1-TOUCH',
  escalationsReceived: 'ESC IN',
  nps: 'NPS',
  followUpsOnTime: 'FOLLOW-UPS',
  escalationRate: 'ESC RATE',
};

function panels(report: KpiReport): [Role, RoleKpis][] {
  return ROLE_ORDER.flatMap((r) => (report[r] ? [[r, report[r]!] as [Role, RoleKpis]] : []));
}

function colourChange(c: ChalkInstance, info: FigureInfo, f: Figure, text: string): string {
  const tone = changeTone(info, f);
  return tone === 'good' ? c.green(text) : tone === 'bad' ? c.red(text) : c.dim(text);
}

/** The last days of a series as a sparkline (at most 30 columns, so the table stays narrow). */
function trend(k: RoleKpis, key: string): string {
  const points = k.series[key];
  return points ? sparkline(points.slice(-30).map((p) => p.value)) : '';
}

function printHuman(out: Output, report: KpiReport, order: Role[]): void {
  const c = out.c;
  const range = (p: { from: string; to: string }) => `${localTime(p.from)} → ${localTime(p.to)}`;
  out.print(
    c.bold(`KPIs ${range(report.period)}`) +
      c.dim(`  (previous: ${range(report.previousPeriod)})`) +
      (report.agent ? `  @${report.agent}` : ''),
  );
  for (const [role, k] of panels(report).sort((a, b) => order.indexOf(a[0]) - order.indexOf(b[0]))) {
    out.print('');
    out.print(c.bold(role === 'support' ? 'Support' : 'Service'));
    const infos = FIGURES[role].filter((f) => k.figures[f.key]);
    out.table(infos, [
      { header: 'FIGURE', value: (f) => f.label },
      { header: 'VALUE', value: (f) => formatKpiValue(f, k.figures[f.key]!.value), align: 'right', color: (_f, t, ch) => ch.bold(t) },
      { header: 'PREVIOUS', value: (f) => formatKpiValue(f, k.figures[f.key]!.previous), align: 'right' },
      {
        header: 'CHANGE',
        value: (f) => {
          const x = k.figures[f.key]!;
          return x.change ? `${changeArrow(x)} ${formatKpiChange(f, x.change)}` : formatKpiChange(f, x.change);
        },
        align: 'right',
        color: (f, t, ch) => colourChange(ch, f, k.figures[f.key]!, t),
      },
      { header: 'N', value: (f) => String(k.figures[f.key]!.count), align: 'right' },
      { header: 'TREND', value: (f) => trend(k, f.key), color: (_f, t, ch) => ch.cyan(t) },
    ]);
    if (k.agents) {
      const cols = FIGURES[role].filter((f) => SHORT[f.key] && !f.teamOnly);
      out.print('');
      out.table(
        k.agents,
        [
          { header: 'AGENT', value: (a) => '@' + a.handle },
          ...cols.map((f) => ({
            header: SHORT[f.key]!,
            value: (a: (typeof k.agents)[number]) => formatKpiValue(f, a.figures[f.key]!.value),
            align: 'right' as const,
          })),
        ],
        { empty: 'No agents.' },
      );
    }
    const atRisk = role === 'service' ? report.service?.atRisk : undefined;
    if (atRisk?.length) {
      const total = report.service!.figures.atRiskCustomers?.value ?? atRisk.length;
      out.print('');
      out.print(c.bold('At-risk customers') + c.dim(` (${total} in the 30 days before the end of the period)`));
      out.table(atRisk.slice(0, AT_RISK_SHOWN), [
        { header: 'ID', value: (r) => String(r.customerId), align: 'right' },
        { header: 'CUSTOMER', value: (r) => r.name, flex: true, max: 28 },
        { header: 'REASONS', value: (r) => r.reasons.map(describeReason).join(', ') },
        { header: 'FOLLOW-UP', value: (r) => (r.openFollowUpId ? `#${r.openFollowUpId} open` : '') },
      ]);
      if (total > AT_RISK_SHOWN) out.print(c.dim(`… and ${total - AT_RISK_SHOWN} more (--json lists the first 50)`));
    }
  }
}

const raw = (v: number | null) => (v === null ? '' : String(v));

/** On a pipe: one line per figure — role, agent ('' = team), figure, value, previous, change, count — raw numbers. */
function printPlain(out: Output, report: KpiReport): void {
  for (const row of rows(report)) out.print(row.map((cell) => sanitizeLine(cell).replace(/\t/g, ' ')).join('\t'));
}

function rows(report: KpiReport): string[][] {
  const out: string[][] = [];
  for (const [role, k] of panels(report)) {
    for (const f of FIGURES[role]) {
      const x = k.figures[f.key];
      if (x)
        out.push([role, report.agent ?? '', f.key, raw(x.value), raw(x.previous), raw(x.change), String(x.count), String(x.previousCount)]);
    }
    for (const a of k.agents ?? []) {
      for (const f of FIGURES[role]) {
        const x = a.figures[f.key];
        if (x) out.push([role, a.handle, f.key, raw(x.value), raw(x.previous), raw(x.change), String(x.count), String(x.previousCount)]);
      }
    }
  }
  return out;
}

function csvCell(s: string): string {
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function printCsv(out: Output, report: KpiReport): void {
  out.print('role,agent,figure,value,previous,change,count,previous_count');
  for (const row of rows(report)) out.print(row.map(csvCell).join(','));
}

export type KpiOptions = Record<string, string | boolean | undefined>;

export async function runKpi(o: KpiOptions, rt: Deps): Promise<void> {
  if (o.json && o.csv) throw usage('give either --json or --csv, not both');
  const roleText = String(o.role ?? 'all')
    .trim()
    .toLowerCase();
  if (!['service', 'support', 'all'].includes(roleText))
    throw invalid(`--role must be service, support or all (got ${JSON.stringify(o.role)})`);
  const role = roleText as Role | 'all';
  if (o.by !== undefined && o.by !== 'agent') throw invalid(`--by takes "agent" (got ${JSON.stringify(o.by)})`);
  const ctx = await rt.ctx();
  const period = resolvePeriod(
    { last: o.last as string | undefined, from: o.from as string | undefined, to: o.to as string | undefined },
    ctx.clock,
  );
  // CSV and piped lines carry no series: skip computing them.
  const series = Boolean(rt.out.json || (rt.out.tty && !o.csv));
  const report = await computeKpis(ctx, {
    role,
    period,
    agent: (o.agent as string | undefined) ?? null,
    byAgent: o.by === 'agent',
    series,
  });
  if (rt.out.json) return rt.out.printJson(report);
  if (o.csv) return printCsv(rt.out, report);
  if (rt.out.tty) return printHuman(rt.out, report, panelOrder((await rt.meOrNull())?.roles ?? null));
  printPlain(rt.out, report);
}
