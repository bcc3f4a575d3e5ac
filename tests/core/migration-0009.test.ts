// Migration 0009 on a database that already holds survey answers: every answer survives with its id,
// and afterwards an answer may be anonymous and carries an external id unique per answer.
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, Migrator, SqliteDialect } from 'kysely';
import { describe, expect, it } from 'vitest';
import { MIGRATIONS } from '../../src/store/migrations.js';
import { APPLICATION_ID, openSqliteStore } from '../../src/store/sqlite.js';
import { tempDir } from '../helpers/core.js';

describe('migration 0009_imports', () => {
  it('keeps existing answers and ids, then allows anonymous answers with unique external ids', async () => {
    const file = path.join(tempDir(), 'old.db');
    const raw = new BetterSqlite3(file);
    raw.pragma(`application_id = ${APPLICATION_ID}`); // a Tandem database, as the store marks it
    raw.pragma('foreign_keys = ON');
    const old = new Kysely<any>({ dialect: new SqliteDialect({ database: raw }) });
    const before = Object.fromEntries(Object.entries(MIGRATIONS).filter(([name]) => name < '0009'));
    const r = await new Migrator({ db: old, provider: { getMigrations: async () => before } }).migrateToLatest();
    expect(r.error).toBeUndefined();
    const at = '2026-01-01T00:00:00.000Z';
    await old.insertInto('customers').values({ id: 7, name: 'Jo', email: 'jo@example.com', created_at: at, updated_at: at }).execute();
    await old.insertInto('surveys').values([
      { id: 3, kind: 'csat', score: 5, comment: 'great', customer_id: 7, item_id: null, created_at: at },
      { id: 9, kind: 'nps', score: 2, comment: null, customer_id: 7, item_id: null, created_at: at },
    ]).execute();
    await old.destroy();

    const store = await openSqliteStore(file);
    try {
      const rows = await store.db.selectFrom('surveys').select(['id', 'kind', 'score', 'comment', 'customer_id', 'external_id']).orderBy('id').execute();
      expect(rows).toEqual([
        { id: 3, kind: 'csat', score: 5, comment: 'great', customer_id: 7, external_id: null },
        { id: 9, kind: 'nps', score: 2, comment: null, customer_id: 7, external_id: null },
      ]);
      await store.write((trx) => trx.insertInto('surveys').values({ kind: 'nps', score: 10, comment: null, customer_id: null, item_id: null, created_at: at, external_id: 'nps:r1' }).execute());
      const anon = await store.db.selectFrom('surveys').selectAll().where('external_id', '=', 'nps:r1').executeTakeFirstOrThrow();
      expect(anon.id).toBe(10); // ids go on after the highest one kept
      expect(anon.customer_id).toBeNull();
      await expect(store.write((trx) => trx.insertInto('surveys').values({ kind: 'nps', score: 9, comment: null, customer_id: null, item_id: null, created_at: at, external_id: 'nps:r1' }).execute()))
        .rejects.toThrow();
    } finally {
      await store.close();
    }
  });
});
