// Business-time arithmetic, pure: opening hours in a time zone with holidays, minus pauses. Adds
// business minutes to an instant and measures business time between instants. Every local-time
// conversion goes through @date-fns/tz (TZDate); instants are UTC milliseconds.
import { TZDate } from '@date-fns/tz';
import { invalid } from './errors.js';

/** One weekly rule: on these weekdays (0 = Sunday … 6 = Saturday), open from `start` to `end` (minutes of the day). */
export interface HoursRule {
  days: number[];
  /** Minutes after local midnight, 0–1439. */
  start: number;
  /** Minutes after local midnight, 1–1440. An end at or before the start is the next day (an overnight shift). */
  end: number;
}

export interface BusinessCalendar {
  /** IANA time zone, e.g. Europe/Berlin. */
  tz: string;
  rules: HoursRule[];
  /** Local dates (YYYY-MM-DD) without business hours: shifts that start on them do not happen. */
  holidays: string[];
}

/** A half-open interval of instants [start, end), UTC milliseconds; `end` may be Infinity. */
export interface Span {
  start: number;
  end: number;
}

const DAY_NAMES = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
const DAY_WORDS: Record<string, number> = {
  sun: 0,
  sunday: 0,
  mon: 1,
  monday: 1,
  tue: 2,
  tues: 2,
  tuesday: 2,
  wed: 3,
  wednesday: 3,
  thu: 4,
  thur: 4,
  thurs: 4,
  thursday: 4,
  fri: 5,
  friday: 5,
  sat: 6,
  saturday: 6,
};

/** Searching further than this for open hours means the calendar has none (e.g. every day a holiday). */
const SEARCH_LIMIT_DAYS = 3 * 366;
const WEEK_MS = 7 * 24 * 3_600_000;

// ---------------------------------------------------------------------------------------------
// Parsing and describing calendars

export function checkTimeZone(tz: string): string {
  const name = tz.trim();
  try {
    // Throws RangeError for a zone the runtime's time-zone database does not know.
    new Intl.DateTimeFormat('en-US', { timeZone: name }).format(0);
  } catch {
    throw invalid(`unknown time zone ${JSON.stringify(tz)} (use an IANA name such as Europe/Berlin or America/New_York)`);
  }
  if (!name) throw invalid('a calendar needs a time zone (--tz Europe/Berlin)');
  return name;
}

function parseClock(text: string, isEnd: boolean): number {
  const m = /^(\d{1,2})(?::(\d{2}))?$/.exec(text);
  if (!m) throw invalid(`not a time of day: ${JSON.stringify(text)} (use 24-hour HH:MM, e.g. 09:00)`);
  const h = Number(m[1]);
  const min = Number(m[2] ?? 0);
  if (min > 59 || h > 24 || (h === 24 && min > 0) || (h === 24 && !isEnd)) {
    throw invalid(`not a time of day: ${JSON.stringify(text)} (00:00 to 23:59; 24:00 as an end)`);
  }
  return h * 60 + min;
}

function parseDays(text: string): number[] {
  const t = text.toLowerCase();
  if (t === 'daily' || t === 'everyday' || t === 'all') return [0, 1, 2, 3, 4, 5, 6];
  if (t === 'weekdays') return [1, 2, 3, 4, 5];
  if (t === 'weekends') return [0, 6];
  const days = new Set<number>();
  for (const part of t.split(',')) {
    const range = part.split('-');
    const ends = range.map((w) => {
      const d = DAY_WORDS[w.trim()];
      if (d === undefined) throw invalid(`not a weekday: ${JSON.stringify(w)} (use mon, tue, wed, thu, fri, sat, sun)`);
      return d;
    });
    if (ends.length === 1) days.add(ends[0]!);
    else if (ends.length === 2) {
      // A range may wrap over the week's end: fri-mon is fri, sat, sun, mon.
      for (let d = ends[0]!; ; d = (d + 1) % 7) {
        days.add(d);
        if (d === ends[1]) break;
      }
    } else throw invalid(`not a weekday range: ${JSON.stringify(part)}`);
  }
  return [...days].sort((a, b) => a - b);
}

/**
 * One `--hours` text: "mon-fri 09:00-17:30", "sat 10:00-14:00", "mon-fri 09:00-12:00,13:00-17:00",
 * "daily 22:00-06:00" (overnight), "mon-sun 00:00-24:00" or "24/7" (always open).
 */
export function parseHours(text: string): HoursRule[] {
  const t = text.trim().toLowerCase().replace(/\s+/g, ' ');
  if (t === '24/7' || t === '24x7') return [{ days: [0, 1, 2, 3, 4, 5, 6], start: 0, end: 1440 }];
  const m = /^(\S+) (\S+(?: ?, ?\S+)*)$/.exec(t);
  if (!m) throw invalid(`not business hours: ${JSON.stringify(text)} (try "mon-fri 09:00-17:30", "daily 22:00-06:00" or "24/7")`);
  const days = parseDays(m[1]!);
  return m[2]!.split(/ ?, ?/).map((span) => {
    const parts = span.split('-');
    if (parts.length !== 2) throw invalid(`not a time range: ${JSON.stringify(span)} (try 09:00-17:30)`);
    const start = parseClock(parts[0]!, false);
    let end = parseClock(parts[1]!, true);
    // 00:00-00:00 and friends: a full 24 hours from the start.
    if (end === start) end = start === 0 ? 1440 : start;
    return { days, start, end };
  });
}

const pad = (n: number) => String(n).padStart(2, '0');
const clock = (m: number) => `${pad(Math.floor(m / 60))}:${pad(m % 60)}`;

function daysLabel(days: number[]): string {
  const key = days.join(',');
  if (key === '0,1,2,3,4,5,6') return 'mon-sun';
  // Show Monday-first runs: 1-5 → mon-fri; 0,6 → sat-sun.
  const order = [1, 2, 3, 4, 5, 6, 0].filter((d) => days.includes(d));
  const runs: number[][] = [];
  for (const d of order) {
    const last = runs.at(-1);
    const prev = last?.at(-1);
    if (last && prev !== undefined && (prev + 1) % 7 === d) last.push(d);
    else runs.push([d]);
  }
  return runs.map((r) => (r.length > 2 ? `${DAY_NAMES[r[0]!]}-${DAY_NAMES[r.at(-1)!]}` : r.map((d) => DAY_NAMES[d]).join(','))).join(',');
}

/** Rules back to text, one line per rule, in the `--hours` grammar. */
export function describeRule(r: HoursRule): string {
  if (r.days.length === 7 && r.start === 0 && r.end === 1440) return '24/7';
  return `${daysLabel(r.days)} ${clock(r.start)}-${r.end === 1440 ? '24:00' : clock(r.end)}`;
}

/** A holiday argument: one date (2026-12-25) or an inclusive range (2026-12-24..2026-12-26). */
export function parseHolidays(text: string): string[] {
  const t = text.trim();
  const m = /^(\d{4}-\d{2}-\d{2})(?:\.\.(\d{4}-\d{2}-\d{2}))?$/.exec(t);
  if (!m) throw invalid(`not a holiday: ${JSON.stringify(text)} (use 2026-12-25 or 2026-12-24..2026-12-26)`);
  const first = checkDate(m[1]!);
  const last = checkDate(m[2] ?? m[1]!);
  if (last < first) throw invalid(`holiday range ${t} ends before it starts`);
  const out: string[] = [];
  for (let d = first; d <= last; d = nextDate(d)) {
    out.push(d);
    if (out.length > 366) throw invalid(`holiday range ${t} is longer than a year`);
  }
  return out;
}

function checkDate(text: string): string {
  const [y, m, d] = text.split('-').map(Number) as [number, number, number];
  const dt = new Date(Date.UTC(y, m - 1, d));
  if (dt.getUTCFullYear() !== y || dt.getUTCMonth() !== m - 1 || dt.getUTCDate() !== d) throw invalid(`not a date: ${text}`);
  return text;
}

// ---------------------------------------------------------------------------------------------
// Local dates (calendar arithmetic on year-month-day only; no clock, no offsets)

interface LocalDate {
  y: number;
  m: number;
  d: number;
}

function dateKey(x: LocalDate): string {
  return `${x.y}-${pad(x.m + 1)}-${pad(x.d)}`;
}

function nextDate(key: string): string {
  const [y, m, d] = key.split('-').map(Number) as [number, number, number];
  return dateKey(shiftDate({ y, m: m - 1, d }, 1));
}

function shiftDate(x: LocalDate, days: number): LocalDate {
  const t = new Date(Date.UTC(x.y, x.m, x.d + days));
  return { y: t.getUTCFullYear(), m: t.getUTCMonth(), d: t.getUTCDate() };
}

function weekday(x: LocalDate): number {
  return new Date(Date.UTC(x.y, x.m, x.d)).getUTCDay();
}

function localDateOf(ms: number, tz: string): LocalDate {
  const t = new TZDate(ms, tz);
  return { y: t.getFullYear(), m: t.getMonth(), d: t.getDate() };
}

/** The instant of a local wall-clock time (minutes after midnight, may be 1440 or more) in `tz`. */
function instantOf(x: LocalDate, minutes: number, tz: string): number {
  return new TZDate(x.y, x.m, x.d, Math.floor(minutes / 60), minutes % 60, tz).getTime();
}

// ---------------------------------------------------------------------------------------------
// Open hours as spans of instants

/** The shifts that start on one local date (none on a holiday). */
function shiftsOn(cal: BusinessCalendar, x: LocalDate, holidays: Set<string>): Span[] {
  if (holidays.has(dateKey(x))) return [];
  const wd = weekday(x);
  const out: Span[] = [];
  for (const r of cal.rules) {
    if (!r.days.includes(wd)) continue;
    const start = instantOf(x, r.start, cal.tz);
    // An overnight shift ends on the next local date; built from that date so DST is the zone's business.
    const end = r.end > r.start ? instantOf(x, r.end, cal.tz) : instantOf(shiftDate(x, 1), r.end, cal.tz);
    if (end > start) out.push({ start, end });
  }
  return out;
}

/**
 * Open spans from `from` on, in order, merged where they touch or overlap (so 24/7 has no gap at
 * midnight and a shift running into the next day's opening is one span). A null calendar is always open.
 */
export function* openSpans(cal: BusinessCalendar | null, from: number): Generator<Span> {
  if (!cal) {
    yield { start: from, end: Infinity };
    return;
  }
  const holidays = new Set(cal.holidays);
  // Start a day early: yesterday's overnight shift may still be running.
  let day = shiftDate(localDateOf(from, cal.tz), -1);
  let pending: Span | null = null;
  for (let i = 0; i < SEARCH_LIMIT_DAYS; i++, day = shiftDate(day, 1)) {
    const shifts = shiftsOn(cal, day, holidays).sort((a, b) => a.start - b.start);
    for (const s of shifts) {
      if (s.end <= from) continue;
      const span = { start: Math.max(s.start, from), end: s.end };
      if (pending && span.start <= pending.end) pending.end = Math.max(pending.end, span.end);
      else {
        if (pending) yield pending;
        pending = span;
      }
    }
    // A span can only grow from shifts starting before its end; once the day is past it, it is final.
    // A span that keeps growing (24/7) is handed out a week at a time: the pieces touch, so nothing is lost.
    if (pending && (instantOf(shiftDate(day, 1), 0, cal.tz) > pending.end || pending.end - pending.start >= WEEK_MS)) {
      yield pending;
      pending = null;
    }
  }
  if (pending) yield pending;
}

/** Sorted, merged pauses. An open pause has end = Infinity. */
function normalisePauses(pauses: readonly Span[]): Span[] {
  const sorted = pauses
    .filter((p) => p.end > p.start)
    .map((p) => ({ ...p }))
    .sort((a, b) => a.start - b.start);
  const out: Span[] = [];
  for (const p of sorted) {
    const last = out.at(-1);
    if (last && p.start <= last.end) last.end = Math.max(last.end, p.end);
    else out.push(p);
  }
  return out;
}

/** Open spans from `from` on with the pauses cut out: the time the clock runs. */
function* countedSpans(cal: BusinessCalendar | null, from: number, pauses: readonly Span[] = []): Generator<Span> {
  const ps = normalisePauses(pauses);
  let pi = 0;
  for (const span of openSpans(cal, from)) {
    let start = span.start;
    while (start < span.end) {
      while (pi < ps.length && ps[pi]!.end <= start) pi++;
      const p = ps[pi];
      if (!p || p.start >= span.end) {
        yield { start, end: span.end };
        break;
      }
      if (p.start > start) yield { start, end: p.start };
      start = p.end;
    }
    if (ps.length && ps[ps.length - 1]!.end === Infinity && start >= ps[ps.length - 1]!.start) return;
  }
}

/**
 * The instant when `minutes` of business time have run from `from` (pauses not counted), or null
 * when that never happens (an open pause, or no open hours within three years). A target that ends
 * exactly at closing time is due at closing time, not at the next opening.
 */
export function addBusinessMinutes(
  cal: BusinessCalendar | null,
  from: number,
  minutes: number,
  pauses: readonly Span[] = [],
): number | null {
  let left = minutes * 60_000;
  if (left <= 0) return from;
  for (const s of countedSpans(cal, from, pauses)) {
    const len = s.end - s.start;
    if (left <= len) return s.start + left;
    left -= len;
  }
  return null;
}

/** Business milliseconds in [from, to) (pauses not counted). */
export function businessMsBetween(cal: BusinessCalendar | null, from: number, to: number, pauses: readonly Span[] = []): number {
  if (to <= from) return 0;
  let total = 0;
  for (const s of countedSpans(cal, from, pauses)) {
    if (s.start >= to) break;
    total += Math.min(s.end, to) - s.start;
  }
  return total;
}

/** The counted spans within [from, to), for explaining a due time. */
export function countedSpansBetween(cal: BusinessCalendar | null, from: number, to: number, pauses: readonly Span[] = []): Span[] {
  const out: Span[] = [];
  if (to <= from) return out;
  for (const s of countedSpans(cal, from, pauses)) {
    if (s.start >= to) break;
    const last = out.at(-1);
    // Pieces that touch (a long 24/7 stretch) read as one.
    if (last && last.end === s.start) last.end = Math.min(s.end, to);
    else out.push({ start: s.start, end: Math.min(s.end, to) });
  }
  return out;
}

/** Whether the calendar is open at an instant. */
export function isOpenAt(cal: BusinessCalendar | null, at: number): boolean {
  const first = openSpans(cal, at).next();
  return !first.done && first.value.start <= at;
}

/** "Mon 10:12" in the calendar's zone (or the process's own zone without a calendar). */
export function localLabel(at: number, tz: string | null, withDate = false): string {
  const t = tz ? new TZDate(at, tz) : new Date(at);
  const day = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'][t.getDay()]!;
  const month = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'][t.getMonth()]!;
  const hm = `${pad(t.getHours())}:${pad(t.getMinutes())}`;
  return withDate ? `${day} ${t.getDate()} ${month} ${t.getFullYear()} ${hm}` : `${day} ${hm}`;
}

/** The local ISO form with the zone's offset, e.g. 2026-03-30T12:00:00.000+02:00 (for --json and scripts). */
export function localIso(at: number, tz: string): string {
  return new TZDate(at, tz).toISOString();
}
