// The inline editor for replies and notes when $EDITOR is not set: many lines, Ctrl-D sends,
// Esc closes and keeps the text as a draft. Shown over the body.
import { Box, Text } from 'ink';
import { truncate } from '../../text/width.js';
import type { Modal } from '../hooks/use-modal.js';
import { useTextKeys, useTextState } from '../hooks/use-text-input.js';
import type { Theme } from '../theme.js';
import { textAreaLines } from './text-cursor.js';

type EditorModal = Extract<Modal, { kind: 'editor' }>;

export function TextEditor({ modal, width, height, theme }: { modal: EditorModal; width: number; height: number; theme: Theme }) {
  const [state, dispatch, latest] = useTextState(modal.initial);
  useTextKeys(latest, dispatch, {
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
      <Text wrap="truncate">{theme.dim(truncate(modal.subtitle ?? 'Ctrl-D done (then review: y sends) · Enter starts a new line · Esc keeps it as a draft', width))}</Text>
      <Text wrap="truncate">{theme.dim('─'.repeat(Math.max(0, width)))}</Text>
      {lines.map((l, i) => <Text key={i} wrap="truncate">{l || ' '}</Text>)}
      <Box flexGrow={1} />
      <Text wrap="truncate">{theme.dim(`${state.text.length} characters`)}</Text>
    </Box>
  );
}
