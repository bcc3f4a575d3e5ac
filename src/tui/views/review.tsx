// The review step before a reply or note goes out (as aerc's): the text as it will be sent, and one key
// for each way on — send, send and set pending, send and resolve, edit again, keep as a draft, discard.
// Enter does nothing here: a stray Enter from the editor must not send.
import { Box, Text } from 'ink';
import { sanitizeText } from '../../text/sanitize.js';
import { truncate, wrap } from '../../text/width.js';
import { useKeys } from '../hooks/use-key-router.js';
import type { Modal, ReviewChoice } from '../hooks/use-modal.js';
import type { Theme } from '../theme.js';

type ReviewModal = Extract<Modal, { kind: 'review' }>;

interface ReviewKey {
  key: string;
  choice: ReviewChoice;
  label: string;
}

/** The review's keys; a note has no status to set. */
function reviewKeys(kind: 'reply' | 'note'): ReviewKey[] {
  return [
    { key: 'y', choice: 'send', label: kind === 'reply' ? 'send' : 'add the note' },
    ...(kind === 'reply'
      ? [
          { key: 'p', choice: 'pending' as const, label: 'send, then pending' },
          { key: 'x', choice: 'resolved' as const, label: 'send, then resolved' },
        ]
      : []),
    { key: 'e', choice: 'edit', label: 'edit' },
    { key: 'k', choice: 'keep', label: 'keep as draft' },
    { key: 'd', choice: 'discard', label: 'discard' },
  ];
}

function reviewLines(modal: ReviewModal, width: number, height: number, theme: Theme): string[] {
  const { kind, title, text } = modal.review;
  const head = [
    theme.bold(truncate(`Review: ${title}`, width)),
    theme.dim(
      truncate(kind === 'reply' ? 'This goes to the customer as written below.' : 'An internal note: never shown to the customer.', width),
    ),
    theme.dim('─'.repeat(Math.max(0, width))),
  ];
  const room = Math.max(1, height - head.length - 2);
  const body = wrap(sanitizeText(text), Math.max(4, width - 2)).map((l) => '  ' + l);
  const shown = body.length > room ? [...body.slice(0, room - 1), theme.dim(`  … ${body.length - room + 1} more lines (e edits)`)] : body;
  const keys = reviewKeys(kind)
    .map((k) => `${theme.bold(k.key)} ${k.label}`)
    .join(' · ');
  return [...head, ...shown, '', truncate(keys, width) + ''];
}

export function Review({ modal, width, height, theme }: { modal: ReviewModal; width: number; height: number; theme: Theme }) {
  const keys = reviewKeys(modal.review.kind);
  useKeys(modal.seq, (input, key) => {
    if (key.escape) return modal.resolve('keep');
    const hit = keys.find((k) => k.key === input);
    if (hit) modal.resolve(hit.choice);
  });
  const lines = reviewLines(modal, width, height, theme);
  const bottom = lines.pop()!;
  return (
    <Box flexDirection="column" width={width} height={height}>
      {lines.map((l, i) => (
        <Text key={i} wrap="truncate">
          {l || ' '}
        </Text>
      ))}
      <Box flexGrow={1} />
      <Text wrap="truncate">{bottom}</Text>
    </Box>
  );
}
