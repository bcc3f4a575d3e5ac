// A small, deterministic inbox for console tests: both roles, several priorities, customers with
// orders and surveys, a thread with a reply and an internal note. Items are a minute apart.
import type { Agent } from '../../src/core/agents.js';
import { addOrder } from '../../src/core/customers.js';
import * as items from '../../src/core/items.js';
import { addSurvey } from '../../src/core/surveys.js';
import { standardAgents, testEnv, type TestEnv } from '../helpers/core.js';

export interface Inbox {
  env: TestEnv;
  sam: Agent;
  ana: Agent;
  cleo: Agent;
  /** Item ids by a short name. */
  ids: Record<'refund' | 'login' | 'seats' | 'renewal' | 'crash' | 'invoice', number>;
}

export async function seededInbox(): Promise<Inbox> {
  const env = await testEnv();
  const { sam, ana, cleo } = await standardAgents(env.ctx);
  const mk = async (input: items.NewItemInput) => {
    const v = await items.createItem(env.ctx, sam, input);
    env.clock.minutes(1);
    return v.id;
  };
  const refund = await mk({
    subject: 'Refund has not arrived',
    body: 'I was promised a refund two weeks ago.',
    customer: { email: 'jo@example.com', name: 'Jo Park' },
    kind: 'billing',
    priority: 'high',
  });
  const login = await mk({
    subject: 'Cannot log in after password reset',
    body: 'The reset link loops.',
    customer: 'max@example.com',
    kind: 'access',
    assignee: 'cleo',
  });
  const seats = await mk({
    subject: 'Does the Pro plan include team seats?',
    body: 'We are five people.',
    customer: 'jo@example.com',
    kind: 'question',
  });
  const renewal = await mk({
    subject: 'Your annual plan renews next month',
    customer: 'lee@example.com',
    kind: 'renewal',
    direction: 'outbound',
    assignee: 'ana',
    body: 'Hi Lee, a heads-up about renewal.',
  });
  const crash = await mk({
    subject: 'App crashes when I upload a photo',
    body: 'Every time.',
    customer: 'max@example.com',
    kind: 'bug',
    priority: 'urgent',
  });
  const invoice = await mk({
    subject: 'Wrong VAT on my invoice',
    body: 'VAT should be 20%.',
    customer: 'lee@example.com',
    kind: 'billing',
    priority: 'low',
  });
  // A thread with every kind of message on the refund.
  await items.reply(env.ctx, cleo, refund, 'Sorry about that, checking with finance.');
  await items.note(env.ctx, cleo, refund, 'Finance says the refund bounced.');
  await items.customerMessage(env.ctx, refund, 'Any news?');
  await addOrder(env.ctx, { customer: 'jo@example.com', amount: 120, currency: 'USD', orderedAt: '2026-02-01T10:00:00Z' });
  await addOrder(env.ctx, { customer: 'jo@example.com', amount: 80.5, currency: 'USD', orderedAt: '2026-02-20T10:00:00Z' });
  await addSurvey(env.ctx, sam, { kind: 'csat', score: 2, customer: 'jo@example.com', at: '2026-02-25T10:00:00Z' });
  await addSurvey(env.ctx, sam, { kind: 'nps', score: 9, customer: 'jo@example.com', at: '2026-02-26T10:00:00Z' });
  return { env, sam, ana, cleo, ids: { refund, login, seats, renewal, crash, invoice } };
}
