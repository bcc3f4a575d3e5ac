// Others' changes since an event: what the console announces in its status line.
import { afterEach, beforeEach, expect, it } from 'vitest';
import { eventsAfter, lastEventId } from '../../src/core/activity.js';
import * as items from '../../src/core/items.js';
import type { Agent } from '../../src/core/agents.js';
import { standardAgents, testEnv, type TestEnv } from '../helpers/core.js';

let env: TestEnv;
let sam: Agent;
let ana: Agent;

beforeEach(async () => {
  env = await testEnv();
  ({ sam, ana } = await standardAgents(env.ctx));
});
afterEach(async () => env.close());

it("lists the events after one, oldest first, without the reader's own, the latest few only", async () => {
  expect(await lastEventId(env.store.db)).toBe(0);
  const a = await items.createItem(env.ctx, sam, { subject: 'A question', customer: 'jo@example.com', kind: 'question' });
  const seen = await lastEventId(env.store.db);
  await items.setPriority(env.ctx, sam, a.id, 'high'); // mine: not announced to me
  await items.setPriority(env.ctx, ana, a.id, 'urgent');
  await items.customerMessage(env.ctx, a.id, 'Hello?');
  const news = await eventsAfter(env.store.db, seen, { excludeAgentId: sam.id });
  expect(news.map((e) => [e.itemId, e.type, e.author.type])).toEqual([
    [a.id, 'priority', 'agent'],
    [a.id, 'message', 'customer'],
  ]);
  expect(news[0]!.data).toMatchObject({ from: 'high', to: 'urgent' });
  const latest = await eventsAfter(env.store.db, seen, { excludeAgentId: sam.id, limit: 1 });
  expect(latest.map((e) => e.type)).toEqual(['message']);
  expect(await eventsAfter(env.store.db, await lastEventId(env.store.db))).toEqual([]);
});
