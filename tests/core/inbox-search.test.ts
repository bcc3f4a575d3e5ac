// Search inside the inbox query, on both stores: the matching items, each once (an item matches by
// its subject or any of its messages), in the inbox's own order, paged by limit and offset, and
// counted, exactly as the same inbox without search filtered to the items known to match.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { standardAgents, testEnv, type TestEnv } from '../helpers/core.js';
import { addCustomer } from '../../src/core/customers.js';
import * as items from '../../src/core/items.js';
import { countInbox, queryInbox, SORTS } from '../../src/core/inbox.js';

let env: TestEnv;
/** Ids of the items that mention an invoice (subject or a later message). */
const invoice = new Set<number>();
const all: number[] = [];

beforeAll(async () => {
  env = await testEnv('2026-06-01T08:00:00.000Z');
  const { sam, cleo } = await standardAgents(env.ctx);
  await addCustomer(env.ctx, { name: 'alice', email: 'alice@example.com' });
  const priorities = ['low', 'normal', 'high', 'urgent'];
  for (let i = 0; i < 36; i++) {
    env.clock.minutes(7 + (i % 5) * 3);
    const inSubject = i % 3 === 0;
    const item = await items.createItem(env.ctx, sam, {
      subject: inSubject ? `Invoice ${i} is wrong` : `Question ${i}`,
      customer: '#1',
      kind: 'bug',
      priority: priorities[(i * 7) % 4],
      body: i % 4 === 0 ? 'the invoice total again' : 'hello',
      assignee: i % 2 ? 'cleo' : null,
    });
    all.push(item.id);
    if (inSubject || i % 4 === 0) invoice.add(item.id);
    // Several documents of one item match: it must still come once.
    if (i % 5 === 0) {
      await items.customerMessage(env.ctx, item.id, 'about the invoice from March');
      invoice.add(item.id);
    }
    if (i % 6 === 1) await items.reply(env.ctx, cleo, item.id, 'on it');
    if (i % 9 === 2) await items.resolve(env.ctx, cleo, item.id);
  }
});
afterAll(async () => env.close());

describe('inbox search', () => {
  it('gives each matching item once, in every sort order, paged like the same inbox without search', async () => {
    expect(invoice.size).toBeGreaterThan(12);
    for (const sort of SORTS) {
      const whole = (await queryInbox(env.ctx, null, { statuses: 'all', sort, limit: 1000 })).map((i) => i.id);
      expect(whole.length).toBe(all.length);
      const expected = whole.filter((id) => invoice.has(id));
      const found = (await queryInbox(env.ctx, null, { statuses: 'all', sort, search: 'invoice', limit: 1000 })).map((i) => i.id);
      expect(found, sort).toEqual(expected);
      for (const [limit, offset] of [
        [5, 0],
        [5, 5],
        [4, 13],
        [50, 10],
      ] as const) {
        const page = (await queryInbox(env.ctx, null, { statuses: 'all', sort, search: 'invoice', limit, offset })).map((i) => i.id);
        expect(page, `${sort} ${limit}@${offset}`).toEqual(expected.slice(offset, offset + limit));
      }
    }
    expect(await countInbox(env.ctx, null, { statuses: 'all', search: 'invoice' })).toBe(invoice.size);
  });

  it('matches the last word as a prefix, every word, and open work only by default', async () => {
    const prefix = (await queryInbox(env.ctx, null, { statuses: 'all', search: 'invo', limit: 1000 })).map((i) => i.id);
    expect(new Set(prefix)).toEqual(invoice);
    const open = (await queryInbox(env.ctx, null, { search: 'invoice', limit: 1000 })).map((i) => i.id);
    const openAll = (await queryInbox(env.ctx, null, { limit: 1000 })).map((i) => i.id).filter((id) => invoice.has(id));
    expect(open).toEqual(openAll);
    // Both words: only the items whose subject says "Invoice … wrong".
    const both = await queryInbox(env.ctx, null, { statuses: 'all', search: 'invoice wrong', limit: 1000 });
    expect(both.length).toBe(12);
    expect(both.every((i) => /^Invoice \d+ is wrong$/.test(i.subject))).toBe(true);
    expect(await queryInbox(env.ctx, null, { statuses: 'all', search: 'nothing-like-this' })).toEqual([]);
  });
});
