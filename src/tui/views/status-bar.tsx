// The status bar: the last action's result, and key hints for the current view.
import { Text } from 'ink';
import { displayWidth, truncate, wrap } from '../../text/width.js';
import type { StatusMessage } from '../hooks/use-status.js';
import { hintsFor, type ViewName } from '../keymap.js';
import type { Theme } from '../theme.js';

export interface StatusBarProps {
  message: StatusMessage | null;
  view: ViewName;
  selecting: boolean;
  width: number;
  theme: Theme;
  /** Replies whose delivery failed or is uncertain (from the outbox). */
  deliveryProblems?: { count: number; itemIds: number[] } | undefined;
}

function statusLines(p: StatusBarProps): [string, string] {
  const t = p.theme;
  const m = p.message;
  const paint = m?.tone === 'ok' ? t.ok : m?.tone === 'warn' ? t.warn : m?.tone === 'error' ? t.bad : (s: string) => s;
  // "? help" comes first and is never cut: whatever else does not fit, help lists it.
  const hints = hintsFor(p.view, p.selecting)
    .filter((h) => h.keys !== '?')
    .map((h) => `${h.keys} ${h.label}`)
    .join('  ');
  const prefix = p.selecting ? 'selection: a p s t x U act on all · Esc clears  ' : '';
  const help = '? help  ';
  const dp = p.deliveryProblems;
  const alarm =
    dp && dp.count > 0
      ? `✉ ${dp.count} failed deliver${dp.count === 1 ? 'y' : 'ies'} (${dp.itemIds.map((id) => '#' + id).join(' ')}${dp.count > dp.itemIds.length ? ' …' : ''}; D in the item retries)  `
      : '';
  const alarmWidth = Math.min(displayWidth(alarm), Math.max(0, p.width - help.length));
  const rest = Math.max(0, p.width - help.length - alarmWidth);
  const hintLine = t.dim(help) + (alarm ? t.bad(truncate(alarm, alarmWidth)) : '') + t.dim(truncate(prefix + hints, rest));
  if (!m) return ['', hintLine];
  // A long message (a conflict explained) takes both lines; the hints come back with the next one.
  if (displayWidth(m.text) > p.width) {
    const [first = '', ...rest] = wrap(m.text, p.width);
    return [paint(first), paint(truncate(rest.join(' '), p.width))];
  }
  return [paint(m.text), hintLine];
}

export function StatusBar(p: StatusBarProps) {
  const [a, b] = statusLines(p);
  return (
    <>
      <Text wrap="truncate">{a || ' '}</Text>
      <Text wrap="truncate">{b || ' '}</Text>
    </>
  );
}
