// `tandem export`, `tandem import` and `tandem ingest`: getting data in and out (docs/data-formats.md).
import fs from 'node:fs';
import path from 'node:path';
import { TandemError, failure, usage } from '../../core/errors.js';
import { parseWhen } from '../../core/time.js';

// The format modules (csv-parse, mailparser…) load only when a command needs them, so every other
// command starts as fast as before.
const io = {
  exportJsonl: async () => (await import('../../io/export-jsonl.js')).exportJsonl,
  importJsonl: async () => (await import('../../io/import-jsonl.js')).importJsonl,
  importCsv: async () => (await import('../../io/import-csv.js')).importCsv,
  inspectCsv: async () => (await import('../../io/import-csv.js')).inspectCsv,
  orders: async () => await import('../../io/import-orders.js'),
  surveys: async () => await import('../../io/import-surveys.js'),
  messages: async () => await import('../../io/import-csv-messages.js'),
  importEmail: async () => (await import('../../io/import-email.js')).importEmail,
  ingestLines: async () => (await import('../../io/ingest.js')).ingestLines,
};
import type { InspectReport } from '../../io/csv-inspect.js';
import { where, type ImportOptions, type ImportReport } from '../../io/import-report.js';
import { progressBar } from '../../io/progress.js';
import { sanitizeLine } from '../../text/sanitize.js';
import { pickFields } from '../output.js';
import type { Deps } from '../runtime.js';

const FORMATS = ['jsonl', 'csv', 'eml', 'mbox', 'orders', 'surveys', 'csv-messages'] as const;
type Format = (typeof FORMATS)[number];

function formatOf(files: string[], given: string | undefined): Format {
  if (given) {
    const f = given.trim().toLowerCase();
    if (f === 'ndjson') return 'jsonl';
    if (!(FORMATS as readonly string[]).includes(f))
      throw usage(`--format must be one of ${FORMATS.join(', ')} (got ${JSON.stringify(given)})`);
    return f as Format;
  }
  const exts = new Set(files.map((f) => path.extname(f).toLowerCase()));
  const guess = (ext: string): Format | null =>
    ext === '.jsonl' || ext === '.ndjson'
      ? 'jsonl'
      : ext === '.csv' || ext === '.tsv'
        ? 'csv'
        : ext === '.eml'
          ? 'eml'
          : ext === '.mbox' || ext === '.mbx'
            ? 'mbox'
            : null;
  const formats = new Set([...exts].map(guess));
  if (formats.size === 1 && !formats.has(null)) return [...formats][0]!;
  throw usage(`cannot tell the format from the file name: give --format ${FORMATS.join(', ')}`);
}

const plural = (k: string, n: number) => (n === 1 ? k : /[^aeiou]y$/.test(k) ? k.slice(0, -1) + 'ies' : k.endsWith('s') ? k : k + 's');
const kinds = (counts: Record<string, number>) =>
  Object.entries(counts)
    .map(([k, n]) => `${n.toLocaleString('en-US')} ${plural(k.replace(/_/g, ' '), n)}`)
    .join(', ');

/** Print an import's outcome: JSON, or sentences (to stderr on a pipe, so stdout stays data). */
export function printReport(rt: Deps, report: ImportReport, seconds: number): void {
  if (rt.out.json) return rt.out.printJson(report);
  const added = kinds(report.added) || 'nothing new';
  const lines: string[] = [];
  const files = report.files.length === 1 ? report.files[0]! : `${report.files.length} files`;
  const items = (report.added.item ?? 0) + (report.updated.item ?? 0);
  const rate =
    seconds >= 0.5 && items > 0 ? ` in ${seconds.toFixed(1)}s (${Math.round(items / seconds).toLocaleString('en-US')} items/s)` : '';
  lines.push(report.dryRun ? `Dry run of ${files}: would add ${added}; nothing was written.` : `Imported ${files}: ${added}${rate}.`);
  if (Object.keys(report.updated).length) lines.push(`  ${report.dryRun ? 'would update' : 'updated'}: ${kinds(report.updated)}`);
  if (Object.keys(report.unchanged).length) lines.push(`  already there (left as is): ${kinds(report.unchanged)}`);
  if (Object.keys(report.ignored).length) lines.push(`  not imported on purpose: ${kinds(report.ignored)}`);
  for (const [what, n] of Object.entries(report.flagged ?? {}))
    lines.push(`  imported with a caveat: ${n.toLocaleString('en-US')} × ${what}`);
  if (report.problemCount) {
    lines.push(`  ${report.dryRun ? 'bad records' : 'skipped bad records'}: ${report.problemCount}`);
    for (const p of report.problems.slice(0, 20)) lines.push(`    ${sanitizeLine(where(p))}: ${sanitizeLine(p.reason)}`);
    if (report.problemCount > 20) lines.push(`    … and ${report.problemCount - 20} more (--json lists the first 100)`);
  }
  for (const l of lines) rt.out.note(l);
}

export interface ImportFlags {
  format?: string;
  dryRun?: boolean;
  skipInvalid?: boolean;
  progress?: boolean;
  map?: string[];
  statusMap?: string[];
  priorityMap?: string[];
  role?: string;
  dateFormat?: string;
  idPrefix?: string;
  delimiter?: string;
  autoReplies?: string;
  encoding?: string;
  customer?: string;
  inspect?: boolean;
  kind?: string;
  agentAuthor?: string[];
  currency?: string;
}

/** Print what `--inspect` found: the field → column table, a sample, what was passed over. */
function printInspect(rt: Deps, r: InspectReport): void {
  if (rt.out.json) return rt.out.printJson(r);
  const delim = r.delimiter === '\t' ? 'tab' : JSON.stringify(r.delimiter);
  rt.out.print(
    `${sanitizeLine(r.file)}: ${r.rows.toLocaleString('en-US')} rows, ${r.encoding}, delimiter ${delim}, read as --format ${r.format}`,
  );
  rt.out.table(
    r.fields,
    [
      { header: 'FIELD', value: (f) => f.field },
      { header: 'COLUMN', value: (f) => (f.how === 'off' ? '(off: --map ' + f.field + '=)' : (f.column ?? '—')) },
      { header: 'FOUND BY', value: (f) => f.how ?? '' },
      {
        header: 'SAMPLE',
        value: (f) =>
          f.sample === null ? '' : `${f.sample.replace(/\s+/g, ' ').slice(0, 60)}${f.sampleLine ? `  (line ${f.sampleLine})` : ''}`,
        flex: true,
      },
    ],
    { headers: true },
  );
  if (r.unused.length) rt.out.print(`Not used: ${r.unused.map(sanitizeLine).join(', ')}`);
  for (const p of r.passedOver) rt.out.print(`Passed over: ${sanitizeLine(p.column)} for ${p.field} (${sanitizeLine(p.reason)})`);
  for (const n of r.notes) rt.out.print(n);
  if (r.missing.length)
    rt.out.print(`Missing: ${r.missing.join('; ')} — give ${r.missing.length === 1 ? 'it' : 'them'} with --map FIELD=COLUMN`);
  rt.out.print('Nothing was written. Change a field with --map FIELD=COLUMN, switch one off with --map FIELD=.');
}

/** Which formats each format-specific flag means something for: elsewhere it is a usage error, not ignored. */
const FLAG_FORMATS: [keyof ImportFlags, string, Format[]][] = [
  ['statusMap', '--status-map', ['csv']],
  ['priorityMap', '--priority-map', ['csv']],
  ['customer', '--customer', ['csv']],
  ['kind', '--kind', ['surveys']],
  ['currency', '--currency', ['orders']],
  ['agentAuthor', '--agent-author', ['csv-messages']],
  ['autoReplies', '--auto-replies', ['eml', 'mbox']],
  ['role', '--role', ['csv', 'eml', 'mbox', 'csv-messages']],
  ['map', '--map', ['csv', 'orders', 'surveys', 'csv-messages']],
  ['encoding', '--encoding', ['csv', 'orders', 'surveys', 'csv-messages']],
  ['inspect', '--inspect', ['csv', 'orders', 'surveys', 'csv-messages']],
  ['dateFormat', '--date-format', ['csv', 'orders', 'surveys', 'csv-messages']],
  ['delimiter', '--delimiter', ['csv', 'orders', 'surveys', 'csv-messages']],
  ['idPrefix', '--id-prefix', ['csv', 'surveys', 'csv-messages']],
];

function checkFlagsFit(format: Format, o: ImportFlags): void {
  for (const [key, flag, formats] of FLAG_FORMATS) {
    const v = o[key];
    if (v !== undefined && !(Array.isArray(v) && v.length === 0) && !formats.includes(format)) {
      throw usage(`${flag} is for --format ${formats.join(', ')}, not ${format}`);
    }
  }
}

/** Wait until a stream can take more, or has failed or closed (listeners removed either way). */
function drained(stream: NodeJS.WritableStream): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      for (const ev of ['drain', 'close', 'error']) stream.off(ev, done);
      resolve();
    };
    for (const ev of ['drain', 'close', 'error']) stream.on(ev, done);
  });
}

/** Run one import: progress bar on a terminal, report printed, refused imports still show their report with --json. */
async function runImport(
  rt: Deps,
  label: string,
  o: ImportFlags,
  fn: (opts: ImportOptions) => Promise<ImportReport> | ImportReport,
): Promise<void> {
  const bar = progressBar(label, rt.io.stderr as NodeJS.WriteStream, o.progress !== false && Boolean(rt.io.stderr.isTTY));
  const started = Date.now();
  let report: ImportReport;
  try {
    report = await fn({ dryRun: o.dryRun, skipInvalid: o.skipInvalid, onProgress: (d, t) => bar.update(d, t) });
  } catch (e) {
    bar.done();
    if (e instanceof TandemError && rt.out.json && e.detail?.report) rt.out.printJson(e.detail.report);
    throw e;
  }
  bar.done();
  printReport(rt, report, (Date.now() - started) / 1000);
  // A dry run that found bad records fails like the real import would.
  if (report.dryRun && report.problemCount > 0 && !o.skipInvalid) {
    throw new TandemError(
      'invalid',
      `${report.problemCount} bad record${report.problemCount === 1 ? '' : 's'}: the import would be refused (use --skip-invalid to import the rest)`,
    );
  }
}

export type ExportOptions = { format: string; since?: string; output?: string; json?: boolean };

export async function runExport(o: ExportOptions, rt: Deps): Promise<void> {
  if (o.format.toLowerCase() !== 'jsonl' && o.format.toLowerCase() !== 'ndjson')
    throw usage(`--format: only jsonl can be exported (got ${JSON.stringify(o.format)})`);
  const ctx = await rt.ctx();
  const since = o.since ? parseWhen(o.since, ctx.clock(), 'past').toISOString() : null;
  // A file is written beside its name and renamed at the end, so a failed export never leaves half a file.
  const partial = o.output ? `${o.output}.partial` : null;
  // Private from the first byte (customer data), whatever the umask.
  const file = partial ? fs.createWriteStream(partial, { mode: 0o600 }) : null;
  if (file) file.once('open', () => fs.chmodSync(partial!, 0o600));
  const stream: NodeJS.WritableStream = file ?? rt.io.stdout;
  const bar = progressBar(
    'items',
    rt.io.stderr as NodeJS.WriteStream,
    Boolean(rt.io.stderr.isTTY) && (Boolean(o.output) || !rt.io.stdout.isTTY),
  );
  let writeError: Error | null = null;
  stream.on('error', (e: Error) => (writeError = writeError ?? e));
  let counts: Record<string, number>;
  try {
    counts = await (await io.exportJsonl())(
      ctx,
      {
        write: async (text) => {
          if (writeError) throw writeError;
          if (!stream.write(text)) await drained(stream);
          if (writeError) throw writeError;
        },
      },
      { since, onProgress: (d, t) => bar.update(d, t) },
    );
  } catch (e) {
    bar.done();
    if (file) {
      file.destroy();
      fs.rmSync(partial!, { force: true });
    }
    const err = e as NodeJS.ErrnoException;
    // The reader went away (`tandem export | head`): not an error worth a message.
    if (err.code === 'EPIPE') return;
    if (err.code) throw failure(`cannot write the export${o.output ? ` to ${o.output}` : ''}: ${err.message}`);
    throw e;
  }
  bar.done();
  if (o.output && file) {
    await new Promise<void>((resolve, reject) => file.end((err?: Error | null) => (err ? reject(err) : resolve())));
    fs.renameSync(partial!, o.output);
    if (rt.out.json) rt.out.printJson({ file: o.output, counts });
    else rt.out.note(`Exported to ${o.output}: ${kinds(counts)}.`);
  }
}

export type ImportCommandOptions = ImportFlags & { files: string[] };

export async function runImportCommand(o: ImportCommandOptions, rt: Deps): Promise<void> {
  const { files } = o;
  const format = formatOf(files, o.format);
  if (format !== 'eml' && files.length !== 1) throw usage(`--format ${format} imports one file at a time`);
  checkFlagsFit(format, o);
  const csvOpts = {
    map: o.map,
    statusMap: o.statusMap,
    priorityMap: o.priorityMap,
    role: o.role,
    dateFormat: o.dateFormat,
    idPrefix: o.idPrefix,
    delimiter: o.delimiter === '\\t' ? '\t' : o.delimiter,
    encoding: o.encoding,
    customer: o.customer,
  };
  const file = files[0]!;
  const tableOpts = { map: o.map, dateFormat: o.dateFormat, encoding: o.encoding, delimiter: csvOpts.delimiter };
  if (o.inspect) {
    if (format === 'csv') return printInspect(rt, (await io.inspectCsv())(file, csvOpts));
    if (format === 'orders') return printInspect(rt, (await io.orders()).inspectOrders(file, tableOpts));
    if (format === 'surveys') return printInspect(rt, (await io.surveys()).inspectSurveys(file, tableOpts));
    if (format === 'csv-messages') return printInspect(rt, (await io.messages()).inspectCsvMessages(file, tableOpts));
    throw usage(`--inspect reads CSV files (--format csv, orders, surveys or csv-messages), not ${format}`);
  }
  const ctx = await rt.ctx();
  if (format === 'orders') {
    return runImport(rt, 'rows', o, async (opts) =>
      (await io.orders()).importOrders(ctx, file, { ...opts, ...tableOpts, currency: o.currency }),
    );
  }
  if (format === 'csv-messages') {
    const me = await rt.me();
    return runImport(rt, 'messages', o, async (opts) =>
      (await io.messages()).importCsvMessages(ctx, me, file, {
        ...opts,
        ...tableOpts,
        agentAuthors: o.agentAuthor,
        role: o.role,
        idPrefix: o.idPrefix,
      }),
    );
  }
  if (format === 'surveys') {
    return runImport(rt, 'rows', o, async (opts) =>
      (await io.surveys()).importSurveys(ctx, file, { ...opts, ...tableOpts, kind: o.kind, idPrefix: o.idPrefix }),
    );
  }
  if (format === 'jsonl') return runImport(rt, 'lines', o, async (opts) => (await io.importJsonl())(ctx, files[0]!, opts));
  if (format === 'csv') {
    return runImport(rt, 'rows', o, async (opts) => (await io.importCsv())(ctx, files[0]!, { ...opts, ...csvOpts }));
  }
  // Email goes through the core's own operations, which name who created each item.
  const me = await rt.me();
  return runImport(rt, 'messages', o, async (opts) =>
    (await io.importEmail())(ctx, me, files, format, { ...opts, autoReplies: o.autoReplies, role: o.role }),
  );
}

export type IngestOptions = { dryRun?: boolean; skipInvalid?: boolean };

export async function runIngest(o: IngestOptions, rt: Deps): Promise<void> {
  const text = await rt.readStdin();
  const ctx = await rt.ctx();
  const { report, outcomes } = await (await io.ingestLines())(ctx, await rt.me(), text, { dryRun: o.dryRun, skipInvalid: o.skipInvalid });
  const refused = report.problemCount > 0 && !o.skipInvalid;
  for (const r of outcomes) {
    if (rt.out.json) {
      const line = { ...r, written: report.written && r.ok };
      rt.io.stdout.write(JSON.stringify(rt.out.jsonFields ? pickFields(line, rt.out.jsonFields) : line) + '\n');
    } else if (r.ok) rt.out.print(`line ${r.line}: ${r.outcome} ${r.kind} on #${r.itemId}${report.written ? '' : ' (not written)'}`);
    else rt.out.print(`line ${r.line}: error: ${sanitizeLine(r.error)}`);
  }
  if (!rt.out.json && !refused) printReport(rt, { ...report, problems: [] }, 0);
  if (refused)
    throw new TandemError(
      'invalid',
      `${report.problemCount} bad line${report.problemCount === 1 ? '' : 's'}; ${o.dryRun ? 'the ingest would be refused' : 'nothing was written'} (use --skip-invalid to write the good lines)`,
    );
}
