// Getting the text of a reply or note: $EDITOR (or $VISUAL) when set — the terminal is handed over and
// taken back — else the inline editor. Returns the text and whether the agent meant to send it.
import { useCallback } from 'react';
import type { ItemView } from '../../core/item-view.js';
import { sanitizeLine } from '../../text/sanitize.js';
import { editorCommand, runExternalEditor, type EditorResult, type TerminalControl } from '../editor.js';
import type { ModalController } from './use-modal.js';

export type WriteText = (kind: 'reply' | 'note', item: ItemView, initial: string) => Promise<{ text: string; sent: boolean; reason?: string }>;

export interface WriteTextOptions {
  env: NodeJS.ProcessEnv;
  terminal: TerminalControl;
  /** Runs the editor (tests pass a fake). */
  runEditor?: (command: string, initial: string, fileName: string) => EditorResult;
  modal: ModalController;
  /** Repaint after the editor had the screen. */
  redraw: () => void;
  /** `::` in the inline editor: pick a macro and give its text for this item (null: none). */
  macroText?: (kind: 'reply' | 'note', item: ItemView) => Promise<string | null>;
}

export function useWriteText({ env, terminal, runEditor, modal, redraw, macroText }: WriteTextOptions): WriteText {
  return useCallback(async (kind, item, initial) => {
    const command = editorCommand(env);
    if (command) {
      const run = runEditor ?? ((cmd: string, text: string, file: string) => runExternalEditor(cmd, text, file, terminal, env));
      const r = run(command, initial, `tandem-${kind}-${item.id}.txt`);
      redraw();
      if (!r.ok) return { text: r.text, sent: false, reason: `${r.error ?? 'the editor failed'}; nothing was sent` };
      return { text: r.text, sent: r.text.trim().length > 0 };
    }
    const who = item.customer ? ` · ${sanitizeLine(item.customer.name)}${item.customer.email ? ` <${sanitizeLine(item.customer.email)}>` : ''}` : '';
    const title = `${kind === 'reply' ? 'Reply to' : 'Internal note on'} #${item.id} ${sanitizeLine(item.subject)}${kind === 'reply' ? who : ' (never shown to the customer)'}`;
    // `::` closes the editor for the macro picker; it opens again with the macro's text where `::` was.
    let text = initial;
    let cursor: number | undefined;
    for (;;) {
      const r = await modal.edit(title, text, undefined, { cursor, macros: Boolean(macroText) });
      if (r.macroAt === undefined || !macroText) return r;
      const inserted = (await macroText(kind, item)) ?? '';
      text = r.text.slice(0, r.macroAt) + inserted + r.text.slice(r.macroAt);
      cursor = r.macroAt + inserted.length;
    }
  }, [env, runEditor, terminal, redraw, modal.edit, macroText]);
}
