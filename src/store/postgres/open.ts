// Opening a PostgreSQL store: a pg pool with its own type parsers (never the global ones), errors
// translated where every query passes, identity checks, and migrations run once even when several
// processes start together (a session advisory lock around Kysely's migrator).
import pg from 'pg';
import { printableLocation } from '../spec.js';
import { Kysely, Migrator, PostgresDialect, sql } from 'kysely';
import { failure } from '../../core/errors.js';
import { translatePgError } from '../engine-errors.js';
import { MIGRATIONS, migrationProviderFor } from '../migrations.js';
import type { Database } from '../schema.js';
import type { Store } from '../store.js';
import { PostgresStore } from './store.js';

/** pg_advisory_lock key for migrations: 'Tndm', as SQLite's application_id. */
const MIGRATION_LOCK = 0x546e646d;

/** Counts as numbers and times as the ISO text Tandem stores: per pool, so no other pg user is affected. */
const types = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === 20 || oid === 1700) return (v: string) => Number(v); // int8 (count, sum), numeric
    return pg.types.getTypeParser(oid, format as 'text');
  },
};

export function makePool(url: string, max = 4): pg.Pool {
  const pool = new pg.Pool({ connectionString: url, max, types, idleTimeoutMillis: 10_000, connectionTimeoutMillis: 10_000 });
  // An idle client whose server went away emits 'error' on the pool; the next checkout reconnects.
  pool.on('error', () => undefined);
  return pool;
}

/** Kysely's pool, with every driver error translated into a TandemError. */
function translatingPool(pool: pg.Pool, location: string) {
  return {
    async connect() {
      let client: pg.PoolClient;
      try {
        client = await pool.connect();
      } catch (e) {
        throw translatePgError(e, location);
      }
      return {
        async query(sqlText: string, params: readonly unknown[]) {
          try {
            return await client.query(sqlText, params as unknown[]);
          } catch (e) {
            throw translatePgError(e, location);
          }
        },
        release: (err?: Error) => client.release(err),
      };
    },
    end: () => pool.end(),
  };
}

export async function openPostgresStore(url: string): Promise<Store> {
  const location = printableLocation(url);
  const pool = makePool(url);
  // The backends of this store's own pool: the change feed skips their notifications, as SQLite's
  // data_version counts only other connections' commits.
  const ownBackends = new Set<number>();
  const db = new Kysely<Database>({
    dialect: new PostgresDialect({
      pool: translatingPool(pool, location) as never,
      onCreateConnection: async (conn) => {
        const r = await conn.executeQuery<{ pid: number }>({
          sql: 'select pg_backend_pid() as pid',
          parameters: [],
          query: null as never,
          queryId: null as never,
        });
        ownBackends.add(Number(r.rows[0]!.pid));
      },
    }),
  });
  try {
    await migrate(db, url, location);
  } catch (e) {
    await db.destroy();
    throw translatePgError(e, location);
  }
  return new PostgresStore(db, url, location, ownBackends);
}

async function migrate(db: Kysely<Database>, url: string, location: string): Promise<void> {
  const expected = Object.keys(MIGRATIONS).length;
  if ((await appliedMigrations(db, location)) === expected) return; // the common case: nothing to do
  // Two processes starting together on a fresh database: the second waits here, then finds it done.
  const lock = new pg.Client({ connectionString: url, types });
  lock.on('error', () => undefined);
  try {
    await lock.connect();
    await lock.query('select pg_advisory_lock($1)', [MIGRATION_LOCK]);
    if ((await appliedMigrations(db, location)) === expected) return;
    const { error, results } = await new Migrator({
      db,
      provider: migrationProviderFor('postgres'),
      allowUnorderedMigrations: true,
    }).migrateToLatest();
    if (error) {
      const failed = results?.find((r) => r.status === 'Error')?.migrationName;
      throw failure(`could not migrate ${location}${failed ? ` (migration ${failed})` : ''}: ${(error as Error).message}`);
    }
  } finally {
    await lock.end().catch(() => undefined);
  }
}

/** How many migrations the database has; refuses databases that are someone else's or a newer Tandem's. */
async function appliedMigrations(db: Kysely<Database>, location: string): Promise<number> {
  const tables = (await db
    .selectFrom('information_schema.tables' as never)
    .select('table_name' as never)
    .where('table_schema' as never, '=', sqlCurrentSchema())
    .execute()) as { table_name: string }[];
  const names = new Set(tables.map((t) => t.table_name));
  if (!names.has('kysely_migration')) {
    if (names.size > 0 && !(names.size <= 2 && [...names].every((n) => n.startsWith('kysely_migration')))) {
      throw failure(`${location} is not a Tandem database (it holds other tables); refusing to touch it`);
    }
    return 0;
  }
  const applied = (await db
    .selectFrom('kysely_migration' as never)
    .select('name' as never)
    .execute()) as { name: string }[];
  const unknown = applied.map((r) => r.name).filter((n) => !(n in MIGRATIONS));
  if (unknown.length > 0)
    throw failure(`${location} was made by a newer Tandem (schema ${unknown.sort().at(-1)}); upgrade Tandem to open it`);
  return applied.length;
}

/** The schema the URL's search_path puts first (public by default). */
function sqlCurrentSchema() {
  return sql.raw('current_schema()') as never;
}
