// Opening an SQLite store: finding the file, refusing files that are not Tandem's, pragmas, and
// migrating. The store itself is in store.ts, bulk loading in bulk.ts, search in search.ts.
import fs from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, Migrator, SqliteDialect } from 'kysely';
import { TandemError, failure } from '../../core/errors.js';
import type { Database } from '../schema.js';
import type { Store } from '../store.js';
import { MIGRATIONS, migrationProviderFor } from '../migrations.js';
import { translatingDatabase } from './translate.js';
import { SqliteStore } from './store.js';
import { BUSY_TIMEOUT_MS } from './begin.js';
import { createPrivateFile, makePrivateFolders, warnIfReadableByOthers } from './file-modes.js';

/** PRAGMA application_id marks a file as Tandem's ('Tndm'). */
export const APPLICATION_ID = 0x546e646d;

export interface OpenOptions {
  /** Create the file (and folders) if missing. Default true. */
  create?: boolean;
  readonly?: boolean;
  /** A new database shared through this Unix group (0660) instead of private (0600). */
  sharedGroup?: string | null;
  /** The console: a 2 MiB page cache instead of 8 MiB (see StoreOptions.interactive). */
  interactive?: boolean;
  env?: NodeJS.ProcessEnv;
}

function looksLikeSqlite(file: string): boolean {
  const fd = fs.openSync(file, 'r');
  try {
    const header = Buffer.alloc(16);
    const n = fs.readSync(fd, header, 0, 16, 0);
    if (n === 0) return true; // an empty file is a new database
    return n === 16 && header.toString('latin1') === 'SQLite format 3\0';
  } finally {
    fs.closeSync(fd);
  }
}

export async function openSqliteStore(file: string, options: OpenOptions = {}): Promise<Store> {
  const create = options.create ?? true;
  const exists = fs.existsSync(file);
  if (exists && fs.statSync(file).isDirectory()) {
    throw failure(`${file} is a directory, not a Tandem database`);
  }
  if (!exists && !create) throw new TandemError('not_found', `no Tandem database at ${file} (run \`tandem init\`)`);
  if (exists && !looksLikeSqlite(file)) {
    throw failure(`${file} is not a Tandem database (not an SQLite file); refusing to touch it`);
  }
  if (!exists && create && !options.readonly) {
    makePrivateFolders(path.dirname(path.resolve(file)), { sharedGroup: options.sharedGroup });
    createPrivateFile(file, { sharedGroup: options.sharedGroup });
  } else if (exists) {
    warnIfReadableByOthers(file, options.env);
  }
  // A file marked read-only (no write bit for anyone) is opened read-only, even for root, so reads work
  // and writes are refused with a clear message instead of changing a file the user protected.
  const readonly = options.readonly ?? (exists && (fs.statSync(file).mode & 0o222) === 0);
  if (readonly && !exists) throw failure(`${file} does not exist and cannot be created read-only`);

  let raw: BetterSqlite3.Database;
  try {
    raw = new BetterSqlite3(file, { readonly, fileMustExist: !create || readonly });
  } catch (e) {
    throw failure(`cannot open ${file}: ${(e as Error).message}`);
  }
  try {
    raw.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    checkIdentity(raw, file);
    if (!readonly) {
      raw.pragma('journal_mode = WAL');
      raw.pragma('synchronous = NORMAL');
    }
    // 8 MiB: enough for a command's indexed reads; the console's windowed reads need less.
    raw.pragma(`cache_size = ${options.interactive ? -2048 : -8192}`);
    raw.pragma('foreign_keys = ON');
  } catch (e) {
    raw.close();
    if (e instanceof TandemError) throw e;
    throw failure(`cannot open ${file}: ${(e as Error).message}`);
  }

  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: translatingDatabase(raw) }) });
  try {
    if (!readonly) await migrate(db, raw, file);
    else checkReadonlySchema(raw, file);
  } catch (e) {
    await db.destroy();
    throw e;
  }
  return new SqliteStore(db, raw, file);
}

/** Refuse files that belong to something else, and files written by a newer Tandem. */
function checkIdentity(raw: BetterSqlite3.Database, file: string): void {
  const appId = raw.pragma('application_id', { simple: true }) as number;
  const tables = raw.prepare(`select name from sqlite_master where type = 'table' and name not like 'sqlite_%'`).pluck().all() as string[];
  if (appId !== APPLICATION_ID) {
    if (tables.length > 0) {
      throw failure(`${file} is not a Tandem database (it holds other tables); refusing to touch it`);
    }
    if (raw.readonly) throw failure(`${file} is empty and read-only: not a Tandem database yet`);
    raw.pragma(`application_id = ${APPLICATION_ID}`);
    return;
  }
  if (tables.includes('kysely_migration')) {
    const applied = raw.prepare('select name from kysely_migration').pluck().all() as string[];
    const unknown = applied.filter((name) => !(name in MIGRATIONS));
    if (unknown.length > 0) {
      throw failure(`${file} was made by a newer Tandem (schema ${unknown.sort().at(-1)}); upgrade Tandem to open it`);
    }
  }
}

/** A read-only file cannot be migrated: it must already be at this Tandem's schema. */
function checkReadonlySchema(raw: BetterSqlite3.Database, file: string): void {
  const has = raw.prepare(`select 1 from sqlite_master where type='table' and name='kysely_migration'`).get();
  const applied = has ? (raw.prepare('select count(*) from kysely_migration').pluck().get() as number) : 0;
  if (applied !== Object.keys(MIGRATIONS).length) {
    throw failure(`${file} is read-only and needs a schema upgrade; make it writable and run any tandem command once`);
  }
}

async function migrate(db: Kysely<Database>, raw: BetterSqlite3.Database, file: string): Promise<void> {
  // Skip the migrator's own bookkeeping when the schema is already current (the common case).
  const hasTable = raw.prepare(`select 1 from sqlite_master where type='table' and name='kysely_migration'`).get();
  if (hasTable) {
    const applied = raw.prepare('select count(*) from kysely_migration').pluck().get() as number;
    if (applied === Object.keys(MIGRATIONS).length) return;
  }
  const migrator = new Migrator({ db, provider: migrationProviderFor('sqlite'), allowUnorderedMigrations: true });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName;
    throw failure(`could not migrate ${file}${failed ? ` (migration ${failed})` : ''}: ${(error as Error).message}`);
  }
}

export { ftsQuery } from './search.js';
