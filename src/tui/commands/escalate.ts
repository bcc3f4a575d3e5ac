// Escalation from the console: `e` hands a service item to support (reason, optionally who takes
// it), `b` hands an escalated support item back. The rules (and refusals) are the core's.
import { agentHasRole } from '../../core/agents.js';
import { sanitizeLine } from '../../text/sanitize.js';
import type { CommandContext, Handler } from './context.js';
import { currentItem, runAction } from './context.js';

async function supportPicker(c: CommandContext, itemId: number): Promise<string | null | undefined> {
  const agents = (await c.api.agents()).filter((a) => agentHasRole(a, 'support'));
  const picked = await c.modal.pick(`Who at support takes #${itemId}? (optional)`, [
    { value: null, label: 'nobody yet', detail: 'support triage picks it up' },
    ...agents.map((a) => ({ value: a.handle, label: `@${a.handle}${a.id === c.api.me.id ? ' (me)' : ''}`, detail: sanitizeLine(a.name) })),
  ]);
  return picked === null ? undefined : picked.value;
}

export const escalation: Record<string, Handler> = {
  'item.escalate': async (c, arg) => {
    const item = currentItem(c);
    if (!item) return;
    if (item.role !== 'service')
      return c.status.say(`#${item.id} is a support item; only service items are escalated (b hands an escalated one back).`, 'info');
    const key = `escalate:${item.id}`;
    const reason =
      arg ??
      (await c.modal.ask({
        label: `Escalate #${item.id} to support — why? `,
        initial: c.drafts.get(key) ?? '',
        hint: 'Support gets this reason with the whole context: customer, orders, history and the thread.',
        validate: (t) => (t.trim() ? null : 'say why support is needed'),
      }));
    if (reason === null || !reason.trim()) return;
    const to = arg !== undefined ? null : await supportPicker(c, item.id);
    if (to === undefined) {
      c.drafts.set(key, reason);
      return c.status.say(`Not escalated; your reason is kept: e opens it again.`, 'info');
    }
    await runAction(
      c,
      async () => {
        const r = await c.api.escalate(item.id, reason, to, { expectedVersion: item.version });
        c.drafts.delete(key);
        return `Escalated #${item.id} to support as #${r.support.id}${r.support.assignee ? ` (@${r.support.assignee})` : ''}. l jumps to it.`;
      },
      { draft: { key, text: reason, again: 'e' } },
    );
  },

  'item.handback': async (c, arg) => {
    const item = currentItem(c);
    if (!item) return;
    if (item.role !== 'support')
      return c.status.say(`#${item.id} is a service item; b hands an escalated support item back to service.`, 'info');
    const d =
      c.detail.data?.item.id === item.id && c.detail.data.item.version === item.version ? c.detail.data : await c.api.itemDetail(item.id);
    if (!d.asSupport) return c.status.say(`#${item.id} did not come from an escalation; there is nothing to hand back.`, 'info');
    const key = `handback:${item.id}`;
    const reason =
      arg ??
      (await c.modal.ask({
        label: `Hand #${item.id} back to service #${d.asSupport.sourceItemId} — why? `,
        initial: c.drafts.get(key) ?? '',
        hint: 'e.g. not a support issue; this closes the support item and reopens the service one with your reason.',
        validate: (t) => (t.trim() ? null : 'say why it goes back'),
      }));
    if (reason === null || !reason.trim()) return;
    await runAction(
      c,
      async () => {
        const r = await c.api.handback(item.id, reason, { expectedVersion: item.version });
        c.drafts.delete(key);
        return `Handed #${item.id} back: service #${r.source.id} is ${r.source.status} again.`;
      },
      { draft: { key, text: reason, again: 'b' } },
    );
  },
};
