// What `tandem db copy` moves row for row (same ids) after the JSONL export: the tables the export
// does not carry — business-hours calendars, rules and routing models, mailboxes and the mail archive
// and outbox, drafts — and the columns of exported tables it leaves out. Written inside the target's
// bulk load, so PostgreSQL's id sequences move past the copied ids.
import { sql } from 'kysely';
import type { LoadCtx } from '../core/context.js';
import type { Db } from '../store/store.js';

/** In foreign-key order; a table this database does not have is skipped. */
const TABLES: { table: string; order: string }[] = [
  { table: 'calendars', order: 'id' },
  { table: 'calendar_holidays', order: 'calendar_id, date' },
  { table: 'rules', order: 'id' },
  { table: 'rule_revisions', order: 'id' },
  { table: 'route_models', order: 'id' },
  { table: 'mailboxes', order: 'id' },
  { table: 'mail_cursors', order: 'mailbox_id, folder' },
  { table: 'mail_messages', order: 'id' },
  { table: 'outbox', order: 'id' },
  { table: 'drafts', order: 'id' },
];

/** Columns of exported tables that the JSONL export leaves out, copied by key. */
const COLUMNS: { table: string; key: string[]; columns: string[] }[] = [
  { table: 'sla_policies', key: ['role', 'priority'], columns: ['calendar_id', 'pause_when_waiting'] },
  { table: 'items', key: ['id'], columns: ['first_response_business_secs', 'resolution_business_secs'] },
];

const CHUNK = 500;

async function hasTable(db: Db, table: string): Promise<boolean> {
  const tables = await db.introspection.getTables();
  return tables.some((t) => t.name === table);
}

export async function copyExtraTables(from: Db, to: LoadCtx): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  await to.store.bulk.load(async (w) => {
    await w.flush();
    for (const { table, order } of TABLES) {
      if (!(await hasTable(from, table))) continue;
      let n = 0;
      for (let offset = 0; ; offset += CHUNK) {
        const rows = (await sql.raw(`select * from ${table} order by ${order} limit ${CHUNK} offset ${offset}`).execute(from))
          .rows as Record<string, unknown>[];
        if (rows.length === 0) break;
        await w.db
          .insertInto(table as never)
          .values(rows as never)
          .execute();
        n += rows.length;
      }
      if (n > 0) counts[table] = n;
    }
    for (const { table, key, columns } of COLUMNS) {
      if (!(await hasTable(from, table))) continue;
      const cols = await from.introspection.getTables().then((ts) => ts.find((t) => t.name === table)!.columns.map((c) => c.name));
      if (!columns.every((c) => cols.includes(c))) continue;
      const rows = (
        await sql
          .raw(`select ${[...key, ...columns].join(', ')} from ${table} where ${columns.map((c) => `${c} is not null`).join(' or ')}`)
          .execute(from)
      ).rows as Record<string, unknown>[];
      for (const r of rows) {
        let q = w.db.updateTable(table as never).set(Object.fromEntries(columns.map((c) => [c, r[c]])) as never);
        for (const k of key) q = q.where(k as never, '=', r[k] as never);
        await q.execute();
      }
    }
  });
  return counts;
}
