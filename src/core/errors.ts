// One error type for the whole program. Each kind maps to a documented exit code.

export type ErrorKind = 'failure' | 'usage' | 'not_found' | 'conflict' | 'invalid';

const EXIT_CODES: Record<ErrorKind, number> = {
  failure: 1,
  usage: 2,
  not_found: 3,
  conflict: 4,
  invalid: 5,
};

export class TandemError extends Error {
  readonly kind: ErrorKind;
  /** Extra machine-readable detail (for --json error output and the TUI). */
  readonly detail: Record<string, unknown> | undefined;

  constructor(kind: ErrorKind, message: string, detail?: Record<string, unknown>) {
    super(message);
    this.name = 'TandemError';
    this.kind = kind;
    this.detail = detail;
  }

  get exitCode(): number {
    return EXIT_CODES[this.kind];
  }
}

export const notFound = (message: string, detail?: Record<string, unknown>) => new TandemError('not_found', message, detail);
export const conflict = (message: string, detail?: Record<string, unknown>) => new TandemError('conflict', message, detail);
export const invalid = (message: string, detail?: Record<string, unknown>) => new TandemError('invalid', message, detail);
export const usage = (message: string, detail?: Record<string, unknown>) => new TandemError('usage', message, detail);
export const failure = (message: string, detail?: Record<string, unknown>) => new TandemError('failure', message, detail);
