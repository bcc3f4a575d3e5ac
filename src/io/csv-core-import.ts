// The loop every CSV import through the core shares (orders, surveys, messages): one write
// transaction, a savepoint per row, the row's problem reported with its line, and the rules for
// all-or-nothing, --skip-invalid and --dry-run.
import type { Ctx } from '../core/context.js';
import { inOneTransaction, type CoreSession } from './core-session.js';
import { RecordError, Rollback, addProblem, errorMessage, finish, type ImportOptions, type ImportReport } from './import-report.js';

export interface RowTask {
  line: number;
  run: (session: CoreSession) => Promise<void>;
}

/**
 * `startAttempt` forgets what the tasks remembered in memory (items made, ids counted): on PostgreSQL
 * the transaction may run again after a serialization failure, and then nothing of the failed attempt
 * is in the database.
 */
export async function runRowsThroughCore(
  ctx: Ctx,
  file: string,
  report: ImportReport,
  tasks: RowTask[],
  opts: ImportOptions,
  startAttempt?: () => void,
): Promise<ImportReport> {
  // Each attempt starts from the report as it was before the transaction (rows read before it keep
  // their counts).
  const before = structuredClone(report);
  try {
    await inOneTransaction(ctx, async (session) => {
      Object.assign(report, structuredClone(before));
      startAttempt?.();
      for (const [n, task] of tasks.entries()) {
        if (n % 200 === 0) opts.onProgress?.(n, tasks.length);
        try {
          await session.record(() => task.run(session));
        } catch (e) {
          if (e instanceof RecordError || (e as { kind?: string }).kind)
            addProblem(report, { file, line: task.line, reason: errorMessage(e) });
          else throw e;
        }
      }
      opts.onProgress?.(tasks.length, tasks.length);
      if (opts.dryRun || (report.problemCount > 0 && !opts.skipInvalid)) throw new Rollback(report);
    });
    report.written = true;
  } catch (e) {
    if (!(e instanceof Rollback)) throw e;
  }
  return finish(report, opts);
}
