// Opening a store from what the user gave: a postgres:// or postgresql:// URL means PostgreSQL, and
// anything else is an SQLite file path. PostgreSQL's driver is loaded only when it is used.
import { isPostgresSpec } from './spec.js';
import type { Store } from './store.js';

export { defaultDatabaseSpec, isPostgresSpec, printableLocation } from './spec.js';

export interface StoreOptions {
  /** SQLite: a new database shared through this Unix group (files 0660) instead of private (0600). */
  sharedGroup?: string | null;
  /**
   * A long-running interactive process (the console): SQLite keeps a smaller page cache, since its reads
   * are windows of rows and the operating system caches the file anyway; memory stays low for hours.
   */
  interactive?: boolean;
}

export async function openStore(spec: string, options: StoreOptions = {}): Promise<Store> {
  if (isPostgresSpec(spec)) {
    const { openPostgresStore } = await import('./postgres/open.js');
    return openPostgresStore(spec);
  }
  const { openSqliteStore } = await import('./sqlite/open.js');
  return openSqliteStore(spec, { sharedGroup: options.sharedGroup ?? null, interactive: options.interactive ?? false });
}
