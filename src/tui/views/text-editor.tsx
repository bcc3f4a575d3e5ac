// The inline editor for replies and notes when $EDITOR is not set: many lines, Ctrl-D sends,
// Esc closes and keeps the text as a draft. Shown over the body.
import { Box, Text } from 'ink';
import { sanitizeText } from '../../text/sanitize.js';
import { truncate, wrap } from '../../text/width.js';
import type { Quote } from '../editor.js';
import type { Modal } from '../hooks/use-modal.js';
import { useTextKeys, useTextState, type TextAction } from '../hooks/use-text-input.js';
import type { Theme } from '../theme.js';
import { textAreaLines } from './text-cursor.js';

type EditorModal = Extract<Modal, { kind: 'editor' }>;

export function TextEditor({ modal, width, height, theme }: { modal: EditorModal; width: number; height: number; theme: Theme }) {
  const [state, dispatch, latest] = useTextState(modal.initial, modal.cursor);
  // `::` typed at the start of a word opens the macro picker; its text goes where the `::` was.
  const edit = (a: TextAction) => {
    const cur = latest.current;
    // Typed keys may arrive together ("Thanks ::" on a busy terminal); a pasted block (with line breaks) never opens it.
    const typed = a.type === 'insert' && a.text.endsWith(':') && !a.text.includes('\n') ? cur.text.slice(0, cur.cursor) + a.text : null;
    if (modal.macros && typed !== null && /(^|\s)::$/.test(typed)) {
      const at = typed.length - 2;
      return modal.resolve({ text: typed.slice(0, at) + cur.text.slice(cur.cursor), sent: false, macroAt: at });
    }
    dispatch(a);
  };
  useTextKeys(latest, edit, {
    multiline: true,
    owner: modal.seq,
    onSubmit: (text) => modal.resolve({ text, sent: true }),
    onCancel: (text) => modal.resolve({ text, sent: false }),
  });
  // The message being answered stays in view above the text: at most a third of the pane.
  const quoted = modal.quote ? quoteLines(modal.quote, width, Math.max(0, Math.floor((height - 4) / 3)), theme) : [];
  const areaHeight = Math.max(1, height - 4 - quoted.length);
  const lines = textAreaLines(state.text, state.cursor, width, areaHeight, theme);
  return (
    <Box flexDirection="column" width={width} height={height}>
      <Text wrap="truncate">{theme.bold(truncate(modal.title, width))}</Text>
      {quoted.map((l, i) => (
        <Text key={`q${i}`} wrap="truncate">
          {l || ' '}
        </Text>
      ))}
      <Text wrap="truncate">
        {theme.dim(
          truncate(
            modal.subtitle ??
              `Ctrl-D done (then review: y sends) · Enter starts a new line${modal.macros ? ' · :: inserts a macro' : ''} · Esc keeps it as a draft`,
            width,
          ),
        )}
      </Text>
      <Text wrap="truncate">{theme.dim('─'.repeat(Math.max(0, width)))}</Text>
      {lines.map((l, i) => (
        <Text key={i} wrap="truncate">
          {l || ' '}
        </Text>
      ))}
      <Box flexGrow={1} />
      <Text wrap="truncate">{theme.dim(`${state.text.length} characters`)}</Text>
    </Box>
  );
}

/** The quoted message: its heading and its last lines (the end of a message is what gets answered). */
function quoteLines(quote: Quote, width: number, room: number, theme: Theme): string[] {
  if (room < 2) return [];
  const body = wrap(sanitizeText(quote.body).trimEnd(), Math.max(4, width - 4)).map((l) => theme.customer(`  > ${l}`));
  const shown =
    body.length > room - 1 ? [theme.dim(`  > … (${body.length - room + 2} lines above)`), ...body.slice(body.length - room + 2)] : body;
  return [theme.customer(truncate(`← ${quote.heading}:`, width)), ...shown];
}
