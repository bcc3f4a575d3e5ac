// Schema version 4: unsent drafts of replies and notes, one per item, agent and kind, so a half-written
// text survives a refused send, a crash or quitting. Frozen once released: change the schema with a new file.
import { sql, type Kysely } from 'kysely';
import { idColumn, type Engine } from './dialect.js';

export async function up(db: Kysely<any>, engine: Engine = 'sqlite'): Promise<void> {
  await db.schema
    .createTable('drafts')
    .addColumn('id', 'integer', idColumn(engine))
    .addColumn('item_id', 'integer', (c) => c.notNull().references('items.id'))
    .addColumn('agent_id', 'integer', (c) => c.notNull().references('agents.id'))
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('reply','note')`))
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('drafts_item_agent_kind', ['item_id', 'agent_id', 'kind'])
    .execute();
  // "My drafts" (quitting, the list marks) is a lookup by agent.
  await db.schema.createIndex('drafts_agent').on('drafts').columns(['agent_id', 'item_id']).execute();
  // The list's ✎ marks follow drafts kept by another console of the same agent: on PostgreSQL the
  // change feed LISTENs, so the table needs the notify trigger (SQLite's feed sees every commit).
  if (engine === 'postgres') {
    await sql`create trigger drafts_notify after insert or update or delete on drafts
      for each statement execute function tandem_notify_change()`.execute(db);
  }
}

export async function down(): Promise<void> {
  throw new Error('Tandem migrations are forward-only');
}
