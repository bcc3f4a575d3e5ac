// The `tandem` program: commander wiring, error reporting and exit codes. No rules live here.
import { Command, CommanderError } from 'commander';
import { TandemError } from '../core/errors.js';
import { registerAdminCommands } from './commands/admin.js';
import { registerEscalationCommands } from './commands/escalation.js';
import { registerInboxCommand } from './commands/inbox.js';
import { registerItemCommands } from './commands/items.js';
import { registerPeopleCommands } from './commands/people.js';
import { registerDemoCommand } from './commands/demo.js';
import { registerKpiCommand } from './commands/kpi.js';
import { registerDataCommands } from './commands/data.js';
import { registerDbCommands } from './commands/db.js';
import { registerDoctorCommand } from './commands/doctor.js';
import { runtimeFor } from './runtime.js';
import { sanitizeLine } from '../text/sanitize.js';

export const VERSION = '0.1.0';

export function buildProgram(): Command {
  const program = new Command('tandem');
  program
    .description('Customer service and support in one terminal console.\nRun `tandem` alone on a terminal for the console; subcommands for scripts.')
    .version(VERSION, '-V, --version')
    .option('--db <path|url>', 'database: an SQLite file, or a postgres:// URL (default: $TANDEM_DB, else $XDG_DATA_HOME/tandem/tandem.db)')
    .option('--as <handle>', 'act as this agent (default: $TANDEM_AGENT, else the only agent)')
    .exitOverride()
    .showHelpAfterError('(see `tandem --help`)')
    .configureHelp({ sortSubcommands: false, showGlobalOptions: true });

  program.action(async (_opts: unknown, cmd: Command) => {
    const rt = runtimeFor(cmd);
    if (!process.stdin.isTTY || !process.stdout.isTTY) {
      process.stderr.write('tandem: the console needs a terminal on stdin and stdout; for scripts use the subcommands (`tandem --help`, e.g. `tandem inbox --json`).\n');
      throw new TandemError('usage', '');
    }
    const { runConsole } = await import('../tui/run.js');
    await runConsole(rt);
  });

  registerInboxCommand(program);
  registerItemCommands(program);
  registerEscalationCommands(program);
  registerPeopleCommands(program);
  registerAdminCommands(program);
  registerDemoCommand(program);
  registerKpiCommand(program);
  registerDataCommands(program);
  registerDbCommands(program);
  registerDoctorCommand(program);
  return program;
}

/** Run the CLI; resolves to the process exit code. */
export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
    return 0;
  } catch (e) {
    if (e instanceof CommanderError) {
      // Help and version are successes; every other commander error is a usage error.
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help') return 0;
      return 2;
    }
    if (e instanceof TandemError) {
      // Messages can quote what was typed or stored: never let it drive the terminal.
      if (e.message) process.stderr.write(`tandem: ${sanitizeLine(e.message)}\n`);
      return e.exitCode;
    }
    process.stderr.write(`tandem: unexpected error: ${(e as Error)?.stack ?? String(e)}\n`);
    return 1;
  }
}
