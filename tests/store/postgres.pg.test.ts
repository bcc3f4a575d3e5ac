// What only PostgreSQL has: LISTEN/NOTIFY between machines, a server that goes away and comes back,
// processes migrating one fresh database together, and the move from SQLite with every byte kept.
import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addAgent, findAgent } from '../../src/core/agents.js';
import { makeCtx } from '../../src/core/context.js';
import { TandemError } from '../../src/core/errors.js';
import { createItem, note as addNote } from '../../src/core/items.js';
import { openStore } from '../../src/store/open.js';
import type { ChangeSignal, Store } from '../../src/store/store.js';
import { startCluster, type PgCluster } from '../../scripts/pg-cluster.mjs';
import { runJson, runTandem } from '../helpers/cli-inproc.js';
import { tempDir } from '../helpers/core.js';
import { newDatabase, scalar } from '../helpers/store-target.js';

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until<T>(what: string, fn: () => T | undefined | false, ms = 5_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await wait(20);
  }
}

describe('live refresh: LISTEN/NOTIFY', () => {
  it("another connection's commit reaches a subscriber within a second; its own commits do not", async () => {
    const db = await newDatabase('listen');
    const a = await openStore(db);
    const b = await openStore(db);
    try {
      const ctxA = makeCtx(a);
      const ctxB = makeCtx(b);
      const sam = await addAgent(ctxB, { handle: 'sam', name: 'Sam', roles: 'both' });
      const signals: ChangeSignal[] = [];
      const unsubscribe = a.changes.subscribe((s) => signals.push(s));
      await wait(300); // the listening connection is up
      await createItem(ctxB, sam, { subject: 'From another machine', customer: 'x@example.com' });
      await until('a change signal', () => signals.some((s) => s.type === 'change'));
      signals.length = 0;
      await createItem(ctxA, sam, { subject: 'My own', customer: 'y@example.com' });
      await wait(500);
      expect(signals).toEqual([]);
      unsubscribe();
    } finally {
      await a.close();
      await b.close();
    }
  });
});

describe('live refresh: a subscriber right after another left', () => {
  it('listens on one connection, says nothing of being offline, and leaves none listening when it goes', async () => {
    const db = await newDatabase('relisten');
    const a = await openStore(db);
    const b = await openStore(db);
    const name = new URL(db).pathname.slice(1);
    const listening = async () =>
      Number(
        (
          await sql<{ n: number }>`select count(*) as n from pg_stat_activity where datname = ${name} and query ilike 'listen %'`.execute(
            b.db,
          )
        ).rows[0]!.n,
      );
    try {
      const sam = await addAgent(makeCtx(b), { handle: 'sam', name: 'Sam', roles: 'both' });
      const signals: ChangeSignal[] = [];
      // A screen that closes and another that opens at once: the first's connection is still starting.
      a.changes.subscribe(() => undefined)();
      const unsubscribe = a.changes.subscribe((s) => signals.push(s));
      await wait(300); // the listening connection is up
      await createItem(makeCtx(b), sam, { subject: 'From another machine', customer: 'x@example.com' });
      await until('a change signal', () => signals.some((s) => s.type === 'change'));
      expect(signals.filter((s) => s.type !== 'change')).toEqual([]);
      expect(await listening()).toBe(1);
      unsubscribe();
      const end = Date.now() + 5_000;
      while ((await listening()) > 0) {
        if (Date.now() > end) throw new Error('a connection is still listening after the last subscriber left');
        await wait(50);
      }
    } finally {
      await a.close();
      await b.close();
    }
  });
});

describe('two processes migrating a fresh database at once', () => {
  it('migrate it once, and both succeed', async () => {
    const db = await newDatabase('fresh', { fresh: true });
    const runs = await Promise.all([0, 1, 2].map(() => runTandem(['db', 'migrate', '--json'], { db })));
    for (const r of runs) expect(r.code, r.stderr).toBe(0);
    expect(await scalar(db, 'select count(*) from kysely_migration')).toBe(
      await scalar(db, 'select count(distinct name) from kysely_migration'),
    );
    const info = await runJson(['db', 'info'], { db });
    expect(info).toMatchObject({ engine: 'postgres', counts: { items: 0 } });
    expect(await scalar(db, 'select count(*) from sla_policies')).toBe(8); // seeded once, not three times
  });

  it('refuses a database that holds other tables, and changes nothing', async () => {
    const db = await newDatabase('foreign', { fresh: true });
    const pg = (await import('pg')).default;
    const c = new pg.Client({ connectionString: db });
    await c.connect();
    await c.query('create table invoices (id int)');
    await c.end();
    const r = await runTandem(['inbox'], { db, as: 'sam' });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/not a Tandem database \(it holds other tables\)/);
  });
});

describe('moving from SQLite', () => {
  it('SQLite export → PostgreSQL import → export gives the same bytes, and db copy goes both ways', async () => {
    const dir = tempDir();
    const lite = path.join(dir, 'demo.db');
    expect((await runTandem(['demo', '--items', '300', '--now', '2026-03-01T00:00:00Z', '--quiet'], { db: lite })).code).toBe(0);
    // What the JSONL export does not carry moves too: a business-hours calendar and the policy using it.
    expect(
      (
        await runTandem(
          ['calendar', 'add', 'office', '--tz', 'Europe/Berlin', '--hours', 'mon-fri 09:00-17:00', '--holiday', '2026-12-25'],
          { db: lite, as: 'sam' },
        )
      ).code,
    ).toBe(0);
    expect(
      (await runTandem(['sla', 'set', 'support', 'high', '--calendar', 'office', '--pauses', 'on'], { db: lite, as: 'sam' })).code,
    ).toBe(0);
    const exported = await runTandem(['export'], { db: lite });
    const file = path.join(dir, 'demo.jsonl');
    fs.writeFileSync(file, exported.stdout);

    const viaImport = await newDatabase('via_import');
    expect((await runTandem(['import', file], { db: viaImport })).code).toBe(0);
    expect((await runTandem(['export'], { db: viaImport })).stdout).toBe(exported.stdout);

    const viaCopy = await newDatabase('via_copy');
    const copy = await runJson(['db', 'copy', '--to', viaCopy], { db: lite });
    expect(copy.added.item).toBeGreaterThanOrEqual(300);
    expect((await runTandem(['export'], { db: viaCopy })).stdout).toBe(exported.stdout);
    for (const args of [
      ['calendar', 'list'],
      ['sla', 'list'],
    ]) {
      expect(await runJson(args, { db: viaCopy, as: 'sam' }), args.join(' ')).toEqual(await runJson(args, { db: lite, as: 'sam' }));
    }
    expect(copy.added.calendar).toBe(1);
    // The KPIs are the same figures on both engines.
    const kpi = ['kpi', '--from', '2026-02-01T00:00:00Z', '--to', '2026-03-01T00:00:00Z', '--by', 'agent'];
    expect(await runJson(kpi, { db: viaCopy, as: 'sam' })).toEqual(await runJson(kpi, { db: lite, as: 'sam' }));
    // Search finds the same items.
    const search = ['inbox', '--search', 'invoice', '--status', 'all', '--limit', '500'];
    const ids = async (db: string) => (await runJson(search, { db, as: 'sam' })).map((i: { id: number }) => i.id);
    expect(await ids(viaCopy)).toEqual(await ids(lite));
    expect((await ids(lite)).length).toBeGreaterThan(0);

    // And back: PostgreSQL → a new SQLite file.
    const back = path.join(dir, 'back.db');
    expect((await runTandem(['db', 'copy', '--to', back], { db: viaCopy })).code).toBe(0);
    expect((await runTandem(['export'], { db: back })).stdout).toBe(exported.stdout);
    // Ids continue after the copied ones on the new engine.
    const next = await runJson(['item', 'add', '--subject', 'After the move', '--customer', 'new@example.com'], { db: viaCopy, as: 'sam' });
    expect(next.id).toBe(copy.added.item + 1);
    // A copy into a database that holds data is refused.
    const again = await runTandem(['db', 'copy', '--to', viaCopy], { db: lite });
    expect(again.code).toBe(4);
    expect(again.stderr).toMatch(/already holds data/);
  }, 120_000);
});

describe('a server that goes away', () => {
  let cluster: PgCluster;
  let url: string;
  beforeAll(() => {
    cluster = startCluster(); // its own server: restarting the suite's would disturb other files
    url = cluster.url('postgres');
  });
  afterAll(() => cluster?.destroy());

  it('writes during the outage fail with a clear error and write nothing; acknowledged writes survive a crash; the feed recovers', async () => {
    expect((await runTandem(['init', '--handle', 'sam'], { db: url })).code).toBe(0);
    const store: Store = await openStore(url);
    const signals: ChangeSignal['type'][] = [];
    const unsubscribe = store.changes.subscribe((s) => signals.push(s.type));
    try {
      const ctx = makeCtx(store);
      const agent = await findAgent(store.db, 'sam');
      const item = await createItem(ctx, agent, { subject: 'Survives', customer: 'c@example.com' });
      const acked: string[] = [];
      for (let i = 0; i < 20; i++) {
        await addNote(ctx, agent, item.id, `note ${i}`);
        acked.push(`note ${i}`);
      }
      cluster.stop('immediate'); // a crash: no clean shutdown
      await until('the offline signal', () => signals.includes('offline'));
      const during = await addNote(ctx, agent, item.id, 'during the outage').then(
        () => null,
        (e: unknown) => e,
      );
      expect(during).toBeInstanceOf(TandemError);
      expect((during as TandemError).message).toMatch(
        /cannot reach PostgreSQL at postgres:\/\/tandem@localhost\/postgres.*nothing was written/,
      );
      const cli = await runTandem(['item', 'note', String(item.id), 'from the CLI'], { db: url, as: 'sam' });
      expect(cli.code).toBe(1);
      expect(cli.stderr).toMatch(/cannot reach PostgreSQL/);
      expect(cli.stderr).not.toMatch(/at .*\.js:\d+/); // no stack trace
      cluster.start();
      await until('the online signal', () => signals.includes('online'), 15_000);
      const bodies = (
        await store.db.selectFrom('events').select('body').where('item_id', '=', item.id).where('type', '=', 'note').execute()
      ).map((e) => e.body);
      expect(bodies).toEqual(acked);
      // And it works again, from the same open store.
      await addNote(ctx, agent, item.id, 'after');
      expect((await runJson(['item', 'show', String(item.id)], { db: url, as: 'sam' })).events.at(-1).body).toBe('after');
    } finally {
      unsubscribe();
      await store.close();
    }
  }, 60_000);
});
