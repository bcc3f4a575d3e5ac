// Several processes writing one database at once: no SQLITE_BUSY failures, no lost or doubled changes.
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runJson, runTandem } from '../helpers/cli.js';
import { tempDir } from '../helpers/core.js';
import { newDatabase } from '../helpers/store-target.js';

let dir: string;
let db: string;

beforeAll(async () => {
  dir = tempDir();
  db = await newDatabase('c');
  expect((await runTandem(['init', '--handle', 'sam'], { db })).code).toBe(0);
  expect((await runTandem(['agent', 'add', 'cleo', '--roles', 'support'], { db, as: 'sam' })).code).toBe(0);
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('two processes, one item', () => {
  it('with the same expected version: one wins, the other exits 4, nothing is lost or doubled', async () => {
    for (let round = 0; round < 3; round++) {
      const item = await runJson(['item', 'add', '--subject', `Race ${round}`, '--customer', 'race@example.com', '--kind', 'bug'], {
        db,
        as: 'sam',
      });
      const id = String(item.id);
      const [a, b] = await Promise.all([
        runTandem(['item', 'priority', id, 'urgent', '--if-version', '1'], { db, as: 'sam' }),
        runTandem(['item', 'note', id, 'from cleo', '--if-version', '1'], { db, as: 'cleo' }),
      ]);
      expect([a.code, b.code].sort()).toEqual([0, 4]);
      const loser = a.code === 4 ? a : b;
      expect(loser.stderr).toMatch(/changed since you loaded it/);
      expect(loser.stderr).not.toMatch(/SQLITE_BUSY|locked/);
      const shown = await runJson(['item', 'show', id], { db, as: 'sam' });
      expect(shown.version).toBe(2);
      const types = shown.events.map((e: any) => e.type);
      expect(types).toEqual(a.code === 0 ? ['created', 'priority'] : ['created', 'note']);
      expect(shown.priority).toBe(a.code === 0 ? 'urgent' : 'normal');
    }
  });

  it('without an expected version every change lands once, in some order, with one version each', async () => {
    const item = await runJson(['item', 'add', '--subject', 'Busy', '--customer', 'busy@example.com', '--kind', 'bug'], { db, as: 'sam' });
    const id = String(item.id);
    const n = 8;
    const results = await Promise.all(
      Array.from({ length: n }, (_, i) => runTandem(['item', 'note', id, `note ${i}`], { db, as: i % 2 ? 'sam' : 'cleo' })),
    );
    expect(results.map((r) => r.code)).toEqual(Array(n).fill(0));
    const shown = await runJson(['item', 'show', id], { db, as: 'sam' });
    const notes = shown.events
      .filter((e: any) => e.type === 'note')
      .map((e: any) => e.body)
      .sort();
    expect(notes).toEqual(Array.from({ length: n }, (_, i) => `note ${i}`).sort());
    expect(shown.version).toBe(n + 1);
    expect(shown.events.map((e: any) => e.version)).toEqual(Array.from({ length: n + 1 }, (_, i) => i + 1));
  });
});

describe('two processes, one external id', () => {
  it('exactly one item is created; the other process is refused with exit 4, naming the item', async () => {
    for (let round = 0; round < 3; round++) {
      const ext = `shop-order-${round}`;
      const runs = await Promise.all(
        [0, 1, 2].map((k) =>
          runTandem(
            ['item', 'add', '--subject', `Order ${round}/${k}`, '--customer', `buyer${k}@example.com`, '--external-id', ext, '--json'],
            { db, as: 'sam' },
          ),
        ),
      );
      const won = runs.filter((r) => r.code === 0);
      expect(won, runs.map((r) => r.stderr).join('\n')).toHaveLength(1);
      const id = JSON.parse(won[0]!.stdout).id;
      for (const r of runs.filter((x) => x.code !== 0)) {
        expect(r.code).toBe(4);
        expect(r.stderr).toContain(`an item with external id "${ext}" already exists (#${id})`);
      }
      const all = await runJson(['inbox', '--status', 'all', '--search', `Order ${round}`, '--limit', '100'], { db, as: 'sam' });
      expect(all.filter((i: { subject: string }) => i.subject.startsWith(`Order ${round}/`))).toHaveLength(1);
    }
  });
});
