// The one seam that writes new items (src/core/item-writers.ts): inside a transaction and through the
// bulk loader, the same record gives the same rows, on either engine.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { standardAgents, testEnv, type TestEnv } from '../helpers/core.js';
import { addCustomer } from '../../src/core/customers.js';
import { BulkItemWriter, policyLookup, transactionItemWriter } from '../../src/core/item-writers.js';
import { newItemRecord, type NewItemRecord } from '../../src/core/new-item.js';
import { policyRules } from '../../src/core/sla.js';
import type { Agent } from '../../src/core/agents.js';

let env: TestEnv;
let cleo: Agent;
let record: (externalId: string) => Promise<NewItemRecord>;

beforeEach(async () => {
  env = await testEnv();
  ({ cleo } = await standardAgents(env.ctx));
  const customer = await addCustomer(env.ctx, { name: 'Olivia', email: 'olivia@example.com' });
  const policyOf = policyLookup(await policyRules(env.store.db));
  record = async (externalId) =>
    newItemRecord(
      {
        subject: 'Sync stopped',
        body: 'Since the update.',
        kind: 'bug',
        priority: 'high',
        assignee: cleo,
        customerId: customer.id,
        tags: ['vip'],
        createdAt: '2026-03-01T08:00:00.000Z',
        createdBy: 'import',
        externalId,
        outcome: { status: 'resolved', resolvedAt: '2026-03-01T12:00:00.000Z' },
      },
      policyOf,
    );
});
afterEach(async () => env.close());

async function rowsOf(id: number) {
  const db = env.store.db;
  const { id: _id, ...item } = await db.selectFrom('items').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  const tags = (await db.selectFrom('item_tags').select('tag').where('item_id', '=', id).execute()).map((t) => t.tag);
  const events = await db
    .selectFrom('events')
    .select(['version', 'type', 'author_type', 'author_agent_id', 'author_customer_id', 'body', 'data', 'created_at', 'message_id'])
    .where('item_id', '=', id)
    .orderBy('id')
    .execute();
  return { item: { ...item, external_id: item.external_id?.replace(/-\w+$/, '') }, tags, events };
}

describe('writing a new item', () => {
  it('gives the same rows inside a transaction and through a bulk load', async () => {
    const inTrx = await env.store.write(async (trx) => transactionItemWriter(trx).create(await record('x-trx')));
    const inBulk = await env.store.bulk.load(async (w) => new BulkItemWriter(w).create(await record('x-bulk')));
    expect(inTrx).not.toBeNull();
    expect(inBulk).not.toBe(inTrx);
    const a = await rowsOf(inTrx!);
    const b = await rowsOf(inBulk);
    expect(a.item).toMatchObject({ status: 'resolved', assignee_id: cleo.id, version: 2, next_due_at: null });
    expect(a.events.map((e) => e.type)).toEqual(['created', 'status']);
    expect(b).toEqual(a);
  });

  it('inside a transaction, an external id already taken writes nothing and says so', async () => {
    const first = await env.store.write(async (trx) => transactionItemWriter(trx).create(await record('dup')));
    const again = await env.store.write(async (trx) => transactionItemWriter(trx).create(await record('dup')));
    expect(first).not.toBeNull();
    expect(again).toBeNull();
    const count = await env.store.db
      .selectFrom('events')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(2);
  });
});
