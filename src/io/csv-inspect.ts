// `tandem import FILE --inspect`: which column feeds which field, with a sample row, which columns
// were passed over and why, and the encoding and delimiter read — before anything is written.
import type { Detection } from './csv-detect.js';
import { present, type CsvTable } from './csv-table.js';

interface InspectField {
  field: string;
  column: string | null;
  /** map (--map), name (a known column name), name+values (the values agreed too), off (--map FIELD=). */
  how: string | null;
  about: string;
  /** The value in the first row that has one, and that row's line. */
  sample: string | null;
  sampleLine: number | null;
}

export interface InspectReport {
  file: string;
  format: string;
  encoding: string;
  delimiter: string;
  rows: number;
  fields: InspectField[];
  /** Columns no field reads. */
  unused: string[];
  /** Columns a field's name suggested but whose values did not fit. */
  passedOver: { column: string; field: string; reason: string }[];
  /** Fields the import needs that no column feeds (give them with --map FIELD=COLUMN). */
  missing: string[];
  /** What the import will do because of how the file is read (rows without a requester…). */
  notes: string[];
}

export function inspectTable(
  file: string,
  format: string,
  table: CsvTable,
  detection: Detection<string>,
  required: string[][] = [],
): InspectReport {
  const fields = detection.found.map((f) => {
    let sample: string | null = null;
    let sampleLine: number | null = null;
    if (f.index !== null) {
      const row = table.rows.find((r) => present(r.cells[f.index!]) !== undefined);
      if (row) {
        sample = present(row.cells[f.index])!;
        sampleLine = row.line;
      }
    }
    return { field: f.field, column: f.column, how: f.how, about: f.about, sample, sampleLine };
  });
  const used = new Set(detection.found.map((f) => f.index).filter((i) => i !== null));
  return {
    file,
    format,
    encoding: table.encoding,
    delimiter: table.delimiter,
    rows: table.rows.length,
    fields,
    unused: table.header.filter((_, i) => !used.has(i)),
    passedOver: detection.passed,
    missing: required.filter((any) => !any.some((f) => detection.columns.has(f))).map((any) => any.join(' or ')),
    notes: [],
  };
}
