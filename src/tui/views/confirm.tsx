// A yes/no question in the footer; anything but y is no.
import { Text } from 'ink';
import { useKeys } from '../hooks/use-key-router.js';
import type { Modal } from '../hooks/use-modal.js';
import type { Theme } from '../theme.js';

type ConfirmModal = Extract<Modal, { kind: 'confirm' }>;

export function Confirm({ modal, theme }: { modal: ConfirmModal; theme: Theme }) {
  useKeys(modal.seq, (input, key) => {
    if (key.paste || key.ctrl) return;
    const ch = input.toLowerCase();
    if (ch === 'y') return modal.resolve(true);
    if (ch === 'n' || key.escape || key.return) modal.resolve(false);
  });
  return (
    <>
      <Text wrap="truncate">{theme.dim('y confirms · n, Esc or Enter cancels')}</Text>
      <Text wrap="truncate">{theme.warn(modal.question) + ' [y/N]'}</Text>
    </>
  );
}
