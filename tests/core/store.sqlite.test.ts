// The SQLite store (this file runs on the SQLite pass only): where the file lives, what it refuses to open, migrations on existing data.
import fs from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { openSqliteStore, ftsQuery, APPLICATION_ID } from '../../src/store/sqlite/open.js';
import { defaultDatabaseSpec as defaultDatabasePath } from '../../src/store/open.js';
import { makeCtx } from '../../src/core/context.js';
import { addAgent } from '../../src/core/agents.js';
import { createItem } from '../../src/core/items.js';
import { queryInbox } from '../../src/core/inbox.js';
import { TandemError } from '../../src/core/errors.js';
import { MIGRATIONS, migrationProviderFor } from '../../src/store/migrations.js';
import { Kysely, Migrator, SqliteDialect, sql } from 'kysely';
import { tempDir } from '../helpers/core.js';

const dirs: string[] = [];
function dir() {
  const d = tempDir();
  dirs.push(d);
  return d;
}
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

async function refusal(file: string): Promise<TandemError> {
  const e = await openSqliteStore(file).then(
    () => null,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(TandemError);
  return e as TandemError;
}

describe('database location', () => {
  it('uses $TANDEM_DB, else $XDG_DATA_HOME/tandem/tandem.db, else ~/.local/share/tandem/tandem.db', () => {
    expect(defaultDatabasePath({ TANDEM_DB: '/x/y.db', XDG_DATA_HOME: '/d' })).toBe('/x/y.db');
    expect(defaultDatabasePath({ XDG_DATA_HOME: '/d' })).toBe('/d/tandem/tandem.db');
    expect(defaultDatabasePath({})).toMatch(/\.local\/share\/tandem\/tandem\.db$/);
  });

  it('creates missing folders and sets WAL, foreign keys and a busy timeout', async () => {
    const file = path.join(dir(), 'a', 'b', 'c.db');
    const store = await openSqliteStore(file);
    const raw = new BetterSqlite3(file);
    expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(raw.pragma('application_id', { simple: true })).toBe(APPLICATION_ID);
    raw.close();
    const fk = await sql<{ foreign_keys: number }>`pragma foreign_keys`.execute(store.db);
    expect(fk.rows[0]?.foreign_keys).toBe(1);
    const busy = await sql<{ timeout: number }>`pragma busy_timeout`.execute(store.db);
    expect(busy.rows[0]?.timeout).toBeGreaterThanOrEqual(5000);
    await store.close();
  });
});

describe('refusing files that are not ours', () => {
  it('refuses a text file and leaves it byte-for-byte unchanged', async () => {
    const file = path.join(dir(), 'notes.txt');
    fs.writeFileSync(file, 'my precious notes\n');
    const e = await refusal(file);
    expect(e.message).toMatch(/not a Tandem database/);
    expect(fs.readFileSync(file, 'utf8')).toBe('my precious notes\n');
  });

  it("refuses another program's SQLite database without altering it", async () => {
    const file = path.join(dir(), 'other.db');
    const raw = new BetterSqlite3(file);
    raw.exec("create table photos (id integer primary key, name text); insert into photos (name) values ('cat')");
    raw.close();
    const before = fs.readFileSync(file);
    const e = await refusal(file);
    expect(e.message).toMatch(/not a Tandem database \(it holds other tables\)/);
    expect(fs.readFileSync(file).equals(before)).toBe(true);
  });

  it('refuses a database made by a newer Tandem', async () => {
    const file = path.join(dir(), 'new.db');
    const store = await openSqliteStore(file);
    await store.close();
    const raw = new BetterSqlite3(file);
    raw.prepare('insert into kysely_migration (name, timestamp) values (?, ?)').run('9999_future', new Date().toISOString());
    raw.close();
    const e = await refusal(file);
    expect(e.message).toMatch(/made by a newer Tandem.*upgrade Tandem/);
  });
});

describe('migrations', () => {
  it('applies every migration in order and keeps existing data when reopened', async () => {
    const file = path.join(dir(), 'm.db');
    const store = await openSqliteStore(file);
    const ctx = makeCtx(store);
    const agent = await addAgent(ctx, { handle: 'sam' });
    await createItem(ctx, agent, { subject: 'Keep me', customer: 'k@example.com' });
    await store.close();
    const raw = new BetterSqlite3(file);
    const applied = raw.prepare('select name from kysely_migration order by name').pluck().all();
    expect(applied).toEqual(Object.keys(MIGRATIONS).sort());
    raw.close();
    const again = await openSqliteStore(file);
    const items = await queryInbox(makeCtx(again), null, { statuses: 'all' });
    expect(items.map((i) => i.subject)).toEqual(['Keep me']);
    await again.close();
  });

  it('brings a database made at the first schema up to date, keeping its rows', async () => {
    const file = path.join(dir(), 'old.db');
    // Build the database exactly as the first release would have: only the first migration.
    const raw = new BetterSqlite3(file);
    raw.pragma(`application_id = ${APPLICATION_ID}`);
    const db = new Kysely<any>({ dialect: new SqliteDialect({ database: raw }) });
    const first = Object.keys(MIGRATIONS).sort()[0]!;
    const r = await new Migrator({ db, provider: migrationProviderFor('sqlite') }).migrateTo(first);
    expect(r.error).toBeUndefined();
    const t = '2026-01-01T00:00:00.000Z';
    raw.prepare(`insert into agents (handle, name, roles, active, created_at) values ('sam', 'Sam', 'both', 1, ?)`).run(t);
    raw.prepare(`insert into customers (name, email, created_at, updated_at) values ('Old', 'o@example.com', ?, ?)`).run(t, t);
    raw
      .prepare(`insert into items (role, kind, subject, customer_id, channel, direction, status, priority, created_at, updated_at, version)
      values ('support', 'bug', 'Old data', 1, 'email', 'inbound', 'open', 'normal', ?, ?, 1)`)
      .run(t, t);
    raw
      .prepare(
        `insert into events (item_id, version, type, author_type, author_customer_id, body, created_at) values (1, 1, 'created', 'customer', 1, 'old body', ?)`,
      )
      .run(t);
    await db.destroy();

    const store = await openSqliteStore(file);
    const ctx = makeCtx(store);
    const items = await queryInbox(ctx, null, { statuses: 'all', search: 'old body' });
    expect(items.map((i) => [i.id, i.subject, i.customer?.email])).toEqual([[1, 'Old data', 'o@example.com']]);
    await store.close();
    const check = new BetterSqlite3(file);
    expect(check.prepare('select name from kysely_migration order by name').pluck().all()).toEqual(Object.keys(MIGRATIONS).sort());
    check.close();
  });
});

describe('full-text query building', () => {
  it('quotes every word so FTS5 syntax is searched as text', () => {
    expect(ftsQuery('NEAR(a b)')).toBe('"NEAR" "a" "b"*');
    expect(ftsQuery('"')).toBeNull();
    expect(ftsQuery('  ')).toBeNull();
    expect(ftsQuery('x"y')).toBe('"x" "y"*');
    expect(ftsQuery('naïve café')).toBe('"naïve" "café"*');
  });
});
