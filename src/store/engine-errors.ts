// Driver errors become TandemErrors inside the store, so no caller parses SQLITE_* or SQLSTATE codes
// and no user sees a stack trace for a duplicate, a lost connection or a busy database.
import { TandemError } from '../core/errors.js';

/** What went wrong, for callers that decide by it (imports report "already there" differently). */
export type Violation = 'unique' | 'foreign_key' | 'check' | 'not_null' | 'busy' | 'unavailable' | 'serialization';

export function violationOf(e: unknown): Violation | null {
  return e instanceof TandemError ? ((e.detail?.violation as Violation | undefined) ?? null) : null;
}

const SQLITE: Record<string, Violation> = {
  SQLITE_CONSTRAINT_UNIQUE: 'unique',
  SQLITE_CONSTRAINT_PRIMARYKEY: 'unique',
  SQLITE_CONSTRAINT_FOREIGNKEY: 'foreign_key',
  SQLITE_CONSTRAINT_CHECK: 'check',
  SQLITE_CONSTRAINT_NOTNULL: 'not_null',
  SQLITE_BUSY: 'busy',
  SQLITE_BUSY_SNAPSHOT: 'busy',
  SQLITE_LOCKED: 'busy',
};

export function translateSqliteError(e: unknown): unknown {
  const code = (e as { code?: unknown }).code;
  if (typeof code !== 'string' || !(code in SQLITE)) return e;
  return fromViolation(SQLITE[code]!, (e as Error).message, e);
}

/** SQLSTATE classes of PostgreSQL (https://www.postgresql.org/docs/current/errcodes-appendix.html). */
const PG: Record<string, Violation> = {
  '23505': 'unique',
  '23503': 'foreign_key',
  '23514': 'check',
  '23502': 'not_null',
  '40001': 'serialization',
  '40P01': 'serialization',
  '55P03': 'busy',
  '57P01': 'unavailable', // admin shutdown
  '57P02': 'unavailable',
  '57P03': 'unavailable', // cannot connect now (starting up)
  '08000': 'unavailable',
  '08003': 'unavailable',
  '08006': 'unavailable',
  '08001': 'unavailable',
  '08004': 'unavailable',
};

const NET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOENT', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);

export function translatePgError(e: unknown, location: string): unknown {
  if (e instanceof TandemError) return e;
  const err = e as { code?: unknown; message?: string; detail?: string; constraint?: string };
  const code = typeof err.code === 'string' ? err.code : '';
  const message = err.message ?? String(e);
  if (
    NET_CODES.has(code) ||
    /Connection terminated|connection timeout|Client has encountered a connection error|not queryable/i.test(message)
  ) {
    return fromViolation('unavailable', `cannot reach PostgreSQL at ${location} (${code || message}); nothing was written`, e);
  }
  if (code === '28P01' || code === '28000') {
    return new TandemError('failure', `PostgreSQL at ${location} refused the login: ${message}`, { violation: 'unavailable' });
  }
  if (code === '3D000') return new TandemError('not_found', `no PostgreSQL database at ${location} (${message}); create it with createdb`);
  if (code === '42501')
    return new TandemError(
      'failure',
      `PostgreSQL at ${location}: permission denied (${message}); see docs/stores.md, "A team on PostgreSQL", for the rights Tandem needs`,
    );
  if (!(code in PG)) return e;
  const text = err.detail ? `${message} (${err.detail})` : message;
  return fromViolation(PG[code]!, text, e);
}

function fromViolation(v: Violation, message: string, cause: unknown): TandemError {
  const kind =
    v === 'unavailable'
      ? 'failure'
      : v === 'busy' || v === 'serialization'
        ? 'conflict'
        : v === 'unique' || v === 'foreign_key'
          ? 'conflict'
          : 'invalid';
  const text =
    v === 'busy'
      ? `the database is busy (another process holds its lock): ${message}; nothing was written, try again`
      : v === 'serialization'
        ? `another change to the same data won the race: ${message}; nothing was written, try again`
        : message;
  const err = new TandemError(kind, text, { violation: v });
  (err as { cause?: unknown }).cause = cause;
  return err;
}
