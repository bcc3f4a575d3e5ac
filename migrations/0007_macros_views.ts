// Schema version 7: macros (reply/note templates with actions) and saved inbox views.
// Frozen once released: change the schema with a new migration file.
import { sql, type Kysely } from 'kysely';
import { idColumn, type Engine } from './dialect.js';

export async function up(db: Kysely<any>, engine: Engine): Promise<void> {
  await db.schema
    .createTable('macros')
    .addColumn('id', 'integer', idColumn(engine))
    // Lower-case, unique: what `tandem macro apply NAME` and the picker find it by.
    .addColumn('name', 'text', (c) => c.notNull().unique())
    // 'reply' (public, to the customer) or 'note' (internal).
    .addColumn('kind', 'text', (c) => c.notNull())
    // The liquid template, checked when saved.
    .addColumn('body', 'text', (c) => c.notNull())
    // JSON object: {"status"?, "priority"?, "tags"?: [], "assign"?: "me" | handle | "none"}.
    .addColumn('actions', 'text', (c) => c.notNull())
    // The role of the items it fits (service | support), or null for both.
    .addColumn('role', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('saved_views')
    .addColumn('id', 'integer', idColumn(engine))
    .addColumn('name', 'text', (c) => c.notNull().unique())
    // JSON object: the inbox filter and sort (role, statuses, assignee, priorities, tag, customer, search, breached, sort).
    .addColumn('filter', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  // Live refresh on PostgreSQL: the header counts saved views and the macro picker lists macros, so a
  // view or macro saved by another process must wake the console (SQLite's feed watches the file).
  if (engine === 'postgres') {
    for (const t of ['macros', 'saved_views']) {
      await sql`create trigger ${sql.raw(t + '_notify')} after insert or update or delete on ${sql.table(t)}
        for each statement execute function tandem_notify_change()`.execute(db);
    }
  }
}

export async function down(): Promise<void> {
  throw new Error('Tandem migrations are forward-only');
}
