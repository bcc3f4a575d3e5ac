// What callers need from a store, split by who needs it: the core needs a Kysely handle and write
// transactions (CoreStore) plus search; the console needs a change feed; demo and imports need bulk
// loading. Each engine (src/store/sqlite, src/store/postgres) implements all of them.
import type { Insertable, Kysely, RawBuilder } from 'kysely';
import type { Database } from './schema.js';

export type Db = Kysely<Database>;
export type Engine = 'sqlite' | 'postgres';

/** Full-text search over subjects and message bodies. */
export interface SearchIndex {
  /** Item ids whose subject or message bodies match `text` (plain words, never query syntax; the last word is a prefix). */
  itemIds(text: string, limit?: number): Promise<number[]>;
  /**
   * A condition for a query's WHERE: the item whose id is in column `itemIdColumn` matches `text`, as
   * itemIds finds them. Null when nothing can match (no words).
   */
  matchCondition(text: string, itemIdColumn: string): Promise<RawBuilder<boolean> | null>;
}

/** The database and its transactions: everything the core needs. */
export interface CoreStore {
  readonly engine: Engine;
  readonly db: Db;
  /** Where the data lives, safe to print (a path, or a URL with any password masked). */
  readonly location: string;
  /** True when the data may not be written (writes are refused with a clear error). */
  readonly readonly: boolean;
  /**
   * Run `fn` in one transaction that cannot lose a concurrent change: SQLite takes the write lock up
   * front; PostgreSQL runs it serializable and runs `fn` again after a serialization failure, so `fn`
   * must only touch the database.
   */
  write<T>(fn: (trx: Db) => Promise<T>): Promise<T>;
  readonly search: SearchIndex;
}

export type ChangeSignal =
  | { type: 'change' }
  /** The connection to the data was lost; changes are not seen until 'online'. */
  | { type: 'offline'; reason: string }
  | { type: 'online' };

/** "Someone committed": SQLite polls PRAGMA data_version, PostgreSQL LISTENs. */
export interface ChangeFeed {
  /** Call `listener` after other connections commit; returns the unsubscribe function. */
  subscribe(listener: (signal: ChangeSignal) => void): () => void;
}

/** Tables the bulk loader writes, parents before the tables that refer to them (the order engines write queued rows in). */
export const BULK_TABLES = [
  'agents',
  'customers',
  'orders',
  'items',
  'item_tags',
  'events',
  'escalations',
  'surveys',
  'macros',
  'saved_views',
] as const;
export type BulkTable = (typeof BULK_TABLES)[number];

/**
 * One bulk load, inside one write transaction. Rows carry explicit ids (from `nextId`), so inserts can
 * be batched; sequences move past them when the load ends.
 */
export interface BulkWriter {
  /** The transaction: lookups and updates during the load. */
  readonly db: Db;
  /** The next free id of `table` (ids handed out during this load count as taken). */
  nextId(table: Exclude<BulkTable, 'item_tags'>): number;
  /** Note an explicit id used by a row (JSONL keeps the exported ids). */
  claimId(table: Exclude<BulkTable, 'item_tags'>, id: number): void;
  /** Queue one row; it is written by the next flush (or earlier). */
  insert<T extends BulkTable>(table: T, row: Insertable<Database[T]>): void;
  /** Write every queued row (before reading back what was queued). */
  flush(): Promise<void>;
  /** A point between records where the writer may write queued rows, when many are queued. */
  checkpoint(): Promise<void>;
  /** Run one record so that a failure leaves nothing of it behind (a savepoint around its rows). */
  record<T>(fn: () => Promise<T>): Promise<T>;
}

export interface BulkLoader {
  /**
   * Run `fn` in one write transaction with fast inserts: secondary indexes and the search index are
   * built once at the end where that is faster. All or nothing: a throw rolls everything back.
   */
  load<T>(fn: (w: BulkWriter) => Promise<T>): Promise<T>;
}

export interface Store extends CoreStore {
  readonly changes: ChangeFeed;
  readonly bulk: BulkLoader;
  close(): Promise<void>;
}
