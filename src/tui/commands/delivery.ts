// Retrying a reply whose delivery failed or is uncertain, from the item: the agent decides, the
// outbox sends the same mail again (the mail daemon picks it up).
import type { CommandContext, Handler } from './context.js';
import { currentItem, plural, runAction } from './context.js';

async function retryDelivery(c: CommandContext): Promise<void> {
  const item = currentItem(c);
  if (!item) return c.status.say('No item here: the list is empty.', 'info');
  const data = c.detail.data && c.detail.data.item.id === item.id ? c.detail.data : await c.api.itemDetail(item.id);
  const stuck = [...(data.deliveries?.values() ?? [])].filter((d) => d.state === 'failed' || d.state === 'uncertain');
  if (stuck.length === 0) return c.status.say(`#${item.id} has no failed or uncertain delivery.`, 'info');
  const uncertain = stuck.some((d) => d.state === 'uncertain');
  const question = `Send ${plural(stuck.length, 'reply')} on #${item.id} again?${uncertain ? ' An uncertain one may already have arrived: the customer could get it twice.' : ''}`;
  if (!(await c.modal.confirm(question))) return c.status.say('Nothing changed.', 'info');
  await runAction(c, async () => {
    for (const d of stuck) await c.api.retryDelivery(d.id);
    return `${plural(stuck.length, 'reply')} on #${item.id} queued again; the mail daemon sends ${stuck.length === 1 ? 'it' : 'them'}.`;
  });
}

export const delivery: Record<string, Handler> = {
  'item.retryDelivery': retryDelivery,
};
