// Schema version 0009 (imports): survey answers may be anonymous (an export row that links to no
// customer, order or item), and imported answers carry an external id so a re-import adds nothing;
// orders are found by their reference (imports are idempotent by it). Frozen once released.
import { sql, type Kysely } from 'kysely';
import { idColumn, type Engine } from './dialect.js';

export async function up(db: Kysely<any>, engine: Engine = 'sqlite'): Promise<void> {
  if (engine === 'postgres') {
    // PostgreSQL alters the table in place (ids, indexes and the change trigger stay as they are).
    await sql`alter table surveys alter column customer_id drop not null`.execute(db);
    await db.schema
      .alterTable('surveys')
      .addColumn('external_id', 'text', (c) => c.unique())
      .execute();
  } else {
    // SQLite cannot drop NOT NULL from a column, nor add a UNIQUE one: surveys is rebuilt with the
    // same ids, and its indexes made again.
    await db.schema
      .createTable('surveys_0009')
      .addColumn('id', 'integer', idColumn(engine))
      .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('csat','nps')`))
      .addColumn('score', 'integer', (c) => c.notNull())
      .addColumn('comment', 'text')
      .addColumn('customer_id', 'integer', (c) => c.references('customers.id'))
      .addColumn('item_id', 'integer', (c) => c.references('items.id'))
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('external_id', 'text', (c) => c.unique())
      .execute();
    const columns = ['id', 'kind', 'score', 'comment', 'customer_id', 'item_id', 'created_at'] as const;
    await db
      .insertInto('surveys_0009')
      .columns([...columns])
      .expression(db.selectFrom('surveys').select([...columns]))
      .execute();
    await db.schema.dropTable('surveys').execute();
    await db.schema.alterTable('surveys_0009').renameTo('surveys').execute();
    await db.schema.createIndex('surveys_kind_created').on('surveys').columns(['kind', 'created_at']).execute();
    await db.schema.createIndex('surveys_customer').on('surveys').columns(['customer_id', 'created_at']).execute();
    await db.schema.createIndex('surveys_kpi').on('surveys').columns(['kind', 'created_at', 'score', 'item_id', 'customer_id']).execute();
  }
  await db.schema.createIndex('orders_reference').on('orders').column('reference').execute();
}

export async function down(): Promise<void> {
  throw new Error('Tandem migrations are forward-only');
}
