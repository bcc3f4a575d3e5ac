// Schema version 0010 (KPI day rollups): kpi_days keeps, for each whole past UTC day and each family
// of KPI counts, that day's counts and durations by assignee, computed once from the raw rows and
// deleted by the write path whenever a change touches the day (src/core/kpi-days.ts). A rollup row is
// never the only copy of anything: dropping them all only makes the next `tandem kpi` slower.
// On PostgreSQL also an index of search documents by item, for search inside the inbox query.
// Frozen once released.
import type { Kysely } from 'kysely';
import type { Engine } from './dialect.js';

export async function up(db: Kysely<any>, engine: Engine = 'sqlite'): Promise<void> {
  await db.schema
    .createTable('kpi_days')
    // The UTC day, YYYY-MM-DD.
    .addColumn('day', 'text', (c) => c.notNull())
    // Which family of counts (created:support, sla_first_response:support, csat, …).
    .addColumn('family', 'text', (c) => c.notNull())
    // JSON: [[assignee ('' = none), {count: n, …}, length of its list], …].
    .addColumn('groups', 'text', (c) => c.notNull())
    // Each group's list of whole numbers (durations in seconds, customer ids), in group order, as
    // little-endian int32.
    .addColumn('numbers', engine === 'postgres' ? 'bytea' : 'blob')
    .addPrimaryKeyConstraint('kpi_days_pk', ['day', 'family'])
    .execute();
  // PostgreSQL search inside the inbox query (src/store/postgres/search.ts): an item's documents by its id.
  if (engine === 'postgres') await db.schema.createIndex('search_docs_item').on('search_docs').column('item_id').execute();
}

export async function down(): Promise<void> {
  throw new Error('Tandem migrations are forward-only');
}
