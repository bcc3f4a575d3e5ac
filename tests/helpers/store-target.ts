// Which store the suite runs on: SQLite files by default; PostgreSQL when TANDEM_TEST_STORE=postgres
// (scripts/test-postgres.mjs starts a throwaway cluster, makes a migrated template database, and sets
// TANDEM_TEST_PG_URL). Every test that needs a database asks for one here, so the same test runs on both.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import pg from 'pg';
import { openStore } from '../../src/store/open.js';
import type { Store } from '../../src/store/store.js';

export const onPostgres = process.env.TANDEM_TEST_STORE === 'postgres';
export const storeName = onPostgres ? 'postgres' : 'sqlite';

let admin: pg.Pool | null = null;
let counter = 0;

function adminPool(): pg.Pool {
  const url = process.env.TANDEM_TEST_PG_URL;
  if (!url) throw new Error('TANDEM_TEST_STORE=postgres needs TANDEM_TEST_PG_URL (run the suite through scripts/test-postgres.mjs)');
  admin ??= new pg.Pool({ connectionString: url, max: 2 });
  return admin;
}

/** The URL of another database on the test cluster. */
export function pgUrl(database: string): string {
  const u = new URL(process.env.TANDEM_TEST_PG_URL!);
  u.pathname = '/' + database;
  return u.toString();
}

/**
 * A new, empty, migrated database: a file path in a fresh temp folder, or a URL of a new PostgreSQL
 * database copied from the migrated template. `fresh` skips the template (for migration tests).
 */
export async function newDatabase(name = 'tandem', opts: { fresh?: boolean } = {}): Promise<string> {
  if (!onPostgres) return path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-test-')), `${name}.db`);
  const db = `t_${process.pid}_${++counter}_${name.replace(/\W+/g, '_')}`.toLowerCase().slice(0, 60);
  const template = opts.fresh ? 'template0' : 'tandem_template';
  for (let attempt = 0; ; attempt++) {
    try {
      await adminPool().query(`create database "${db}" template ${template}`);
      return pgUrl(db);
    } catch (e) {
      // Two creates from one template at the same instant: "source database is being accessed".
      if (attempt > 20 || !/being accessed by other users/.test((e as Error).message)) throw e;
      await new Promise((r) => setTimeout(r, 50 + Math.random() * 200));
    }
  }
}

/** Remove a database made by newDatabase (a no-op for SQLite: the temp folder goes with the run). */
export async function dropDatabase(spec: string): Promise<void> {
  if (!spec.startsWith('postgres')) {
    fs.rmSync(path.dirname(spec), { recursive: true, force: true });
    return;
  }
  const name = new URL(spec).pathname.slice(1);
  await adminPool()
    .query(`drop database if exists "${name}" with (force)`)
    .catch(() => undefined);
}

/** Open the database for a moment (any engine), run `fn`, close it. */
export async function withStore<T>(spec: string, fn: (store: Store) => Promise<T>): Promise<T> {
  const store = await openStore(spec);
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}

/** The first column of the first row of a (portable) SQL query, as a number. */
export async function scalar(spec: string, query: string): Promise<number> {
  return withStore(spec, async (s) => Number(Object.values((await sql.raw(query).execute(s.db)).rows[0] as object)[0]));
}

const KEYS: Record<string, string> = { item_tags: 'item_id, tag', sla_policies: 'role, priority', kysely_migration: 'name' };

/** A logical dump of Tandem's tables, ordered by key: equal for equal content on either engine. */
export async function dumpTables(
  spec: string,
  tables = ['agents', 'customers', 'orders', 'items', 'events', 'surveys', 'escalations', 'item_tags', 'sla_policies'],
): Promise<string> {
  return withStore(spec, async (s) => {
    const out: string[] = [];
    for (const t of tables) {
      const rows = (await sql.raw(`select * from ${t} order by ${KEYS[t] ?? 'id'}`).execute(s.db)).rows;
      out.push(JSON.stringify([t, rows]));
    }
    return out.join('\n');
  });
}

/** A new database holding a copy of `spec` (a file copy, or CREATE DATABASE … TEMPLATE). */
export async function cloneDatabase(spec: string, name = 'clone'): Promise<string> {
  if (!onPostgres) {
    const target = await newDatabase(name);
    fs.copyFileSync(spec, target);
    return target;
  }
  const db = `t_${process.pid}_${++counter}_${name.replace(/\W+/g, '_')}`.toLowerCase().slice(0, 60);
  await adminPool().query(`create database "${db}" template "${new URL(spec).pathname.slice(1)}"`);
  return pgUrl(db);
}
