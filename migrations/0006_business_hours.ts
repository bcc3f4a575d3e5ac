// Schema version 6: business-hours SLAs. Calendars (hours in a time zone) with holidays; an SLA policy
// may count in a calendar and pause while the item waits on the customer; items keep their first
// response and resolution times in business seconds, written when those happen (for the KPIs).
// Frozen once released: change the schema with a new migration file.
import { sql, type Kysely } from 'kysely';
import { idColumn, type Engine } from './dialect.js';

export async function up(db: Kysely<any>, engine: Engine = 'sqlite'): Promise<void> {
  await db.schema
    .createTable('calendars')
    .addColumn('id', 'integer', idColumn(engine))
    .addColumn('name', 'text', (c) => c.notNull().unique())
    .addColumn('tz', 'text', (c) => c.notNull())
    // JSON array of {days: number[] (0 = Sunday), start: minutes, end: minutes}; end <= start is overnight.
    .addColumn('hours', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('calendar_holidays')
    .addColumn('calendar_id', 'integer', (c) => c.notNull().references('calendars.id').onDelete('cascade'))
    // A local date in the calendar's zone, YYYY-MM-DD.
    .addColumn('date', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('calendar_holidays_pk', ['calendar_id', 'date'])
    .execute();

  await db.schema
    .alterTable('sla_policies')
    .addColumn('calendar_id', 'integer', (c) => c.references('calendars.id'))
    .execute();
  // 1: time in pending and snoozed does not count toward resolution.
  await db.schema
    .alterTable('sla_policies')
    .addColumn('pause_when_waiting', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();

  await db.schema.alterTable('items').addColumn('first_response_business_secs', 'integer').execute();
  await db.schema.alterTable('items').addColumn('resolution_business_secs', 'integer').execute();
  await db.schema
    .createIndex('items_kpi_first_response_business')
    .on('items')
    .columns(['role', 'first_response_at', 'assignee_id', 'first_response_business_secs'])
    .where(sql.ref('first_response_business_secs'), 'is not', null)
    .execute();
  await db.schema
    .createIndex('items_kpi_resolution_business')
    .on('items')
    .columns(['role', 'first_resolved_at', 'assignee_id', 'resolution_business_secs'])
    .where(sql.ref('resolution_business_secs'), 'is not', null)
    .execute();
  // The console's SLA column and detail count down in a calendar's business time: an edit to the hours
  // or holidays must refresh open screens on PostgreSQL too (SQLite's feed watches the whole file).
  if (engine === 'postgres') {
    for (const t of ['calendars', 'calendar_holidays']) {
      await sql`create trigger ${sql.raw(t + '_notify')} after insert or update or delete on ${sql.table(t)}
        for each statement execute function tandem_notify_change()`.execute(db);
    }
  }
}

export async function down(): Promise<void> {
  throw new Error('Tandem migrations are forward-only');
}
