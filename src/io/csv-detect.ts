// Which CSV column feeds which field, for every CSV format: --map first (FIELD=Column, or FIELD= to
// switch a field off), then known column names, then names that merely contain a telling word
// ("Date received", "Complaint ID") — and every candidate's values are checked too, so a "State"
// column holding PA, NY and CA is not taken for a status. The result says how each field was found
// and why a column was passed over, for `tandem import --inspect`.
import { usage } from '../core/errors.js';
import type { CsvRow } from './csv-table.js';
import { present } from './csv-table.js';

export const squash = (s: string) => s.toLowerCase().replace(/[^\p{L}\p{N}#]+/gu, '');

export interface FieldSpec<F extends string> {
  field: F;
  /** Exact column names (compared squashed), most telling first. */
  names: string[];
  /** Words a column name may contain instead (squashed), tried after the exact names. */
  contains?: string[];
  /** Words that rule a name out of `contains` ("Created by" is no date). */
  excludes?: string[];
  /** What a value of this field looks like. */
  check?: { test: (value: string) => boolean; what: string; minShare: number; exactToo: boolean };
  /** What the field is for, shown by --inspect. */
  about: string;
}

type How = 'map' | 'name' | 'name+values' | 'off';

interface FieldFound {
  field: string;
  column: string | null;
  index: number | null;
  how: How | null;
  about: string;
}

interface Passed {
  column: string;
  field: string;
  reason: string;
}

export interface Detection<F extends string> {
  columns: Map<F, number>;
  found: FieldFound[];
  passed: Passed[];
}

/** Parse repeated `key=value` options (also comma-separated); an empty value is allowed (FIELD=). */
export function parsePairs(option: string, values: string[] | undefined, squashKeys = true): Map<string, string> {
  const map = new Map<string, string>();
  for (const v of values ?? []) {
    for (const pair of v.split(',')) {
      if (!pair.trim()) continue;
      const eq = pair.indexOf('=');
      if (eq <= 0) throw usage(`${option} takes NAME=VALUE pairs (got ${JSON.stringify(pair)})`);
      const key = pair.slice(0, eq).trim();
      map.set(squashKeys ? squash(key) : key, pair.slice(eq + 1).trim());
    }
  }
  return map;
}

const SAMPLE = 200;

function share(rows: CsvRow[], index: number, test: (v: string) => boolean): { share: number; n: number; odd: string[] } {
  let n = 0;
  let ok = 0;
  const odd: string[] = [];
  for (const r of rows.slice(0, SAMPLE)) {
    const v = present(r.cells[index]);
    if (v === undefined) continue;
    n++;
    if (test(v.trim())) ok++;
    else if (odd.length < 3 && !odd.includes(v.trim())) odd.push(v.trim());
  }
  return { share: n === 0 ? 1 : ok / n, n, odd };
}

export function detectColumns<F extends string>(
  specs: FieldSpec<F>[],
  header: string[],
  rows: CsvRow[],
  maps: string[] | undefined,
  required: { fields: F[]; hint?: string }[] = [],
): Detection<F> {
  const byName = new Map<string, number>();
  header.forEach((h, i) => {
    const k = squash(h);
    if (!byName.has(k)) byName.set(k, i);
  });
  const specBySquash = new Map(specs.map((s) => [squash(s.field), s]));
  const columns = new Map<F, number>();
  const how = new Map<F, How>();
  const off = new Set<F>();
  for (const [fieldKey, column] of parsePairs('--map', maps)) {
    const spec = specBySquash.get(fieldKey);
    if (!spec) throw usage(`--map: unknown field ${JSON.stringify(fieldKey)} (fields: ${specs.map((s) => s.field).join(', ')})`);
    if (column === '') {
      off.add(spec.field);
      how.set(spec.field, 'off');
      continue;
    }
    const index = byName.get(squash(column));
    if (index === undefined)
      throw usage(`--map ${spec.field}=${column}: the file has no column ${JSON.stringify(column)} (columns: ${header.join(', ')})`);
    columns.set(spec.field, index);
    how.set(spec.field, 'map');
  }
  const taken = new Set(columns.values());
  const passed: Passed[] = [];
  for (const spec of specs) {
    if (columns.has(spec.field) || off.has(spec.field)) continue;
    const exact = spec.names.map((n) => byName.get(squash(n))).filter((i): i is number => i !== undefined);
    const loose = header
      .map((h, i) => ({ k: squash(h), i }))
      .filter(
        ({ k, i }) =>
          !exact.includes(i) && (spec.contains ?? []).some((w) => k.includes(w)) && !(spec.excludes ?? []).some((w) => k.includes(w)),
      )
      .map(({ i }) => i);
    for (const [index, isExact] of [...exact.map((i) => [i, true] as const), ...loose.map((i) => [i, false] as const)]) {
      if (taken.has(index)) continue;
      if (spec.check && (spec.check.exactToo || !isExact)) {
        const s = share(rows, index, spec.check.test);
        if (s.share < spec.check.minShare || (!isExact && s.n === 0)) {
          const why =
            s.n === 0
              ? 'it is empty'
              : `values like ${s.odd.map((v) => JSON.stringify(v.length > 24 ? v.slice(0, 23) + '…' : v)).join(', ')} are not ${spec.check.what}`;
          passed.push({ column: header[index]!, field: spec.field, reason: why });
          continue;
        }
      }
      columns.set(spec.field, index);
      how.set(spec.field, isExact && !spec.check?.exactToo ? 'name' : 'name+values');
      taken.add(index);
      break;
    }
  }
  for (const r of required) {
    if (!r.fields.some((f) => columns.has(f))) {
      const f = r.fields[0]!;
      throw usage(
        `no column for ${r.fields.join(' or ')} (columns: ${header.join(', ')}); name it with --map ${f}=COLUMN${r.hint ? `, ${r.hint}` : ''}`,
      );
    }
  }
  const found = specs.map((s) => {
    const index = columns.get(s.field);
    return {
      field: s.field,
      column: index === undefined ? null : header[index]!,
      index: index ?? null,
      how: how.get(s.field) ?? null,
      about: s.about,
    };
  });
  return { columns, found, passed: passed.filter((p) => !columns.has(p.field as F) || header[columns.get(p.field as F)!] !== p.column) };
}

// Value tests shared by the formats.
export const looksLikeEmail = (v: string) => /^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/.test(v.trim());
/** A two-letter code (US state, country) or a postcode: a place. */
export const looksLikePlace = (v: string) => /^[A-Z]{2}$/.test(v.trim()) || /^\d{5}(-\d{4})?$/.test(v.trim());
export const looksLikeNumber = (v: string) => /^[-+(]?\s*[$€£¥]?\s*-?[\d.,' ]+\)?\s*[A-Za-z$€£¥]{0,3}$/.test(v.trim()) && /\d/.test(v);
