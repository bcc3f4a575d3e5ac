// Schema version 8: rules (ordered, revisioned, with their run counters), every saved revision of a
// rule (events name a rule's revision, so what v3 said stays readable), and the stored routing
// models (naive Bayes over resolved items). Frozen once released: change the schema with a new file.
import { sql, type Kysely } from 'kysely';
import { idColumn, type Engine } from './dialect.js';

export async function up(db: Kysely<any>, engine: Engine = 'sqlite'): Promise<void> {
  const id = idColumn(engine);
  await db.schema
    .createTable('rules')
    .addColumn('id', 'integer', id)
    .addColumn('name', 'text', (c) => c.notNull().unique())
    .addColumn('trigger', 'text', (c) => c.notNull()) // created | updated | escalated
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('enabled', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('revision', 'integer', (c) => c.notNull().defaultTo(1))
    /** JSON: the rule as saved (if, then, stop), validated. */
    .addColumn('definition', 'text', (c) => c.notNull())
    .addColumn('fired_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('last_fired_at', 'text')
    /** Round-robin: the agent this rule assigned last. */
    .addColumn('last_assignee_id', 'integer')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('rules_trigger_position').on('rules').columns(['trigger', 'enabled', 'position']).execute();

  await db.schema
    .createTable('rule_revisions')
    .addColumn('id', 'integer', id)
    .addColumn('rule_id', 'integer', (c) => c.notNull())
    .addColumn('revision', 'integer', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('trigger', 'text', (c) => c.notNull())
    .addColumn('definition', 'text', (c) => c.notNull())
    .addColumn('saved_by', 'text')
    .addColumn('saved_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('rule_revisions_rule_revision', ['rule_id', 'revision'])
    .execute();

  await db.schema
    .createTable('route_models')
    .addColumn('id', 'integer', id)
    .addColumn('target', 'text', (c) => c.notNull().unique()) // role | kind | agent
    .addColumn('trained_at', 'text', (c) => c.notNull())
    /** How many resolved items it learned from (staleness is measured against this). */
    .addColumn('examples', 'integer', (c) => c.notNull())
    /** JSON: labels, document counts, token counts. */
    .addColumn('model', 'text', (c) => c.notNull())
    .execute();

  // Live refresh on PostgreSQL: the console's rules view shows rules (order, on/off, fired counts),
  // and the item detail's suggestion follows the stored routing models (the console retrains them).
  if (engine === 'postgres') {
    for (const t of ['rules', 'route_models']) {
      await sql`create trigger ${sql.raw(t + '_notify')} after insert or update or delete on ${sql.table(t)}
        for each statement execute function tandem_notify_change()`.execute(db);
    }
  }
}

export async function down(): Promise<void> {
  throw new Error('Tandem migrations are forward-only');
}
