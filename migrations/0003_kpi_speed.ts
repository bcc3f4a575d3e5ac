// Schema version 3: KPI speed at a million items. Durations become (virtual) columns kept in indexes,
// so percentiles read integer seconds straight from an index instead of parsing times in JS; surveys
// and follow-up lookups get covering indexes. Frozen once released: change the schema with a new file.
import { sql, type Kysely } from 'kysely';
import type { Engine } from './dialect.js';

/**
 * Whole seconds from `start` to `end` (ISO times), exactly as exactSeconds() in kpi-queries.ts:
 * Math.round(milliseconds / 1000). julianday() keeps milliseconds, so the difference × 86 400 000
 * rounds to the exact millisecond count; then half a second up, floored (integer division truncates
 * toward zero, hence the branch for negative values).
 */
function sqliteSecondsBetween(start: string, end: string) {
  const ms = `cast(round((julianday(${end}) - julianday(${start})) * 86400000.0) as integer)`;
  return sql.raw(`(case when ${ms} >= -500 then (${ms} + 500) / 1000 else -((-(${ms} + 500) + 999) / 1000) end)`);
}

/**
 * PostgreSQL: the same rounding, from the exact epoch difference (numeric, milliseconds kept). A
 * generated column needs an immutable function; the ISO-8601 UTC text Tandem stores ('…Z') reads the
 * same whatever the session's time zone or DateStyle, so the promise holds for these columns.
 */
async function postgresSecondsFunction(db: Kysely<any>): Promise<void> {
  await sql`create function tandem_seconds_between(start_at text, end_at text) returns integer
    language sql immutable strict parallel safe as $$
      select floor(((extract(epoch from end_at::timestamptz) - extract(epoch from start_at::timestamptz)) * 1000 + 500) / 1000)::integer
    $$`.execute(db);
}

export async function up(db: Kysely<any>, engine: Engine = 'sqlite'): Promise<void> {
  const pg = engine === 'postgres';
  if (pg) await postgresSecondsFunction(db);
  const secondsBetween = (start: string, end: string) =>
    pg ? sql.raw(`tandem_seconds_between(${start}, ${end})`) : sqliteSecondsBetween(start, end);
  await db.schema
    .alterTable('items')
    .addColumn('first_response_secs', 'integer', (c) => {
      const g = c.generatedAlwaysAs(secondsBetween('first_customer_message_at', 'first_response_at'));
      return pg ? g.stored() : g;
    })
    .execute();
  await db.schema
    .alterTable('items')
    .addColumn('resolution_secs', 'integer', (c) => {
      const g = c.generatedAlwaysAs(secondsBetween('created_at', 'first_resolved_at'));
      return pg ? g.stored() : g;
    })
    .execute();
  await db.schema
    .createIndex('items_kpi_first_response_secs')
    .on('items')
    .columns(['role', 'first_response_at', 'assignee_id', 'first_response_secs'])
    .where(sql.ref('first_response_secs'), 'is not', null)
    .execute();
  await db.schema
    .createIndex('items_kpi_resolution_secs')
    .on('items')
    .columns(['role', 'first_resolved_at', 'assignee_id', 'resolution_secs', 'reopen_count', 'agent_reply_count'])
    .where(sql.ref('resolution_secs'), 'is not', null)
    .execute();
  // Follow-ups on time: the outbound service items' due times alone, not every service item's.
  await db.schema
    .createIndex('items_kpi_follow_up_due')
    .on('items')
    .columns(['role', 'direction', 'resolution_due_at', 'assignee_id', 'first_resolved_at', 'closed_at'])
    .where(sql.ref('resolution_due_at'), 'is not', null)
    .execute();
  // CSAT, NPS and the at-risk window's low scores without reading the survey rows, nor items for the team.
  await db.schema.createIndex('surveys_kpi').on('surveys').columns(['kind', 'created_at', 'score', 'item_id', 'customer_id']).execute();
  // The backlog series follows reopened items (few) through their status events: both from indexes alone.
  await db.schema
    .createIndex('items_kpi_reopened_cover')
    .on('items')
    .columns(['role', 'created_at', 'status', 'resolved_at', 'closed_at', 'assignee_id'])
    .where(sql<boolean>`reopen_count > 0`)
    .execute();
  // Superseded by the covering one above (the planner kept choosing the narrower index).
  await db.schema.dropIndex('items_kpi_reopened').execute();
  await db.schema
    .createIndex('events_status')
    .on('events')
    .columns(['item_id', 'id', 'created_at', 'data'])
    .where(sql<boolean>`type = 'status'`)
    .execute();
  // The at-risk list's "open follow-up" lookup: a few customers, not a scan of every service item.
  await db.schema
    .createIndex('items_customer_follow_up')
    .on('items')
    .columns(['customer_id', 'role', 'direction', 'status', 'id'])
    .execute();
}

export async function down(): Promise<void> {
  throw new Error('Tandem migrations are forward-only');
}
