// The PostgreSQL store: serializable write transactions run again after a serialization failure or a
// deadlock (so the version check holds across machines), tsvector search, LISTEN/NOTIFY changes, and
// the bulk loader.
import type { BulkLoader, ChangeFeed, Db, Store } from '../store.js';
import { violationOf } from '../engine-errors.js';
import { PostgresBulkLoader } from './bulk.js';
import { ListenFeed } from './changes.js';
import { PostgresSearch } from './search.js';

/** A write that keeps losing serialization races gives up after this long, with a clear conflict. */
const RETRY_FOR_MS = 20_000;

export class PostgresStore implements Store {
  readonly engine = 'postgres' as const;
  readonly readonly = false;
  readonly search: PostgresSearch;
  readonly changes: ChangeFeed;
  readonly bulk: BulkLoader;

  constructor(
    readonly db: Db,
    url: string,
    readonly location: string,
    ownBackends: ReadonlySet<number>,
  ) {
    this.search = new PostgresSearch(db);
    this.changes = new ListenFeed(url, location, ownBackends);
    this.bulk = new PostgresBulkLoader(db);
  }

  async write<T>(fn: (trx: Db) => Promise<T>): Promise<T> {
    const started = Date.now();
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.db.transaction().setIsolationLevel('serializable').execute(fn);
      } catch (e) {
        if (violationOf(e) !== 'serialization' || Date.now() - started > RETRY_FOR_MS) throw e;
        // Back off a little, more each time, with jitter so racing writers spread out.
        await new Promise((r) => setTimeout(r, Math.random() * Math.min(200, 5 * 2 ** Math.min(attempt, 6))));
      }
    }
  }

  async close(): Promise<void> {
    await (this.changes as ListenFeed).stop();
    await this.db.destroy();
  }
}
