// BEGIN IMMEDIATE that waits for another writer without stopping the event loop. SQLite's busy timeout
// sleeps inside the call: the whole process waits, so a writer in this same process (a second store on
// the file: a program that runs several commands in one process, as the in-process tests do) cannot
// finish and let go, and both are stuck until the timeout fails one. Here the write lock is tried at
// once and, while another connection holds it, tried again after short asynchronous waits, for as long
// as the busy timeout would have waited.
import type BetterSqlite3 from 'better-sqlite3';
import { sql } from 'kysely';
import { violationOf } from '../engine-errors.js';
import type { Db } from '../store.js';

/** How long a statement waits for another connection's lock before the database is reported busy. */
export const BUSY_TIMEOUT_MS = 10_000;

export async function beginImmediate(raw: BetterSqlite3.Database, conn: Db): Promise<void> {
  const started = Date.now();
  raw.pragma('busy_timeout = 0');
  try {
    for (let attempt = 1; ; attempt++) {
      try {
        await sql`begin immediate`.execute(conn);
        return;
      } catch (e) {
        if (violationOf(e) !== 'busy' || Date.now() - started >= BUSY_TIMEOUT_MS) throw e;
        // A little longer each time, with jitter so waiting writers spread out (as SQLite's own handler).
        await new Promise((r) => setTimeout(r, Math.min(50, 2 ** attempt) * (0.5 + Math.random() / 2)));
      }
    }
  } finally {
    // Every other statement keeps the ordinary timeout (a checkpoint or a reader rarely waits, and briefly).
    raw.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  }
}
