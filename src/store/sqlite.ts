// Everything SQLite-specific lives here: finding and opening the file, pragmas, identity checks,
// migrations, BEGIN IMMEDIATE write transactions, FTS5 queries and PRAGMA data_version.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, Migrator, SqliteDialect, sql } from 'kysely';
import { TandemError, failure } from '../core/errors.js';
import type { Database } from './schema.js';
import type { BulkWriter, Db, Store } from './store.js';
import { MIGRATIONS, staticMigrationProvider } from './migrations.js';

/** PRAGMA application_id marks a file as Tandem's ('Tndm'). */
export const APPLICATION_ID = 0x546e646d;
const BUSY_TIMEOUT_MS = 10_000;

export function defaultDatabasePath(env: NodeJS.ProcessEnv = process.env): string {
  if (env.TANDEM_DB) return env.TANDEM_DB;
  const dataHome = env.XDG_DATA_HOME || path.join(os.homedir(), '.local', 'share');
  return path.join(dataHome, 'tandem', 'tandem.db');
}

export interface OpenOptions {
  /** Create the file (and folders) if missing. Default true. */
  create?: boolean;
  readonly?: boolean;
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
  if (!exists) fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
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
    raw.pragma('cache_size = -8192'); // 8 MiB: enough for the indexed reads of a console or a command
    raw.pragma('foreign_keys = ON');
  } catch (e) {
    raw.close();
    if (e instanceof TandemError) throw e;
    throw failure(`cannot open ${file}: ${(e as Error).message}`);
  }

  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: raw }) });
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
  const tables = raw
    .prepare(`select name from sqlite_master where type = 'table' and name not like 'sqlite_%'`)
    .pluck()
    .all() as string[];
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
      throw failure(
        `${file} was made by a newer Tandem (schema ${unknown.sort().at(-1)}); upgrade Tandem to open it`,
      );
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
  const migrator = new Migrator({ db, provider: staticMigrationProvider });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName;
    throw failure(`could not migrate ${file}${failed ? ` (migration ${failed})` : ''}: ${(error as Error).message}`);
  }
}

class SqliteStore implements Store {
  constructor(
    readonly db: Db,
    private readonly raw: BetterSqlite3.Database,
    readonly location: string,
  ) {}

  get readonly(): boolean {
    return this.raw.readonly;
  }

  async write<T>(fn: (trx: Db) => Promise<T>): Promise<T> {
    if (this.raw.readonly) throw failure(`${this.location} is read-only; nothing was written`);
    // Kysely's transaction() issues a deferred BEGIN; a read-then-write needs the lock from the start.
    return this.db.connection().execute(async (conn) => {
      await sql`begin immediate`.execute(conn);
      try {
        const result = await fn(conn);
        await sql`commit`.execute(conn);
        return result;
      } catch (e) {
        if (this.raw.inTransaction) await sql`rollback`.execute(conn);
        throw e;
      }
    });
  }

  async searchItemIds(text: string, limit = 10_000): Promise<number[]> {
    const query = ftsQuery(text);
    if (!query) return [];
    // FTS rowids are event ids; subjects are indexed with each item's 'created' event (migration 0001).
    const rows = await sql<{ item_id: number }>`
      select distinct e.item_id as item_id from search_fts f join events e on e.id = f.rowid
      where search_fts match ${query} order by e.item_id desc limit ${limit}`.execute(this.db);
    return rows.rows.map((r) => Number(r.item_id));
  }

  bulk<T>(fn: (w: BulkWriter) => T): T {
    if (this.raw.readonly) throw failure(`${this.location} is read-only; nothing was written`);
    const statements = new Map<string, BetterSqlite3.Statement>();
    const raw = this.raw;
    const writer: BulkWriter = {
      insert(table, row) {
        const cols = Object.keys(row);
        const key = table + '\u0000' + cols.join(',');
        let stmt = statements.get(key);
        if (!stmt) {
          if (!/^[a-z_]+$/.test(table) || cols.some((c) => !/^[a-z_]+$/.test(c))) throw new Error(`bad bulk insert target ${table}`);
          stmt = raw.prepare(`insert into ${table} (${cols.join(', ')}) values (${cols.map(() => '?').join(', ')})`);
          statements.set(key, stmt);
        }
        return Number(stmt.run(...cols.map((c) => row[c] ?? null)).lastInsertRowid);
      },
      run(sqlText: string, ...params: (string | number | null)[]) {
        let stmt = statements.get(sqlText);
        if (!stmt) statements.set(sqlText, (stmt = raw.prepare(sqlText)));
        stmt.run(...params);
      },
      get<R>(sqlText: string, ...params: (string | number | null)[]) {
        return raw.prepare(sqlText).get(...params) as R | undefined;
      },
    };
    // better-sqlite3's transaction(): BEGIN IMMEDIATE via .immediate, rolled back on throw (DDL included).
    // Bulk loads keep the b-trees they grow in memory (256 MiB), then give it back.
    raw.pragma('cache_size = -262144');
    try {
      return this.bulkTransaction(fn, writer);
    } finally {
      raw.pragma('cache_size = -8192');
    }
  }

  private bulkTransaction<T>(fn: (w: BulkWriter) => T, writer: BulkWriter): T {
    const raw = this.raw;
    return raw.transaction(() => {
      // Row-by-row FTS triggers cost ~10x a single insert-select at the end, so they are lifted for the
      // load and the new events indexed in one statement. The write lock is held throughout, so no
      // other writer can slip an unindexed event in.
      const fromEvent = raw.prepare('select coalesce(max(id), 0) from events').pluck().get() as number;
      const triggers = raw.prepare(`select name, sql from sqlite_master where type = 'trigger' and name in ('events_fts_created', 'events_fts_message')`).all() as { name: string; sql: string }[];
      for (const t of triggers) raw.exec(`drop trigger ${t.name}`);
      // Loading into an empty database (demo, first import): building the secondary indexes once at the
      // end, from sorted data, beats updating twenty b-trees row by row. Unique indexes stay, so
      // duplicates are still refused during the load.
      const empty = !raw.prepare('select 1 from items limit 1').get();
      const indexes = empty
        ? (raw.prepare(`select name, sql from sqlite_master where type = 'index' and sql is not null and sql not like 'create unique%' and tbl_name in ('items', 'events', 'orders', 'surveys', 'customers', 'item_tags', 'escalations')`).all() as { name: string; sql: string }[])
        : [];
      for (const i of indexes) raw.exec(`drop index ${i.name}`);
      const result = fn(writer);
      for (const i of indexes) raw.exec(i.sql);
      indexEventsAfter(raw, fromEvent);
      for (const t of triggers) raw.exec(t.sql);
      return result;
    }).immediate();
  }

  dataVersion(): number {
    return this.raw.pragma('data_version', { simple: true }) as number;
  }

  async close(): Promise<void> {
    await this.db.destroy();
  }
}

/** Index events with id > fromEvent exactly as the triggers of migration 0001 would. */
function indexEventsAfter(raw: BetterSqlite3.Database, fromEvent: number): void {
  raw.prepare(`
    insert into search_fts (rowid, text)
    select e.id, case when e.type = 'created' then i.subject || char(10) || coalesce(e.body, '') else e.body end
    from events e join items i on i.id = e.item_id
    where e.id > ? and (e.type = 'created' or (e.body is not null and e.type in ('message', 'reply', 'note')))
    order by e.id`).run(fromEvent);
}

/**
 * Turn user text into an FTS5 query that only ever means "all these words":
 * every token is double-quoted (quotes doubled), so `"`, `*`, `NEAR(`, `-`, `:` are searched as text.
 * The last word is a prefix match so search-as-you-type works.
 */
export function ftsQuery(text: string): string | null {
  const words = text
    .normalize('NFKC')
    .split(/[\s\p{P}\p{S}]+/u)
    .map((w) => w.replace(/[\u0000-\u001f\u007f]/g, ''))
    .filter((w) => w.length > 0);
  if (words.length === 0) return null;
  return words.map((w, i) => `"${w.replace(/"/g, '""')}"${i === words.length - 1 ? '*' : ''}`).join(' ');
}
