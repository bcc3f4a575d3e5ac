// Imports that go through the core's own operations (email, ingest) run them all inside one write
// transaction: the core sees a store whose write() joins it, each record gets a savepoint, and the
// clock says when the record happened, so history keeps its real times.
import { sql } from 'kysely';
import { makeCtx, type Ctx } from '../core/context.js';
import type { CoreStore, Db } from '../store/store.js';

export interface CoreSession {
  /** A ctx for one record: the core's writes join the import's transaction; "now" is `at`. */
  ctxAt(at: Date): Ctx;
  trx: Db;
  /** Run one record so that a failure leaves nothing of it behind. */
  record<T>(fn: () => Promise<T>): Promise<T>;
}

export async function inOneTransaction<T>(ctx: Ctx, fn: (session: CoreSession) => Promise<T>): Promise<T> {
  return ctx.store.write(async (trx) => {
    const joined: CoreStore = {
      engine: ctx.store.engine,
      db: trx,
      location: ctx.store.location,
      readonly: false,
      write: (f) => f(trx),
      search: ctx.store.search,
    };
    const session: CoreSession = {
      trx,
      ctxAt: (at) => makeCtx(joined, () => new Date(at.getTime())),
      async record(run) {
        await sql`savepoint import_record`.execute(trx);
        try {
          const result = await run();
          await sql`release savepoint import_record`.execute(trx);
          return result;
        } catch (e) {
          await sql`rollback to savepoint import_record`.execute(trx);
          await sql`release savepoint import_record`.execute(trx);
          throw e;
        }
      },
    };
    return fn(session);
  });
}
