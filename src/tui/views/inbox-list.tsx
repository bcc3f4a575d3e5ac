// The inbox list: a column header and exactly `height - 1` rows, each row one pre-built string.
import { Box, Text } from 'ink';
import React, { useMemo } from 'react';
import type { InboxState } from '../hooks/use-inbox.js';
import type { ItemView } from '../../core/item-view.js';
import { headerRow, itemRow, listLayout } from '../rows.js';
import type { Theme } from '../theme.js';

export interface InboxListProps {
  state: InboxState;
  visible: ItemView[];
  width: number;
  height: number;
  now: Date;
  focused: boolean;
  theme: Theme;
}

export function listRows(p: InboxListProps): string[] {
  const { state, visible, width, height, now, theme } = p;
  const maxId = visible.reduce((m, r) => Math.max(m, r.id), 0);
  const layout = listLayout(width, maxId);
  const lines = [headerRow(layout, theme)];
  visible.forEach((row, i) => {
    const index = state.top + i;
    lines.push(itemRow(row, state.cache.marks.get(row.id), layout, now, { cursor: index === state.cursor, focused: p.focused, selected: state.selection.has(row.id) }, theme));
  });
  if (state.loaded && visible.length === 0) {
    const f = state.filter;
    const narrowed = f.search || f.assignee || f.tag || f.breached || f.statuses || f.priorities.length || f.role !== 'all';
    lines.push('');
    lines.push(narrowed ? '  Nothing matches. C clears filters and search, 1 shows both roles.' : '  The inbox is empty: nothing left to do.');
  } else if (!state.loaded) {
    lines.push('', theme.dim('  Loading…'));
  }
  return lines.slice(0, height);
}

export function InboxList(p: InboxListProps) {
  const lines = useMemo(() => listRows(p), [p.state, p.visible, p.width, p.height, p.now, p.focused, p.theme]);
  return (
    <Box flexDirection="column" width={p.width} height={p.height}>
      {lines.map((line, i) => (
        <Text key={i} wrap="truncate">{line}</Text>
      ))}
    </Box>
  );
}
