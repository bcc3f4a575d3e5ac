// The demo data set: deterministic for a seed, realistic enough for every view, refuses to mix with data.
import { describe, expect, it } from 'vitest';
import { runJson, runTandem } from '../helpers/cli-inproc.js';
import { dumpTables, newDatabase, scalar, withStore } from '../helpers/store-target.js';

const NOW = '2026-06-01T12:00:00.000Z';

const content = (db: string) => dumpTables(db, ['agents', 'customers', 'orders', 'items', 'events', 'surveys', 'escalations', 'item_tags']);

describe('tandem demo', () => {
  it('writes the same data for the same seed and --now, and different data for another seed', async () => {
    const a = await newDatabase('a');
    const b = await newDatabase('b');
    const c = await newDatabase('c');
    const sa = await runJson(['demo', '--items', '400', '--seed', '7', '--now', NOW], { db: a });
    await runJson(['demo', '--items', '400', '--seed', '7', '--now', NOW], { db: b });
    await runJson(['demo', '--items', '400', '--seed', '8', '--now', NOW], { db: c });
    expect(await content(a)).toBe(await content(b));
    expect(await content(a)).not.toBe(await content(c));
    expect(sa.items).toBeGreaterThanOrEqual(400);
    expect(sa.agents).toBe(6);
  });

  it('covers what every view needs: both roles, every status, replies, notes, reopens, surveys, breaches, escalations', async () => {
    const file = await newDatabase('rich');
    await runJson(['demo', '--items', '3000', '--seed', '42', '--now', NOW], { db: file });
    const count = (query: string) => scalar(file, query);
    expect(await count(`select count(distinct role) from items`)).toBe(2);
    for (const s of ['new', 'open', 'pending', 'snoozed', 'escalated', 'resolved', 'closed']) {
      expect(await count(`select count(*) from items where status = '${s}'`), s).toBeGreaterThan(0);
    }
    for (const t of ['reply', 'note', 'message', 'escalate', 'return'])
      expect(await count(`select count(*) from events where type = '${t}'`), t).toBeGreaterThan(0);
    expect(await count(`select count(*) from items where reopen_count > 0`)).toBeGreaterThan(0);
    expect(await count(`select count(*) from surveys where kind = 'csat'`)).toBeGreaterThan(0);
    expect(await count(`select count(*) from surveys where kind = 'nps'`)).toBeGreaterThan(0);
    expect(await count(`select count(*) from items where next_due_at < '${NOW}' and status not in ('resolved','closed')`)).toBeGreaterThan(
      0,
    );
    expect(await count(`select count(*) from escalations`)).toBeGreaterThan(0);
    // Versions and events agree on every item, as the core would have written them.
    expect(await count(`select count(*) from items i where i.version != (select max(version) from events e where e.item_id = i.id)`)).toBe(
      0,
    );
    // And the CLI reads it: search finds demo text.
    const hits = await runJson(['inbox', '--search', 'password', '--status', 'all'], { db: file, as: 'sam' });
    expect(hits.length).toBeGreaterThan(0);
  });

  it('writes into a database `tandem init` just made, keeping its agent', async () => {
    const file = await newDatabase('fresh');
    expect((await runTandem(['init', '--handle', 'me'], { db: file })).code).toBe(0);
    const r = await runJson(['demo', '--items', '20', '--now', NOW], { db: file });
    expect(r.items).toBe(20);
    const agents = await runJson(['agent', 'list'], { db: file, as: 'me' });
    expect(agents.map((a: any) => a.handle).sort()).toEqual(['ana', 'ben', 'cleo', 'dev', 'eli', 'me', 'sam']);
  });

  it('an agent `init` made with a demo handle plays that part', async () => {
    const file = await newDatabase('sam');
    await runTandem(['init', '--handle', 'sam', '--name', 'Me'], { db: file });
    const r = await runJson(['demo', '--items', '20', '--now', NOW], { db: file });
    expect(r.agents).toBe(5);
    const agents = await runJson(['agent', 'list'], { db: file, as: 'sam' });
    expect(agents.map((a: any) => a.handle).sort()).toEqual(['ana', 'ben', 'cleo', 'dev', 'eli', 'sam']);
    expect(agents.find((a: any) => a.handle === 'sam').name).toBe('Me');
  });

  it('a snooze that ended before the real clock wakes at its end, so later commands keep two runs identical', async () => {
    const a = await newDatabase('wake-a');
    const b = await newDatabase('wake-b');
    await runJson(['demo', '--items', '600', '--seed', '3', '--now', NOW], { db: a });
    const ends = await withStore(a, (s) =>
      s.db.selectFrom('items').select(['id', 'snoozed_until']).where('status', '=', 'snoozed').orderBy('id').execute(),
    );
    expect(ends.length).toBeGreaterThan(0);
    await runJson(['inbox'], { db: a, as: 'sam' }); // wakes them (the real clock is past NOW + 72 h)
    await new Promise((r) => setTimeout(r, 50));
    await runJson(['demo', '--items', '600', '--seed', '3', '--now', NOW], { db: b });
    await runJson(['inbox'], { db: b, as: 'sam' });
    expect(await content(a)).toBe(await content(b));
    await withStore(a, async (s) => {
      for (const { id, snoozed_until } of ends) {
        const wake = await s.db
          .selectFrom('events')
          .select(['created_at', 'data'])
          .where('item_id', '=', id)
          .orderBy('version', 'desc')
          .limit(1)
          .executeTakeFirstOrThrow();
        expect(JSON.parse(wake.data!)).toMatchObject({ from: 'snoozed', to: 'open' });
        expect(wake.created_at).toBe(snoozed_until);
      }
    });
  });

  it('refuses a database that already holds customers or items, and --if-missing makes it a no-op', async () => {
    const file = await newDatabase('used');
    await runTandem(['init', '--handle', 'me'], { db: file });
    await runJson(['customer', 'add', '--email', 'jo@example.com'], { db: file, as: 'me' });
    const r = await runTandem(['demo', '--items', '10'], { db: file });
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/already holds data/);
    const quiet = await runTandem(['demo', '--items', '10', '--if-missing'], { db: file });
    expect(quiet.code).toBe(0);
    const agents = await runJson(['agent', 'list'], { db: file, as: 'me' });
    expect(agents.map((a: any) => a.handle)).toEqual(['me']);
  });
});
