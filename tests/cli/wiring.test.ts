// The light command wiring repeats a few lists of the core it must not import at start-up: they stay equal.
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { SORTS } from '../../src/core/inbox.js';
import { SORT_CHOICES } from '../../src/cli/commands/inbox.js';
import { buildProgram, commandWord } from '../../src/cli/main.js';
import type { Command } from 'commander';

describe('command wiring', () => {
  it("offers exactly the core's sort orders for --sort", () => {
    expect([...SORT_CHOICES]).toEqual([...SORTS]);
  });
});

/** A command's whole interface: names, options and subcommands, recursively. */
function shape(cmd: Command): unknown {
  return {
    name: cmd.name(),
    aliases: cmd.aliases(),
    options: cmd.options.map((o) => o.flags),
    args: cmd.registeredArguments.map((a) => a.name()),
    commands: cmd.commands.map(shape),
  };
}

describe('building only the group of the command that runs', () => {
  const full = buildProgram();
  const names = full.commands.flatMap((c) => [c.name(), ...c.aliases()]);

  it.each(names)('`tandem %s …` gets the same command as the full program, and not every group', (name) => {
    const partial = buildProgram(undefined, name);
    const want = full.commands.find((c) => c.name() === name || c.aliases().includes(name))!;
    const got = partial.commands.find((c) => c.name() === want.name());
    expect(got && shape(got)).toEqual(shape(want));
    // `completion` prints a script for every command: it needs them all.
    if (name === 'completion') expect(partial.commands.map(shape)).toEqual(full.commands.map(shape));
    else expect(partial.commands.length).toBeLessThan(full.commands.length);
  });

  it('finds the command word past the global options and their values', () => {
    expect(commandWord(['node', 'tandem', '--db', 'x.db', '--as', 'sam', 'inbox', '--json'])).toBe('inbox');
    expect(commandWord(['node', 'tandem', '--db', 'inbox'])).toBeUndefined();
    expect(commandWord(['node', 'tandem', '--version'])).toBeUndefined();
  });
});

describe("the launcher's command key (bin/code-cache.js) and the program agree", () => {
  // The launcher picks a code cache before the program loads, so it parses argv on its own.
  const launcher = createRequire(import.meta.url)('../../bin/code-cache.js') as {
    commandKey(argv: string[]): string;
    VALUE_OPTIONS: Set<string>;
  };

  it('skips exactly the global options that take a value', () => {
    const valued = buildProgram()
      .options.filter((o) => o.required || o.optional)
      .map((o) => o.long);
    expect([...launcher.VALUE_OPTIONS].sort()).toEqual(valued.sort());
  });

  it.each([
    [['inbox', '--json']],
    [['--db', 'x.db', '--as', 'sam', 'item', 'show', '3']],
    [['--db', 'inbox']],
    [['--as', 'sam']],
    [['--version']],
    [['--db', 'x.db', '--help']],
    [[]],
  ])('finds the same command in %j', (args) => {
    const argv = ['node', 'tandem', ...args];
    const word = commandWord(argv);
    const helpAsked = args.some((a) => ['-h', '--help', '-V', '--version'].includes(a));
    expect(launcher.commandKey(argv)).toBe(word ?? (helpAsked ? 'help' : 'console'));
  });
});
