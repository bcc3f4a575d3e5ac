// The inline editor for replies and notes when $EDITOR is not set: many lines, Ctrl-D sends,
// Esc closes and keeps the text as a draft. Shown over the body.
import { Box, Text } from 'ink';
import { truncate } from '../../text/width.js';
import type { Modal } from '../hooks/use-modal.js';
import { useTextKeys, useTextState, type TextAction } from '../hooks/use-text-input.js';
import type { Theme } from '../theme.js';
import { textAreaLines } from './text-cursor.js';

type EditorModal = Extract<Modal, { kind: 'editor' }>;

export function TextEditor({ modal, width, height, theme }: { modal: EditorModal; width: number; height: number; theme: Theme }) {
  const [state, dispatch] = useTextState(modal.initial, modal.cursor);
  // `::` typed at the start of a word opens the macro picker; its text goes where the `::` was.
  const edit = (a: TextAction) => {
    // Typed keys may arrive together ("Thanks ::" on a busy terminal); a pasted block (with line breaks) never opens it.
    const typed = a.type === 'insert' && a.text.endsWith(':') && !a.text.includes('\n') ? state.text.slice(0, state.cursor) + a.text : null;
    if (modal.macros && typed !== null && /(^|\s)::$/.test(typed)) {
      const at = typed.length - 2;
      return modal.resolve({ text: typed.slice(0, at) + state.text.slice(state.cursor), sent: false, macroAt: at });
    }
    dispatch(a);
  };
  useTextKeys(state, edit, {
    multiline: true,
    owner: modal.seq,
    onSubmit: (text) => modal.resolve({ text, sent: true }),
    onCancel: (text) => modal.resolve({ text, sent: false }),
  });
  const areaHeight = Math.max(1, height - 4);
  const lines = textAreaLines(state.text, state.cursor, width, areaHeight, theme);
  return (
    <Box flexDirection="column" width={width} height={height}>
      <Text wrap="truncate">{theme.bold(truncate(modal.title, width))}</Text>
      <Text wrap="truncate">{theme.dim(truncate(modal.subtitle ?? `Ctrl-D sends · Enter starts a new line${modal.macros ? ' · :: inserts a macro' : ''} · Esc closes (the text is kept)`, width))}</Text>
      <Text wrap="truncate">{theme.dim('─'.repeat(Math.max(0, width)))}</Text>
      {lines.map((l, i) => <Text key={i} wrap="truncate">{l || ' '}</Text>)}
      <Box flexGrow={1} />
      <Text wrap="truncate">{theme.dim(`${state.text.length} characters`)}</Text>
    </Box>
  );
}
