// Keys → named commands through the keymap, for the list and the detail (modals take their own keys).
import type { Key } from 'ink';
import { commandForKey, keyName, type CommandId, type ViewName } from '../keymap.js';
import type { KeyHandler } from './use-key-router.js';

/** Split a burst of plain characters (fast typing over a slow link) into one key each. */
export function keyNames(input: string, key: Key): string[] {
  if (!key.ctrl && !key.meta && input.length > 1 && /^[\x20-\x7e]+$/.test(input)) {
    return [...input].map((ch) => (ch === ' ' ? 'space' : ch));
  }
  const name = keyName(input, key);
  return name ? [name] : [];
}

/** The handler for keys no modal takes: each key runs the command the keymap names for the view. */
export function keymapHandler(view: ViewName, run: (id: CommandId) => void): KeyHandler {
  return (input, key) => {
    for (const name of keyNames(input, key)) {
      const spec = commandForKey(view, name);
      if (spec) run(spec.id);
    }
  };
}
