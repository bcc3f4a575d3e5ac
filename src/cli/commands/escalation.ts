// `tandem escalate`, `tandem handback`, `tandem escalations`.
import type { Command } from 'commander';
import { lazyAction, withJson, withVersion } from '../command-kit.js';
import type * as run from './escalation.run.js';

// The work is in escalation.run.ts, loaded only when one of these commands runs.
const load = () => import('./escalation.run.js');

export function registerEscalationCommands(program: Command): void {
  withVersion(withJson(program.command('escalate')))
    .description('hand a service item to support with its whole context')
    .argument('<id>', 'service item id')
    .requiredOption('--reason <text>', 'why support is needed ("-" reads standard input)')
    .option('--to <handle>', 'assign the support item to this support agent')
    .option('--priority <priority>', "support priority (at least the source's)")
    .option('--kind <kind>', 'support kind: bug, access, billing, delivery, complaint, other', 'other')
    .action(lazyAction(load, (m, deps, id: string, o: run.EscalateFlags) => m.runEscalate({ ...o, id }, deps)));

  withVersion(withJson(program.command('handback')))
    .description('return an escalated item to service without resolving it')
    .argument('<id>', 'support item id')
    .requiredOption('--reason <text>', 'why it goes back ("-" reads standard input)')
    .action(lazyAction(load, (m, deps, id: string, o: run.HandbackFlags) => m.runHandback({ ...o, id }, deps)));

  withJson(program.command('escalations'))
    .description('escalations, newest first, with age and who holds them')
    .option('--open', 'only escalations support is still working on')
    .option('-n, --limit <n>', 'at most', '200')
    .action(lazyAction(load, (m, deps, o: run.EscalationsOptions) => m.runEscalations(o, deps)));
}
