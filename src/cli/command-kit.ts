// What the command wiring shares: --json, --if-version, which streams a program talks to, and
// lazyAction, which loads a command's run module (and the runtime) only when that command runs.
// Keep this file light: main.ts and every wiring file import it on each start.
import type { Command } from 'commander';
import { processIO, type CliIO } from './io.js';
import type { Deps } from './runtime.js';

/** A repeatable option: every value as given (an --hours text has commas of its own). */
export const repeated = (value: string, prev: string[] = []) => [...prev, value];

/** A repeatable option whose values may also be comma-separated lists. */
export const commaList = (value: string, prev: string[] = []) => [
  ...prev,
  ...value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean),
];

export function withJson(cmd: Command): Command {
  return cmd.option(
    '--json [fields]',
    'print JSON (shapes in docs/cli.md, "JSON shapes"); --json id,subject,status keeps only those fields',
  );
}

export function withVersion(cmd: Command): Command {
  return cmd.option('--if-version <n>', 'refuse (exit 4) unless the item is still at this version');
}

const programIO = new WeakMap<Command, CliIO>();

/** Make `program` (and its subcommands) write to and read from `io`. */
export function bindIO(program: Command, io: CliIO): void {
  programIO.set(program, io);
  program.configureOutput({
    writeOut: (s) => void io.stdout.write(s),
    writeErr: (s) => void io.stderr.write(s),
  });
}

/** The streams of the program `cmd` belongs to. */
export function ioOf(cmd: Command): CliIO {
  let root = cmd;
  while (root.parent) root = root.parent;
  return programIO.get(root) ?? processIO();
}

/**
 * A command action that imports its run module and the runtime when it runs (never at start-up), builds
 * the runtime from global + local options, calls `call`, and always closes the store. `call` receives
 * commander's positional arguments and the command's options, and maps them to the run function's
 * typed options. Errors propagate to main(), which prints them and picks the exit code.
 */
export function lazyAction<M, A extends unknown[]>(load: () => Promise<M>, call: (m: M, deps: Deps, ...args: A) => Promise<void>) {
  return async (...args: unknown[]) => {
    const cmd = args[args.length - 1] as Command;
    const [{ runtimeFor }, mod] = await Promise.all([import('./runtime.js'), load()]);
    const rt = runtimeFor(cmd, ioOf(cmd));
    await rt.out.ready();
    try {
      void rt.config; // every command reads the config file, so a broken one is reported whatever runs
      await call(mod, rt, ...(args.slice(0, -1) as A));
    } finally {
      await rt.close();
    }
  };
}
