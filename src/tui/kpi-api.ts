// The KPI view's door to the core: which period to show (the last N days, or a fixed range), computing
// the report for it, and creating a proactive follow-up for an at-risk customer. No rules here.
import { usage } from '../core/errors.js';
import { createFollowUp } from '../core/follow-up.js';
import type { ItemView } from '../core/item-view.js';
import { atRiskNote, type AtRiskCustomer } from '../core/kpi-at-risk.js';
import { computeKpis, resolvePeriod, type KpiReport, type Period } from '../core/kpi.js';
import type { ConsoleApi } from './console-api.js';

/** The period the view shows: the last N days up to now (d cycles 7/30/90), or a fixed [from, to) from `:kpi FROM TO`. */
export type KpiSpan = { days: number } | { from: string; to: string };

export const DEFAULT_SPAN: KpiSpan = { days: 30 };

export function spanKey(s: KpiSpan): string {
  return 'days' in s ? `${s.days}d` : `${s.from}..${s.to}`;
}

/** The text after `:kpi`: "7", "90d", or "FROM TO" (dates or times parseWhen reads). Throws a usage error. */
export function parseKpiSpan(text: string): KpiSpan {
  const words = text.trim().split(/\s+/).filter(Boolean);
  if (words.length === 1 && /^\d+d?$/i.test(words[0]!)) {
    const days = Number(words[0]!.replace(/d$/i, ''));
    if (days >= 1 && days <= 366) return { days };
  }
  if (words.length === 2) return { from: words[0]!, to: words[1]! };
  throw usage(`:kpi takes a number of days (7, 30, 90) or a period FROM TO, e.g. :kpi 2026-03-01 2026-04-01 (got "${text.trim()}")`);
}

/** The span as a period, now: the last N days move with the clock. */
export function spanPeriod(api: ConsoleApi, s: KpiSpan): Period {
  return 'days' in s ? resolvePeriod({ last: `${s.days}d` }, api.ctx.clock) : resolvePeriod({ from: s.from, to: s.to }, api.ctx.clock);
}

/** Both roles, the per-agent tables, the daily series and the at-risk list, for the span. */
export function loadKpis(api: ConsoleApi, s: KpiSpan): Promise<KpiReport> {
  return computeKpis(api.ctx, { role: 'all', period: spanPeriod(api, s), byAgent: true, series: true });
}

/** A proactive outbound service follow-up for the customer, due at `due` ("2d", "tomorrow 9:00"…), made by me. */
/** A proactive follow-up for an at-risk customer; its opening note says why they are at risk. */
export function followUpCustomer(api: ConsoleApi, who: AtRiskCustomer, due: string): Promise<ItemView> {
  return createFollowUp(api.ctx, api.me, who.customerId, due, { note: atRiskNote(who.reasons) });
}
