// Proactive service follow-ups: an outbound service item for a customer (e.g. one at risk), due at a chosen time.
import type { Agent } from './agents.js';
import { agentHasRole } from './agents.js';
import type { Ctx } from './context.js';
import { findCustomer } from './customers.js';
import { invalid } from './errors.js';
import { createItem, note } from './items.js';
import type { ItemView } from './item-view.js';
import { parseWhen } from './time.js';

export interface FollowUpOptions {
  subject?: string;
  body?: string | null;
  priority?: string;
  channel?: string;
  /** An internal note written on it at once (why it exists: e.g. the at-risk reasons). */
  note?: string | null;
}

/**
 * Create an open outbound service follow-up for a customer, due at `dueText` (ISO or "3d", "tomorrow 9:00").
 * It is assigned to the acting agent when they work service, else left for the service team.
 */
export async function createFollowUp(
  ctx: Ctx,
  agent: Agent,
  customerId: number,
  dueText: string,
  opts: FollowUpOptions = {},
): Promise<ItemView> {
  if (!dueText?.trim()) throw invalid('a follow-up needs a due time (e.g. 2d, "tomorrow 9:00")');
  const now = ctx.clock();
  if (parseWhen(dueText, now, 'future').getTime() <= now.getTime()) throw invalid(`the follow-up due time ${dueText} is not in the future`);
  const customer = await findCustomer(ctx.store.db, customerId);
  const item = await createItem(ctx, agent, {
    role: 'service',
    kind: 'follow_up',
    direction: 'outbound',
    channel: opts.channel ?? 'phone',
    priority: opts.priority ?? 'normal',
    customer: `#${customer.id}`,
    subject: opts.subject ?? `Proactive follow-up with ${customer.name}`,
    body: opts.body ?? null,
    assignee: agentHasRole(agent, 'service') ? agent.handle : null,
    due: dueText,
    tags: ['proactive'],
  });
  if (!opts.note?.trim()) return item;
  return (await note(ctx, agent, item.id, opts.note, { expectedVersion: item.version })).item;
}
