// The `tandem` program: commander wiring, error reporting and exit codes. No rules live here.
// Start-up loads only commander and the light wiring files; each command's action imports its run
// module (and the store, the core, …) when it runs, so `tandem --version` and `tandem inbox` load
// only what they use.
import { Command, CommanderError } from 'commander';
import { TandemError } from '../core/errors.js';
import { registerAdminCommands } from './commands/admin.js';
import { registerSlaCommands } from './commands/sla.js';
import { registerEscalationCommands } from './commands/escalation.js';
import { registerInboxCommand } from './commands/inbox.js';
import { registerItemCommands } from './commands/items.js';
import { registerPeopleCommands } from './commands/people.js';
import { registerDemoCommand } from './commands/demo.js';
import { registerKpiCommand } from './commands/kpi.js';
import { registerDataCommands } from './commands/data.js';
import { registerMacroCommands } from './commands/macros.js';
import { registerRuleCommands } from './commands/rules.js';
import { registerRouteCommands } from './commands/route.js';
import { registerMailCommands } from './commands/mail.js';
import { registerDbCommands } from './commands/db.js';
import { registerDoctorCommand } from './commands/doctor.js';
import { bindIO } from './command-kit.js';
import { processIO, type CliIO } from './io.js';
import { sanitizeLine } from '../text/sanitize.js';

export const VERSION = '0.1.0';

/**
 * The command groups, with the top-level commands each registers. Running a command builds only its
 * own group (a few ms less on every start); help, the console, `completion` (its script lists every
 * command) and anything unknown build them all.
 */
const GROUPS: [names: string[], register: (program: Command) => void][] = [
  [['inbox'], registerInboxCommand],
  [['item'], registerItemCommands],
  [['escalate', 'handback', 'escalations'], registerEscalationCommands],
  [['agent', 'customer', 'order', 'survey'], registerPeopleCommands],
  [['init'], registerAdminCommands], // and `completion`, which needs the whole program
  [['sla', 'calendar'], registerSlaCommands],
  [['demo'], registerDemoCommand],
  [['kpi'], registerKpiCommand],
  [['export', 'import', 'ingest'], registerDataCommands],
  [['macro', 'view'], registerMacroCommands],
  [['rule'], registerRuleCommands],
  [['route'], registerRouteCommands],
  [['mailbox', 'mail', 'outbox'], registerMailCommands],
  [['db'], registerDbCommands],
  [['doctor'], registerDoctorCommand],
];

/** The first word of argv that names a command (past the global options and their values). */
export function commandWord(argv: string[]): string | undefined {
  const args = argv.slice(2);
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--db' || a === '--as') i++;
    else if (a === '--') return undefined;
    else if (!a.startsWith('-')) return a;
  }
  return undefined;
}

/** The program; with `only`, just the group that has that top-level command (all of them when none has). */
export function buildProgram(io: CliIO = processIO(), only?: string): Command {
  const program = new Command('tandem');
  bindIO(program, io);
  program
    .description(
      'Customer service and support in one terminal console.\nRun `tandem` alone on a terminal for the console; subcommands for scripts.',
    )
    .version(VERSION, '-V, --version')
    .option(
      '--db <path|url>',
      'database: an SQLite file, or a postgres:// URL (default: $TANDEM_DB, else `database` in ~/.config/tandem/config.toml, else $XDG_DATA_HOME/tandem/tandem.db)',
    )
    .option(
      '--as <handle>',
      "act as this agent (default: $TANDEM_AGENT, else the config file's agent, else the only agent; the console asks)",
    )
    .exitOverride()
    .showHelpAfterError('(see `tandem --help`)')
    .configureHelp({ sortSubcommands: false, showGlobalOptions: true });

  program.action(async (_opts: unknown, cmd: Command) => {
    const { runtimeFor } = await import('./runtime.js');
    const rt = runtimeFor(cmd, io);
    void rt.config;
    if (!io.stdin.isTTY || !io.stdout.isTTY) {
      io.stderr.write(
        'tandem: the console needs a terminal on stdin and stdout; for scripts use the subcommands (`tandem --help`, e.g. `tandem inbox --json`).\n',
      );
      throw new TandemError('usage', '');
    }
    const { runConsole } = await import('../tui/run.js');
    await runConsole(rt);
  });

  const group = only === undefined ? undefined : GROUPS.find(([names]) => names.includes(only));
  for (const [, register] of group ? [group] : GROUPS) register(program);
  return program;
}

/** Run the CLI on `io` (the process's streams by default); resolves to the process exit code. */
export async function main(argv: string[], io: CliIO = processIO()): Promise<number> {
  const program = buildProgram(io, commandWord(argv));
  // `item add --json -` reads the item from stdin: that "-" is the argument, not --json's field list
  // (--json takes optional fields, and commander would hand it the "-").
  const args = [...argv];
  for (let i = 0; i < args.length - 1; i++) {
    if (args[i] === '--json' && args[i + 1] === '-') [args[i], args[i + 1]] = ['-', '--json'];
  }
  try {
    await program.parseAsync(args);
    return 0;
  } catch (e) {
    if (e instanceof CommanderError) {
      // Help and version are successes; every other commander error is a usage error.
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help') return 0;
      return 2;
    }
    if (e instanceof TandemError) {
      // Messages can quote what was typed or stored: never let it drive the terminal.
      if (e.message) io.stderr.write(`tandem: ${sanitizeLine(e.message)}\n`);
      return e.exitCode;
    }
    io.stderr.write(`tandem: unexpected error: ${(e as Error)?.stack ?? String(e)}\n`);
    return 1;
  }
}
