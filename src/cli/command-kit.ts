// Small helpers shared by command files: --json, --if-version, and running an action with a runtime (withRuntime).
import type { Command } from 'commander';
import { Runtime, runtimeFor } from './runtime.js';

export function withJson(cmd: Command): Command {
  return cmd.option('--json [fields]', 'print JSON (shapes in docs/cli.md, "JSON shapes"); --json id,subject,status keeps only those fields');
}

export function withVersion(cmd: Command): Command {
  return cmd.option('--if-version <n>', 'refuse (exit 4) unless the item is still at this version');
}

/**
 * Wrap a command action with a runtime: build it from global + local options, run, always close the store.
 * Errors propagate to main(), which prints them and picks the exit code.
 */
export function withRuntime<A extends unknown[]>(fn: (rt: Runtime, ...args: A) => Promise<void>) {
  return async (...args: unknown[]) => {
    const cmd = args[args.length - 1] as Command;
    const rt = runtimeFor(cmd);
    await rt.out.ready();
    try {
      void rt.config; // every command reads the config file, so a broken one is reported whatever runs
      await fn(rt, ...(args.slice(0, -1) as A));
    } finally {
      await rt.close();
    }
  };
}
