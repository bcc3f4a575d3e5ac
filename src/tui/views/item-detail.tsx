// The item detail: the visible slice of its lines, with a line saying how much more there is.
import { Box, Text } from 'ink';
import type { ItemDetail as DetailState } from '../hooks/use-item-detail.js';
import type { Theme } from '../theme.js';

export interface ItemDetailProps {
  detail: DetailState;
  id: number | null;
  width: number;
  height: number;
  focused: boolean;
  theme: Theme;
}

function detailView(p: ItemDetailProps): string[] {
  const { detail, height, theme } = p;
  if (p.id === null) return [theme.dim('No item selected.')];
  if (!detail.data) return [detail.error ? theme.bad(detail.error) : theme.dim(`Loading #${p.id}…`)];
  const lines = detail.lines;
  if (lines.length <= height) return lines;
  const room = height - 1;
  const shown = lines.slice(detail.offset, detail.offset + room);
  const below = lines.length - detail.offset - room;
  const more =
    below > 0
      ? `↓ ${below} more line${below === 1 ? '' : 's'}${p.focused ? ' · j/k scroll · Space pages' : ' · Enter to read'}`
      : '— end —';
  return [...shown, theme.dim(more)];
}

export function ItemDetailView(p: ItemDetailProps) {
  const lines = detailView(p);
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
