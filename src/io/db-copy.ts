// `tandem db copy --to DB`: move a whole database to another store (SQLite → PostgreSQL, or back) by
// the same road as export then import: a JSONL export into a private temp file, loaded into the
// target through its bulk loader. Every id stays the same, and both databases then export the same bytes.
// What the export does not carry (calendars, rules, mailboxes and mail, drafts…) is copied after it, row for row.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Ctx, LoadCtx } from '../core/context.js';
import { conflict } from '../core/errors.js';
import { copyExtraTables } from './table-copy.js';
import { exportJsonl } from './export-jsonl.js';
import { importJsonl } from './import-jsonl.js';
import type { ImportReport } from './import-report.js';

export async function copyDatabase(from: Ctx, to: LoadCtx, onProgress?: (done: number, total: number) => void): Promise<ImportReport> {
  const [agent] = await to.store.db.selectFrom('agents').select('id').limit(1).execute();
  const [item] = await to.store.db.selectFrom('items').select('id').limit(1).execute();
  if (agent || item) throw conflict(`${to.store.location} already holds data; copy into an empty database`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-copy-'));
  const file = path.join(dir, 'copy.jsonl');
  try {
    const fd = fs.openSync(file, 'w', 0o600);
    try {
      await exportJsonl(from, { write: async (text) => void fs.writeSync(fd, text) });
    } finally {
      fs.closeSync(fd);
    }
    const report = await importJsonl(to, file, { onProgress });
    if (report.problemCount > 0) {
      throw conflict(
        `the copy was refused: ${report.problems
          .map((p) => `line ${p.line}: ${p.reason}`)
          .slice(0, 3)
          .join('; ')}`,
      );
    }
    const NAMES: Record<string, string> = {
      calendars: 'calendar',
      calendar_holidays: 'holiday',
      rules: 'rule',
      rule_revisions: 'rule revision',
      route_models: 'routing model',
      mailboxes: 'mailbox',
      mail_cursors: 'mail cursor',
      mail_messages: 'fetched mail',
      outbox: 'outbox entry',
      drafts: 'draft',
    };
    for (const [table, n] of Object.entries(await copyExtraTables(from.store.db, to))) report.added[NAMES[table] ?? table] = n;
    return report;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
