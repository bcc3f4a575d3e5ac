// Bulk loading on PostgreSQL: one transaction that locks the tables it fills (ids are handed out by
// the loader, so no other writer may insert meanwhile), multi-row inserts flushed in foreign-key
// order, the search trigger lifted and the new events indexed in one statement at the end, and the
// id sequences moved past the explicit ids.
import { sql, type Insertable } from 'kysely';
import type { Database } from '../schema.js';
import { BULK_TABLES, type BulkLoader, type BulkTable, type BulkWriter, type Db } from '../store.js';
import { IdCounter, type IdTable } from '../bulk-ids.js';

const ID_TABLES = BULK_TABLES.filter((t): t is Exclude<BulkTable, 'item_tags'> => t !== 'item_tags');
/** PostgreSQL takes at most 65,535 parameters per statement. */
const MAX_PARAMS = 60_000;
/** Queued rows that make the writer flush on its own. */
const AUTO_FLUSH_ROWS = 5_000;

export class PostgresBulkLoader implements BulkLoader {
  constructor(private readonly db: Db) {}

  async load<T>(fn: (w: BulkWriter) => Promise<T>): Promise<T> {
    return this.db.transaction().execute(async (trx) => {
      await sql`lock table ${sql.join(BULK_TABLES.map((t) => sql.table(t)))} in share row exclusive mode`.execute(trx);
      // The KPI day rollups (migration 0010) are dropped at the end; a report storing days it counted
      // from the rows before this load holds its lock first, so the load waits for it.
      await sql`lock table kpi_days in share row exclusive mode`.execute(trx);
      const fromEvent = Number((await sql<{ m: number }>`select coalesce(max(id), 0) as m from events`.execute(trx)).rows[0]!.m);
      await sql`alter table events disable trigger events_search`.execute(trx);
      const w = new PostgresBulkWriter(trx);
      await w.start();
      const result = await fn(w);
      await w.flush();
      await sql`insert into search_docs (event_id, item_id, doc)
        select e.id, e.item_id, tandem_search_doc(case when e.type = 'created' then i.subject || chr(10) || coalesce(e.body, '') else e.body end)
        from events e join items i on i.id = e.item_id
        where e.id > ${fromEvent} and (e.type = 'created' or (e.body is not null and e.type in ('message', 'reply', 'note')))`.execute(trx);
      await sql`alter table events enable trigger events_search`.execute(trx);
      await sql`delete from kpi_days`.execute(trx);
      // Every identity column moves past the explicit ids the load wrote (ours, or copied rows through w.db).
      const identities = await sql<{ t: string }>`select table_name as t from information_schema.columns
        where table_schema = current_schema() and column_name = 'id' and is_identity = 'YES'`.execute(trx);
      for (const { t } of identities.rows) {
        await sql`select setval(pg_get_serial_sequence(${t}, 'id'), coalesce(max(id), 0) + 1, false) from ${sql.table(t)}`.execute(trx);
      }
      return result;
    });
  }
}

class PostgresBulkWriter implements BulkWriter {
  private readonly queued = new Map<BulkTable, Record<string, unknown>[]>();
  private queuedRows = 0;
  private readonly ids = new IdCounter((table) => {
    throw new Error(`bulk loader: call start() before handing out ids of ${table}`);
  });
  private depth = 0;

  constructor(readonly db: Db) {}

  nextId(table: IdTable): number {
    return this.ids.nextId(table);
  }

  claimId(table: IdTable, id: number): void {
    this.ids.claimId(table, id);
  }

  /** Read every table's highest id once (the tables are locked, so they stay valid). */
  async start(): Promise<void> {
    const parts = ID_TABLES.map((t) => sql`select ${t} as t, coalesce(max(id), 0) + 1 as n from ${sql.table(t)}`);
    const rows = await sql<{ t: string; n: number }>`${sql.join(parts, sql` union all `)}`.execute(this.db);
    for (const r of rows.rows) this.ids.start(r.t, Number(r.n));
  }

  insert<T extends BulkTable>(table: T, row: Insertable<Database[T]>): void {
    const values = row as Record<string, unknown>;
    let list = this.queued.get(table);
    if (!list) this.queued.set(table, (list = []));
    list.push(values);
    this.queuedRows++;
    if (typeof values.id === 'number' && table !== 'item_tags') this.claimId(table as Exclude<BulkTable, 'item_tags'>, values.id);
  }

  async checkpoint(): Promise<void> {
    if (this.queuedRows >= AUTO_FLUSH_ROWS) await this.flush();
  }

  async flush(): Promise<void> {
    if (this.queuedRows === 0) return;
    for (const table of BULK_TABLES) {
      const rows = this.queued.get(table);
      if (!rows?.length) continue;
      this.queued.set(table, []);
      const columns = Object.keys(rows[0]!).length || 1;
      const per = Math.max(1, Math.floor(MAX_PARAMS / columns));
      for (let i = 0; i < rows.length; i += per) {
        await this.db
          .insertInto(table)
          .values(rows.slice(i, i + per) as never)
          .execute();
      }
    }
    this.queuedRows = 0;
  }

  async record<T>(fn: () => Promise<T>): Promise<T> {
    await this.flush();
    const name = sql.raw(`bulk_record_${this.depth++}`);
    await sql`savepoint ${name}`.execute(this.db);
    const ids = this.ids.snapshot();
    try {
      const result = await fn();
      await this.flush();
      await sql`release savepoint ${name}`.execute(this.db);
      return result;
    } catch (e) {
      this.queued.clear();
      this.queuedRows = 0;
      await sql`rollback to savepoint ${name}`.execute(this.db);
      await sql`release savepoint ${name}`.execute(this.db);
      this.ids.restore(ids);
      throw e;
    } finally {
      this.depth--;
    }
  }
}
