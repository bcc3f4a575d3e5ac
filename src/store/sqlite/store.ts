// The SQLite store: BEGIN IMMEDIATE write transactions, FTS5 search, a change feed polling
// PRAGMA data_version, and the bulk loader.
import type BetterSqlite3 from 'better-sqlite3';
import { sql } from 'kysely';
import { failure } from '../../core/errors.js';
import { translateSqliteError } from '../engine-errors.js';
import type { BulkLoader, ChangeFeed, ChangeSignal, Db, Store } from '../store.js';
import { beginImmediate } from './begin.js';
import { SqliteBulkLoader } from './bulk.js';
import { SqliteSearch } from './search.js';

const POLL_MS = 250;

export class SqliteStore implements Store {
  readonly engine = 'sqlite' as const;
  readonly search: SqliteSearch;
  readonly changes: ChangeFeed;
  readonly bulk: BulkLoader;

  constructor(
    readonly db: Db,
    private readonly raw: BetterSqlite3.Database,
    readonly location: string,
  ) {
    this.search = new SqliteSearch(db);
    this.changes = new DataVersionFeed(raw);
    this.bulk = new SqliteBulkLoader(db, raw, location);
  }

  get readonly(): boolean {
    return this.raw.readonly;
  }

  async write<T>(fn: (trx: Db) => Promise<T>): Promise<T> {
    if (this.raw.readonly) throw failure(`${this.location} is read-only; nothing was written`);
    // Kysely's transaction() issues a deferred BEGIN; a read-then-write needs the lock from the start.
    return this.db.connection().execute(async (conn) => {
      await beginImmediate(this.raw, conn);
      try {
        const result = await fn(conn);
        await sql`commit`.execute(conn);
        return result;
      } catch (e) {
        if (this.raw.inTransaction) await sql`rollback`.execute(conn);
        throw translateSqliteError(e);
      }
    });
  }

  async close(): Promise<void> {
    (this.changes as DataVersionFeed).stop();
    await this.db.destroy();
  }
}

/** PRAGMA data_version moves when another connection commits: a cheap counter read, polled. */
class DataVersionFeed implements ChangeFeed {
  private readonly listeners = new Set<(s: ChangeSignal) => void>();
  private timer: NodeJS.Timeout | null = null;
  private last = 0;

  constructor(private readonly raw: BetterSqlite3.Database) {}

  subscribe(listener: (s: ChangeSignal) => void): () => void {
    this.listeners.add(listener);
    if (!this.timer) {
      this.last = this.version();
      this.timer = setInterval(() => this.poll(), POLL_MS);
      this.timer.unref();
    }
    return () => {
      this.listeners.delete(listener);
      if (this.listeners.size === 0) this.stop();
    };
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  private version(): number {
    return this.raw.pragma('data_version', { simple: true }) as number;
  }

  private poll(): void {
    let v: number;
    try {
      v = this.version();
    } catch {
      return; // closing
    }
    if (v === this.last) return;
    this.last = v;
    for (const l of [...this.listeners]) l({ type: 'change' });
  }
}
