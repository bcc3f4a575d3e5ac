// Two stores open on one database in one process (a program running several commands in-process, as
// the in-process CLI tests do): a write that finds the other's transaction open waits for it instead of
// stopping the process, and both land.
import { afterEach, beforeEach, expect, it } from 'vitest';
import { openStore } from '../../src/store/open.js';
import type { Store } from '../../src/store/store.js';
import { dropDatabase, newDatabase } from '../helpers/store-target.js';

let spec: string;
let stores: Store[] = [];
beforeEach(async () => {
  spec = await newDatabase('two-stores');
  stores = [await openStore(spec), await openStore(spec)];
});
afterEach(async () => {
  for (const s of stores) await s.close();
  await dropDatabase(spec);
});

const customer = (name: string) => ({ name, created_at: '2026-11-30T12:00:00.000Z', updated_at: '2026-11-30T12:00:00.000Z' });

it('a write waits for another store’s open write transaction in the same process, and both commit', async () => {
  const [a, b] = stores as [Store, Store];
  let second: Promise<unknown> | null = null;
  await a.write(async (trx) => {
    await trx.insertInto('customers').values(customer('First')).execute();
    // The other store's write starts while this one holds the write lock, which it lets go of only
    // after this await: the process must keep running for that.
    second = b.write((t) => t.insertInto('customers').values(customer('Second')).execute());
    await new Promise((r) => setTimeout(r, 20));
    await trx.insertInto('customers').values(customer('First, again')).execute();
  });
  await second;
  const names = (await a.db.selectFrom('customers').select('name').orderBy('name').execute()).map((r) => r.name);
  expect(names).toEqual(['First', 'First, again', 'Second']);
});
