// A one-line prompt in the footer (search, filter, tags, snooze, reasons, the `:` command line):
// text state + key hook + two lines (hint/error/candidates above, the input below).
import { Text } from 'ink';
import { useState } from 'react';
import { truncate } from '../../text/width.js';
import type { Modal } from '../hooks/use-modal.js';
import { useTextKeys, useTextState, type TextAction } from '../hooks/use-text-input.js';
import type { Theme } from '../theme.js';
import { inputLine } from './text-cursor.js';

type PromptModal = Extract<Modal, { kind: 'prompt' }>;

export function Prompt({ modal, width, theme }: { modal: PromptModal; width: number; theme: Theme }) {
  const [state, dispatch, latest] = useTextState(modal.initial ?? '');
  const [error, setError] = useState<string | null>(null);
  const [candidates, setCandidates] = useState<string | null>(() =>
    modal.complete ? modal.complete(modal.initial ?? '').candidates : null,
  );
  // Changes are handled where the key is, not in an effect: an effect could run after Enter.
  const edit = (a: TextAction) => {
    const before = latest.current.text;
    dispatch(a);
    const next = latest.current;
    if (next.text === before) return;
    setError(null);
    modal.onChange?.(next.text);
    if (modal.complete) setCandidates(modal.complete(next.text).candidates);
  };

  useTextKeys(latest, edit, {
    owner: modal.seq,
    onSubmit: (text) => {
      const problem = modal.validate?.(text) ?? null;
      if (problem) return setError(problem);
      modal.resolve(text);
    },
    onCancel: () => modal.resolve(null),
    onTab: () => {
      if (!modal.complete) return;
      const r = modal.complete(latest.current.text);
      if (r.text !== undefined) edit({ type: 'set', text: r.text });
      setCandidates(r.candidates);
    },
  });

  const top = error
    ? theme.bad(truncate('✗ ' + error, width))
    : theme.dim(truncate(candidates ?? modal.hint ?? 'Enter accepts · Esc cancels', width));
  return (
    <>
      <Text wrap="truncate">{top}</Text>
      <Text wrap="truncate">{inputLine(theme.bold(modal.label), state.text, state.cursor, width, theme)}</Text>
    </>
  );
}
