// Opening a store from what the user gave: a postgres:// or postgresql:// URL means PostgreSQL, and
// anything else is an SQLite file path. PostgreSQL's driver is loaded only when it is used.
import os from 'node:os';
import path from 'node:path';
import type { Store } from './store.js';

export function isPostgresSpec(spec: string): boolean {
  return /^postgres(ql)?:\/\//i.test(spec);
}

/** --db, else $TANDEM_DB, else the XDG data folder's tandem.db. */
export function defaultDatabaseSpec(env: NodeJS.ProcessEnv = process.env): string {
  if (env.TANDEM_DB) return env.TANDEM_DB;
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

export interface StoreOptions {
  /** SQLite: a new database shared through this Unix group (files 0660) instead of private (0600). */
  sharedGroup?: string | null;
}

export async function openStore(spec: string, options: StoreOptions = {}): Promise<Store> {
  if (isPostgresSpec(spec)) {
    const { openPostgresStore } = await import('./postgres/open.js');
    return openPostgresStore(spec);
  }
  const { openSqliteStore } = await import('./sqlite/open.js');
  return openSqliteStore(spec, { sharedGroup: options.sharedGroup ?? null });
}
