// Getting the text of a reply or note: $EDITOR (or $VISUAL) when set — the terminal is handed over and
// taken back — else the inline editor. Says how the writing ended, so nothing leaves by accident: an
// editor that failed (vim's :cq), a file left as it was given (:q!) or emptied never counts as "done".
import { useCallback } from 'react';
import type { ItemView } from '../../core/item-view.js';
import { sanitizeLine } from '../../text/sanitize.js';
import {
  cutAtScissors,
  editorCommand,
  quoteBlock,
  runExternalEditor,
  type EditorResult,
  type Quote,
  type TerminalControl,
} from '../editor.js';
import type { ModalController } from './use-modal.js';

export type WriteOutcome =
  /** Written and closed as finished (the editor saved a change; Ctrl-D inline): on to the review. */
  | { how: 'done'; text: string }
  /** Closed without finishing (Esc inline): keep the text as a draft. */
  | { how: 'kept'; text: string }
  /** The editor failed or exited non-zero: the text it left is kept, nothing is sent. */
  | { how: 'failed'; text: string; reason: string }
  /** The file was left exactly as given (:q!): nothing is sent, nothing changes. */
  | { how: 'unchanged'; text: string }
  /** The text is empty: nothing is sent. */
  | { how: 'empty'; text: string };

/** `quote`: the customer's last message, shown while writing (in $EDITOR as comment lines, removed before sending). */
export type WriteText = (kind: 'reply' | 'note', item: ItemView, initial: string, quote?: Quote | null) => Promise<WriteOutcome>;

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

/** How an external editor's run ended, judged against the text it was given. */
export function editorOutcome(r: EditorResult, initial: string): WriteOutcome {
  // The quoted context below the scissors line never counts: not as text, not as a change.
  const text = cutAtScissors(r.text);
  if (!r.ok) return { how: 'failed', text, reason: r.error ?? 'the editor failed' };
  if (!text.trim()) return { how: 'empty', text };
  if (text === cutAtScissors(initial)) return { how: 'unchanged', text };
  return { how: 'done', text };
}

export function useWriteText({ env, terminal, runEditor, modal, redraw, macroText }: WriteTextOptions): WriteText {
  return useCallback(
    async (kind, item, initial, quote = null) => {
      const command = editorCommand(env);
      if (command) {
        const run = runEditor ?? ((cmd: string, text: string, file: string) => runExternalEditor(cmd, text, file, terminal, env));
        const given = initial + quoteBlock(quote);
        const r = run(command, given, `tandem-${kind}-${item.id}.txt`);
        redraw();
        return editorOutcome(r, given);
      }
      const who = item.customer
        ? ` · ${sanitizeLine(item.customer.name)}${item.customer.email ? ` <${sanitizeLine(item.customer.email)}>` : ''}`
        : '';
      const title = `${kind === 'reply' ? 'Reply to' : 'Internal note on'} #${item.id} ${sanitizeLine(item.subject)}${kind === 'reply' ? who : ' (never shown to the customer)'}`;
      // `::` closes the editor for the macro picker; it opens again with the macro's text where `::` was.
      let text = initial;
      let cursor: number | undefined;
      for (;;) {
        const r = await modal.edit(title, text, undefined, { cursor, macros: Boolean(macroText), quote });
        if (r.macroAt === undefined || !macroText) {
          if (!r.sent) return { how: 'kept', text: r.text };
          return r.text.trim() ? { how: 'done', text: r.text } : { how: 'empty', text: r.text };
        }
        const inserted = (await macroText(kind, item)) ?? '';
        text = r.text.slice(0, r.macroAt) + inserted + r.text.slice(r.macroAt);
        cursor = r.macroAt + inserted.length;
      }
    },
    [env, runEditor, terminal, redraw, modal.edit, macroText],
  );
}
