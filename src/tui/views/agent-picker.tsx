// Pick an agent (or nobody): type to narrow, arrows to move, Enter to pick. Shown over the body.
import { Box, Text } from 'ink';
import { useMemo, useRef, useState } from 'react';
import { fit, truncate } from '../../text/width.js';
import { useKeys } from '../hooks/use-key-router.js';
import type { Modal, PickerOption } from '../hooks/use-modal.js';
import { selectReducer, type SelectAction, type SelectState } from '../hooks/use-select-state.js';
import { pasteAction, textActionFor, useTextState } from '../hooks/use-text-input.js';
import type { Theme } from '../theme.js';
import { inputLine } from './text-cursor.js';

type PickerModal = Extract<Modal, { kind: 'picker' }>;

function matchOptions(options: PickerOption[], query: string): PickerOption[] {
  const q = query.trim().toLowerCase().replace(/^@/, '');
  if (!q) return options;
  return options.filter((o) => `${o.label} ${o.detail ?? ''}`.toLowerCase().includes(q));
}

export function AgentPicker({ modal, width, height, theme }: { modal: PickerModal; width: number; height: number; theme: Theme }) {
  const [text, editText, latestText] = useTextState('');
  const [sel, setSel] = useState<SelectState>({ cursor: 0, top: 0 });
  // The cursor as the keys of one burst leave it ("cle" then Enter picks from "cle"'s matches).
  const latestSel = useRef(sel);
  const move = (a: SelectAction) => {
    latestSel.current = selectReducer(latestSel.current, a);
    setSel(latestSel.current);
  };
  const matches = useMemo(() => matchOptions(modal.options, text.text), [modal.options, text.text]);
  const listHeight = Math.max(1, height - 4);

  useKeys(modal.seq, (input, key) => {
    const now = matchOptions(modal.options, latestText.current.text);
    if (key.escape) return modal.resolve(null);
    if (key.return) {
      const picked = now[latestSel.current.cursor];
      if (picked) modal.resolve(picked);
      return;
    }
    const by = (delta: number) => move({ type: 'move', delta, count: now.length, height: listHeight });
    if (key.upArrow || (key.ctrl && input === 'p')) return by(-1);
    if (key.downArrow || (key.ctrl && input === 'n') || key.tab) return by(1);
    if (key.pageDown) return by(listHeight);
    if (key.pageUp) return by(-listHeight);
    const edit = key.paste ? pasteAction(input, false) : textActionFor(input, key, false);
    if (edit) {
      editText(edit);
      move({ type: 'reset' }); // a new query starts at its best match
    }
  });

  const labelWidth = Math.min(24, Math.max(8, ...modal.options.map((o) => o.label.length + 1)));
  const rows = matches.slice(sel.top, sel.top + listHeight).map((o, i) => {
    const index = sel.top + i;
    const line = `${index === sel.cursor ? '>' : ' '} ${fit(o.label, labelWidth)} ${truncate(o.detail ?? '', Math.max(0, width - labelWidth - 4))}`;
    return index === sel.cursor ? theme.cursor(line) : line;
  });
  return (
    <Box flexDirection="column" width={width} height={height}>
      <Text wrap="truncate">{theme.bold(truncate(modal.title, width))}</Text>
      <Text wrap="truncate">{inputLine('Find: ', text.text, text.cursor, width, theme)}</Text>
      {rows.length ? (
        rows.map((r, i) => (
          <Text key={i} wrap="truncate">
            {r}
          </Text>
        ))
      ) : (
        <Text>{theme.dim('  nobody matches')}</Text>
      )}
      <Box flexGrow={1} />
      <Text wrap="truncate">{theme.dim(truncate('Type to narrow · ↑/↓ move · Enter picks · Esc cancels', width))}</Text>
    </Box>
  );
}
