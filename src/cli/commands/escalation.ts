// `tandem escalate`, `tandem handback`, `tandem escalations`.
import type { Command } from 'commander';
import { escalate, handback, listEscalations } from '../../core/escalation.js';
import { parseItemId } from '../../core/item-view.js';
import { withRuntime, withJson, withVersion } from '../command-kit.js';
import { parseVersion, readStdin } from '../runtime.js';
import { shortDuration } from '../../text/format.js';

export function registerEscalationCommands(program: Command): void {
  withVersion(withJson(program.command('escalate')))
    .description('hand a service item to support with its whole context')
    .argument('<id>', 'service item id')
    .requiredOption('--reason <text>', 'why support is needed ("-" reads standard input)')
    .option('--to <handle>', 'assign the support item to this support agent')
    .option('--priority <priority>', 'support priority (at least the source\'s)')
    .option('--kind <kind>', 'support kind: bug, access, billing, delivery, complaint, other', 'other')
    .action(withRuntime(async (rt, id: string, o: { reason: string; to?: string; priority?: string; kind?: string; ifVersion?: string }) => {
      const reason = o.reason === '-' ? await readStdin() : o.reason;
      const r = await escalate(await rt.ctx(), await rt.me(), parseItemId(id), {
        reason, to: o.to, priority: o.priority, kind: o.kind, expectedVersion: parseVersion(o.ifVersion),
      });
      if (rt.out.json) return rt.out.printJson(r);
      if (!rt.out.tty) return rt.out.print(String(r.support.id));
      rt.out.print(`Escalated #${r.source.id} to support as #${r.support.id}${r.support.assignee ? ` (@${r.support.assignee})` : ''}`);
    }));

  withVersion(withJson(program.command('handback')))
    .description('return an escalated item to service without resolving it')
    .argument('<id>', 'support item id')
    .requiredOption('--reason <text>', 'why it goes back ("-" reads standard input)')
    .action(withRuntime(async (rt, id: string, o: { reason: string; ifVersion?: string }) => {
      const reason = o.reason === '-' ? await readStdin() : o.reason;
      const r = await handback(await rt.ctx(), await rt.me(), parseItemId(id), reason, { expectedVersion: parseVersion(o.ifVersion) });
      if (rt.out.json) return rt.out.printJson(r);
      if (!rt.out.tty) return rt.out.print(String(r.source.id));
      rt.out.print(`Handed #${r.support.id} back: service item #${r.source.id} is ${r.source.status} again`);
    }));

  withJson(program.command('escalations'))
    .description('escalations, newest first, with age and who holds them')
    .option('--open', 'only escalations support is still working on')
    .option('-n, --limit <n>', 'at most', '200')
    .action(withRuntime(async (rt, o: { open?: boolean; limit: string }) => {
      const list = await listEscalations(await rt.ctx(), { open: o.open, limit: Math.max(1, Number(o.limit) || 200) });
      if (rt.out.json) return rt.out.printJson(list);
      rt.out.table(list, [
        { header: 'ESC', value: (e) => String(e.id), align: 'right' },
        { header: 'SOURCE', value: (e) => '#' + e.sourceItemId, align: 'right' },
        { header: 'SUPPORT', value: (e) => '#' + e.supportItemId, align: 'right' },
        { header: 'STATE', value: (e) => e.state.replace('_', ' ') },
        { header: 'BY', value: (e) => '@' + e.escalatedBy },
        { header: 'HOLDER', value: (e) => (e.holder ? '@' + e.holder : '') },
        { header: 'AGE', value: (e) => shortDuration(e.ageSeconds), align: 'right' },
        { header: 'REASON', value: (e) => e.reason, flex: true, max: 60 },
      ], { empty: o.open ? 'No open escalations.' : 'No escalations yet.' });
    }));
}
