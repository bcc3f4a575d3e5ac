// The console itself: quit, help, redraw, and the `:` command line that runs any command by name.
import { COMMANDS, commandsFor, findCommandByName, keysLabel, type CommandSpec, type ViewName } from '../keymap.js';
import type { CommandContext, Handler } from './context.js';
import { commandArgNames } from './macros.js';
import { plural } from './context.js';

function commonPrefix(words: string[]): string {
  if (words.length === 0) return '';
  let p = words[0]!;
  for (const w of words) while (!w.startsWith(p)) p = p.slice(0, -1);
  return p;
}

/** Completion for the command line: the text after Tab, and a line of candidates or usage. */
export function completeCommand(
  text: string,
  view: ViewName,
  argNames: Record<string, string[]> = {},
): { text?: string; candidates: string } {
  const m = /^\s*(\S*)(\s.*)?$/.exec(text)!;
  const word = m[1]!.toLowerCase();
  const hasArgs = m[2] !== undefined;
  const pool = [...commandsFor(view), ...COMMANDS.filter((c) => !commandsFor(view).includes(c))];
  if (hasArgs) {
    // Commands whose argument is a name (macros, views) complete it too.
    const names = argNames[word];
    const arg = m[2]!.trim().toLowerCase();
    if (names?.length && !/\s/.test(arg)) {
      const hits = names.filter((n) => n.startsWith(arg));
      if (hits.length === 1) return { text: `${word} ${hits[0]}`, candidates: hits[0]! };
      if (hits.length > 1) {
        const prefix = commonPrefix(hits);
        return { text: prefix.length > arg.length ? `${word} ${prefix}` : undefined, candidates: hits.join('  ') };
      }
    }
    const spec = pool.find((c) => c.name === word);
    return { candidates: spec ? usage(spec) : `no command "${word}"` };
  }
  const matches = pool.filter((c) => c.name.startsWith(word));
  if (matches.length === 0) return { candidates: `no command starts with "${word}"` };
  if (matches.length === 1) return { text: matches[0]!.name + ' ', candidates: usage(matches[0]!) };
  const prefix = commonPrefix(matches.map((c) => c.name));
  return { text: prefix.length > word.length ? prefix : undefined, candidates: matches.map((c) => c.name).join('  ') };
}

function usage(spec: CommandSpec): string {
  return `${spec.name}${spec.arg ? ' ' + spec.arg : ''} — ${spec.help}${spec.keys.length ? ` (${keysLabel(spec)})` : ''}`;
}

/** Quit, asking first when I have unsent drafts (they stay saved either way). */
async function quitAsking(c: CommandContext): Promise<void> {
  const drafts = await c.api.myDrafts().catch(() => []);
  if (drafts.length) {
    const listed =
      drafts
        .slice(0, 4)
        .map((d) => `#${d.itemId} ${d.kind}`)
        .join(', ') + (drafts.length > 4 ? ', …' : '');
    const yes = await c.modal.confirm(
      `You have ${plural(drafts.length, 'unsent draft')} (${listed}); they stay saved for next time. Quit anyway?`,
    );
    if (!yes) return c.status.say('Not quitting. ✎ in the list marks the items with a draft; r or n opens it.', 'info');
  }
  c.quit();
}

export const consoleCommands: Record<string, Handler> = {
  'app.quit': (c) => quitAsking(c),
  // q backs out one level, and quits only from the list.
  'app.close': (c) => {
    if (c.view === 'detail' || c.view === 'kpi') {
      c.showItem(null);
      c.setView('list');
      return;
    }
    return quitAsking(c);
  },
  'app.help': (c) => c.modal.help(c.view),
  'app.redraw': (c) => c.redraw(),
  'app.command': async (c: CommandContext, arg?: string) => {
    // Names load while the prompt opens (keys typed right after `:` must reach the prompt).
    let names: Record<string, string[]> = {};
    if (arg === undefined)
      void commandArgNames(c).then((n) => {
        names = n;
      });
    const text =
      arg ??
      (await c.modal.ask({
        label: ':',
        hint: 'A command by name, e.g. assign ana · priority urgent · snooze tomorrow 9:00 · go 42 · Tab completes',
        complete: (t) => completeCommand(t, c.view, names),
      }));
    if (text === null || !text.trim()) return;
    const m = /^\s*(\S+)\s*(.*)$/.exec(text)!;
    const found = findCommandByName(m[1]!, c.view);
    if (!found) return c.status.say(`No command "${m[1]}". : then Tab lists them; ? shows the keys.`, 'error');
    if (Array.isArray(found)) return c.status.say(`"${m[1]}" could be ${found.map((f) => f.name).join(', ')}.`, 'error');
    if (found.id === 'app.command') return;
    const rest = m[2]!.trim();
    await c.run(found.id, rest ? rest : undefined);
  },
};
