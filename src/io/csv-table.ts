// Reading a CSV export into a header and rows, for every CSV format (items, orders, surveys,
// messages): the text encoding (UTF-8, a BOM'd UTF-16, or --encoding for spreadsheet files saved as
// Windows-1252 or Latin-1, decoded by iconv-lite, as Node 20's TextDecoder reads Windows-1252 as
// Latin-1; a file that is not UTF-8 is refused with a likely encoding, never garbled),
// the delimiter, line numbers of multi-line records, and the cells that mean "missing" (NA, "").
import fs from 'node:fs';
import path from 'node:path';
import { parse as parseCsv, CsvError } from 'csv-parse/sync';
import iconv from 'iconv-lite';
import { invalid, usage } from '../core/errors.js';
import { openForReading, refuseBinary } from './line-reader.js';

export interface CsvRow {
  /** Line the record starts on (1-based). */
  line: number;
  cells: string[];
}

export interface CsvTable {
  header: string[];
  rows: CsvRow[];
  encoding: string;
  delimiter: string;
}

export interface CsvReadOptions {
  /** An encoding name iconv-lite knows: utf-8, windows-1252, latin1, iso-8859-15, utf-16le, macintosh, shift_jis… */
  encoding?: string;
  delimiter?: string;
}

/** The delimiter the header line uses most, outside quotes. */
export function detectDelimiter(text: string): string {
  const counts: Record<string, number> = { ',': 0, ';': 0, '\t': 0, '|': 0 };
  let quoted = false;
  for (const ch of text) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && ch === '\n') break;
    else if (!quoted && ch in counts) counts[ch]!++;
  }
  const [best, n] = Object.entries(counts).sort((a, b) => b[1] - a[1])[0]!;
  return n > 0 ? best : ',';
}

/** Cells that mean "no value" in spreadsheet and R/pandas exports. */
const MISSING = new Set(['', 'na', 'n/a', '#n/a', 'null', 'nan', '""']);

/** A cell's value, or undefined when it is empty or one of the usual spellings of "missing". */
export function present(raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  return MISSING.has(raw.trim().toLowerCase()) ? undefined : raw;
}

/** Where the first invalid UTF-8 sequence starts, as a line number and the bytes around it. */
function firstBadUtf8(buf: Buffer): { line: number; offset: number } {
  let i = 0;
  let line = 1;
  while (i < buf.length) {
    const b = buf[i]!;
    if (b === 10) line++;
    if (b < 0x80) {
      i++;
      continue;
    }
    const len = b >= 0xf0 && b < 0xf5 ? 4 : b >= 0xe0 ? 3 : b >= 0xc2 && b < 0xe0 ? 2 : 0;
    if (len === 0 || i + len > buf.length) return { line, offset: i };
    for (let k = 1; k < len; k++) if ((buf[i + k]! & 0xc0) !== 0x80) return { line, offset: i };
    i += len;
  }
  return { line, offset: -1 };
}

/**
 * The encoding a non-UTF-8 file most likely has: bytes 0x80-0x9F are printable in Windows-1252
 * (curly quotes, €) but control codes in ISO-8859-1, so their presence decides between the two.
 */
function guessEncoding(buf: Buffer): 'windows-1252' | 'iso-8859-15' {
  let c1 = 0;
  let euroLatin9 = 0;
  for (const b of buf) {
    if (b >= 0x80 && b <= 0x9f) c1++;
    if (b === 0xa4) euroLatin9++;
  }
  return c1 === 0 && euroLatin9 > 0 ? 'iso-8859-15' : 'windows-1252';
}

/** Decode a file's bytes: BOM'd UTF-16/UTF-8 by their BOM, else strict UTF-8, else the given encoding. */
function decodeText(file: string, buf: Buffer, encoding?: string): { text: string; encoding: string } {
  if (encoding) {
    const name = encoding.trim().toLowerCase();
    if (!iconv.encodingExists(name)) {
      throw usage(
        `--encoding: unknown encoding ${JSON.stringify(encoding)} (e.g. utf-8, windows-1252, latin1, iso-8859-15, utf-16le, macintosh)`,
      );
    }
    if (name === 'utf-8' || name === 'utf8') return decodeText(file, buf);
    const text = iconv.decode(buf, name).replace(/^\uFEFF/, '');
    // A byte the encoding has no character for comes out as U+FFFD: refuse rather than garble.
    const bad = text.indexOf('\uFFFD');
    if (bad >= 0) {
      const line = text.slice(0, bad).split('\n').length;
      throw invalid(`${file}:${line}: not valid ${name} text (a byte with no character in it); nothing was written`);
    }
    return { text, encoding: name };
  }
  if (buf[0] === 0xff && buf[1] === 0xfe) return { text: new TextDecoder('utf-16le').decode(buf.subarray(2)), encoding: 'utf-16le' };
  if (buf[0] === 0xfe && buf[1] === 0xff) return { text: new TextDecoder('utf-16be').decode(buf.subarray(2)), encoding: 'utf-16be' };
  refuseBinary(file, buf);
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(buf).replace(/^\uFEFF/, ''), encoding: 'utf-8' };
  } catch {
    const bad = firstBadUtf8(buf);
    const guess = guessEncoding(buf);
    // Show the word around the first odd byte as the guess would read it, so the user can judge it.
    const start = Math.max(0, buf.lastIndexOf(0x0a, bad.offset) + 1, bad.offset - 30);
    const end = Math.min(buf.length, bad.offset + 30);
    const sample = iconv.decode(buf.subarray(start, end), guess).split('\n')[0]!.trim();
    throw invalid(
      `${file}:${bad.line}: not UTF-8 text (byte 0x${buf[bad.offset]!.toString(16).toUpperCase()}); it is likely ${guess}, ` +
        `which reads that line as ${JSON.stringify(sample)}: give --encoding ${guess} (or the file's real encoding); nothing was written`,
    );
  }
}

export function readCsvTable(file: string, opts: CsvReadOptions = {}): CsvTable {
  const fd = openForReading(file);
  let buf: Buffer;
  try {
    buf = fs.readFileSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  const { text, encoding } = decodeText(file, buf, opts.encoding);
  const delimiter = opts.delimiter ?? (path.extname(file).toLowerCase() === '.tsv' ? '\t' : detectDelimiter(text));
  let rows: CsvRow[];
  try {
    const records = parseCsv(text, {
      bom: true,
      delimiter,
      info: true,
      raw: true,
      relax_column_count: true,
      skip_empty_lines: true,
    }) as unknown as { record: string[]; info: { lines: number }; raw: string }[];
    // info.lines is the line a record ends on; a quoted multi-line cell starts earlier.
    rows = records.map((r) => ({ cells: r.record, line: r.info.lines - (r.raw.replace(/\r?\n$/, '').match(/\n/g)?.length ?? 0) }));
  } catch (e) {
    if (e instanceof CsvError) {
      const line = typeof e.lines === 'number' ? `:${e.lines}` : '';
      throw invalid(`${file}${line}: not readable as CSV: ${e.message}; nothing was written`);
    }
    throw e;
  }
  if (rows.length === 0) throw invalid(`${file} is empty: no header line`);
  return { header: rows[0]!.cells.map((h) => h.trim()), rows: rows.slice(1), encoding, delimiter };
}
