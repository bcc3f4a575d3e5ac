// The demo data set: deterministic for a seed, realistic enough for every view, refuses to mix with data.
import fs from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runJson, runTandem } from '../helpers/cli.js';
import { tempDir } from '../helpers/core.js';

let dir: string;
beforeAll(() => {
  dir = tempDir();
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const NOW = '2026-06-01T12:00:00.000Z';

function content(file: string): string {
  const raw = new BetterSqlite3(file, { readonly: true });
  try {
    return ['agents', 'customers', 'orders', 'items', 'events', 'surveys', 'escalations', 'item_tags']
      .map((t) => JSON.stringify(raw.prepare(`select * from ${t} order by rowid`).all()))
      .join('\n');
  } finally {
    raw.close();
  }
}

describe('tandem demo', () => {
  it('writes the same data for the same seed and --now, and different data for another seed', async () => {
    const a = path.join(dir, 'a.db');
    const b = path.join(dir, 'b.db');
    const c = path.join(dir, 'c.db');
    const sa = await runJson(['demo', '--items', '400', '--seed', '7', '--now', NOW], { db: a });
    await runJson(['demo', '--items', '400', '--seed', '7', '--now', NOW], { db: b });
    await runJson(['demo', '--items', '400', '--seed', '8', '--now', NOW], { db: c });
    expect(content(a)).toBe(content(b));
    expect(content(a)).not.toBe(content(c));
    expect(sa.items).toBeGreaterThanOrEqual(400);
    expect(sa.agents).toBe(6);
  });

  it('covers what every view needs: both roles, every status, replies, notes, reopens, surveys, breaches, escalations', async () => {
    const file = path.join(dir, 'rich.db');
    await runJson(['demo', '--items', '3000', '--seed', '42', '--now', NOW], { db: file });
    const raw = new BetterSqlite3(file, { readonly: true });
    const count = (sql: string) => raw.prepare(sql).pluck().get() as number;
    expect(count(`select count(distinct role) from items`)).toBe(2);
    for (const s of ['new', 'open', 'pending', 'snoozed', 'escalated', 'resolved', 'closed']) {
      expect(count(`select count(*) from items where status = '${s}'`), s).toBeGreaterThan(0);
    }
    for (const t of ['reply', 'note', 'message', 'escalate', 'return']) expect(count(`select count(*) from events where type = '${t}'`), t).toBeGreaterThan(0);
    expect(count(`select count(*) from items where reopen_count > 0`)).toBeGreaterThan(0);
    expect(count(`select count(*) from surveys where kind = 'csat'`)).toBeGreaterThan(0);
    expect(count(`select count(*) from surveys where kind = 'nps'`)).toBeGreaterThan(0);
    expect(count(`select count(*) from items where next_due_at < '${NOW}' and status not in ('resolved','closed')`)).toBeGreaterThan(0);
    expect(count(`select count(*) from escalations`)).toBeGreaterThan(0);
    // Versions and events agree on every item, as the core would have written them.
    expect(count(`select count(*) from items i where i.version != (select max(version) from events e where e.item_id = i.id)`)).toBe(0);
    raw.close();
    // And the CLI reads it: search finds demo text.
    const hits = await runJson(['inbox', '--search', 'password', '--status', 'all'], { db: file, as: 'sam' });
    expect(hits.length).toBeGreaterThan(0);
  });

  it('writes into a database `tandem init` just made, keeping its agent', async () => {
    const file = path.join(dir, 'fresh.db');
    expect((await runTandem(['init', '--handle', 'me'], { db: file })).code).toBe(0);
    const r = await runJson(['demo', '--items', '20', '--now', NOW], { db: file });
    expect(r.items).toBe(20);
    const agents = await runJson(['agent', 'list'], { db: file, as: 'me' });
    expect(agents.map((a: any) => a.handle).sort()).toEqual(['ana', 'ben', 'cleo', 'dev', 'eli', 'me', 'sam']);
  });

  it('an agent `init` made with a demo handle plays that part', async () => {
    const file = path.join(dir, 'sam.db');
    await runTandem(['init', '--handle', 'sam', '--name', 'Me'], { db: file });
    const r = await runJson(['demo', '--items', '20', '--now', NOW], { db: file });
    expect(r.agents).toBe(5);
    const agents = await runJson(['agent', 'list'], { db: file, as: 'sam' });
    expect(agents.map((a: any) => a.handle).sort()).toEqual(['ana', 'ben', 'cleo', 'dev', 'eli', 'sam']);
    expect(agents.find((a: any) => a.handle === 'sam').name).toBe('Me');
  });

  it('a snooze that ended before the real clock wakes at its end, so later commands keep two runs identical', async () => {
    const a = path.join(dir, 'wake-a.db');
    const b = path.join(dir, 'wake-b.db');
    await runJson(['demo', '--items', '600', '--seed', '3', '--now', NOW], { db: a });
    const snoozed = new BetterSqlite3(a, { readonly: true });
    const ends = snoozed.prepare(`select id, snoozed_until from items where status = 'snoozed'`).all() as { id: number; snoozed_until: string }[];
    snoozed.close();
    expect(ends.length).toBeGreaterThan(0);
    await runJson(['inbox'], { db: a, as: 'sam' }); // wakes them (the real clock is past NOW + 72 h)
    await new Promise((r) => setTimeout(r, 50));
    await runJson(['demo', '--items', '600', '--seed', '3', '--now', NOW], { db: b });
    await runJson(['inbox'], { db: b, as: 'sam' });
    expect(content(a)).toBe(content(b));
    const raw = new BetterSqlite3(a, { readonly: true });
    for (const { id, snoozed_until } of ends) {
      const wake = raw.prepare(`select created_at, data from events where item_id = ? order by version desc limit 1`).get(id) as { created_at: string; data: string };
      expect(JSON.parse(wake.data)).toMatchObject({ from: 'snoozed', to: 'open' });
      expect(wake.created_at).toBe(snoozed_until);
    }
    raw.close();
  });

  it('refuses a database that already holds customers or items, and --if-missing makes it a no-op', async () => {
    const file = path.join(dir, 'used.db');
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
