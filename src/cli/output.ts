// The one output formatter of the CLI: aligned coloured tables on a terminal, tab-separated lines
// on a pipe, JSON with --json. Customer text is sanitized here, on its way out.
import { Chalk, type ChalkInstance } from 'chalk';
import { TandemError } from '../core/errors.js';
import { sanitizeLine } from '../text/sanitize.js';

// Column widths (string-width and its Unicode tables) cost ~30 ms to load and only matter for tables on
// a terminal, so they load then: `await out.ready()` before printing; pipes and JSON never wait for them.
type Widths = typeof import('../text/width.js');
let widths: Widths | null = null;

export interface Column<T> {
  header: string;
  value: (row: T) => string;
  /** Colour a (fitted) cell on a terminal. */
  color?: (row: T, text: string, c: ChalkInstance) => string;
  align?: 'left' | 'right';
  /** Can shrink to fit the terminal width (the subject column). */
  flex?: boolean;
  max?: number;
}

export interface OutputOptions {
  /** true for JSON; a list "id,subject,status" for JSON with only those fields (as gh's --json). */
  json?: boolean | string;
  stdout?: NodeJS.WriteStream | { write(s: string): unknown; isTTY?: boolean; columns?: number };
  stderr?: { write(s: string): unknown };
  env?: NodeJS.ProcessEnv;
}

export class Output {
  readonly json: boolean;
  /** The fields --json FIELDS asked for, or null for all of them. */
  readonly jsonFields: string[] | null;
  readonly tty: boolean;
  readonly c: ChalkInstance;
  private readonly out: NonNullable<OutputOptions['stdout']>;
  private readonly err: NonNullable<OutputOptions['stderr']>;

  constructor(opts: OutputOptions = {}) {
    this.out = opts.stdout ?? process.stdout;
    this.err = opts.stderr ?? process.stderr;
    this.json = Boolean(opts.json);
    this.jsonFields = typeof opts.json === 'string' ? parseJsonFields(opts.json) : null;
    this.tty = Boolean(this.out.isTTY);
    const env = opts.env ?? process.env;
    const noColor = env.NO_COLOR !== undefined && env.NO_COLOR !== '';
    this.c = new Chalk({ level: this.tty && !noColor ? (env.FORCE_COLOR === '0' ? 0 : 2) : 0 });
  }

  /** Load what terminal tables need (column widths); a no-op on a pipe or with --json. */
  async ready(): Promise<void> {
    if (this.tty && !this.json && !widths) widths = await import('../text/width.js');
  }

  get width(): number {
    return (this.out as { columns?: number }).columns ?? 100;
  }

  print(text = ''): void {
    this.out.write(text + '\n');
  }

  printJson(value: unknown): void {
    this.out.write(JSON.stringify(this.jsonFields ? pickFields(value, this.jsonFields) : value, null, 2) + '\n');
  }

  /** A one-line human message; on a pipe it goes to stderr so stdout stays data. */
  note(text: string): void {
    if (this.tty) this.print(text);
    else this.err.write(text + '\n');
  }

  warn(text: string): void {
    this.err.write(text + '\n');
  }

  table<T>(rows: T[], columns: Column<T>[], opts: { headers?: boolean; empty?: string } = {}): void {
    const cells = rows.map((r) => columns.map((col) => sanitizeLine(col.value(r))));
    if (!this.tty) {
      if (opts.headers) this.print(columns.map((c) => c.header.toLowerCase()).join('\t'));
      for (const row of cells) this.print(row.map((c) => c.replace(/\t/g, ' ')).join('\t'));
      return;
    }
    if (rows.length === 0) {
      this.print(this.c.dim(opts.empty ?? 'Nothing to show.'));
      return;
    }
    if (!widths) throw new Error('Output.ready() was not awaited before a terminal table');
    const { displayWidth, fit } = widths;
    const widthsOf = columns.map((col, i) =>
      Math.min(col.max ?? Infinity, Math.max(displayWidth(col.header), ...cells.map((r) => displayWidth(r[i]!)))),
    );
    const total = widthsOf.reduce((a, b) => a + b, 0) + 2 * (columns.length - 1);
    const flex = columns.findIndex((c) => c.flex);
    if (flex >= 0 && total > this.width) widthsOf[flex] = Math.max(10, widthsOf[flex]! - (total - this.width));
    this.print(this.c.bold(columns.map((col, i) => fit(col.header, widthsOf[i]!, col.align)).join('  ')).trimEnd());
    rows.forEach((row, ri) => {
      const line = columns.map((col, i) => {
        const text = fit(cells[ri]![i]!, widthsOf[i]!, col.align);
        return col.color ? col.color(row, text, this.c) : text;
      });
      this.print(line.join('  ').trimEnd());
    });
  }

  /** Key/value lines for a record on a terminal ("Status   open"); tab-separated on a pipe. */
  fields(pairs: [string, string | null | undefined][]): void {
    const shown = pairs.filter(([, v]) => v !== undefined && v !== null && v !== '');
    const w = Math.max(...shown.map(([k]) => k.length));
    for (const [k, v] of shown) {
      if (this.tty) this.print(`${this.c.dim(k.padEnd(w))}  ${sanitizeLine(v)}`);
      else this.print(`${k.toLowerCase()}\t${sanitizeLine(v)}`);
    }
  }
}

/** "id, subject,status" → ['id', 'subject', 'status']; anything but field names is a usage error. */
function parseJsonFields(text: string): string[] {
  const fields = text
    .split(',')
    .map((f) => f.trim())
    .filter(Boolean);
  const bad = fields.find((f) => !/^[A-Za-z_][A-Za-z0-9_]*$/.test(f));
  if (fields.length === 0 || bad !== undefined) {
    // `--json 5` in `tandem item show --json 5` took the argument: say how to write it.
    throw new TandemError(
      'usage',
      `--json takes field names separated by commas, e.g. --json id,subject,status (got ${JSON.stringify(text)}; ` +
        "put a bare --json after the command's arguments)",
    );
  }
  return fields;
}

/** Keep only `fields` of an object, or of each object of a list; an unknown field is a usage error naming the known ones. */
export function pickFields(value: unknown, fields: string[]): unknown {
  const pick = (o: unknown) => {
    if (typeof o !== 'object' || o === null || Array.isArray(o)) return o;
    const rec = o as Record<string, unknown>;
    const unknown = fields.find((f) => !(f in rec));
    if (unknown) throw new TandemError('usage', `unknown JSON field ${JSON.stringify(unknown)}; available: ${Object.keys(rec).join(', ')}`);
    return Object.fromEntries(fields.map((f) => [f, rec[f]]));
  };
  return Array.isArray(value) ? value.map(pick) : pick(value);
}
