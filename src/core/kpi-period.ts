// KPI periods: `[from, to)` as ISO UTC strings, the previous period of the same length, and day buckets.
import type { Clock } from './time.js';
import { parseWhen } from './time.js';
import { invalid, usage } from './errors.js';

export interface Period {
  /** Inclusive start, ISO UTC. */
  from: string;
  /** Exclusive end, ISO UTC. */
  to: string;
}

const DAY_MS = 86_400_000;
const DEFAULT_DAYS = 30;
const MAX_DAYS = 366;

export interface PeriodInput {
  /** "7d", "30d", "90d" (any 1–366 whole days). */
  last?: string | null;
  from?: string | null;
  to?: string | null;
}

/** Turn --last / --from / --to into a period. Default: the last 30 days up to now. */
export function resolvePeriod(input: PeriodInput, clock: Clock): Period {
  const now = clock();
  if (input.last && (input.from || input.to)) throw usage('give either --last or --from/--to, not both');
  if (input.last) {
    const m = /^\s*(\d+)\s*d\s*$/i.exec(input.last);
    const days = m ? Number(m[1]) : NaN;
    if (!Number.isInteger(days) || days < 1 || days > MAX_DAYS) {
      throw invalid(`--last takes a number of days like 7d, 30d or 90d (got ${JSON.stringify(input.last)})`);
    }
    return { from: new Date(now.getTime() - days * DAY_MS).toISOString(), to: now.toISOString() };
  }
  const to = input.to ? parseWhen(input.to, now, 'past') : now;
  const from = input.from ? parseWhen(input.from, now, 'past') : new Date(to.getTime() - DEFAULT_DAYS * DAY_MS);
  if (from.getTime() >= to.getTime()) {
    throw invalid(`the period is empty: --from (${from.toISOString()}) must be before --to (${to.toISOString()})`);
  }
  if (to.getTime() - from.getTime() > MAX_DAYS * DAY_MS) throw invalid(`the period is longer than ${MAX_DAYS} days`);
  return { from: from.toISOString(), to: to.toISOString() };
}

/** The period of the same length that ends where this one starts. */
export function previousPeriod(p: Period): Period {
  const len = Date.parse(p.to) - Date.parse(p.from);
  return { from: new Date(Date.parse(p.from) - len).toISOString(), to: p.from };
}

/** The UTC calendar days (YYYY-MM-DD) the period touches, in order; the first and last may be partial. */
export function periodDays(p: Period): string[] {
  const days: string[] = [];
  let t = Date.parse(p.from.slice(0, 10) + 'T00:00:00.000Z');
  const end = Date.parse(p.to);
  while (t < end) {
    days.push(new Date(t).toISOString().slice(0, 10));
    t += DAY_MS;
  }
  return days;
}

/** The instant a day bucket ends, clipped to the period (for "at the end of the day" figures like backlog). */
export function dayEnd(day: string, p: Period): string {
  const end = new Date(Date.parse(day + 'T00:00:00.000Z') + DAY_MS).toISOString();
  return end < p.to ? end : p.to;
}

export function minIso(a: string, b: string): string {
  return a < b ? a : b;
}
