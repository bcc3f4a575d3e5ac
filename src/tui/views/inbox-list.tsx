// The inbox list: a column header and exactly `height - 1` rows, each row one pre-built string.
import { Box, Text } from 'ink';
import { useMemo } from 'react';
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

/**
 * Built rows by everything they show: moving the cursor rebuilds two rows, not the page. Times are
 * shown to the minute, so the clock only invalidates rows once a minute.
 */
const rowCache = new Map<string, string>();
const ROW_CACHE_LIMIT = 2000;

function listRows(p: InboxListProps): string[] {
  const { state, visible, width, height, now, theme } = p;
  const maxId = visible.reduce((m, r) => Math.max(m, r.id), 0);
  const layout = listLayout(width, maxId);
  const lines = [headerRow(layout, theme)];
  const minute = Math.floor(now.getTime() / 60_000);
  visible.forEach((row, i) => {
    const index = state.top + i;
    const mark = state.cache.marks.get(row.id);
    const rowState = {
      cursor: index === state.cursor,
      focused: p.focused,
      selected: state.selection.has(row.id),
      draft: state.cache.drafts.has(row.id),
    };
    // Everything the row shows is in the key.
    const key = [
      row.id,
      row.role,
      row.priority,
      row.status,
      row.subject,
      row.customer?.name,
      row.assignee,
      row.createdAt,
      row.sla.nextDueAt,
      row.sla.state,
      row.snoozedUntil,
      row.tags.join(' '),
      mark ? JSON.stringify(mark) : '',
      +rowState.cursor,
      +rowState.focused,
      +rowState.selected,
      +rowState.draft,
      width,
      maxId,
      minute,
      theme.colour,
    ].join('\u0000');
    let line = rowCache.get(key);
    if (line === undefined) {
      line = itemRow(row, mark, layout, now, rowState, theme);
      if (rowCache.size >= ROW_CACHE_LIMIT) rowCache.clear();
      rowCache.set(key, line);
    }
    lines.push(line);
  });
  if (state.error) {
    lines.push('', theme.bad(`  The list could not be loaded: ${state.error}`));
  } else if (state.loaded && visible.length === 0) {
    const f = state.filter;
    const narrowed = f.search || f.assignee || f.tag || f.breached || f.statuses || f.priorities.length || f.role !== 'all';
    lines.push('');
    lines.push(
      narrowed ? '  Nothing matches. C clears filters and search, 1 shows both roles.' : '  The inbox is empty: nothing left to do.',
    );
  } else if (!state.loaded) {
    lines.push('', theme.dim('  Loading…'));
  }
  return lines.slice(0, height);
}

export function InboxList(p: InboxListProps) {
  const { state, visible, width, height, now, focused, theme } = p;
  const lines = useMemo(
    () => listRows({ state, visible, width, height, now, focused, theme }),
    [state, visible, width, height, now, focused, theme],
  );
  return (
    <Box flexDirection="column" width={p.width} height={p.height}>
      {lines.map((line, i) => (
        <Text key={i} wrap="truncate">
          {line || ' ' /* an empty Text takes no row */}
        </Text>
      ))}
    </Box>
  );
}
