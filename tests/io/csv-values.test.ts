// Money, scores and yes/no cells as shops, survey tools and helpdesks write them.
import { describe, expect, it } from 'vitest';
import { parseMoneyCents, parseScore, parseYesNo } from '../../src/io/csv-values.js';

describe('reading export cells', () => {
  it('reads money in US and European spellings, with symbols, codes and refunds in parentheses', () => {
    const cases: [string, number][] = [
      ['25', 2500],
      ['25.00', 2500],
      ['$1,234.50', 123450],
      ['1.234,50 €', 123450],
      ['(25.00)', -2500],
      ['-25.00', -2500],
      ['EUR 12,5', 1250],
      ['1,234', 123400],
      ['1.234', 123400],
      ['0.99', 99],
      ['USD 99.95', 9995],
      ['€ -3,00', -300],
      ["1'234.50", 123450],
    ];
    for (const [text, cents] of cases) expect(parseMoneyCents(text, 'amount'), text).toBe(cents);
    for (const bad of ['abc', '1,234.567', '12.', '']) expect(() => parseMoneyCents(bad, 'amount'), bad).toThrow(/amount/);
  });

  it('reads scores and yes/no cells, and says when a cell is neither', () => {
    expect(parseScore('9')).toBe(9);
    expect(parseScore('4 - Satisfied')).toBe(4);
    expect(parseScore('10.0')).toBe(10);
    expect(parseScore('great')).toBeNull();
    expect(parseYesNo('TRUE')).toBe(true);
    expect(parseYesNo('no')).toBe(false);
    expect(parseYesNo('0')).toBe(false);
    expect(parseYesNo('maybe')).toBeNull();
  });
});
