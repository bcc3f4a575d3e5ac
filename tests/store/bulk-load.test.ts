// The store's bulk loader on either engine: all or nothing, even when rows were already written by a
// checkpoint, and a failing record leaves nothing of itself behind while the records around it stay.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { testEnv, type TestEnv } from '../helpers/core.js';
import { violationOf } from '../../src/store/engine-errors.js';
import type { BulkWriter } from '../../src/store/store.js';

let env: TestEnv;
beforeEach(async () => {
  env = await testEnv();
});
afterEach(async () => env.close());

const T = '2026-03-01T08:00:00.000Z';
function customer(w: BulkWriter, email: string): number {
  const id = w.nextId('customers');
  w.insert('customers', { id, name: email, email, created_at: T, updated_at: T });
  return id;
}
function item(w: BulkWriter, customerId: number, subject: string): void {
  const id = w.nextId('items');
  w.insert('items', {
    id,
    role: 'support',
    kind: 'question',
    subject,
    customer_id: customerId,
    channel: 'email',
    direction: 'inbound',
    status: 'open',
    priority: 'normal',
    created_at: T,
    updated_at: T,
    resolution_due_explicit: 0,
    reopen_count: 0,
    agent_reply_count: 0,
    version: 1,
  });
  w.insert('item_tags', { item_id: id, tag: 'bulk' });
  w.insert('events', {
    id: w.nextId('events'),
    item_id: id,
    version: 1,
    type: 'created',
    author_type: 'customer',
    author_customer_id: customerId,
    body: `${subject} body`,
    created_at: T,
  });
}
const count = async (table: 'customers' | 'items' | 'events' | 'item_tags', db = env.store.db) =>
  Number(
    (
      await db
        .selectFrom(table)
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

describe('bulk loading', () => {
  it('a load that fails after thousands of rows were written leaves the database as it was, and it still works', async () => {
    const failed = env.store.bulk.load(async (w) => {
      for (let i = 0; i < 3000; i++) item(w, customer(w, `c${i}@example.com`), `Printer jammed ${i}`);
      await w.checkpoint(); // enough rows queued: they are written now
      expect(await count('items', w.db)).toBe(3000);
      throw new Error('disk on fire');
    });
    await expect(failed).rejects.toThrow('disk on fire');
    for (const t of ['customers', 'items', 'events', 'item_tags'] as const) expect(await count(t), t).toBe(0);
    expect(await env.store.search.itemIds('printer')).toEqual([]);
    // The same load again succeeds, and its rows are found (indexes and search index are back).
    await env.store.bulk.load(async (w) => {
      for (let i = 0; i < 50; i++) item(w, customer(w, `c${i}@example.com`), `Printer jammed ${i}`);
    });
    expect(await count('items')).toBe(50);
    expect((await env.store.search.itemIds('printer', 100)).length).toBe(50);
  });

  it('a record that fails is undone whole, with the violation named; the records around it stay', async () => {
    const outcome: string[] = [];
    await env.store.bulk.load(async (w) => {
      await w.record(async () => item(w, customer(w, 'a@example.com'), 'First'));
      await w
        .record(async () => item(w, customer(w, 'a@example.com'), 'Second, same email'))
        .then(
          () => outcome.push('written'),
          (e: unknown) => outcome.push(violationOf(e) ?? String(e)),
        );
      await w.record(async () => item(w, customer(w, 'c@example.com'), 'Third'));
    });
    expect(outcome).toEqual(['unique']);
    const subjects = await env.store.db.selectFrom('items').select('subject').orderBy('id').execute();
    expect(subjects.map((s) => s.subject)).toEqual(['First', 'Third']);
    expect(await count('customers')).toBe(2);
    expect(await count('events')).toBe(2);
  });
});
