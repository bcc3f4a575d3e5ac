// Bulk loading on SQLite: one BEGIN IMMEDIATE transaction, rows inserted through cached prepared
// statements as they come, the FTS triggers lifted and the new events indexed in one statement at the
// end, and, into an empty database, secondary indexes built once from sorted data.
import type BetterSqlite3 from 'better-sqlite3';
import { sql, type Insertable } from 'kysely';
import { failure } from '../../core/errors.js';
import { translateSqliteError } from '../engine-errors.js';
import type { Database } from '../schema.js';
import type { BulkLoader, BulkTable, BulkWriter, Db } from '../store.js';
import { IdCounter, type IdTable } from '../bulk-ids.js';
import { beginImmediate } from './begin.js';

const IDENT = /^[a-z_]+$/;

export class SqliteBulkLoader implements BulkLoader {
  constructor(
    private readonly db: Db,
    private readonly raw: BetterSqlite3.Database,
    private readonly location: string,
  ) {}

  async load<T>(fn: (w: BulkWriter) => Promise<T>): Promise<T> {
    if (this.raw.readonly) throw failure(`${this.location} is read-only; nothing was written`);
    const raw = this.raw;
    return this.db.connection().execute(async (conn) => {
      // Bulk loads keep the b-trees they grow in memory (256 MiB), then give it back.
      raw.pragma('cache_size = -262144');
      await beginImmediate(raw, conn);
      try {
        const result = await this.inTransaction(conn, fn);
        await sql`commit`.execute(conn);
        return result;
      } catch (e) {
        if (raw.inTransaction) await sql`rollback`.execute(conn);
        throw translateSqliteError(e);
      } finally {
        raw.pragma('cache_size = -8192');
      }
    });
  }

  private async inTransaction<T>(conn: Db, fn: (w: BulkWriter) => Promise<T>): Promise<T> {
    const raw = this.raw;
    // Row-by-row FTS triggers cost ~10x a single insert-select at the end, so they are lifted for the
    // load and the new events indexed in one statement. The write lock is held throughout, so no
    // other writer can slip an unindexed event in.
    const fromEvent = raw.prepare('select coalesce(max(id), 0) from events').pluck().get() as number;
    const triggers = raw
      .prepare(`select name, sql from sqlite_master where type = 'trigger' and name in ('events_fts_created', 'events_fts_message')`)
      .all() as { name: string; sql: string }[];
    for (const t of triggers) raw.exec(`drop trigger ${t.name}`);
    // Loading into an empty database (demo, first import): building the secondary indexes once at the
    // end, from sorted data, beats updating twenty b-trees row by row. Unique indexes stay, so
    // duplicates are still refused during the load.
    const empty = !raw.prepare('select 1 from items limit 1').get();
    const indexes = empty
      ? (raw
          .prepare(
            `select name, sql from sqlite_master where type = 'index' and sql is not null and sql not like 'create unique%' and tbl_name in ('items', 'events', 'orders', 'surveys', 'customers', 'item_tags', 'escalations')`,
          )
          .all() as { name: string; sql: string }[])
      : [];
    for (const i of indexes) raw.exec(`drop index ${i.name}`);
    const result = await fn(new SqliteBulkWriter(conn, raw));
    for (const i of indexes) raw.exec(i.sql);
    indexEventsAfter(raw, fromEvent);
    for (const t of triggers) raw.exec(t.sql);
    // The KPI day rollups (migration 0010) are counted again from the rows when next needed.
    raw.exec('delete from kpi_days');
    return result;
  }
}

class SqliteBulkWriter implements BulkWriter {
  private readonly statements = new Map<string, BetterSqlite3.Statement>();
  // SQLite reads a table's first free id when it is first needed (the write lock is held throughout).
  private readonly ids = new IdCounter((table) => {
    if (!IDENT.test(table)) throw new Error(`bad bulk table ${table}`);
    return this.raw.prepare(`select coalesce(max(id), 0) + 1 from ${table}`).pluck().get() as number;
  });
  private depth = 0;

  constructor(
    readonly db: Db,
    private readonly raw: BetterSqlite3.Database,
  ) {}

  nextId(table: IdTable): number {
    return this.ids.nextId(table);
  }

  claimId(table: IdTable, id: number): void {
    this.ids.claimId(table, id);
  }

  insert<T extends BulkTable>(table: T, row: Insertable<Database[T]>): void {
    const values = row as Record<string, unknown>;
    const cols = Object.keys(values);
    const key = table + '\u0000' + cols.join(',');
    let stmt = this.statements.get(key);
    if (!stmt) {
      if (!IDENT.test(table) || cols.some((c) => !IDENT.test(c))) throw new Error(`bad bulk insert target ${table}`);
      stmt = this.raw.prepare(`insert into ${table} (${cols.join(', ')}) values (${cols.map(() => '?').join(', ')})`);
      this.statements.set(key, stmt);
    }
    try {
      stmt.run(...cols.map((c) => (values[c] ?? null) as string | number | null));
    } catch (e) {
      throw translateSqliteError(e);
    }
    if (typeof values.id === 'number' && table !== 'item_tags') this.claimId(table as Exclude<BulkTable, 'item_tags'>, values.id);
  }

  async flush(): Promise<void> {
    // Rows are written as they come.
  }

  async checkpoint(): Promise<void> {
    // Rows are written as they come.
  }

  async record<T>(fn: () => Promise<T>): Promise<T> {
    const name = `bulk_record_${this.depth++}`;
    this.raw.exec(`savepoint ${name}`);
    const ids = this.ids.snapshot();
    try {
      const result = await fn();
      this.raw.exec(`release ${name}`);
      return result;
    } catch (e) {
      this.raw.exec(`rollback to ${name}`);
      this.raw.exec(`release ${name}`);
      // Ids handed out inside the failed record are free again.
      this.ids.restore(ids);
      throw e;
    } finally {
      this.depth--;
    }
  }
}

/** Index events with id > fromEvent exactly as the triggers of migration 0001 would. */
function indexEventsAfter(raw: BetterSqlite3.Database, fromEvent: number): void {
  raw
    .prepare(`
    insert into search_fts (rowid, text)
    select e.id, case when e.type = 'created' then i.subject || char(10) || coalesce(e.body, '') else e.body end
    from events e join items i on i.id = e.item_id
    where e.id > ? and (e.type = 'created' or (e.body is not null and e.type in ('message', 'reply', 'note')))
    order by e.id`)
    .run(fromEvent);
}
