// Per-role KPIs (docs/kpis.md): every figure for a period and the previous one, per team and per
// agent, with a daily series for the headline figures and the at-risk customers. Formulas: docs/kpis.md.
import type { Ctx } from './context.js';
import { findAgent, type Agent } from './agents.js';
import { medianAndP90BySelection } from './percentiles.js';
import { dayEnd, periodDays, previousPeriod, type Period } from './kpi-period.js';
import {
  anyBusinessPolicy,
  backlogSeries,
  ordersBeforeEach,
  repeatPurchaseTally,
  type RepeatPurchaseCount,
  type Scope,
} from './kpi-queries.js';
import { bucketsFor, gatherBoth, type Gathered, type Inputs } from './kpi-gather.js';
import { atRiskCount, atRiskSummary, atRiskWindow, type AtRiskCustomer, type AtRiskLists } from './kpi-at-risk.js';
import { atRiskLists, ordersBefore, repeatPurchases } from './kpi-team.js';
import type { AgentRoles, Role } from './vocabulary.js';
import type { Db } from '../store/store.js';

type Unit = 'count' | 'seconds' | 'ratio' | 'nps' | 'money' | 'number';

export interface FigureInfo {
  key: string;
  label: string;
  unit: Unit;
  /** Which way is good, for colouring a change. */
  better: 'higher' | 'lower';
  /** A business-wide figure (orders, customers): not split per agent. */
  teamOnly?: boolean;
  /** Has a daily series. */
  series?: boolean;
  /** A business-time figure: shown only when some SLA policy counts in a calendar. */
  business?: boolean;
}

export const SUPPORT_FIGURES: readonly FigureInfo[] = [
  { key: 'volume', label: 'Volume', unit: 'count', better: 'lower', series: true },
  { key: 'backlog', label: 'Backlog', unit: 'count', better: 'lower', series: true },
  { key: 'firstResponseMedian', label: 'First response (median)', unit: 'seconds', better: 'lower', series: true },
  { key: 'firstResponseP90', label: 'First response (p90)', unit: 'seconds', better: 'lower' },
  { key: 'resolutionMedian', label: 'Resolution (median)', unit: 'seconds', better: 'lower', series: true },
  { key: 'resolutionP90', label: 'Resolution (p90)', unit: 'seconds', better: 'lower' },
  { key: 'firstResponseBusinessMedian', label: 'Biz first resp (median)', unit: 'seconds', better: 'lower', business: true },
  { key: 'firstResponseBusinessP90', label: 'Biz first resp (p90)', unit: 'seconds', better: 'lower', business: true },
  { key: 'resolutionBusinessMedian', label: 'Biz resolution (median)', unit: 'seconds', better: 'lower', business: true },
  { key: 'resolutionBusinessP90', label: 'Biz resolution (p90)', unit: 'seconds', better: 'lower', business: true },
  { key: 'csat', label: 'CSAT', unit: 'ratio', better: 'higher', series: true },
  { key: 'slaFirstResponse', label: 'SLA first response', unit: 'ratio', better: 'higher', series: true },
  { key: 'slaResolution', label: 'SLA resolution', unit: 'ratio', better: 'higher', series: true },
  { key: 'reopenRate', label: 'Reopen rate', unit: 'ratio', better: 'lower' },
  { key: 'oneTouch', label: 'One-touch resolution', unit: 'ratio', better: 'higher' },
  { key: 'escalationsReceived', label: 'Escalations received', unit: 'count', better: 'lower' },
];

export const SERVICE_FIGURES: readonly FigureInfo[] = [
  { key: 'nps', label: 'NPS', unit: 'nps', better: 'higher', series: true },
  { key: 'repeatPurchaseRate', label: 'Repeat purchase rate', unit: 'ratio', better: 'higher', teamOnly: true },
  { key: 'customerLifetimeValue', label: 'Customer lifetime value', unit: 'money', better: 'higher', teamOnly: true },
  { key: 'averageOrderValue', label: 'Average order value', unit: 'money', better: 'higher', teamOnly: true },
  { key: 'ordersPerCustomer', label: 'Orders per customer', unit: 'number', better: 'higher', teamOnly: true },
  { key: 'followUpsOnTime', label: 'Follow-ups on time', unit: 'ratio', better: 'higher', series: true },
  { key: 'firstResponseMedian', label: 'First response (median)', unit: 'seconds', better: 'lower', series: true },
  { key: 'firstResponseP90', label: 'First response (p90)', unit: 'seconds', better: 'lower' },
  { key: 'firstResponseBusinessMedian', label: 'Biz first resp (median)', unit: 'seconds', better: 'lower', business: true },
  { key: 'firstResponseBusinessP90', label: 'Biz first resp (p90)', unit: 'seconds', better: 'lower', business: true },
  { key: 'escalationRate', label: 'Escalation rate', unit: 'ratio', better: 'lower', series: true },
  { key: 'atRiskCustomers', label: 'At-risk customers', unit: 'count', better: 'lower', teamOnly: true },
];

export const FIGURES: Record<Role, readonly FigureInfo[]> = { support: SUPPORT_FIGURES, service: SERVICE_FIGURES };

/** One figure: its value for the period, the previous period's, the change, and the n of each. */
export interface Figure {
  value: number | null;
  previous: number | null;
  /** value − previous; null when either is null. */
  change: number | null;
  count: number;
  previousCount: number;
}

export interface SeriesPoint {
  /** UTC day, YYYY-MM-DD (the first and last day may be cut by the period). */
  date: string;
  value: number | null;
  count: number;
}

export interface AgentFigures {
  handle: string;
  name: string;
  figures: Record<string, Figure>;
}

export interface RoleKpis {
  figures: Record<string, Figure>;
  series: Record<string, SeriesPoint[]>;
  /** Per agent (by assignee), when asked for. */
  agents?: AgentFigures[];
}

interface ServiceKpis extends RoleKpis {
  atRisk: AtRiskCustomer[];
}

export interface KpiReport {
  period: Period;
  previousPeriod: Period;
  /** The agent the figures are limited to, if any. */
  agent: string | null;
  support?: RoleKpis;
  service?: ServiceKpis;
}

export interface KpiOptions {
  role?: Role | 'all';
  period: Period;
  /** Limit every figure to items assigned to this agent (handle). */
  agent?: string | null;
  /** Add the per-agent table. */
  byAgent?: boolean;
  /** Add the daily series (default true). */
  series?: boolean;
  /** At most this many at-risk customers listed (default 50; the figure counts them all). */
  atRiskLimit?: number;
  /** Count every figure from the rows, without the day rollups (kpi-days.ts): what the rollups are checked against. */
  fromRawRows?: boolean;
}

type Value = { value: number | null; count: number };
type Values = Record<string, Value>;

const ratio = (k: number, n: number): number | null => (n === 0 ? null : k / n);

/** Business-time duration figures (over items whose policy had a calendar when they happened). */
function businessDurationValues(i: Inputs, withResolution: boolean): Values {
  const fr = medianAndP90BySelection(i.firstResponseBusiness);
  const out: Values = {
    firstResponseBusinessMedian: { value: fr.median, count: fr.count },
    firstResponseBusinessP90: { value: fr.p90, count: fr.count },
  };
  if (withResolution) {
    const res = medianAndP90BySelection(i.resolutionBusiness);
    out.resolutionBusinessMedian = { value: res.median, count: res.count };
    out.resolutionBusinessP90 = { value: res.p90, count: res.count };
  }
  return out;
}

function supportValues(i: Inputs): Values {
  const fr = medianAndP90BySelection(i.firstResponse);
  const res = medianAndP90BySelection(i.resolution);
  return {
    ...businessDurationValues(i, true),
    volume: { value: i.created.created, count: i.created.created },
    backlog: { value: i.backlog.items, count: i.backlog.items },
    firstResponseMedian: { value: fr.median, count: fr.count },
    firstResponseP90: { value: fr.p90, count: fr.count },
    resolutionMedian: { value: res.median, count: res.count },
    resolutionP90: { value: res.p90, count: res.count },
    csat: { value: ratio(i.csat.satisfied, i.csat.responses), count: i.csat.responses },
    slaFirstResponse: { value: ratio(i.slaFirstResponse.met, i.slaFirstResponse.due), count: i.slaFirstResponse.due },
    slaResolution: { value: ratio(i.slaResolution.met, i.slaResolution.due), count: i.slaResolution.due },
    reopenRate: { value: ratio(i.resolved.reopened, i.resolved.resolved), count: i.resolved.resolved },
    oneTouch: { value: ratio(i.resolved.fewerThanTwoReplies, i.resolved.resolved), count: i.resolved.resolved },
    escalationsReceived: { value: i.escalationsReceived.items, count: i.escalationsReceived.items },
  };
}

function serviceValues(i: Inputs): Values {
  const fr = medianAndP90BySelection(i.firstResponse);
  return {
    ...businessDurationValues(i, false),
    nps: { value: i.nps.responses === 0 ? null : (100 * (i.nps.promoters - i.nps.detractors)) / i.nps.responses, count: i.nps.responses },
    followUpsOnTime: { value: ratio(i.followUps.met, i.followUps.due), count: i.followUps.due },
    firstResponseMedian: { value: fr.median, count: fr.count },
    firstResponseP90: { value: fr.p90, count: fr.count },
    escalationRate: { value: ratio(i.created.escalated, i.created.created), count: i.created.created },
  };
}

/**
 * Team-only service figures of the period and the previous one: orders and at-risk customers, from
 * the day rollups (kpi-team.ts), or (raw) counted from the rows.
 */
async function businessValues(ctx: Ctx, cur: Period, prev: Period, raw: boolean, atRiskKnown?: number): Promise<[Values, Values]> {
  const db = ctx.store.db;
  const now = ctx.clock().toISOString();
  const [[repeatCur, repeatPrev], orders, atRiskCur, atRiskPrev] = raw
    ? await Promise.all([
        Promise.all([repeatPurchaseTally(db, cur), repeatPurchaseTally(db, prev)]),
        ordersBeforeEach(db, [cur.to, prev.to]),
        atRiskKnown ?? atRiskCount(db, cur.to),
        atRiskCount(db, prev.to),
      ])
    : await Promise.all([
        repeatPurchases(ctx.store, now, [cur, prev]),
        ordersBefore(ctx.store, now, [cur.to, prev.to]),
        atRiskKnown ?? atRiskCount(db, cur.to, await atRiskListsAt(ctx, cur.to, false)),
        atRiskCount(db, prev.to, await atRiskListsAt(ctx, prev.to, false)),
      ]);
  const values = (repeat: RepeatPurchaseCount, o: { orders: number; revenueCents: number; customers: number }, atRisk: number): Values => ({
    repeatPurchaseRate: { value: ratio(repeat.repeatCustomers, repeat.customers), count: repeat.customers },
    customerLifetimeValue: { value: o.customers === 0 ? null : o.revenueCents / 100 / o.customers, count: o.customers },
    averageOrderValue: { value: o.orders === 0 ? null : o.revenueCents / 100 / o.orders, count: o.orders },
    ordersPerCustomer: { value: ratio(o.orders, o.customers), count: o.customers },
    atRiskCustomers: { value: atRisk, count: atRisk },
  });
  return [values(repeatCur!, orders[0]!, atRiskCur), values(repeatPrev!, orders[1]!, atRiskPrev)];
}

function figure(cur: Value | undefined, prev: Value | undefined): Figure {
  const value = cur?.value ?? null;
  const previous = prev?.value ?? null;
  return {
    value,
    previous,
    change: value === null || previous === null ? null : value - previous,
    count: cur?.count ?? 0,
    previousCount: prev?.count ?? 0,
  };
}

function figures(
  infos: readonly FigureInfo[],
  cur: Values,
  prev: Values,
  withTeamOnly: boolean,
  withBusiness: boolean,
): Record<string, Figure> {
  const out: Record<string, Figure> = {};
  for (const f of infos) {
    if ((withTeamOnly || !f.teamOnly) && (withBusiness || !f.business)) out[f.key] = figure(cur[f.key], prev[f.key]);
  }
  return out;
}

async function roleKpis(ctx: Ctx, role: Role, agent: Agent | null, opts: KpiOptions, atRiskNow?: number): Promise<RoleKpis> {
  const db = ctx.store.db;
  const now = ctx.clock().toISOString();
  const scope: Scope = { role, agentId: agent?.id ?? null };
  const cur = opts.period;
  const prev = previousPeriod(cur);
  const values = role === 'support' ? supportValues : serviceValues;
  // Split by agent only for the per-agent table, and by day only for the current period's series.
  const byAgent = Boolean(opts.byAgent) && !agent;
  const series = opts.series ?? true;
  // Business-time figures appear once some policy counts in a calendar; without one the report is as it always was.
  const business = await anyBusinessPolicy(db);
  const { cur: gc, prev: gp } = await gatherBoth(ctx.store, scope, cur, prev, now, {
    agent: byAgent,
    day: series,
    business,
    raw: opts.fromRawRows === true,
  });
  const teamOnly = role === 'service' && !agent;
  let curValues = values(gc.pick({}));
  let prevValues = values(gp.pick({}));
  if (teamOnly) {
    const [bc, bp] = await businessValues(ctx, cur, prev, opts.fromRawRows === true, atRiskNow);
    curValues = { ...curValues, ...bc };
    prevValues = { ...prevValues, ...bp };
  }
  const result: RoleKpis = { figures: figures(FIGURES[role], curValues, prevValues, teamOnly, business), series: {} };
  if (series) result.series = await seriesFor(db, scope, cur, gc, gp);
  if (byAgent) result.agents = await agentRows(db, role, gc, gp, values, business);
  return result;
}

async function agentRows(
  db: Db,
  role: Role,
  gc: Gathered,
  gp: Gathered,
  values: (i: Inputs) => Values,
  business: boolean,
): Promise<AgentFigures[]> {
  const agents = await db.selectFrom('agents').select(['id', 'handle', 'name', 'roles', 'active']).orderBy('handle').execute();
  const withData = new Set([...gc.agents, ...gp.agents]);
  return agents
    .filter((a) => withData.has(String(a.id)) || (a.active === 1 && (a.roles === role || a.roles === 'both')))
    .map((a) => ({
      handle: a.handle,
      name: a.name,
      figures: figures(FIGURES[role], values(gc.pick({ agent: String(a.id) })), values(gp.pick({ agent: String(a.id) })), false, business),
    }));
}

/** Each headline figure computed day by day with the same formula (backlog: at each day's end). */
async function seriesFor(db: Db, scope: Scope, p: Period, g: Gathered, gp: Gathered): Promise<Record<string, SeriesPoint[]>> {
  const days = periodDays(p);
  const values = scope.role === 'support' ? supportValues : serviceValues;
  const perDay = days.map((day) => values(g.pick({ day })));
  const out: Record<string, SeriesPoint[]> = {};
  for (const f of FIGURES[scope.role]) {
    if (!f.series) continue;
    out[f.key] = days.map((date, i) => ({ date, value: perDay[i]![f.key]?.value ?? null, count: perDay[i]![f.key]?.count ?? 0 }));
  }
  if (scope.role === 'support') {
    // The backlog at `from` is the previous period's backlog; the items created per day are the volume series.
    const dayBuckets = bucketsFor(p, p, true).filter((b) => !b.prev);
    const createdPerDay = new Map(days.map((day) => [day, g.pick({ day }).created.created]));
    const backlog = await backlogSeries(
      db,
      scope,
      p,
      dayBuckets,
      days.map((d) => dayEnd(d, p)),
      { atFrom: gp.pick({}).backlog.items, createdPerDay },
    );
    out.backlog = days.map((date, i) => ({ date, value: backlog[i]!, count: backlog[i]! }));
  }
  return out;
}

/** The lists behind the at-risk customers of the window ending at `to`: from the day rollups, or (raw) none, left to atRiskRows. */
async function atRiskListsAt(ctx: Ctx, to: string, raw: boolean): Promise<AtRiskLists | undefined> {
  return raw ? undefined : (await atRiskLists(ctx.store, ctx.clock().toISOString(), [atRiskWindow(to)]))[0];
}

/** The order of the role panels for an agent: their own role first; with both roles (or nobody), support then service. */
export function panelOrder(roles: AgentRoles | null): Role[] {
  return roles === 'service' ? ['service', 'support'] : ['support', 'service'];
}

/** Compute the KPIs of one or both roles for a period and the previous one. */
export async function computeKpis(ctx: Ctx, opts: KpiOptions): Promise<KpiReport> {
  const role = opts.role ?? 'all';
  const agent = opts.agent ? await findAgent(ctx.store.db, opts.agent) : null;
  const report: KpiReport = { period: opts.period, previousPeriod: previousPeriod(opts.period), agent: agent?.handle ?? null };
  if (role === 'all' || role === 'support') report.support = await roleKpis(ctx, 'support', agent, opts);
  if (role === 'all' || role === 'service') {
    const atRisk = agent
      ? null
      : await atRiskSummary(
          ctx.store.db,
          opts.period.to,
          opts.atRiskLimit ?? 50,
          await atRiskListsAt(ctx, opts.period.to, opts.fromRawRows === true),
        );
    const base = await roleKpis(ctx, 'service', agent, opts, atRisk?.count);
    report.service = { ...base, atRisk: atRisk?.list ?? [] };
  }
  return report;
}
export { resolvePeriod, type Period } from './kpi-period.js';
