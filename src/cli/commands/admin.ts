// `tandem init`, `tandem completion` (`tandem sla` lives in sla.ts).
import type { Command } from 'commander';
import { addAgent, defaultFirstAgent, listAgents } from '../../core/agents.js';
import { withRuntime, withJson } from '../command-kit.js';
import { usage } from '../../core/errors.js';
import { COMPLETION_SHELLS, completionScript, type CompletionShell } from '../completion.js';

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

  program.command('completion')
    .description('print a shell completion script: eval "$(tandem completion bash)", or tandem completion fish > ~/.config/fish/completions/tandem.fish')
    .argument('<shell>', 'bash | zsh | fish')
    .action((shell: string) => {
      if (!(COMPLETION_SHELLS as readonly string[]).includes(shell)) throw usage(`completion is available for bash, zsh and fish, not ${JSON.stringify(shell)}`);
      process.stdout.write(completionScript(program, shell as CompletionShell));
    });
}
