// `tandem init`, `tandem sla list|set`, `tandem completion`.
import type { Command } from 'commander';
import { addAgent, defaultFirstAgent, listAgents } from '../../core/agents.js';
import { listPolicies, setPolicy } from '../../core/sla.js';
import { withRuntime, withJson } from '../command-kit.js';
import { shortDuration } from '../../text/format.js';
import { usage } from '../../core/errors.js';
import { completionScript } from '../completion.js';

export function registerAdminCommands(program: Command): void {
  withJson(program.command('init'))
    .description('create the database and a first agent (named after you, both roles)')
    .option('--handle <handle>', 'handle for the first agent (default: your user name)')
    .option('--name <name>', 'name for the first agent')
    .option('--email <email>', 'email for the first agent')
    .option('--shared-group <group>', 'a new database file shared by this Unix group (mode 0660) instead of private to you (0600)')
    .action(withRuntime(async (rt, o: { handle?: string; name?: string; email?: string; sharedGroup?: string }) => {
      rt.sharedGroup = o.sharedGroup ?? null;
      const ctx = await rt.ctx();
      const existing = await listAgents(ctx, { includeInactive: true });
      if (existing.length > 0) {
        if (rt.out.json) return rt.out.printJson({ database: rt.location, created: false, agent: null });
        return rt.out.note(`${rt.location} is already set up (${existing.length} agent(s)); nothing to do`);
      }
      const d = defaultFirstAgent(rt.env);
      const agent = await addAgent(ctx, { handle: o.handle ?? d.handle, name: o.name ?? d.name, email: o.email, roles: 'both' });
      if (rt.out.json) return rt.out.printJson({ database: rt.location, created: true, agent });
      rt.out.note(`Created ${rt.location} with agent @${agent.handle} (service and support).`);
      rt.out.note('Next: `tandem item add --subject "…" --customer someone@example.com`, or `tandem` for the console.');
    }));

  const sla = program.command('sla').description('SLA targets per role and priority');
  withJson(sla.command('list'))
    .description('show first-response and resolution targets')
    .action(withRuntime(async (rt) => {
      const list = await listPolicies(await rt.ctx());
      if (rt.out.json) return rt.out.printJson(list);
      rt.out.table(list, [
        { header: 'ROLE', value: (p) => p.role },
        { header: 'PRIORITY', value: (p) => p.priority },
        { header: 'FIRST RESPONSE', value: (p) => (rt.out.tty ? shortDuration(p.firstResponseMinutes * 60) : String(p.firstResponseMinutes)), align: 'right' },
        { header: 'RESOLUTION', value: (p) => (rt.out.tty ? shortDuration(p.resolutionMinutes * 60) : String(p.resolutionMinutes)), align: 'right' },
      ]);
    }));
  withJson(sla.command('set'))
    .description('change targets; applies to items created or re-prioritised from now on')
    .argument('<role>', 'service | support').argument('<priority>', 'low | normal | high | urgent')
    .option('--first-response <duration>', 'e.g. 30m, 8h, or minutes')
    .option('--resolution <duration>', 'e.g. 8h, 3d, or minutes')
    .action(withRuntime(async (rt, role: string, priority: string, o: { firstResponse?: string; resolution?: string }) => {
      const p = await setPolicy(await rt.ctx(), { role, priority, firstResponse: o.firstResponse, resolution: o.resolution });
      if (rt.out.json) return rt.out.printJson(p);
      rt.out.note(`${p.role} ${p.priority}: first response ${shortDuration(p.firstResponseMinutes * 60)}, resolution ${shortDuration(p.resolutionMinutes * 60)}`);
    }));

  program.command('completion')
    .description('print a shell completion script: eval "$(tandem completion bash)"')
    .argument('<shell>', 'bash | zsh')
    .action((shell: string) => {
      if (shell !== 'bash' && shell !== 'zsh') throw usage(`completion is available for bash and zsh, not ${JSON.stringify(shell)}`);
      process.stdout.write(completionScript(program, shell));
    });
}
