// One date parser for every face: ISO 8601 and everyday forms ("2h", "3d", "tomorrow 9:00").
// Times are stored as ISO-8601 UTC strings; durations are whole seconds.
import { add } from 'date-fns/add';
import { sub } from 'date-fns/sub';
import { parse } from 'date-fns/parse';
import { parseISO } from 'date-fns/parseISO';
import { isValid } from 'date-fns/isValid';
import { startOfDay } from 'date-fns/startOfDay';
import { addDays } from 'date-fns/addDays';
import { nextDay } from 'date-fns/nextDay';
import { invalid } from './errors.js';

export type Clock = () => Date;
export const systemClock: Clock = () => new Date();

export function iso(d: Date): string {
  return d.toISOString();
}

const UNITS: Record<string, 'seconds' | 'minutes' | 'hours' | 'days' | 'weeks' | 'months'> = {
  s: 'seconds',
  sec: 'seconds',
  secs: 'seconds',
  second: 'seconds',
  seconds: 'seconds',
  m: 'minutes',
  min: 'minutes',
  mins: 'minutes',
  minute: 'minutes',
  minutes: 'minutes',
  h: 'hours',
  hr: 'hours',
  hrs: 'hours',
  hour: 'hours',
  hours: 'hours',
  d: 'days',
  day: 'days',
  days: 'days',
  w: 'weeks',
  wk: 'weeks',
  week: 'weeks',
  weeks: 'weeks',
  mo: 'months',
  month: 'months',
  months: 'months',
};

const WEEKDAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];
const TIME_FORMATS = ['H:mm', 'HH:mm', 'H', 'ha', 'h:mma', 'h a', 'h:mm a'];
const DATE_TIME_FORMATS = ['yyyy-MM-dd HH:mm', 'yyyy-MM-dd H:mm', 'yyyy-MM-dd HH:mm:ss'];

/** Parse a duration such as "2h", "90m", "3d", "1w" into date-fns duration parts, or null. */
export function parseDuration(text: string): { unit: string; amount: number } | null {
  const m = /^(\d+(?:\.\d+)?)\s*([a-z]+)$/i.exec(text.trim());
  if (!m) return null;
  const unit = UNITS[m[2]!.toLowerCase()];
  if (!unit) return null;
  return { unit, amount: Number(m[1]) };
}

/** Duration text ("2h", "3d") to whole seconds; throws `invalid` on anything else. */
export function durationSeconds(text: string): number {
  const d = parseDuration(text);
  if (!d) throw invalid(`not a duration: ${JSON.stringify(text)} (try 30m, 2h, 3d, 1w)`);
  const base = new Date(0);
  return Math.round((add(base, { [d.unit]: d.amount }).getTime() - base.getTime()) / 1000);
}

function applyTimeOfDay(day: Date, timeText: string | undefined): Date | null {
  if (!timeText) return day;
  const compact = timeText.trim().toLowerCase();
  for (const f of TIME_FORMATS) {
    const t = parse(compact, f, day);
    if (isValid(t)) return t;
  }
  return null;
}

/**
 * Parse a point in time. `relative` says what a bare duration means:
 * "future" ("2h" = in two hours, for snoozes and due times) or "past" ("3d" = three days ago, for --since/--from).
 */
export function parseWhen(text: string, now: Date, relative: 'future' | 'past' = 'future'): Date {
  const raw = text.trim();
  const lower = raw.toLowerCase();
  const fail = () =>
    invalid(`not a date or time: ${JSON.stringify(text)} (try ISO 8601 like 2026-01-31T09:00Z, or 2h, 3d, "tomorrow 9:00", "monday 9am")`);
  if (!raw) throw fail();
  if (lower === 'now') return now;

  // Relative: "2h", "in 2h", "+2h", "2h ago", "-3d".
  const rel = /^(in\s+|\+|-)?(.+?)(\s+ago)?$/.exec(lower)!;
  const dur = parseDuration(rel[2]!);
  if (dur) {
    const past = rel[1] === '-' || Boolean(rel[3]) || (!rel[1] && relative === 'past');
    return past ? sub(now, { [dur.unit]: dur.amount }) : add(now, { [dur.unit]: dur.amount });
  }

  // Named days with an optional time: "today 17:00", "tomorrow 9am", "monday 9:00".
  const named = /^(today|tomorrow|yesterday|sunday|monday|tuesday|wednesday|thursday|friday|saturday)(?:\s+(?:at\s+)?(.+))?$/.exec(lower);
  if (named) {
    const word = named[1]!;
    let day: Date;
    if (word === 'today') day = startOfDay(now);
    else if (word === 'tomorrow') day = startOfDay(addDays(now, 1));
    else if (word === 'yesterday') day = startOfDay(addDays(now, -1));
    else day = startOfDay(nextDay(now, WEEKDAYS.indexOf(word) as 0 | 1 | 2 | 3 | 4 | 5 | 6));
    // A bare "tomorrow" means the start of the working day.
    const timeText = named[2] ?? (word === 'today' || word === 'yesterday' ? undefined : '9:00');
    const result = applyTimeOfDay(day, timeText);
    if (!result) throw fail();
    return result;
  }

  for (const f of DATE_TIME_FORMATS) {
    const d = parse(raw, f, now);
    if (isValid(d)) return d;
  }
  if (/^\d{4}-\d{2}-\d{2}/.test(raw)) {
    const d = parseISO(raw);
    if (isValid(d)) return d;
  }
  throw fail();
}

/** Validate and normalise a stored/incoming ISO timestamp. */
export function parseIsoStrict(what: string, text: string): string {
  const d = parseISO(text);
  if (!isValid(d)) throw invalid(`${what} is not an ISO 8601 time: ${JSON.stringify(text)}`);
  return d.toISOString();
}

export function secondsBetween(fromIso: string, toIso: string): number {
  return Math.round((Date.parse(toIso) - Date.parse(fromIso)) / 1000);
}
