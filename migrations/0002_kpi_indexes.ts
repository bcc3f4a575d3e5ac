// Schema version 2: indexes for the KPIs, so each figure reads only its period's range of one time
// column, from the index alone (each carries the columns its queries read: no row lookups).
// Partial (… is not null) to stay small: most of these times are unset on many items.
// Frozen once released: change the schema with a new migration file.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>, _engine?: string): Promise<void> {
  const timeIndex = (name: string, column: string, extra: string[]) =>
    db.schema
      .createIndex(name)
      .on('items')
      .columns(['role', column, 'assignee_id', ...extra])
      .where(sql.ref(column), 'is not', null)
      .execute();
  await timeIndex('items_kpi_first_response', 'first_response_at', ['first_customer_message_at']);
  await timeIndex('items_kpi_first_resolved', 'first_resolved_at', ['created_at', 'reopen_count', 'agent_reply_count']);
  await timeIndex('items_kpi_first_response_due', 'first_response_due_at', ['first_response_at']);
  await timeIndex('items_kpi_resolution_due', 'resolution_due_at', ['direction', 'first_resolved_at', 'closed_at']);
  await timeIndex('items_kpi_resolved', 'resolved_at', ['status', 'created_at', 'reopen_count']);
  await timeIndex('items_kpi_closed', 'closed_at', ['status', 'resolved_at', 'created_at', 'reopen_count']);
  await db.schema.createIndex('items_kpi_created').on('items').columns(['role', 'created_at', 'assignee_id', 'customer_id']).execute();
  // The backlog: open work by creation time.
  await db.schema
    .createIndex('items_kpi_status_created')
    .on('items')
    .columns(['role', 'status', 'created_at', 'assignee_id', 'reopen_count'])
    .execute();
  // Reopened items are few; the backlog series follows them through their status events.
  await db.schema
    .createIndex('items_kpi_reopened')
    .on('items')
    .columns(['role', 'created_at'])
    .where(sql<boolean>`reopen_count > 0`)
    .execute();
  await db.schema.createIndex('escalations_escalated_at').on('escalations').columns(['escalated_at', 'support_item_id']).execute();
  await db.schema.createIndex('orders_kpi_ordered').on('orders').columns(['ordered_at', 'customer_id', 'amount_cents']).execute();
}

export async function down(): Promise<void> {
  throw new Error('Tandem migrations are forward-only');
}
