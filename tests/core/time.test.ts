import { describe, expect, it } from 'vitest';
import { durationSeconds, parseWhen } from '../../src/core/time.js';
import { TandemError } from '../../src/core/errors.js';

// Tests run with TZ=UTC (vitest.config.ts), so local times read as UTC here.
const now = new Date('2026-03-04T15:30:00.000Z'); // a Wednesday
const when = (text: string, rel: 'future' | 'past' = 'future') => parseWhen(text, now, rel).toISOString();

describe('parseWhen', () => {
  it('reads ISO 8601 dates and times', () => {
    expect(when('2026-12-01')).toBe('2026-12-01T00:00:00.000Z');
    expect(when('2026-12-01T09:15')).toBe('2026-12-01T09:15:00.000Z');
    expect(when('2026-12-01T09:15:00+02:00')).toBe('2026-12-01T07:15:00.000Z');
    expect(when('2026-12-01 09:15')).toBe('2026-12-01T09:15:00.000Z');
  });

  it('reads durations as from now for due times and as ago for --date/--since', () => {
    expect(when('2h')).toBe('2026-03-04T17:30:00.000Z');
    expect(when('in 90m')).toBe('2026-03-04T17:00:00.000Z');
    expect(when('3d', 'past')).toBe('2026-03-01T15:30:00.000Z');
    expect(when('2h ago')).toBe('2026-03-04T13:30:00.000Z');
    expect(when('-1w')).toBe('2026-02-25T15:30:00.000Z');
    expect(when('+1w', 'past')).toBe('2026-03-11T15:30:00.000Z');
  });

  it('reads everyday words', () => {
    expect(when('now')).toBe(now.toISOString());
    expect(when('tomorrow')).toBe('2026-03-05T09:00:00.000Z');
    expect(when('tomorrow 9:00')).toBe('2026-03-05T09:00:00.000Z');
    expect(when('tomorrow at 17:45')).toBe('2026-03-05T17:45:00.000Z');
    expect(when('today 5pm')).toBe('2026-03-04T17:00:00.000Z');
    expect(when('monday 9am')).toBe('2026-03-09T09:00:00.000Z');
    expect(when('Friday')).toBe('2026-03-06T09:00:00.000Z');
  });

  it('refuses anything else with an invalid-input error that shows the accepted forms', () => {
    for (const bad of ['', 'soon', '31/02/2026', 'tomorrow 25:00', '2026-13-45', '5 parsecs']) {
      const e = (() => {
        try {
          parseWhen(bad, now);
          return null;
        } catch (err) {
          return err;
        }
      })();
      expect(e, bad).toBeInstanceOf(TandemError);
      expect((e as TandemError).kind).toBe('invalid');
      expect((e as TandemError).message).toMatch(/try ISO 8601/);
    }
  });

  it('turns durations into seconds', () => {
    expect(durationSeconds('90m')).toBe(5400);
    expect(durationSeconds('3d')).toBe(259200);
    expect(() => durationSeconds('forever')).toThrow(/not a duration/);
  });
});
