// `tandem escalate`, `tandem handback`, `tandem escalations`.
import { escalate, handback, listEscalations } from '../../core/escalation.js';
import { parseItemId } from '../../core/item-view.js';
import { parseVersion } from '../runtime.js';
import { shortDuration } from '../../text/format.js';
import type { Deps } from '../runtime.js';

export type EscalateFlags = { reason: string; to?: string; priority?: string; kind?: string; ifVersion?: string };
export type EscalateOptions = EscalateFlags & { id: string };

export async function runEscalate(o: EscalateOptions, rt: Deps): Promise<void> {
  const { id } = o;
  const reason = o.reason === '-' ? await rt.readStdin() : o.reason;
  const r = await escalate(await rt.ctx(), await rt.me(), parseItemId(id), {
    reason,
    to: o.to,
    priority: o.priority,
    kind: o.kind,
    expectedVersion: parseVersion(o.ifVersion),
  });
  if (rt.out.json) return rt.out.printJson(r);
  if (!rt.out.tty) return rt.out.print(String(r.support.id));
  rt.out.print(`Escalated #${r.source.id} to support as #${r.support.id}${r.support.assignee ? ` (@${r.support.assignee})` : ''}`);
}

export type HandbackFlags = { reason: string; ifVersion?: string };
export type HandbackOptions = HandbackFlags & { id: string };

export async function runHandback(o: HandbackOptions, rt: Deps): Promise<void> {
  const { id } = o;
  const reason = o.reason === '-' ? await rt.readStdin() : o.reason;
  const r = await handback(await rt.ctx(), await rt.me(), parseItemId(id), reason, { expectedVersion: parseVersion(o.ifVersion) });
  if (rt.out.json) return rt.out.printJson(r);
  if (!rt.out.tty) return rt.out.print(String(r.source.id));
  rt.out.print(`Handed #${r.support.id} back: service item #${r.source.id} is ${r.source.status} again`);
}

export type EscalationsOptions = { open?: boolean; limit: string };

export async function runEscalations(o: EscalationsOptions, rt: Deps): Promise<void> {
  const list = await listEscalations(await rt.ctx(), { open: o.open, limit: Math.max(1, Number(o.limit) || 200) });
  if (rt.out.json) return rt.out.printJson(list);
  rt.out.table(
    list,
    [
      { header: 'ESC', value: (e) => String(e.id), align: 'right' },
      { header: 'SOURCE', value: (e) => '#' + e.sourceItemId, align: 'right' },
      { header: 'SUPPORT', value: (e) => '#' + e.supportItemId, align: 'right' },
      { header: 'STATE', value: (e) => e.state.replace('_', ' ') },
      { header: 'BY', value: (e) => '@' + e.escalatedBy },
      { header: 'HOLDER', value: (e) => (e.holder ? '@' + e.holder : '') },
      { header: 'AGE', value: (e) => shortDuration(e.ageSeconds), align: 'right' },
      { header: 'REASON', value: (e) => e.reason, flex: true, max: 60 },
    ],
    { empty: o.open ? 'No open escalations.' : 'No escalations yet.' },
  );
}
