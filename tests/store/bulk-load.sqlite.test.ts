// The SQLite bulk loader's fast path into an empty database (indexes and search index built after the
// rows, multi-row inserts, load-time pragmas): it must leave exactly the database that writing the same
// rows one by one leaves, give its pragmas back, and never block another connection's reads.
import fs from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { standardAgents, tempDir, testEnv, type TestEnv } from '../helpers/core.js';
import { makeCtx } from '../../src/core/context.js';
import { createItem, note, reply } from '../../src/core/items.js';
import { exportJsonl } from '../../src/io/export-jsonl.js';
import { importJsonl } from '../../src/io/import-jsonl.js';
import { openSqliteStore } from '../../src/store/sqlite/open.js';

let env: TestEnv;
let dir: string;
beforeEach(async () => {
  env = await testEnv();
  dir = tempDir();
});
afterEach(async () => {
  await env.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** Items written one at a time through the core (search triggers and every index live). */
async function writeItemsOneByOne(): Promise<void> {
  const { sam, cleo } = await standardAgents(env.ctx);
  const words = ['printer', 'invoice', 'refund', 'crash', 'login', 'café', 'Überweisung', 'screenshot'];
  for (let i = 0; i < 40; i++) {
    const w = (k: number) => words[(i + k) % words.length]!;
    const it = await createItem(env.ctx, sam, {
      subject: `${w(0)} trouble number ${i}`,
      body: i % 5 === 0 ? null : `The ${w(1)} and the ${w(2)} since Monday`,
      role: i % 2 ? 'support' : 'service',
      customer: { name: `Customer ${i % 7}`, email: `c${i % 7}@example.com` },
      assignee: i % 3 ? (i % 2 ? 'cleo' : 'ana') : null,
      tags: i % 4 ? ['vip', w(3).toLowerCase()] : [],
      priority: i % 2 ? 'high' : 'normal',
    });
    env.clock.minutes(7);
    if (i % 2) await reply(env.ctx, cleo, it.id, `About the ${w(4)}: try again`, { status: 'pending' });
    if (i % 3 === 0) await note(env.ctx, cleo, it.id, `Internal: ${w(5)} seen before`);
    env.clock.minutes(3);
  }
}

function raw(file: string): BetterSqlite3.Database {
  return new BetterSqlite3(file, { readonly: true });
}

/** Everything that must match: schema, every row's search terms (fts5vocab), integrity. */
function fingerprint(file: string) {
  const db = new BetterSqlite3(file);
  try {
    db.exec(`create virtual table temp.terms using fts5vocab(main, 'search_fts', 'instance')`);
    return {
      schema: db.prepare(`select type, name, tbl_name, sql from sqlite_master order by type, name`).all(),
      terms: db.prepare('select term, doc, offset from temp.terms order by doc, offset').all(),
      integrity: db.pragma('integrity_check', { simple: true }),
      searchIntegrity: db.prepare(`insert into search_fts (search_fts, rank) values ('integrity-check', 0)`).run() && 'ok',
      journal: db.pragma('journal_mode', { simple: true }),
    };
  } finally {
    db.close();
  }
}

async function exportTo(file: string): Promise<void> {
  const out: string[] = [];
  await exportJsonl(env.ctx, { write: (t) => void out.push(t) });
  fs.writeFileSync(file, out.join(''));
}

describe('SQLite bulk load into an empty database', () => {
  it('leaves the same schema, indexes, search index and rows as writing them one by one', async () => {
    await writeItemsOneByOne();
    const exported = path.join(dir, 'export.jsonl');
    await exportTo(exported);
    const copy = path.join(dir, 'copy.db');
    const store = await openSqliteStore(copy);
    try {
      const report = await importJsonl(makeCtx(store), exported);
      expect(report.written).toBe(true);
    } finally {
      await store.close();
    }
    const a = fingerprint(env.dbPath);
    const b = fingerprint(copy);
    expect(b.terms.length).toBeGreaterThan(100);
    expect(b).toEqual(a);
    expect(b.integrity).toBe('ok');
    expect(b.journal).toBe('wal');
    // The rows themselves.
    for (const table of ['items', 'events', 'item_tags', 'customers', 'agents']) {
      const rows = (file: string) => raw(file).prepare(`select * from ${table} order by 1, 2`).all();
      expect(rows(copy), table).toEqual(rows(env.dbPath));
    }
  });

  it('a failed load gives back the indexes, the search triggers and the page cache it had, in WAL mode', async () => {
    const file = path.join(dir, 'empty.db');
    const store = await openSqliteStore(file, { interactive: true });
    const before = fingerprint(file);
    await expect(
      store.bulk.load(async (w) => {
        w.insert('customers', { id: w.nextId('customers'), name: 'Olivia', email: 'o@example.com', created_at: 'x', updated_at: 'x' });
        await w.flush();
        throw new Error('stop');
      }),
    ).rejects.toThrow('stop');
    const reader = raw(file);
    expect(reader.prepare('select count(*) from customers').pluck().get()).toBe(0);
    reader.close();
    expect(fingerprint(file)).toEqual(before);
    expect(before.journal).toBe('wal');
    expect((await store.db.selectFrom('items').select('id').execute()).length).toBe(0);
    expect(fs.existsSync(`${file}-journal`)).toBe(false);
    // The console's 2 MiB page cache, not the load's 256 MiB.
    const cache = await import('kysely').then(({ sql }) => sql<{ cache_size: number }>`pragma cache_size`.execute(store.db));
    expect(cache.rows[0]!.cache_size).toBe(-2048);
    await store.close();
  });

  it('a command that opens the file during a load into an empty database reads the last commit, never blocked', async () => {
    const file = path.join(dir, 'shared.db');
    const store = await openSqliteStore(file);
    await store.bulk.load(async (w) => {
      for (let i = 0; i < 10; i++)
        w.insert('customers', { id: w.nextId('customers'), name: `C${i}`, email: `c${i}@example.com`, created_at: 'x', updated_at: 'x' });
      await w.flush();
      // As another `tandem` process would, opening the file while the load holds the write lock.
      const other = await openSqliteStore(file);
      try {
        const rows = await other.db.selectFrom('customers').select('id').execute();
        expect(rows).toEqual([]);
      } finally {
        await other.close();
      }
    });
    const reader = raw(file);
    expect(reader.prepare('select count(*) from customers').pluck().get()).toBe(10);
    reader.close();
    await store.close();
    expect(fingerprint(file).journal).toBe('wal');
  });
});
