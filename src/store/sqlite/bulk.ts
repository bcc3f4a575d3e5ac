// Bulk loading on SQLite: one BEGIN IMMEDIATE transaction, rows queued per table and written in
// multi-row INSERTs through cached prepared statements, the FTS triggers lifted and the new events
// indexed in one statement at the end, and, into an empty database, secondary indexes built once from
// sorted data. The WAL stays: a rollback journal for the load would write each page once instead of
// twice (~0.8 s of 10 s at 100k items), but a command opening the file meanwhile would then fail with
// "database is locked" instead of reading the last commit.
import type BetterSqlite3 from 'better-sqlite3';
import { sql, type Insertable } from 'kysely';
import { failure } from '../../core/errors.js';
import { translateSqliteError } from '../engine-errors.js';
import type { Database } from '../schema.js';
import { BULK_TABLES, type BulkLoader, type BulkTable, type BulkWriter, type Db } from '../store.js';
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
      // Bulk loads keep the b-trees they grow in memory (256 MiB), then give back what it was; each
      // record's savepoint journal stays in memory too, not in a temporary file.
      const cacheSize = raw.pragma('cache_size', { simple: true }) as number;
      const tempStore = raw.pragma('temp_store', { simple: true }) as number;
      raw.pragma('cache_size = -262144');
      raw.pragma('temp_store = MEMORY');
      try {
        await beginImmediate(raw, conn);
        try {
          const result = await this.inTransaction(conn, fn);
          await sql`commit`.execute(conn);
          return result;
        } catch (e) {
          if (raw.inTransaction) await sql`rollback`.execute(conn);
          throw translateSqliteError(e);
        }
      } finally {
        raw.pragma(`cache_size = ${cacheSize}`);
        raw.pragma(`temp_store = ${tempStore}`);
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
    const w = new SqliteBulkWriter(conn, raw);
    const result = await fn(w);
    await w.flush();
    for (const i of indexes) raw.exec(i.sql);
    indexEventsAfter(raw, fromEvent);
    for (const t of triggers) raw.exec(t.sql);
    // The KPI day rollups (migration 0010) are counted again from the rows when next needed.
    raw.exec('delete from kpi_days');
    return result;
  }
}

/** Rows per multi-row INSERT (a power of two): one statement per 64 rows costs a fraction of 64 single-row ones. */
const ROWS_PER_INSERT = 64;
/** Queued rows that make the writer flush at the next checkpoint. */
const AUTO_FLUSH_ROWS = 5_000;

/** Queued rows of one table with the same columns, their values flat in column order. */
interface Queue {
  table: string;
  cols: string[];
  values: (string | number | null)[];
  rows: number;
}

class SqliteBulkWriter implements BulkWriter {
  // Per table, one queue per column list (a table's rows mostly share one).
  private readonly queues = new Map<BulkTable, Map<string, Queue>>();
  private readonly last = new Map<BulkTable, Queue>();
  private queuedRows = 0;
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
    const q = this.sameColumns(this.last.get(table), values) ?? this.queueFor(table, values);
    q.rows++;
    this.queuedRows++;
    if (typeof values.id === 'number' && table !== 'item_tags') this.claimId(table as Exclude<BulkTable, 'item_tags'>, values.id);
  }

  /** The table's last queue with the row's values added, when the row has its columns (the usual case: no key list built). */
  private sameColumns(q: Queue | undefined, row: Record<string, unknown>): Queue | null {
    if (!q) return null;
    const { cols, values } = q;
    const mark = values.length;
    let i = 0;
    for (const c in row) {
      if (c !== cols[i++]) {
        values.length = mark;
        return null;
      }
      values.push((row[c] ?? null) as string | number | null);
    }
    if (i === cols.length) return q;
    values.length = mark;
    return null;
  }

  private queueFor(table: BulkTable, row: Record<string, unknown>): Queue {
    const cols = Object.keys(row);
    let byCols = this.queues.get(table);
    if (!byCols) this.queues.set(table, (byCols = new Map()));
    const key = cols.join(',');
    let q = byCols.get(key);
    if (!q) {
      if (!IDENT.test(table) || cols.some((c) => !IDENT.test(c))) throw new Error(`bad bulk insert target ${table}`);
      byCols.set(key, (q = { table, cols, values: [], rows: 0 }));
    }
    for (const c of cols) q.values.push((row[c] ?? null) as string | number | null);
    this.last.set(table, q);
    return q;
  }

  async flush(): Promise<void> {
    this.flushNow();
  }

  async checkpoint(): Promise<void> {
    if (this.queuedRows >= AUTO_FLUSH_ROWS) this.flushNow();
  }

  /** Write every queued row, parents first, in statements of ROWS_PER_INSERT rows (and smaller for the rest). */
  private flushNow(): void {
    if (this.queuedRows === 0) return;
    try {
      for (const table of BULK_TABLES) {
        const byCols = this.queues.get(table);
        if (!byCols) continue;
        for (const q of byCols.values()) {
          if (q.rows === 0) continue;
          const width = q.cols.length;
          let at = 0;
          // Full statements, then the rest in power-of-two sizes: at most seven statements per column list.
          for (let left = q.rows; left > 0; ) {
            const n = left >= ROWS_PER_INSERT ? ROWS_PER_INSERT : 1 << (31 - Math.clz32(left));
            const end = at + n * width;
            this.statement(q, n).run(at === 0 && end === q.values.length ? q.values : q.values.slice(at, end));
            at = end;
            left -= n;
          }
          q.values = [];
          q.rows = 0;
        }
      }
    } catch (e) {
      this.drop();
      throw translateSqliteError(e);
    }
    this.queuedRows = 0;
  }

  private statement(q: Queue, rows: number): BetterSqlite3.Statement {
    const key = `${q.table}\u0000${q.cols.join(',')}\u0000${rows}`;
    let stmt = this.statements.get(key);
    if (!stmt) {
      const one = `(${q.cols.map(() => '?').join(', ')})`;
      stmt = this.raw.prepare(`insert into ${q.table} (${q.cols.join(', ')}) values ${Array(rows).fill(one).join(', ')}`);
      this.statements.set(key, stmt);
    }
    return stmt;
  }

  /** Forget every queued row (its record failed). */
  private drop(): void {
    for (const byCols of this.queues.values()) {
      for (const q of byCols.values()) {
        q.values = [];
        q.rows = 0;
      }
    }
    this.queuedRows = 0;
  }

  async record<T>(fn: () => Promise<T>): Promise<T> {
    this.flushNow();
    const name = `bulk_record_${this.depth++}`;
    this.raw.exec(`savepoint ${name}`);
    const ids = this.ids.snapshot();
    try {
      const result = await fn();
      // The record's rows are written inside its savepoint, so a failing one undoes the whole record.
      this.flushNow();
      this.raw.exec(`release ${name}`);
      return result;
    } catch (e) {
      this.drop();
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
