// What the user names a database with: an SQLite path or a postgres:// URL; the default; how to print it.
import os from 'node:os';
import path from 'node:path';

export function isPostgresSpec(spec: string): boolean {
  return /^postgres(ql)?:\/\//i.test(spec);
}

/**
 * The database when --db is not given: $TANDEM_DB, else `configured` (the config file's `database`,
 * a path or a postgres:// URL), else the XDG data folder's tandem.db.
 */
export function defaultDatabaseSpec(env: NodeJS.ProcessEnv = process.env, configured?: string): string {
  if (env.TANDEM_DB) return env.TANDEM_DB;
  if (configured) return configured;
  const dataHome = env.XDG_DATA_HOME || path.join(os.homedir(), '.local', 'share');
  return path.join(dataHome, 'tandem', 'tandem.db');
}

/** A store location safe to print: a path as it is, a URL with its password masked. */
export function printableLocation(spec: string): string {
  if (!isPostgresSpec(spec)) return spec;
  try {
    const u = new URL(spec);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return spec.replace(/(\/\/[^:/@]*:)[^@]*@/, '$1***@');
  }
}
