// Keys → named commands through the keymap, for the list and the detail (modals take their own keys).
import type { Key } from 'ink';
import { commandForKey, keyName, type CommandId, type ViewName } from './keymap.js';
import type { RoutedKey } from './hooks/use-key-router.js';

/** One key name for one character of a burst. */
function charName(ch: string): string | null {
  if (ch === '\r' || ch === '\n') return 'enter';
  if (ch === '\t') return 'tab';
  if (ch === ' ') return 'space';
  if (ch === '\u007f' || ch === '\b') return 'backspace';
  const code = ch.codePointAt(0)!;
  if (code >= 1 && code <= 26) return `ctrl+${String.fromCharCode(code + 96)}`;
  return code < 32 ? null : ch;
}

/**
 * Split a burst (fast typing, keys coalesced by a slow link or a busy machine: "jj", "j\r") into one
 * key each. Ink already splits escape sequences (arrows…) into events of their own.
 */
export function keyNames(input: string, key: Key): string[] {
  if (!key.ctrl && !key.meta && [...input].length > 1 && !input.includes('\u001b')) {
    return [...input].map(charName).filter((n): n is string => n !== null);
  }
  const name = keyName(input, key);
  return name ? [name] : [];
}

/** The handler for keys no modal takes: each key, in order, to `runKey` (which maps it to a command). A paste is no key. */
export function keymapHandler(runKey: (name: string) => Promise<void>): (input: string, key: RoutedKey) => Promise<void> | void {
  return (input, key) => {
    if (key.paste) return;
    let last: Promise<void> | undefined;
    for (const name of keyNames(input, key)) last = runKey(name);
    return last;
  };
}

/** The command a key runs in a view, if any. */
export function commandIdFor(view: ViewName, name: string): CommandId | undefined {
  return commandForKey(view, name)?.id;
}
