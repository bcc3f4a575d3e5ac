// Migration 0009 on a database that already holds survey answers, on either engine (a table rebuild
// on SQLite, ALTER TABLE on PostgreSQL): every answer survives with its id, and afterwards an answer
// may be anonymous and carries an external id unique per answer.
import fs from 'node:fs';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, Migrator, PostgresDialect, SqliteDialect } from 'kysely';
import { describe, expect, it } from 'vitest';
import { MIGRATIONS } from '../../src/store/migrations.js';
import { openStore } from '../../src/store/open.js';
import { makePool } from '../../src/store/postgres/open.js';
import { APPLICATION_ID } from '../../src/store/sqlite/open.js';
import { violationOf } from '../../src/store/engine-errors.js';
import { newDatabase, onPostgres } from '../helpers/store-target.js';

/** A connection to a database no Tandem has opened yet, marked as Tandem's on SQLite (as the store marks it). */
function rawDatabase(spec: string): Kysely<any> {
  if (onPostgres) return new Kysely<any>({ dialect: new PostgresDialect({ pool: makePool(spec, 1) }) });
  fs.closeSync(fs.openSync(spec, 'w', 0o600)); // private, as Tandem makes its files
  const raw = new BetterSqlite3(spec);
  raw.pragma(`application_id = ${APPLICATION_ID}`);
  raw.pragma('foreign_keys = ON');
  return new Kysely<any>({ dialect: new SqliteDialect({ database: raw }) });
}

describe('migration 0009_imports', () => {
  it('keeps existing answers and ids, then allows anonymous answers with unique external ids', async () => {
    const spec = await newDatabase('old', { fresh: true });
    const engine = onPostgres ? 'postgres' : 'sqlite';
    const old = rawDatabase(spec);
    const before = Object.fromEntries(
      Object.entries(MIGRATIONS)
        .filter(([name]) => name < '0009')
        .map(([name, m]) => [name, { up: (db: Kysely<any>) => m.up(db, engine) }]),
    );
    const r = await new Migrator({ db: old, provider: { getMigrations: async () => before } }).migrateToLatest();
    expect(r.error).toBeUndefined();
    const at = '2026-01-01T00:00:00.000Z';
    const customer = await old
      .insertInto('customers')
      .values({ name: 'Jo', email: 'jo@example.com', created_at: at, updated_at: at })
      .returning('id')
      .executeTakeFirstOrThrow();
    const ids: number[] = [];
    for (const [kind, score, comment] of [
      ['csat', 5, 'great'],
      ['nps', 2, null],
    ] as const) {
      const row = await old
        .insertInto('surveys')
        .values({ kind, score, comment, customer_id: customer.id, item_id: null, created_at: at })
        .returning('id')
        .executeTakeFirstOrThrow();
      ids.push(row.id);
    }
    await old.destroy();

    const store = await openStore(spec);
    try {
      const rows = await store.db
        .selectFrom('surveys')
        .select(['id', 'kind', 'score', 'comment', 'customer_id', 'external_id'])
        .orderBy('id')
        .execute();
      expect(rows).toEqual([
        { id: ids[0], kind: 'csat', score: 5, comment: 'great', customer_id: customer.id, external_id: null },
        { id: ids[1], kind: 'nps', score: 2, comment: null, customer_id: customer.id, external_id: null },
      ]);
      const anon = await store.write((trx) =>
        trx
          .insertInto('surveys')
          .values({ kind: 'nps', score: 10, comment: null, customer_id: null, item_id: null, created_at: at, external_id: 'nps:r1' })
          .returning(['id', 'customer_id'])
          .executeTakeFirstOrThrow(),
      );
      expect(anon.id).toBeGreaterThan(ids[1]!); // ids go on after the highest one kept
      expect(anon.customer_id).toBeNull();
      const again = await store
        .write((trx) =>
          trx
            .insertInto('surveys')
            .values({ kind: 'nps', score: 9, comment: null, customer_id: null, item_id: null, created_at: at, external_id: 'nps:r1' })
            .execute(),
        )
        .then(
          () => null,
          (e: unknown) => e,
        );
      expect(violationOf(again)).toBe('unique');
    } finally {
      await store.close();
    }
  });
});
