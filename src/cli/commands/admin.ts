// `tandem init`, `tandem completion` (`tandem sla` lives in sla.ts).
import type { Command } from 'commander';
import { ioOf, lazyAction, withJson } from '../command-kit.js';
import { usage } from '../../core/errors.js';
import { COMPLETION_SHELLS, completionScript, type CompletionShell } from '../completion.js';
import type * as run from './admin.run.js';

// The work is in admin.run.ts, loaded only when one of these commands runs.
const load = () => import('./admin.run.js');

export function registerAdminCommands(program: Command): void {
  withJson(program.command('init'))
    .description('create the database and a first agent (named after you, both roles)')
    .option('--handle <handle>', 'handle for the first agent (default: your user name)')
    .option('--name <name>', 'name for the first agent')
    .option('--email <email>', 'email for the first agent')
    .option('--shared-group <group>', 'a new database file shared by this Unix group (mode 0660) instead of private to you (0600)')
    .action(lazyAction(load, (m, deps, o: run.InitOptions) => m.runInit(o, deps)));

  program
    .command('completion')
    .description(
      'print a shell completion script: eval "$(tandem completion bash)", or tandem completion fish > ~/.config/fish/completions/tandem.fish',
    )
    .argument('<shell>', 'bash | zsh | fish')
    .action((shell: string, _o: unknown, cmd: Command) => {
      if (!(COMPLETION_SHELLS as readonly string[]).includes(shell))
        throw usage(`completion is available for bash, zsh and fish, not ${JSON.stringify(shell)}`);
      ioOf(cmd).stdout.write(completionScript(program, shell as CompletionShell));
    });
}
