// Look at a database without changing it (for `tandem doctor`): is it there, is it Tandem's, which
// migrations it has and which this Tandem would still apply, and, on PostgreSQL, whether LISTEN works.
import fs from 'node:fs';
import { MIGRATIONS } from './migrations.js';
import { isPostgresSpec, printableLocation } from './open.js';

export interface SchemaState {
  engine: 'sqlite' | 'postgres';
  location: string;
  exists: boolean;
  applied: string[];
  pending: string[];
  /** Migrations the database has that this Tandem does not know (made by a newer Tandem). */
  unknown: string[];
  /** PostgreSQL: a NOTIFY on one connection reached a LISTEN on another, in ms (null: not checked). */
  listenMs?: number | null;
  error?: string;
}

export async function inspectSchema(spec: string): Promise<SchemaState> {
  return isPostgresSpec(spec) ? inspectPostgres(spec) : inspectSqlite(spec);
}

function compare(applied: string[]): Pick<SchemaState, 'applied' | 'pending' | 'unknown'> {
  const known = Object.keys(MIGRATIONS).sort();
  return { applied, pending: known.filter((m) => !applied.includes(m)), unknown: applied.filter((m) => !(m in MIGRATIONS)) };
}

async function inspectSqlite(file: string): Promise<SchemaState> {
  const base = { engine: 'sqlite' as const, location: file };
  if (!fs.existsSync(file)) return { ...base, exists: false, ...compare([]) };
  const { default: BetterSqlite3 } = await import('better-sqlite3');
  let raw: InstanceType<typeof BetterSqlite3>;
  try {
    raw = new BetterSqlite3(file, { readonly: true, fileMustExist: true });
  } catch (e) {
    return { ...base, exists: true, ...compare([]), error: (e as Error).message };
  }
  try {
    const has = raw.prepare(`select 1 from sqlite_master where type = 'table' and name = 'kysely_migration'`).get();
    const applied = has ? (raw.prepare('select name from kysely_migration order by name').pluck().all() as string[]) : [];
    return { ...base, exists: true, ...compare(applied) };
  } catch (e) {
    return { ...base, exists: true, ...compare([]), error: (e as Error).message };
  } finally {
    raw.close();
  }
}

async function inspectPostgres(url: string): Promise<SchemaState> {
  const base = { engine: 'postgres' as const, location: printableLocation(url) };
  const { default: pg } = await import('pg');
  const a = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
  const b = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
  a.on('error', () => undefined);
  b.on('error', () => undefined);
  try {
    await a.connect();
    const has = await a.query(
      `select 1 from information_schema.tables where table_schema = current_schema() and table_name = 'kysely_migration'`,
    );
    const applied = has.rowCount
      ? (await a.query<{ name: string }>('select name from kysely_migration order by name')).rows.map((r) => r.name)
      : [];
    // LISTEN on one connection, NOTIFY from another: what live refresh needs.
    await b.connect();
    await a.query('listen tandem_doctor');
    const started = Date.now();
    const heard = new Promise<number>((resolve) => a.once('notification', () => resolve(Date.now() - started)));
    await b.query(`notify tandem_doctor, 'ping'`);
    const listenMs = await Promise.race([heard, new Promise<null>((r) => setTimeout(() => r(null), 3_000))]);
    return { ...base, exists: true, ...compare(applied), listenMs };
  } catch (e) {
    return { ...base, exists: false, ...compare([]), listenMs: null, error: (e as Error).message };
  } finally {
    await a.end().catch(() => undefined);
    await b.end().catch(() => undefined);
  }
}
