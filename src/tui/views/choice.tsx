// Pick one of a few values with one key (priority, status), in the footer.
import { Text } from 'ink';
import { useRef, useState } from 'react';
import { truncate } from '../../text/width.js';
import { useKeys } from '../hooks/use-key-router.js';
import type { Modal } from '../hooks/use-modal.js';
import type { Theme } from '../theme.js';

type ChoiceModal = Extract<Modal, { kind: 'choice' }>;

export function Choice({ modal, width, theme }: { modal: ChoiceModal; width: number; theme: Theme }) {
  const [at, setRendered] = useState(() =>
    Math.max(
      0,
      modal.options.findIndex((o) => o.value === modal.current),
    ),
  );
  // The highlighted option as the keys of one burst leave it (React renders after them).
  const latest = useRef(at);
  const setAt = (f: (i: number) => number) => {
    latest.current = f(latest.current);
    setRendered(latest.current);
  };
  useKeys(modal.seq, (input, key) => {
    if (key.paste) return;
    if (key.escape) return modal.resolve(null);
    if (key.return) return modal.resolve(modal.options[latest.current]?.value ?? null);
    if (key.leftArrow || key.upArrow) return setAt((i) => (i + modal.options.length - 1) % modal.options.length);
    if (key.rightArrow || key.downArrow || key.tab) return setAt((i) => (i + 1) % modal.options.length);
    const hit = modal.options.find((o) => o.key === input.toLowerCase());
    if (hit) modal.resolve(hit.value);
  });
  const options = modal.options.map((o, i) => {
    const label = o.label.startsWith(o.key) ? `[${o.key}]${o.label.slice(o.key.length)}` : `[${o.key}] ${o.label}`;
    const marked = o.value === modal.current ? label + '*' : label;
    return i === at ? theme.bold(theme.colour ? theme.c.inverse(marked) : `>${marked}`) : marked;
  });
  return (
    <>
      <Text wrap="truncate">
        {theme.dim(truncate('A letter picks · ←/→ and Enter · Esc cancels' + (modal.current ? ' · * is the current value' : ''), width))}
      </Text>
      <Text wrap="truncate">{theme.bold(modal.label + ': ') + options.join('  ')}</Text>
    </>
  );
}
