// What every import returns and prints: counts by kind, records already present, and the problems
// found (file, line or message number, reason), with the rules for all-or-nothing and --skip-invalid.
import { invalid } from '../core/errors.js';

export interface ImportOptions {
  /** Check everything inside a transaction that is rolled back: nothing is written. */
  dryRun?: boolean;
  /** Import the good records and list the bad ones, instead of refusing the whole file. */
  skipInvalid?: boolean;
  /** Called now and then with records done and the total (for a progress bar). */
  onProgress?: (done: number, total: number) => void;
}

export interface Problem {
  file: string;
  /** Line number (JSONL, CSV, ingest) … */
  line?: number;
  /** … or message number in a mailbox / list of .eml files (1-based). */
  message?: number;
  reason: string;
}

export interface ImportReport {
  format: string;
  files: string[];
  dryRun: boolean;
  /** True when the records counted in `added`/`updated` are in the database now. */
  written: boolean;
  /** New records by kind (item, event, customer, …). */
  added: Record<string, number>;
  /** Existing records brought up to date (JSONL items exported later than the stored copy). */
  updated: Record<string, number>;
  /** Records already in the database (same external id, Message-ID or id): left as they are. */
  unchanged: Record<string, number>;
  /** Records deliberately not imported (e.g. auto-replies with --auto-replies skip), by reason. */
  ignored: Record<string, number>;
  /** Records imported with a caveat the user should know of (rows without a requester…), by what. */
  flagged: Record<string, number>;
  /** Bad records: the first MAX_PROBLEMS of them. */
  problems: Problem[];
  problemCount: number;
}

const MAX_PROBLEMS = 100;

export function newReport(format: string, files: string[], dryRun: boolean): ImportReport {
  return {
    format,
    files,
    dryRun,
    written: false,
    added: {},
    updated: {},
    unchanged: {},
    ignored: {},
    flagged: {},
    problems: [],
    problemCount: 0,
  };
}

export function bump(counts: Record<string, number>, kind: string, n = 1): void {
  counts[kind] = (counts[kind] ?? 0) + n;
}

export function addProblem(report: ImportReport, p: Problem): void {
  report.problemCount++;
  if (report.problems.length < MAX_PROBLEMS) report.problems.push(p);
}

/** A bad record: thrown by a record's parser or writer, caught by the import loop. */
export class RecordError extends Error {}

export function where(p: Problem): string {
  return p.line !== undefined ? `${p.file}:${p.line}` : p.message !== undefined ? `${p.file} (message ${p.message})` : p.file;
}

/** Thrown out of a bulk transaction to roll it back while keeping the report (dry runs, refused files). */
export class Rollback extends Error {
  constructor(readonly report: ImportReport) {
    super('rollback');
  }
}

/** The error for a refused import: the first problems, and that nothing was written. */
function refusedError(report: ImportReport) {
  const first = report.problems
    .slice(0, 5)
    .map((p) => `  ${where(p)}: ${p.reason}`)
    .join('\n');
  const more = report.problemCount > 5 ? `\n  … and ${report.problemCount - 5} more` : '';
  return invalid(
    `${report.problemCount} bad record${report.problemCount === 1 ? '' : 's'}; nothing was written (use --skip-invalid to import the rest):\n${first}${more}`,
    { report },
  );
}

/** After the load: a refused import throws, a dry run or a good import returns the report. */
export function finish(report: ImportReport, opts: ImportOptions): ImportReport {
  if (report.problemCount > 0 && !opts.skipInvalid && !opts.dryRun) throw refusedError(report);
  return report;
}

export function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
