// Business hours for the `business_hours` rule condition: days and a time range in a time zone,
// e.g. "mon-fri 09:00-17:00" in Europe/Paris. Uses the runtime's own time-zone data (Intl).

const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;

export interface BusinessHours {
  /** Day numbers, 0 = Sunday. */
  days: number[];
  /** Minutes after midnight: [start, end). */
  start: number;
  end: number;
  tz: string;
  text: string;
}

const DEFAULT_HOURS = 'mon-fri 09:00-17:00';

function minutes(text: string): number {
  const m = /^(\d{1,2})(?::(\d{2}))?$/.exec(text);
  if (!m) throw new Error(`business hours: ${JSON.stringify(text)} is not a time like 09:00`);
  const h = Number(m[1]);
  const min = Number(m[2] ?? 0);
  if (h > 24 || min > 59 || (h === 24 && min > 0)) throw new Error(`business hours: ${JSON.stringify(text)} is not a time of day`);
  return h * 60 + min;
}

function dayIndex(text: string): number {
  const i = DAYS.indexOf(text.slice(0, 3).toLowerCase() as (typeof DAYS)[number]);
  if (i < 0) throw new Error(`business hours: ${JSON.stringify(text)} is not a day (mon, tue, … sun)`);
  return i;
}

/** Parse "mon-fri 09:00-17:00" (or "mon,wed,fri 8-12"); the time zone defaults to UTC. */
export function parseBusinessHours(text = DEFAULT_HOURS, tz = 'UTC'): BusinessHours {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
  } catch {
    throw new Error(`business hours: unknown time zone ${JSON.stringify(tz)} (use a name like Europe/Paris)`);
  }
  const m = /^\s*([a-z,\-\s]+?)\s+(\d{1,2}(?::\d{2})?)\s*-\s*(\d{1,2}(?::\d{2})?)\s*$/i.exec(text);
  if (!m) throw new Error(`business hours: ${JSON.stringify(text)} is not like "mon-fri 09:00-17:00"`);
  const days = new Set<number>();
  for (const part of m[1]!
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const [a, b] = part.split('-').map((s) => s.trim());
    if (b === undefined) days.add(dayIndex(a!));
    else
      for (let d = dayIndex(a!), end = dayIndex(b), n = 0; n < 7; d = (d + 1) % 7, n++) {
        days.add(d);
        if (d === end) break;
      }
  }
  const start = minutes(m[2]!);
  const end = minutes(m[3]!);
  if (end <= start) throw new Error(`business hours: the day ends (${m[3]}) before it starts (${m[2]})`);
  return { days: [...days].sort(), start, end, tz, text: text.trim() };
}

/** Is `at` inside these hours, in their time zone? */
export function inBusinessHours(hours: BusinessHours, at: Date): boolean {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: hours.tz,
    weekday: 'short',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(at);
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? '';
  const day = dayIndex(get('weekday'));
  const mins = Number(get('hour')) * 60 + Number(get('minute'));
  return hours.days.includes(day) && mins >= hours.start && mins < hours.end;
}
