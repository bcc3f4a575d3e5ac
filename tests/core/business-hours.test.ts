// Business hours for the rule condition: days, a time range, a time zone (with its DST shifts).
import { describe, expect, it } from 'vitest';
import { inBusinessHours, parseBusinessHours } from '../../src/core/rules/business-hours.js';
import { compileRegex } from '../../src/core/rules/definition.js';

describe('business hours', () => {
  it('reads days and hours in a time zone', () => {
    const h = parseBusinessHours('mon-fri 09:00-17:30', 'Europe/Paris');
    expect(h.days).toEqual([1, 2, 3, 4, 5]);
    // Monday 2 March 2026: Paris is UTC+1 in winter.
    expect(inBusinessHours(h, new Date('2026-03-02T07:59:00Z'))).toBe(false); // 08:59 Paris
    expect(inBusinessHours(h, new Date('2026-03-02T08:00:00Z'))).toBe(true); // 09:00 Paris
    expect(inBusinessHours(h, new Date('2026-03-02T16:29:00Z'))).toBe(true); // 17:29 Paris
    expect(inBusinessHours(h, new Date('2026-03-02T16:30:00Z'))).toBe(false); // 17:30 Paris: closed
    // Summer time (UTC+2): 07:00Z is 09:00 in Paris on Monday 6 July 2026.
    expect(inBusinessHours(h, new Date('2026-07-06T07:00:00Z'))).toBe(true);
    // Saturday.
    expect(inBusinessHours(h, new Date('2026-03-07T10:00:00Z'))).toBe(false);
  });

  it('takes lists and ranges that wrap the week, and refuses nonsense', () => {
    expect(parseBusinessHours('fri-mon 8-12').days).toEqual([0, 1, 5, 6]);
    expect(parseBusinessHours('mon,wed 8-12').days).toEqual([1, 3]);
    expect(() => parseBusinessHours('weekdays 9-17')).toThrow(/not a day/);
    expect(() => parseBusinessHours('mon-fri 17-9')).toThrow(/ends .* before it starts/);
    expect(() => parseBusinessHours('mon-fri 9-17', 'Mars/Olympus')).toThrow(/unknown time zone/);
  });

  it('reads (?i) as a case-insensitive regex', () => {
    expect(compileRegex('(?i)refund').test('REFUND')).toBe(true);
    expect(compileRegex('refund').test('REFUND')).toBe(false);
    expect(() => compileRegex('(?x)a')).toThrow(/unsupported inline flag/);
  });
});
