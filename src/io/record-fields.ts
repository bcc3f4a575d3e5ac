// Small typed readers for fields of an untrusted JSON record: each throws a RecordError naming the field.
import { RecordError } from './import-report.js';

export type Obj = Record<string, unknown>;

const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?Z$/;

export function asObject(v: unknown, what: string): Obj {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new RecordError(`${what} must be a JSON object`);
  return v as Obj;
}

export function str(o: Obj, k: string): string {
  const v = o[k];
  if (typeof v !== 'string') throw new RecordError(`"${k}" must be a string (got ${describe(v)})`);
  return v;
}

export function strOrNull(o: Obj, k: string): string | null {
  const v = o[k];
  if (v === null || v === undefined) return null;
  if (typeof v !== 'string') throw new RecordError(`"${k}" must be a string or null (got ${describe(v)})`);
  return v;
}

export function int(o: Obj, k: string, min = 0): number {
  const v = o[k];
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < min)
    throw new RecordError(`"${k}" must be a whole number ≥ ${min} (got ${describe(v)})`);
  return v;
}

export function intOrNull(o: Obj, k: string, min = 1): number | null {
  const v = o[k];
  if (v === null || v === undefined) return null;
  return int(o, k, min);
}

export function bool(o: Obj, k: string): boolean {
  const v = o[k];
  if (typeof v !== 'boolean') throw new RecordError(`"${k}" must be true or false (got ${describe(v)})`);
  return v;
}

/**
 * True for a time in the exact form Tandem writes (2026-01-31T09:00:00.000Z) with every field in range,
 * read from the character codes: an export holds millions, and the pattern plus Date.parse cost 0.5 s
 * per 100k items. Only ever a shortcut to yes; anything else is judged by the pattern and Date.parse.
 */
function plainTime(v: string): boolean {
  if (v.length !== 24) return false;
  for (let i = 0; i < 23; i++) {
    const c = v.charCodeAt(i);
    const want = i === 4 || i === 7 ? 45 : i === 10 ? 84 : i === 13 || i === 16 ? 58 : i === 19 ? 46 : 0; // - T : .
    if (want ? c !== want : c < 48 || c > 57) return false;
  }
  if (v.charCodeAt(23) !== 90) return false; // Z
  const month = twoDigits(v, 5);
  const day = twoDigits(v, 8);
  return month >= 1 && month <= 12 && day >= 1 && day <= 31 && twoDigits(v, 11) <= 23 && twoDigits(v, 14) <= 59 && twoDigits(v, 17) <= 59;
}

// A top-level function, not a closure: the bundle names every named closure when it is made (keepNames).
function twoDigits(v: string, i: number): number {
  return (v.charCodeAt(i) - 48) * 10 + v.charCodeAt(i + 1) - 48;
}

/** An ISO 8601 UTC time as Tandem stores them (2026-01-31T09:00:00.000Z). */
export function time(o: Obj, k: string): string {
  const v = str(o, k);
  if (!plainTime(v) && (!ISO_UTC.test(v) || Number.isNaN(Date.parse(v))))
    throw new RecordError(`"${k}" must be an ISO 8601 UTC time like 2026-01-31T09:00:00.000Z (got ${describe(v)})`);
  return v;
}

export function timeOrNull(o: Obj, k: string): string | null {
  return o[k] === null || o[k] === undefined ? null : time(o, k);
}

export function oneOf<T extends string>(o: Obj, k: string, allowed: readonly T[]): T {
  const v = str(o, k);
  if (!(allowed as readonly string[]).includes(v))
    throw new RecordError(`"${k}" must be one of ${allowed.join(', ')} (got ${describe(v)})`);
  return v as T;
}

export function describe(v: unknown): string {
  if (v === undefined) return 'nothing';
  const s = JSON.stringify(v);
  return s.length > 40 ? s.slice(0, 37) + '…' : s;
}
