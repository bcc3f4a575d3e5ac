// Schema version 5: email as a real channel. Mailboxes (servers and where the password comes from,
// never the password), IMAP cursors per mailbox and folder, every fetched message's raw bytes, and the
// outbox of replies waiting for delivery. Frozen once released: change the schema with a new file.
import { sql, type Kysely } from 'kysely';
import { idColumn, type Engine } from './dialect.js';

export async function up(db: Kysely<any>, engine: Engine = 'sqlite'): Promise<void> {
  const id = idColumn(engine);
  await db.schema
    .createTable('mailboxes')
    .addColumn('id', 'integer', id)
    .addColumn('name', 'text', (c) => c.notNull().unique())
    .addColumn('address', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull().check(sql`role in ('service','support')`))
    .addColumn('from_name', 'text')
    // URLs without any password: imaps://user@host:port/folder, smtps://user@host:port.
    .addColumn('imap_url', 'text', (c) => c.notNull())
    .addColumn('smtp_url', 'text', (c) => c.notNull())
    // Where the password comes from: a command run each time, or an environment variable's name.
    .addColumn('password_cmd', 'text')
    .addColumn('password_env', 'text')
    .addColumn('insecure', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  // UIDVALIDITY and UIDs are unsigned 32-bit numbers: kept as decimal text (PostgreSQL's integer is signed 32-bit).
  await db.schema
    .createTable('mail_cursors')
    .addColumn('mailbox_id', 'integer', (c) => c.notNull().references('mailboxes.id').onDelete('cascade'))
    .addColumn('folder', 'text', (c) => c.notNull())
    .addColumn('uidvalidity', 'text', (c) => c.notNull())
    .addColumn('last_uid', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('mail_cursors_pk', ['mailbox_id', 'folder'])
    .execute();

  // One row per distinct message ever fetched. The unique message_id makes a second fetch a no-op.
  await db.schema
    .createTable('mail_messages')
    .addColumn('id', 'integer', id)
    .addColumn('mailbox_id', 'integer', (c) => c.references('mailboxes.id').onDelete('set null'))
    .addColumn('folder', 'text', (c) => c.notNull())
    .addColumn('uidvalidity', 'text', (c) => c.notNull())
    .addColumn('uid', 'text', (c) => c.notNull())
    .addColumn('message_id', 'text', (c) => c.notNull().unique())
    .addColumn('subject', 'text')
    .addColumn('from_address', 'text')
    // The message exactly as the server gave it, base64 (portable text; no NUL or encoding issues).
    .addColumn('raw', 'text', (c) => c.notNull())
    .addColumn('size', 'integer', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull().check(sql`state in ('applied','duplicate','skipped','failed')`))
    .addColumn('outcome', 'text')
    .addColumn('error', 'text')
    .addColumn('item_id', 'integer', (c) => c.references('items.id'))
    .addColumn('fetched_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('mail_messages_state').on('mail_messages').columns(['state', 'id']).execute();
  await db.schema.createIndex('mail_messages_item').on('mail_messages').columns(['item_id', 'id']).execute();

  await db.schema
    .createTable('outbox')
    .addColumn('id', 'integer', id)
    .addColumn('item_id', 'integer', (c) => c.notNull().references('items.id'))
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('mailbox_id', 'integer', (c) => c.references('mailboxes.id').onDelete('set null'))
    .addColumn('author_agent_id', 'integer', (c) => c.references('agents.id'))
    // The reply event's Message-ID (email) or a generated id (other channels): one reply, one row.
    .addColumn('message_id', 'text', (c) => c.notNull().unique())
    .addColumn('recipient', 'text')
    .addColumn('sender', 'text')
    .addColumn('subject', 'text')
    .addColumn('body', 'text', (c) => c.notNull())
    // The whole mail, built once (base64): every attempt sends these bytes.
    .addColumn('raw', 'text')
    .addColumn('state', 'text', (c) =>
      c.notNull().check(sql`state in ('queued','sending','retry','sent','failed','uncertain','cancelled')`),
    )
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', 'text')
    .addColumn('last_error', 'text')
    // While 'sending': when the sender's claim runs out (a sender that died leaves it uncertain).
    .addColumn('lease_until', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('sent_at', 'text')
    .execute();
  await db.schema.createIndex('outbox_state').on('outbox').columns(['state', 'next_attempt_at', 'id']).execute();
  await db.schema.createIndex('outbox_item').on('outbox').columns(['item_id', 'id']).execute();
  await db.schema.createIndex('outbox_channel').on('outbox').columns(['channel', 'state', 'id']).execute();

  // Live refresh on PostgreSQL: the console shows each reply's delivery state and counts failed
  // deliveries, and lists mailboxes, so a change by `mail run` in another process must wake it
  // (tandem_notify_change comes from 0001). SQLite's feed watches the whole file and needs nothing.
  if (engine === 'postgres') {
    for (const t of ['outbox', 'mailboxes']) {
      await sql`create trigger ${sql.raw(t + '_notify')} after insert or update or delete on ${sql.table(t)}
        for each statement execute function tandem_notify_change()`.execute(db);
    }
  }
}

export async function down(): Promise<void> {
  throw new Error('Tandem migrations are forward-only');
}
