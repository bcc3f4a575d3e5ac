import { describe, expect, it } from 'vitest';
import {
  addBusinessMinutes,
  businessMsBetween,
  countedSpansBetween,
  describeRule,
  isOpenAt,
  localIso,
  localLabel,
  openSpans,
  parseHolidays,
  parseHours,
  checkTimeZone,
  type BusinessCalendar,
} from '../../src/core/business-time.js';
import { pausesFromHistory } from '../../src/core/sla-due.js';
import { TandemError } from '../../src/core/errors.js';

const H = 3_600_000;
const cal = (tz: string, hours: string[], holidays: string[] = []): BusinessCalendar => ({
  tz,
  rules: hours.flatMap(parseHours),
  holidays,
});
const at = (iso: string) => Date.parse(iso);
const due = (c: BusinessCalendar | null, from: string, minutes: number, pauses: { start: number; end: number }[] = []) => {
  const t = addBusinessMinutes(c, at(from), minutes, pauses);
  return t === null ? null : new Date(t).toISOString();
};

const berlin = cal('Europe/Berlin', ['mon-fri 09:00-17:00']);
const newYork = cal('America/New_York', ['mon-fri 09:00-17:00']);

describe('adding business minutes', () => {
  it('Friday 16:00 plus 4 business hours lands on Monday 12:00', () => {
    // Fri 6 March 2026 16:00 CET = 15:00Z; Mon 9 March 12:00 CET = 11:00Z.
    expect(due(berlin, '2026-03-06T15:00:00Z', 240)).toBe('2026-03-09T11:00:00.000Z');
  });

  it('a target ending exactly at closing time is due at closing time, not the next morning', () => {
    expect(due(berlin, '2026-03-06T15:00:00Z', 60)).toBe('2026-03-06T16:00:00.000Z');
  });

  it('an item created outside business hours starts counting at the next opening', () => {
    // Saturday 10:00 → Monday 09:00 opening, +2h = 11:00 CET.
    expect(due(berlin, '2026-03-07T09:00:00Z', 120)).toBe('2026-03-09T10:00:00.000Z');
    // Monday 07:00 (before opening) + 30 min = 09:30.
    expect(due(berlin, '2026-03-09T06:00:00Z', 30)).toBe('2026-03-09T08:30:00.000Z');
    // Friday 19:00 (after closing) + 8h = all of Monday.
    expect(due(berlin, '2026-03-06T18:00:00Z', 480)).toBe('2026-03-09T16:00:00.000Z');
  });

  it('skips a holiday on a Monday, and a range of holidays', () => {
    const withHoliday = cal('Europe/Berlin', ['mon-fri 09:00-17:00'], ['2026-03-09']);
    expect(due(withHoliday, '2026-03-06T15:00:00Z', 240)).toBe('2026-03-10T11:00:00.000Z');
    const christmas = cal('Europe/Berlin', ['mon-fri 09:00-17:00'], parseHolidays('2026-12-24..2026-12-26'));
    // Wed 23 Dec 16:00 CET + 2h: 1h on Wednesday, Thu 24 and Fri 25 are holidays → Mon 28 Dec 10:00.
    expect(due(christmas, '2026-12-23T15:00:00Z', 120)).toBe('2026-12-28T09:00:00.000Z');
  });

  it('counts several shifts a day and Saturday hours', () => {
    const split = cal('Europe/Berlin', ['mon-fri 09:00-12:00,13:00-17:00', 'sat 10:00-14:00']);
    // Fri 11:00 + 3h: 11–12 (1h), 13–15 (2h) → 15:00 CET.
    expect(due(split, '2026-03-06T10:00:00Z', 180)).toBe('2026-03-06T14:00:00.000Z');
    // Fri 16:00 + 3h: 16–17 (1h), Saturday 10–12 (2h) → Sat 12:00 CET.
    expect(due(split, '2026-03-06T15:00:00Z', 180)).toBe('2026-03-07T11:00:00.000Z');
  });

  it('without a calendar counts wall-clock minutes, exactly as before', () => {
    expect(due(null, '2026-03-06T15:00:00.000Z', 240)).toBe('2026-03-06T19:00:00.000Z');
    expect(due(null, '2026-03-06T15:00:00.123Z', 4320)).toBe('2026-03-09T15:00:00.123Z');
  });
});

describe('daylight-saving changes', () => {
  it('Europe/Berlin spring-forward: office hours keep their local times across the change', () => {
    // Fri 27 March 16:00 CET (15:00Z) + 4h → Mon 30 March 12:00 CEST (10:00Z): the offset changed on Sunday.
    expect(due(berlin, '2026-03-27T15:00:00Z', 240)).toBe('2026-03-30T10:00:00.000Z');
    expect(localIso(at('2026-03-30T10:00:00Z'), 'Europe/Berlin')).toMatch(/^2026-03-30T12:00:00\.000\+02:00$/);
  });

  it('Europe/Berlin fall-back: Fri 23 Oct 16:00 CEST + 4h → Mon 26 Oct 12:00 CET', () => {
    expect(due(berlin, '2026-10-23T14:00:00Z', 240)).toBe('2026-10-26T11:00:00.000Z');
  });

  it('America/New_York spring-forward and fall-back', () => {
    // DST starts Sun 8 March 2026: Fri 16:00 EST (21:00Z) + 4h → Mon 12:00 EDT (16:00Z).
    expect(due(newYork, '2026-03-06T21:00:00Z', 240)).toBe('2026-03-09T16:00:00.000Z');
    // DST ends Sun 1 Nov 2026: Fri 30 Oct 16:00 EDT (20:00Z) + 4h → Mon 2 Nov 12:00 EST (17:00Z).
    expect(due(newYork, '2026-10-30T20:00:00Z', 240)).toBe('2026-11-02T17:00:00.000Z');
  });

  it('a night shift over the change is an hour shorter in spring and longer in autumn', () => {
    const nights = cal('Europe/Berlin', ['daily 22:00-06:00']);
    // Sat 28 March 22:00 CET (21:00Z) to Sun 06:00 CEST (04:00Z): 7 real hours.
    expect(businessMsBetween(nights, at('2026-03-28T12:00:00Z'), at('2026-03-29T12:00:00Z'))).toBe(7 * H);
    // Sat 24 Oct 22:00 CEST (20:00Z) to Sun 06:00 CET (05:00Z): 9 real hours.
    expect(businessMsBetween(nights, at('2026-10-24T12:00:00Z'), at('2026-10-25T12:00:00Z'))).toBe(9 * H);
    const nyNights = cal('America/New_York', ['daily 22:00-06:00']);
    expect(businessMsBetween(nyNights, at('2026-03-07T18:00:00Z'), at('2026-03-08T18:00:00Z'))).toBe(7 * H);
    expect(businessMsBetween(nyNights, at('2026-10-31T18:00:00Z'), at('2026-11-01T18:00:00Z'))).toBe(9 * H);
  });

  it('24/7 counts real time across the change: 24 business hours are 24 real hours', () => {
    const always = cal('Europe/Berlin', ['24/7']);
    // Sat 28 March 12:00 CET (11:00Z) + 24h = 11:00Z on Sunday, which reads 13:00 CEST.
    expect(due(always, '2026-03-28T11:00:00Z', 24 * 60)).toBe('2026-03-29T11:00:00.000Z');
    // The local Sunday of the change has 23 hours, the autumn one 25.
    expect(businessMsBetween(always, at('2026-03-28T23:00:00Z'), at('2026-03-29T22:00:00Z'))).toBe(23 * H);
    expect(businessMsBetween(always, at('2026-10-24T22:00:00Z'), at('2026-10-25T23:00:00Z'))).toBe(25 * H);
  });
});

describe('24/7 and overnight shifts', () => {
  it('24/7 has no gap at midnight, in each way of writing it', () => {
    for (const hours of ['24/7', 'mon-sun 00:00-24:00', 'daily 00:00-00:00']) {
      const always = cal('Europe/Berlin', [hours]);
      // 23:30 local + 60 minutes = 00:30 local, the next day.
      expect(due(always, '2026-03-10T22:30:00Z', 60), hours).toBe('2026-03-10T23:30:00.000Z');
      // The open time is one span running through several midnights.
      const first = openSpans(always, at('2026-03-10T22:30:00Z')).next().value!;
      expect(first.end - first.start, hours).toBeGreaterThan(3 * 24 * H);
      expect(countedSpansBetween(always, at('2026-03-10T22:30:00Z'), at('2026-04-10T22:30:00Z')), hours).toHaveLength(1);
      expect(businessMsBetween(always, at('2026-03-10T22:30:00Z'), at('2026-03-20T22:30:00Z')), hours).toBe(240 * H);
      expect(isOpenAt(always, at('2026-03-10T23:00:00Z')), hours).toBe(true);
    }
  });

  it('a 22:00–06:00 shift counts through midnight and into the next morning', () => {
    const nights = cal('Europe/Berlin', ['mon-fri 22:00-06:00']);
    // Tue 05:00 CET + 2h: 05–06 (1h) then Tue 22:00 + 1h → 23:00 CET.
    expect(due(nights, '2026-03-10T04:00:00Z', 120)).toBe('2026-03-10T22:00:00.000Z');
    // Tue 23:30 + 1h: runs over midnight without a gap → Wed 00:30.
    expect(due(nights, '2026-03-10T22:30:00Z', 60)).toBe('2026-03-10T23:30:00.000Z');
    // Fri 23:00 + 8h: the Friday night shift (7h to Sat 06:00), then Monday 22:00 + 1h.
    expect(due(nights, '2026-03-13T22:00:00Z', 480)).toBe('2026-03-16T22:00:00.000Z');
    expect(isOpenAt(nights, at('2026-03-14T04:00:00Z'))).toBe(true); // Sat 05:00, the tail of Friday's shift
    expect(isOpenAt(nights, at('2026-03-14T21:30:00Z'))).toBe(false); // Sat 22:30: no shift starts on Saturday
  });

  it('a holiday cancels the night shift that starts on it', () => {
    const nights = cal('Europe/Berlin', ['mon-fri 22:00-06:00'], ['2026-03-10']);
    // Tue 05:00 + 2h: Monday's shift to 06:00 (1h); Tuesday's is cancelled → Wed 23:00.
    expect(due(nights, '2026-03-10T04:00:00Z', 120)).toBe('2026-03-11T22:00:00.000Z');
  });
});

describe('pauses', () => {
  it('a pause over a weekend drops the Friday afternoon and the Monday morning it covers', () => {
    // Created Fri 15:00 CET, target 4h, pending from Fri 16:00 to Mon 11:00.
    const pause = { start: at('2026-03-06T15:00:00Z'), end: at('2026-03-09T10:00:00Z') };
    expect(due(berlin, '2026-03-06T14:00:00Z', 240)).toBe('2026-03-09T10:00:00.000Z');
    expect(due(berlin, '2026-03-06T14:00:00Z', 240, [pause])).toBe('2026-03-09T13:00:00.000Z');
    // Wall-clock: the whole pause is left out.
    expect(due(null, '2026-03-06T12:00:00Z', 480, [{ start: at('2026-03-06T14:00:00Z'), end: at('2026-03-09T08:00:00Z') }])).toBe(
      '2026-03-09T14:00:00.000Z',
    );
    const counted = countedSpansBetween(berlin, at('2026-03-06T14:00:00Z'), at('2026-03-09T13:00:00Z'), [pause]);
    expect(counted.map((s) => [new Date(s.start).toISOString(), new Date(s.end).toISOString()])).toEqual([
      ['2026-03-06T14:00:00.000Z', '2026-03-06T15:00:00.000Z'],
      ['2026-03-09T10:00:00.000Z', '2026-03-09T13:00:00.000Z'],
    ]);
  });

  it('an open pause stops the clock: no due time until it ends', () => {
    expect(due(berlin, '2026-03-06T08:00:00Z', 240, [{ start: at('2026-03-06T09:00:00Z'), end: Infinity }])).toBeNull();
    expect(
      businessMsBetween(berlin, at('2026-03-06T08:00:00Z'), at('2026-03-09T16:00:00Z'), [
        { start: at('2026-03-06T09:00:00Z'), end: Infinity },
      ]),
    ).toBe(1 * H);
  });

  it('reads pauses from the status history: pending until the next status, snoozed until the earlier of wake-up and change', () => {
    const ev = (createdAt: string, from: string, to: string) => ({ type: 'status', createdAt, data: { from, to } });
    const pauses = pausesFromHistory([
      ev('2026-03-02T10:00:00Z', 'new', 'open'),
      ev('2026-03-02T11:00:00Z', 'open', 'pending'),
      ev('2026-03-02T12:00:00Z', 'pending', 'open'),
      { type: 'snooze', createdAt: '2026-03-02T13:00:00Z', data: { until: '2026-03-02T15:00:00Z' } },
      ev('2026-03-02T13:00:00Z', 'open', 'snoozed'),
      ev('2026-03-02T15:05:00Z', 'snoozed', 'open'), // woken a little late: the pause ends at the wake-up time
      ev('2026-03-02T16:00:00Z', 'open', 'pending'),
    ]);
    expect(
      pauses.map((p) => [p.status, new Date(p.start).toISOString(), Number.isFinite(p.end) ? new Date(p.end).toISOString() : 'open']),
    ).toEqual([
      ['pending', '2026-03-02T11:00:00.000Z', '2026-03-02T12:00:00.000Z'],
      ['snoozed', '2026-03-02T13:00:00.000Z', '2026-03-02T15:00:00.000Z'],
      ['pending', '2026-03-02T16:00:00.000Z', 'open'],
    ]);
  });
});

describe('calendar text', () => {
  it('parses hours, weekday ranges that wrap, and writes them back', () => {
    expect(parseHours('mon-fri 09:00-17:30')).toEqual([{ days: [1, 2, 3, 4, 5], start: 540, end: 1050 }]);
    expect(parseHours('fri-mon 8-12')[0]!.days).toEqual([0, 1, 5, 6]);
    expect(parseHours('sat 10:00-14:00').map(describeRule)).toEqual(['sat 10:00-14:00']);
    expect(parseHours('mon-fri 22:00-06:00').map(describeRule)).toEqual(['mon-fri 22:00-06:00']);
    expect(parseHours('daily 00:00-24:00').map(describeRule)).toEqual(['24/7']);
    expect(parseHours('sat,sun 10:00-14:00').map(describeRule)).toEqual(['sat,sun 10:00-14:00']);
  });

  it('refuses nonsense with a clear message', () => {
    for (const bad of ['mon-fri', 'someday 09:00-17:00', 'mon 25:00-26:00', 'mon 9:00-17:61', '']) {
      expect(() => parseHours(bad), bad).toThrow(TandemError);
    }
    expect(() => checkTimeZone('Mars/Olympus')).toThrow(/unknown time zone/);
    expect(() => parseHolidays('2026-02-30')).toThrow(/not a date/);
    expect(() => parseHolidays('2026-12-26..2026-12-24')).toThrow(/ends before/);
    expect(parseHolidays('2026-12-24..2026-12-26')).toEqual(['2026-12-24', '2026-12-25', '2026-12-26']);
  });

  it('labels times in the calendar zone', () => {
    expect(localLabel(at('2026-03-30T08:12:00Z'), 'Europe/Berlin')).toBe('Mon 10:12');
    expect(localLabel(at('2026-03-30T08:12:00Z'), 'America/New_York', true)).toBe('Mon 30 Mar 2026 04:12');
  });
});
