// Drawing editable text with a visible cursor: inverse video with colour, a thin bar without.
import { displayWidth, truncate, wrap } from '../../text/width.js';
import type { Theme } from '../theme.js';

const MARK = '\u{E000}'; // a private-use character stands in for the cursor while wrapping

function paintCursor(line: string, theme: Theme): string {
  const at = line.indexOf(MARK);
  if (at < 0) return line;
  const before = line.slice(0, at);
  const rest = line.slice(at + MARK.length);
  if (!theme.colour) return before + '▏' + rest;
  const ch = rest ? [...rest][0]! : ' ';
  return before + theme.c.inverse(ch) + rest.slice(ch.length);
}

/** One line of input after a label, scrolled so the cursor stays in view. */
export function inputLine(label: string, text: string, cursor: number, width: number, theme: Theme): string {
  const room = Math.max(4, width - displayWidth(label) - 1);
  let before = text.slice(0, cursor);
  const after = text.slice(cursor);
  if (displayWidth(before) > room - 4) {
    // Keep the end of what was typed before the cursor visible.
    const chars = [...before];
    while (chars.length && displayWidth('…' + chars.join('')) > room - 4) chars.shift();
    before = '…' + chars.join('');
  }
  const shown = truncate(before + MARK + after, room + 1);
  return label + paintCursor(shown, theme);
}

/** Multi-line text wrapped to `width`, the window of `height` lines that holds the cursor. */
export function textAreaLines(text: string, cursor: number, width: number, height: number, theme: Theme): string[] {
  const marked = text.slice(0, cursor) + MARK + text.slice(cursor);
  const lines = wrap(marked, Math.max(4, width - 1));
  const at = Math.max(
    0,
    lines.findIndex((l) => l.includes(MARK)),
  );
  const start = Math.max(0, at - height + 1);
  return lines.slice(start, start + height).map((l) => paintCursor(l, theme));
}
