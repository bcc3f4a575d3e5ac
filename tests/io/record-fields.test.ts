// Reading untrusted record fields: a time is accepted exactly when it has Tandem's ISO form and
// Date.parse reads it, whatever shortcut the reader takes for the usual case.
import { describe, expect, it } from 'vitest';
import { time } from '../../src/io/record-fields.js';

const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?Z$/;
const accepts = (v: string) => {
  try {
    return time({ t: v }, 't') === v;
  } catch {
    return false;
  }
};

describe('time fields', () => {
  it('accepts exactly the ISO UTC times Date.parse reads, on random times in and out of range', () => {
    let seed = 42;
    const rand = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    const pad = (n: number, w = 2) => String(n).padStart(w, '0');
    let accepted = 0;
    for (let i = 0; i < 20_000; i++) {
      let v = `${pad(rand(10_000), 4)}-${pad(rand(15))}-${pad(rand(34))}T${pad(rand(27))}:${pad(rand(62))}:${pad(rand(62))}.${pad(rand(1000), 3)}Z`;
      if (rand(10) === 0) v = v.slice(0, rand(24)) + String.fromCharCode(32 + rand(90)) + v.slice(rand(24)); // a stray character
      const expected = ISO_UTC.test(v) && !Number.isNaN(Date.parse(v));
      expect(accepts(v), v).toBe(expected);
      if (expected) accepted++;
    }
    expect(accepted).toBeGreaterThan(5_000);
    for (const v of ['2026-02-31T00:00:00.000Z', '2026-01-01T24:00:00.000Z', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00.1234Z'])
      expect(accepts(v), v).toBe(!Number.isNaN(Date.parse(v)));
    for (const v of ['2026-13-01T00:00:00.000Z', '2026-01-01T23:60:00.000Z', '2026-01-01 00:00:00.000Z', '2026-01-01T00:00:00.000+01:00'])
      expect(accepts(v), v).toBe(false);
  });
});
