// PostgreSQL runs a write again after a serialization failure, with a new transaction. The rule
// engine's per-change state (which rules already ran, the loop depth) belongs to one attempt: the
// retry runs every rule again from the start, and the committed result holds each run once.
import { afterEach, describe, expect, it } from 'vitest';
import { makeCtx } from '../../src/core/context.js';
import { TandemError } from '../../src/core/errors.js';
import { itemEvents } from '../../src/core/item-view.js';
import { createItem, customerMessage } from '../../src/core/items.js';
import { importRules, listRules } from '../../src/core/rules/rule-store.js';
import type { Db, Store } from '../../src/store/store.js';
import { standardAgents, testEnv, type TestEnv } from '../helpers/core.js';

let env: TestEnv;
afterEach(async () => env.close());

const RULES = [
  { name: 'open on arrival', when: 'created', then: [{ set: { status: 'open' } }, { tag: 'seen' }] },
  { name: 'chain', when: 'updated', if: { field: 'change', is: 'status' }, then: [{ tag: 'chained' }] },
  { name: 'on message', when: 'updated', if: { field: 'change', is: 'message' }, then: [{ note: 'customer wrote again' }] },
];

/**
 * The store, except that the first attempt of each write fails as a lost serialization race would,
 * after the callback (and so every rule) has run: the store must roll it back and run it again.
 */
function failingFirstAttempt(store: Store): { store: Store; attempts: () => number } {
  let attempts = 0;
  const wrapped = Object.create(store) as Store;
  wrapped.write = <T>(fn: (trx: Db) => Promise<T>) => {
    let first = true;
    return store.write(async (trx) => {
      attempts++;
      const result = await fn(trx);
      if (first) {
        first = false;
        throw new TandemError('conflict', 'could not serialize access (simulated)', { violation: 'serialization' });
      }
      return result;
    });
  };
  return { store: wrapped, attempts: () => attempts };
}

describe('rules and a retried serializable write', () => {
  it('a create and a message retried after a failed attempt run their rules once, as if the first attempt never happened', async () => {
    env = await testEnv();
    const { sam } = await standardAgents(env.ctx);
    await importRules(env.ctx, sam, RULES);
    const flaky = failingFirstAttempt(env.store);
    const ctx = makeCtx(flaky.store, env.clock.now);

    const item = await createItem(ctx, sam, { subject: 'Parcel lost', body: 'Where is it?', customer: 'jo@example.com', kind: 'delivery' });
    expect(flaky.attempts()).toBe(2);
    // The retry ran the cascade again in full (nothing skipped as "already fired" by the failed attempt).
    expect(item.status).toBe('open');
    expect([...item.tags].sort()).toEqual(['chained', 'seen']);

    await customerMessage(ctx, item.id, 'Any news?');
    expect(flaky.attempts()).toBe(4);

    const fired = Object.fromEntries((await listRules(env.store.db)).map((r) => [r.name, r.firedCount]));
    expect(fired).toEqual({ 'open on arrival': 1, chain: 1, 'on message': 1 });
    const events = await itemEvents(env.store.db, item.id);
    const byRule = events.filter((e) => e.data?.rule).map((e) => `${(e.data!.rule as { name: string }).name}:${e.type}`);
    expect(byRule).toEqual(['open on arrival:status', 'open on arrival:tag', 'chain:tag', 'on message:note']);
    expect(events.filter((e) => e.type === 'created')).toHaveLength(1);
    expect(events.filter((e) => e.type === 'message')).toHaveLength(1);
  });
});
