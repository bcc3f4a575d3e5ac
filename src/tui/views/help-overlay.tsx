// `?`: every key of the current view, grouped, read from the keymap (so it is never out of date).
import { Box, Text } from 'ink';
import { useMemo, useState } from 'react';
import { fit, truncate } from '../../text/width.js';
import { useKeys } from '../hooks/use-key-router.js';
import type { Modal } from '../hooks/use-modal.js';
import { commandsFor, keysLabel, type Group, type ViewName } from '../keymap.js';
import type { Theme } from '../theme.js';

type HelpModal = Extract<Modal, { kind: 'help' }>;

const GROUP_ORDER: Group[] = ['Move', 'Read', 'Filter', 'Act', 'Console'];

function helpLines(view: ViewName, width: number, theme: Theme): string[] {
  const lines: string[] = [];
  const cmds = commandsFor(view);
  for (const group of GROUP_ORDER) {
    const inGroup = cmds.filter((c) => c.group === group);
    if (!inGroup.length) continue;
    if (lines.length) lines.push('');
    lines.push(theme.bold(group));
    for (const c of inGroup) {
      const keys = c.keys.length ? keysLabel(c) : '';
      const extra = `${c.bulk ? ' (selection too)' : ''}  :${c.name}${c.arg ? ' ' + c.arg : ''}`;
      lines.push(truncate(`  ${fit(keys, 16)} ${c.help}`, width - 1) + theme.dim(truncate(extra, Math.max(0, width - 20 - c.help.length))));
    }
  }
  return lines;
}

export function HelpOverlay({ modal, width, height, theme }: { modal: HelpModal; width: number; height: number; theme: Theme }) {
  const lines = useMemo(() => helpLines(modal.view, width, theme), [modal.view, width, theme]);
  const room = Math.max(1, height - 2);
  const [top, setTop] = useState(0);
  const scroll = (delta: number) => setTop((t) => Math.max(0, Math.min(Math.max(0, lines.length - room), t + delta)));
  useKeys(modal.seq, (input, key) => {
    if (key.escape || input === 'q' || input === '?' || key.return) return modal.resolve();
    if (input === 'j' || key.downArrow) return scroll(1);
    if (input === 'k' || key.upArrow) return scroll(-1);
    if (input === ' ' || key.pageDown) return scroll(room - 1);
    if (key.pageUp) return scroll(-(room - 1));
  });
  const shown = lines.slice(top, top + room);
  const more = lines.length > top + room;
  return (
    <Box flexDirection="column" width={width} height={height}>
      <Text wrap="truncate">
        {theme.bold(`Keys — ${modal.view === 'list' ? 'inbox list' : modal.view === 'kpi' ? 'KPIs' : 'item detail'}`) +
          theme.dim('  (every command also runs by name after :)')}
      </Text>
      {shown.map((l, i) => (
        <Text key={i} wrap="truncate">
          {l || ' '}
        </Text>
      ))}
      <Box flexGrow={1} />
      <Text wrap="truncate">{theme.dim(more ? 'j/k or Space scroll · Esc, q or ? closes' : 'Esc, q or ? closes')}</Text>
    </Box>
  );
}
