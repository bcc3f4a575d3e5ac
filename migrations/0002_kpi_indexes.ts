// Schema version 2: indexes for the KPIs, so each figure reads only its period's range of one time column.
// Partial (… is not null) to stay small: most of these times are unset on many items.
// Frozen once released: change the schema with a new migration file.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  const timeIndex = (name: string, column: string) =>
    db.schema.createIndex(name).on('items').columns(['role', column]).where(sql.ref(column), 'is not', null).execute();
  await timeIndex('items_role_first_response', 'first_response_at');
  await timeIndex('items_role_first_resolved', 'first_resolved_at');
  await timeIndex('items_role_first_response_due', 'first_response_due_at');
  await timeIndex('items_role_resolution_due', 'resolution_due_at');
  await timeIndex('items_role_resolved', 'resolved_at');
  await timeIndex('items_role_closed', 'closed_at');
  // Reopened items are few; the backlog follows them through their status events.
  await db.schema.createIndex('items_role_reopened').on('items').columns(['role', 'created_at']).where(sql<boolean>`reopen_count > 0`).execute();
  await db.schema.createIndex('escalations_escalated_at').on('escalations').column('escalated_at').execute();
}

export async function down(): Promise<void> {
  throw new Error('Tandem migrations are forward-only');
}
