// Schema version 1: agents, customers, orders, items, tags, events, escalations, surveys, SLA policies, FTS.
// Frozen once released: change the schema with a new migration file.
import { sql, type Kysely } from 'kysely';
import { idColumn, type Engine } from './dialect.js';

export async function up(db: Kysely<any>, engine: Engine = 'sqlite'): Promise<void> {
  const id = idColumn(engine);
  const pg = engine === 'postgres';
  await db.schema
    .createTable('agents')
    .addColumn('id', 'integer', id)
    .addColumn('handle', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('email', 'text')
    .addColumn('roles', 'text', (c) => c.notNull().check(sql`roles in ('service','support','both')`))
    .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('customers')
    .addColumn('id', 'integer', id)
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('email', 'text', (c) => c.unique())
    .addColumn('phone', 'text')
    .addColumn('company', 'text')
    .addColumn('notes', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('orders')
    .addColumn('id', 'integer', id)
    .addColumn('customer_id', 'integer', (c) => c.notNull().references('customers.id'))
    .addColumn('amount_cents', 'integer', (c) => c.notNull())
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('ordered_at', 'text', (c) => c.notNull())
    .addColumn('reference', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('orders_customer').on('orders').columns(['customer_id', 'ordered_at']).execute();
  await db.schema.createIndex('orders_ordered_at').on('orders').column('ordered_at').execute();

  await db.schema
    .createTable('items')
    .addColumn('id', 'integer', id)
    .addColumn('role', 'text', (c) => c.notNull().check(sql`role in ('service','support')`))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('customer_id', 'integer', (c) => c.references('customers.id'))
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('direction', 'text', (c) => c.notNull().check(sql`direction in ('inbound','outbound')`))
    .addColumn('status', 'text', (c) =>
      c.notNull().check(sql`status in ('new','open','pending','snoozed','escalated','resolved','closed')`),
    )
    .addColumn('priority', 'text', (c) => c.notNull().check(sql`priority in ('low','normal','high','urgent')`))
    .addColumn('assignee_id', 'integer', (c) => c.references('agents.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('first_customer_message_at', 'text')
    .addColumn('first_response_at', 'text')
    .addColumn('first_resolved_at', 'text')
    .addColumn('resolved_at', 'text')
    .addColumn('closed_at', 'text')
    .addColumn('snoozed_until', 'text')
    .addColumn('first_response_due_at', 'text')
    .addColumn('resolution_due_at', 'text')
    .addColumn('resolution_due_explicit', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_due_at', 'text')
    // Derived columns for the inbox's hot path: "open work" and "soonest due first, undated last"
    // become plain index range scans, even at a million items.
    // SQLite computes them on read (virtual); PostgreSQL stores them, and needs the flag as an integer.
    .addColumn('open_work', 'integer', (c) =>
      pg
        ? c.generatedAlwaysAs(sql`case when status in ('new','open','pending','escalated') then 1 else 0 end`).stored()
        : c.generatedAlwaysAs(sql`status in ('new','open','pending','escalated')`),
    )
    .addColumn('due_sort', 'text', (c) => {
      const g = c.generatedAlwaysAs(sql`coalesce(next_due_at, '9999-12-31T23:59:59.999Z')`);
      return pg ? g.stored() : g;
    })
    .addColumn('reopen_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('agent_reply_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('external_id', 'text', (c) => c.unique())
    .execute();
  await db.schema.createIndex('items_open_due').on('items').columns(['open_work', 'due_sort', 'id']).execute();
  await db.schema.createIndex('items_role_open_due').on('items').columns(['role', 'open_work', 'due_sort', 'id']).execute();
  await db.schema.createIndex('items_assignee_open_due').on('items').columns(['assignee_id', 'open_work', 'due_sort', 'id']).execute();
  await db.schema.createIndex('items_status_due').on('items').columns(['status', 'due_sort', 'id']).execute();
  await db.schema.createIndex('items_customer').on('items').columns(['customer_id', 'created_at']).execute();
  await db.schema.createIndex('items_role_created').on('items').columns(['role', 'created_at']).execute();
  await db.schema.createIndex('items_snoozed').on('items').columns(['status', 'snoozed_until']).execute();

  await db.schema
    .createTable('item_tags')
    .addColumn('item_id', 'integer', (c) => c.notNull().references('items.id').onDelete('cascade'))
    .addColumn('tag', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('item_tags_pk', ['item_id', 'tag'])
    .execute();
  await db.schema.createIndex('item_tags_tag').on('item_tags').columns(['tag', 'item_id']).execute();

  await db.schema
    .createTable('events')
    .addColumn('id', 'integer', id)
    .addColumn('item_id', 'integer', (c) => c.notNull().references('items.id'))
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('author_type', 'text', (c) => c.notNull().check(sql`author_type in ('agent','customer','system')`))
    .addColumn('author_agent_id', 'integer', (c) => c.references('agents.id'))
    .addColumn('author_customer_id', 'integer', (c) => c.references('customers.id'))
    .addColumn('body', 'text')
    .addColumn('data', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('message_id', 'text', (c) => c.unique())
    .execute();
  await db.schema.createIndex('events_item').on('events').columns(['item_id', 'id']).execute();

  await db.schema
    .createTable('escalations')
    .addColumn('id', 'integer', id)
    .addColumn('source_item_id', 'integer', (c) => c.notNull().references('items.id'))
    .addColumn('support_item_id', 'integer', (c) => c.notNull().unique().references('items.id'))
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('escalated_by', 'integer', (c) => c.notNull().references('agents.id'))
    .addColumn('escalated_at', 'text', (c) => c.notNull())
    .addColumn('snapshot', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull().check(sql`state in ('open','resolved','closed','handed_back')`))
    .addColumn('returned_at', 'text')
    .addColumn('return_note', 'text')
    .execute();
  await db.schema.createIndex('escalations_source').on('escalations').column('source_item_id').execute();
  await db.schema.createIndex('escalations_state').on('escalations').columns(['state', 'escalated_at']).execute();

  await db.schema
    .createTable('surveys')
    .addColumn('id', 'integer', id)
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('csat','nps')`))
    .addColumn('score', 'integer', (c) => c.notNull())
    .addColumn('comment', 'text')
    .addColumn('customer_id', 'integer', (c) => c.notNull().references('customers.id'))
    .addColumn('item_id', 'integer', (c) => c.references('items.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('surveys_kind_created').on('surveys').columns(['kind', 'created_at']).execute();
  await db.schema.createIndex('surveys_customer').on('surveys').columns(['customer_id', 'created_at']).execute();

  await db.schema
    .createTable('sla_policies')
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('priority', 'text', (c) => c.notNull())
    .addColumn('first_response_minutes', 'integer', (c) => c.notNull())
    .addColumn('resolution_minutes', 'integer', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('sla_policies_pk', ['role', 'priority'])
    .execute();

  // Defaults as the README's SLA section gives them ("support urgent 1 h / 8 h, normal 8 h / 3 days; service normal 24 h / 7 days").
  const H = 60;
  const D = 24 * H;
  const defaults: [string, string, number, number][] = [
    ['support', 'urgent', 1 * H, 8 * H],
    ['support', 'high', 4 * H, 1 * D],
    ['support', 'normal', 8 * H, 3 * D],
    ['support', 'low', 1 * D, 7 * D],
    ['service', 'urgent', 4 * H, 1 * D],
    ['service', 'high', 8 * H, 3 * D],
    ['service', 'normal', 1 * D, 7 * D],
    ['service', 'low', 2 * D, 14 * D],
  ];
  await db
    .insertInto('sla_policies')
    .values(
      defaults.map(([role, priority, fr, res]) => ({
        role,
        priority,
        first_response_minutes: fr,
        resolution_minutes: res,
        updated_at: '1970-01-01T00:00:00.000Z',
      })),
    )
    .execute();

  if (pg) await postgresSearch(db);
  else await sqliteSearch(db);
}

async function sqliteSearch(db: Kysely<any>): Promise<void> {
  // Full-text search (SQLite FTS5), contentless to keep the file small. Every row is an event (rowid =
  // event id); an item's subject is indexed with its 'created' event. Rowids thus only grow, which
  // keeps FTS5 from flushing a segment on every insert. Triggers keep it in sync on every write path.
  await sql`create virtual table search_fts using fts5(text, content = '', contentless_delete = 1, tokenize = 'unicode61 remove_diacritics 2')`.execute(
    db,
  );
  await sql`create trigger events_fts_created after insert on events when new.type = 'created' begin
    insert into search_fts (rowid, text)
      values (new.id, (select subject from items where id = new.item_id) || char(10) || coalesce(new.body, ''));
  end`.execute(db);
  await sql`create trigger events_fts_message after insert on events
    when new.body is not null and new.type in ('message','reply','note') begin
    insert into search_fts (rowid, text) values (new.id, new.body);
  end`.execute(db);
  await sql`create trigger items_fts_subject after update of subject on items begin
    delete from search_fts where rowid = (select min(id) from events where item_id = new.id and type = 'created');
    insert into search_fts (rowid, text)
      select e.id, new.subject || char(10) || coalesce(e.body, '') from events e
      where e.item_id = new.id and e.type = 'created' order by e.id limit 1;
  end`.execute(db);
}

/**
 * Full-text search on PostgreSQL: one tsvector row per indexed event (the same rows as SQLite's FTS5:
 * an item's subject with its 'created' event, and message, reply and note bodies), a GIN index, and a
 * named configuration `tandem`: simple (no stemming, as unicode61), with unaccent where the server
 * allows it (as remove_diacritics). Text is split on anything that is not a letter or digit before
 * parsing, as FTS5's tokenizer does, so an email address is its words.
 */
async function postgresSearch(db: Kysely<any>): Promise<void> {
  await sql`do $$ begin
    begin
      create extension if not exists unaccent;
    exception when others then null;
    end;
    create text search configuration tandem (copy = simple);
    if exists (select 1 from pg_extension where extname = 'unaccent') then
      alter text search configuration tandem alter mapping for word, hword, hword_part, asciiword, asciihword, hword_asciipart, numword, hword_numpart with unaccent, simple;
    end if;
  end $$`.execute(db);
  await sql`create function tandem_search_doc(body text) returns tsvector language sql immutable parallel safe as $$
    select to_tsvector('tandem'::regconfig, regexp_replace(coalesce(body, ''), '[^[:alnum:]]+', ' ', 'g'))
  $$`.execute(db);
  await sql`create table search_docs (
    event_id integer primary key references events (id) on delete cascade,
    item_id integer not null,
    doc tsvector not null)`.execute(db);
  await sql`create index search_docs_doc on search_docs using gin (doc)`.execute(db);
  await sql`create function tandem_index_event() returns trigger language plpgsql as $$ begin
    if new.type = 'created' then
      insert into search_docs (event_id, item_id, doc)
        values (new.id, new.item_id, tandem_search_doc((select subject from items where id = new.item_id) || chr(10) || coalesce(new.body, '')));
    elsif new.body is not null and new.type in ('message', 'reply', 'note') then
      insert into search_docs (event_id, item_id, doc) values (new.id, new.item_id, tandem_search_doc(new.body));
    end if;
    return null;
  end $$`.execute(db);
  await sql`create trigger events_search after insert on events for each row execute function tandem_index_event()`.execute(db);
  await sql`create function tandem_index_subject() returns trigger language plpgsql as $$ begin
    update search_docs d set doc = tandem_search_doc(new.subject || chr(10) || coalesce(e.body, ''))
      from events e where e.id = d.event_id and e.id = (select min(id) from events where item_id = new.id and type = 'created');
    return null;
  end $$`.execute(db);
  await sql`create trigger items_search_subject after update of subject on items for each row
    when (old.subject is distinct from new.subject) execute function tandem_index_subject()`.execute(db);
  // Live refresh: one notification per committing statement on any table a screen shows.
  await sql`create function tandem_notify_change() returns trigger language plpgsql as $$ begin
    perform pg_notify('tandem_changes', '');
    return null;
  end $$`.execute(db);
  for (const t of ['items', 'events', 'item_tags', 'escalations', 'customers', 'orders', 'surveys', 'agents', 'sla_policies']) {
    await sql`create trigger ${sql.raw(t + '_notify')} after insert or update or delete on ${sql.table(t)}
      for each statement execute function tandem_notify_change()`.execute(db);
  }
}

export async function down(): Promise<void> {
  throw new Error('Tandem migrations are forward-only');
}
