// Schema version 0010 (KPI day rollups): kpi_days keeps, for each whole past UTC day and each family
// of KPI counts, that day's counts and durations by assignee, computed once from the raw rows and
// deleted by the write path whenever a change touches the day (src/core/kpi-days.ts). A rollup row is
// never the only copy of anything: dropping them all only makes the next `tandem kpi` slower.
// Also an index for the at-risk list's low scores. Frozen once released.
import type { Kysely } from 'kysely';
import type { Engine } from './dialect.js';

export async function up(db: Kysely<any>, engine: Engine = 'sqlite'): Promise<void> {
  await db.schema
    .createTable('kpi_days')
    // The UTC day, YYYY-MM-DD.
    .addColumn('day', 'text', (c) => c.notNull())
    // Which family of counts (created:support, sla_first_response:support, csat, …).
    .addColumn('family', 'text', (c) => c.notNull())
    // JSON: [[assignee ('' = none), {count: n, …}, number of durations], …].
    .addColumn('groups', 'text', (c) => c.notNull())
    // The durations (whole seconds) of every group, in group order, as little-endian int32.
    .addColumn('seconds', engine === 'postgres' ? 'bytea' : 'blob')
    .addPrimaryKeyConstraint('kpi_days_pk', ['day', 'family'])
    .execute();
  // At-risk customers: only the low scores of the window (CSAT 1–2, NPS 0–6), not every answer.
  await db.schema.createIndex('surveys_low_scores').on('surveys').columns(['kind', 'score', 'created_at', 'customer_id']).execute();
}

export async function down(): Promise<void> {
  throw new Error('Tandem migrations are forward-only');
}
