// A hand-built KPI fixture: items, orders and surveys at chosen times, made through the core API.
// Period P = [2026-03-10, 2026-03-20) and its previous period Q = [2026-02-28, 2026-03-10); "now" is 2026-03-25.
// Every expected figure is worked out by hand in tests/core/kpi.test.ts. Dn below means 2026-03-nn.
import { addCustomer, addOrder } from '../../src/core/customers.js';
import { escalate } from '../../src/core/escalation.js';
import * as items from '../../src/core/items.js';
import { addSurvey } from '../../src/core/surveys.js';
import type { Agent } from '../../src/core/agents.js';
import type { Period } from '../../src/core/kpi-period.js';
import { standardAgents, type TestEnv } from './core.js';

export const P: Period = { from: '2026-03-10T00:00:00.000Z', to: '2026-03-20T00:00:00.000Z' };
export const Q: Period = { from: '2026-02-28T00:00:00.000Z', to: '2026-03-10T00:00:00.000Z' };
export const NOW = '2026-03-25T00:00:00.000Z';

export interface Fixture {
  sam: Agent;
  ana: Agent;
  cleo: Agent;
  /** Item ids by fixture name (S1…, V1…). */
  ids: Record<string, number>;
  /** Customer ids C1…C10 are 1…10. */
}

export async function buildKpiFixture(env: TestEnv): Promise<Fixture> {
  const { ctx, clock } = env;
  const at = (iso: string) => clock.set(iso);
  at('2026-02-01T00:00:00.000Z');
  const { sam, ana, cleo } = await standardAgents(ctx);
  // Customers C1…C10 get ids 1…10.
  for (const name of ['alice', 'bob', 'carol', 'dan', 'erin', 'finn', 'gus', 'hana', 'ivy', 'jo']) {
    await addCustomer(ctx, { name, email: `${name}@example.com` });
  }
  const c = (n: number) => `#${n}`;
  const ids: Record<string, number> = {};
  const support = async (name: string, created: string, customer: number, assignee: Agent | null, priority = 'normal') => {
    at(created);
    ids[name] = (
      await items.createItem(ctx, sam, { subject: name, customer: c(customer), kind: 'bug', priority, assignee: assignee?.handle ?? null })
    ).id;
    return ids[name]!;
  };
  const reply = async (who: Agent, id: number, when: string) => {
    at(when);
    await items.reply(ctx, who, id, 'reply');
  };
  const resolve = async (who: Agent, id: number, when: string) => {
    at(when);
    await items.resolve(ctx, who, id);
  };
  const customerWrites = async (id: number, when: string) => {
    at(when);
    await items.customerMessage(ctx, id, 'again');
  };

  // ---- Support, previous period Q
  const S9 = await support('S9', '2026-03-01T00:00:00.000Z', 1, cleo);
  await reply(cleo, S9, '2026-03-01T02:00:00.000Z');
  await resolve(cleo, S9, '2026-03-02T00:00:00.000Z');
  const S10 = await support('S10', '2026-03-05T00:00:00.000Z', 7, sam);
  await reply(sam, S10, '2026-03-05T10:00:00.000Z');
  await resolve(sam, S10, '2026-03-09T00:00:00.000Z');
  const S11 = await support('S11', '2026-03-08T00:00:00.000Z', 5, cleo);
  await reply(cleo, S11, '2026-03-08T01:00:00.000Z');
  await resolve(cleo, S11, '2026-03-11T00:00:00.000Z'); // exactly at its resolution due time
  const S12 = await support('S12', '2026-02-27T12:00:00.000Z', 8, sam); // before Q
  await resolve(sam, S12, '2026-03-09T12:00:00.000Z');

  // ---- Support, period P
  const S1 = await support('S1', '2026-03-10T00:00:00.000Z', 1, cleo); // exactly at `from`
  await reply(cleo, S1, '2026-03-10T01:00:00.000Z');
  await resolve(cleo, S1, '2026-03-10T05:00:00.000Z');
  const S2 = await support('S2', '2026-03-11T10:00:00.000Z', 2, cleo);
  await reply(cleo, S2, '2026-03-11T12:00:00.000Z');
  await reply(cleo, S2, '2026-03-11T13:00:00.000Z');
  await resolve(cleo, S2, '2026-03-12T10:00:00.000Z');
  await customerWrites(S2, '2026-03-14T09:00:00.000Z'); // reopens
  await resolve(cleo, S2, '2026-03-15T10:00:00.000Z');
  const S3 = await support('S3', '2026-03-12T08:00:00.000Z', 3, sam, 'urgent');
  await reply(sam, S3, '2026-03-12T10:00:00.000Z');
  await resolve(sam, S3, '2026-03-13T08:00:00.000Z');
  await support('S4', '2026-03-15T00:00:00.000Z', 3, sam);
  await support('S5', '2026-03-16T12:00:00.000Z', 3, null);
  const S6 = await support('S6', '2026-03-18T00:00:00.000Z', 5, cleo);
  await reply(cleo, S6, '2026-03-18T04:00:00.000Z');
  await resolve(cleo, S6, '2026-03-21T00:00:00.000Z'); // after `to`
  await support('S7', '2026-03-20T00:00:00.000Z', 5, cleo); // exactly at `to`
  const S13 = await support('S13', '2026-03-17T00:00:00.000Z', 1, cleo);
  await reply(cleo, S13, '2026-03-17T01:00:00.000Z');
  await resolve(cleo, S13, '2026-03-19T00:00:00.000Z');
  await customerWrites(S13, '2026-03-22T00:00:00.000Z'); // reopened after `to`

  // ---- Service
  const service = async (
    name: string,
    created: string,
    customer: number,
    assignee: Agent,
    direction: 'inbound' | 'outbound',
    due?: string,
  ) => {
    at(created);
    ids[name] = (
      await items.createItem(ctx, assignee, {
        subject: name,
        customer: c(customer),
        role: 'service',
        kind: direction === 'outbound' ? 'follow_up' : 'question',
        direction,
        assignee: assignee.handle,
        due: due ?? null,
      })
    ).id;
    return ids[name]!;
  };
  const V7 = await service('V7', '2026-03-01T00:00:00.000Z', 1, ana, 'outbound', '2026-03-03T00:00:00.000Z');
  await resolve(ana, V7, '2026-03-02T00:00:00.000Z');
  const V8 = await service('V8', '2026-03-04T00:00:00.000Z', 7, sam, 'inbound');
  await reply(sam, V8, '2026-03-04T12:00:00.000Z');
  const V9 = await service('V9', '2026-03-05T00:00:00.000Z', 4, sam, 'outbound', '2026-03-10T00:00:00.000Z'); // due exactly at `from`
  await resolve(sam, V9, '2026-03-09T00:00:00.000Z');
  const V1 = await service('V1', '2026-03-10T06:00:00.000Z', 1, ana, 'outbound', '2026-03-12T00:00:00.000Z');
  await resolve(ana, V1, '2026-03-11T00:00:00.000Z');
  const V2 = await service('V2', '2026-03-11T00:00:00.000Z', 2, ana, 'outbound', '2026-03-14T00:00:00.000Z');
  await resolve(ana, V2, '2026-03-15T00:00:00.000Z');
  await service('V3', '2026-03-12T00:00:00.000Z', 4, sam, 'outbound', '2026-03-16T00:00:00.000Z');
  const V4 = await service('V4', '2026-03-13T00:00:00.000Z', 6, ana, 'inbound');
  await reply(ana, V4, '2026-03-13T06:00:00.000Z');
  at('2026-03-13T12:00:00.000Z');
  const esc = await escalate(ctx, ana, V4, { reason: 'needs a fix', to: 'cleo' });
  const S8 = (ids.S8 = esc.support.id);
  await reply(cleo, S8, '2026-03-13T14:00:00.000Z');
  await resolve(cleo, S8, '2026-03-14T12:00:00.000Z');
  const V5 = await service('V5', '2026-03-16T00:00:00.000Z', 9, sam, 'inbound');
  await reply(sam, V5, '2026-03-16T02:00:00.000Z');
  const V6 = await service('V6', '2026-03-17T00:00:00.000Z', 10, ana, 'outbound');
  await customerWrites(V6, '2026-03-17T10:00:00.000Z');
  await reply(ana, V6, '2026-03-17T11:00:00.000Z');

  // ---- Surveys (CSAT c1…c7, NPS n1…n6)
  const survey = async (kind: 'csat' | 'nps', score: number, when: string, item: number | null, customer?: number) => {
    at(when);
    await addSurvey(ctx, sam, { kind, score, itemId: item, customer: customer ? c(customer) : null, at: when });
  };
  await survey('csat', 5, '2026-03-11T00:00:00.000Z', S1);
  await survey('csat', 2, '2026-03-12T12:00:00.000Z', S2);
  await survey('csat', 4, '2026-03-14T00:00:00.000Z', S3);
  await survey('csat', 3, '2026-03-15T00:00:00.000Z', null, 4);
  await survey('csat', 1, '2026-03-20T00:00:00.000Z', S8); // exactly at `to`
  await survey('csat', 4, '2026-03-03T00:00:00.000Z', S9);
  await survey('csat', 1, '2026-03-09T00:00:00.000Z', S10);
  await survey('nps', 10, '2026-03-12T00:00:00.000Z', V1);
  await survey('nps', 6, '2026-03-15T00:00:00.000Z', V2);
  await survey('nps', 9, '2026-03-16T00:00:00.000Z', null, 9);
  await survey('nps', 7, '2026-03-17T00:00:00.000Z', V5);
  await survey('nps', 9, '2026-03-02T00:00:00.000Z', V7);
  await survey('nps', 0, '2026-03-05T00:00:00.000Z', V8);

  // ---- Orders (o1…o9)
  const order = async (customer: number, amount: number, when: string) => {
    at(when);
    await addOrder(ctx, { customer: c(customer), amount, orderedAt: when });
  };
  await order(1, 100, '2026-02-20T00:00:00.000Z');
  await order(1, 50, '2026-03-05T00:00:00.000Z');
  await order(1, 30, '2026-03-11T00:00:00.000Z');
  await order(1, 20, '2026-03-12T00:00:00.000Z');
  await order(2, 200, '2026-03-15T00:00:00.000Z');
  await order(3, 40, '2026-03-20T00:00:00.000Z'); // exactly at `to`
  await order(2, 10, '2026-03-06T00:00:00.000Z');
  await order(2, 15, '2026-03-07T00:00:00.000Z');
  await order(4, 25, '2026-03-01T00:00:00.000Z');

  at(NOW);
  return { sam, ana, cleo, ids };
}
