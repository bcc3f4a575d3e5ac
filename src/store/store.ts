// What the core needs from a store: a Kysely handle, a write transaction that holds the write lock
// from its first read, full-text search, and a cheap "has anyone committed?" counter.
import type { Kysely } from 'kysely';
import type { Database } from './schema.js';

export type Db = Kysely<Database>;

export interface Store {
  readonly db: Db;
  /** Where the data lives (a path for SQLite). */
  readonly location: string;
  /** True when the file may not be written (writes are refused with a clear error). */
  readonly readonly: boolean;
  /**
   * Run `fn` in one transaction that takes the write lock up front, so a read-then-write
   * never fails half way because another process wrote in between.
   */
  write<T>(fn: (trx: Db) => Promise<T>): Promise<T>;
  /** Item ids whose subject or message bodies match `text` (treated as plain words, never as query syntax). */
  searchItemIds(text: string, limit?: number): Promise<number[]>;
  /** A number that changes when another connection commits (SQLite: PRAGMA data_version). */
  dataVersion(): number;
  /**
   * Fast batch loading (demo data, imports): `fn` runs synchronously inside one write transaction
   * and inserts rows through prepared statements. All or nothing.
   */
  bulk<T>(fn: (w: BulkWriter) => T): T;
  close(): Promise<void>;
}

export interface BulkWriter {
  /** Insert one row; returns its id (rowid). Values must be strings, numbers or null. */
  insert(table: string, row: Record<string, string | number | null>): number;
  /** Run a statement that returns nothing (an update during a load). */
  run(sqlText: string, ...params: (string | number | null)[]): void;
  /** Run a read query (for lookups during a load). */
  get<R>(sqlText: string, ...params: (string | number | null)[]): R | undefined;
}
