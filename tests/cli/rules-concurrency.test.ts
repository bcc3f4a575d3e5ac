// Rules fire exactly once per committed change when several processes write at the same time: on
// PostgreSQL the racing serializable transactions (every run bumps the same rules rows) are retried,
// and each retry must start clean; on SQLite the writers queue.
import { beforeAll, describe, expect, it } from 'vitest';
import { runJson, runTandem } from '../helpers/cli.js';
import { newDatabase } from '../helpers/store-target.js';

let db: string;

// A created rule opens the item (a status change), which runs an updated rule one level deeper;
// an agent's status change to pending runs another updated rule.
const RULES = `- { name: open on arrival, when: created, then: [ { set: { status: open } }, { tag: seen } ] }
- { name: chain, when: updated, if: { all: [ { field: change, is: status }, { field: status, is: open } ] }, then: [ { tag: chained } ] }
- { name: on pending, when: updated, if: { field: status, is: pending }, then: [ { note: waiting on the customer } ] }
`;

beforeAll(async () => {
  db = await newDatabase('rules_race');
  expect((await runTandem(['init', '--handle', 'sam'], { db })).code).toBe(0);
  expect((await runTandem(['rule', 'import', '-'], { db, as: 'sam', input: RULES })).code).toBe(0);
});

describe('rules under concurrent writers', () => {
  it('six processes creating, then six changing status at once: each rule ran once per change and counted once', async () => {
    const n = 6;
    const added = await Promise.all(
      Array.from({ length: n }, (_, i) =>
        runJson(
          [
            'item',
            'add',
            '--subject',
            `Order ${i} late`,
            '--customer',
            `c${i}@example.com`,
            '--kind',
            'delivery',
            '--body',
            'Where is it?',
          ],
          { db, as: 'sam' },
        ),
      ),
    );
    const ids: number[] = added.map((a: any) => a.id);
    for (const a of added) {
      expect(a.status).toBe('open');
      expect(a.tags).toEqual(['chained', 'seen']);
    }
    const moved = await Promise.all(ids.map((id) => runTandem(['item', 'status', String(id), 'pending'], { db, as: 'sam' })));
    expect(moved.map((r) => r.code)).toEqual(Array(n).fill(0));

    const listed = await runJson(['rule', 'list'], { db });
    expect(Object.fromEntries(listed.map((r: any) => [r.name, r.firedCount]))).toEqual({ 'open on arrival': n, chain: n, 'on pending': n });
    for (const id of ids) {
      const shown = await runJson(['item', 'show', String(id)], { db });
      const byRule = shown.events.filter((e: any) => e.data?.rule).map((e: any) => `${e.data.rule.name}:${e.type}`);
      expect(byRule).toEqual(['open on arrival:status', 'open on arrival:tag', 'chain:tag', 'on pending:note']);
      expect(shown.events.filter((e: any) => e.type === 'created')).toHaveLength(1);
      expect(shown.status).toBe('pending');
    }
  });
});
