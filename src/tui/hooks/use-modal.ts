// The one modal at a time (prompt, choice, confirmation, agent picker, inline editor, help), opened
// through promise-returning helpers so a command reads as straight-line code:
//   const reason = await modal.ask({ label: 'Why?' }); if (reason === null) return;
import { useCallback, useMemo, useRef, useState } from 'react';
import type { CustomerHistory } from '../../core/customer-history.js';
import type { Quote } from '../editor.js';
import type { ViewName } from '../keymap.js';
import type { MacroPick, MacroPickerSpec } from '../views/macro-picker.js';

interface PromptSpec {
  label: string;
  initial?: string;
  hint?: string;
  /** An error message keeps the prompt open. */
  validate?: (text: string) => string | null;
  /** Called as the text changes (search as you type). */
  onChange?: (text: string) => void;
  /** Command-line completion: the completed text and a line of candidates. */
  complete?: (text: string) => { text?: string; candidates: string };
}

interface ChoiceOption {
  key: string;
  label: string;
  value: string;
}

export interface PickerOption {
  value: string | null;
  label: string;
  detail?: string;
}

/** What the agent decided in the review step before a reply or note goes out. */
export type ReviewChoice = 'send' | 'pending' | 'resolved' | 'edit' | 'keep' | 'discard';

interface ReviewSpec {
  kind: 'reply' | 'note';
  /** Reply to #3 Subject · customer */
  title: string;
  text: string;
}

export type Modal = { seq?: number } & (
  | ({ kind: 'prompt'; resolve: (text: string | null) => void } & PromptSpec)
  | { kind: 'choice'; label: string; options: ChoiceOption[]; current?: string; resolve: (value: string | null) => void }
  | { kind: 'confirm'; question: string; resolve: (yes: boolean) => void }
  | { kind: 'picker'; title: string; options: PickerOption[]; resolve: (picked: PickerOption | null) => void }
  | ({
      kind: 'editor';
      title: string;
      subtitle?: string;
      initial: string;
      quote?: Quote | null;
      resolve: (result: EditResult) => void;
    } & EditOptions)
  | ({ kind: 'macro'; resolve: (picked: MacroPick | null) => void } & MacroPickerSpec)
  | { kind: 'help'; view: ViewName; resolve: () => void }
  | { kind: 'review'; resolve: (choice: ReviewChoice) => void; review: ReviewSpec }
  | { kind: 'customer'; history: CustomerHistory; now: Date; resolve: (openItemId: number | null) => void }
);

/** The inline editor's answer; `macroAt` = closed by typing `::` there (the picker inserts at that index). */
interface EditResult {
  text: string;
  sent: boolean;
  macroAt?: number;
}

interface EditOptions {
  /** Where the cursor starts (default: the end). */
  cursor?: number;
  /** `::` opens the macro picker (replies and notes). */
  macros?: boolean;
}

export interface ModalController {
  modal: Modal | null;
  /** The modal open right now (updated at once, not at the next render). */
  current(): Modal | null;
  ask(spec: PromptSpec): Promise<string | null>;
  choose(label: string, options: ChoiceOption[], current?: string): Promise<string | null>;
  confirm(question: string): Promise<boolean>;
  pick(title: string, options: PickerOption[]): Promise<PickerOption | null>;
  /** The inline editor; `quote` (the customer's last message) stays in view above the text. */
  edit(title: string, initial: string, subtitle?: string, opts?: EditOptions & { quote?: Quote | null }): Promise<EditResult>;
  help(view: ViewName): Promise<void>;
  pickMacro(spec: MacroPickerSpec): Promise<MacroPick | null>;
  /** The customer page; answers the item to open, or null. */
  customer(history: CustomerHistory, now: Date): Promise<number | null>;
  /** The review step before a text goes out; closing it any other way keeps the draft. */
  review(spec: ReviewSpec): Promise<ReviewChoice>;
  /** Close the open modal as cancelled (Ctrl-C in an input). False when none was open. */
  cancel(): boolean;
  /** Resolves when the next modal opens (the key router sends the next key to it). */
  nextModal(): { opened: Promise<void>; cancel(): void };
}

export function useModal(): ModalController {
  const [modal, setModal] = useState<Modal | null>(null);
  // Opening a modal answers whatever was still open (as cancelled), so no promise is left hanging.
  const openRef = useRef<Modal | null>(null);
  const counter = useRef(0);
  const waiting = useRef(new Set<() => void>());

  const open = useCallback(<T>(make: (done: (v: T) => void) => Modal, cancelled: T): Promise<T> => {
    const previous = openRef.current;
    return new Promise<T>((resolve) => {
      let settled = false;
      const done = (v: T) => {
        if (settled) return;
        settled = true;
        if (openRef.current === m) {
          openRef.current = null;
          setModal(null);
        }
        resolve(v);
      };
      const m = make(done);
      m.seq = ++counter.current;
      (m as { cancel?: () => void }).cancel = () => done(cancelled);
      openRef.current = m;
      setModal(m);
      for (const w of [...waiting.current]) w();
      (previous as { cancel?: () => void } | null)?.cancel?.();
    });
  }, []);

  return useMemo<ModalController>(
    () => ({
      modal,
      current: () => openRef.current,
      ask: (spec) => open<string | null>((done) => ({ kind: 'prompt', ...spec, resolve: done }), null),
      choose: (label, options, current) =>
        open<string | null>((done) => ({ kind: 'choice', label, options, current, resolve: done }), null),
      confirm: (question) => open<boolean>((done) => ({ kind: 'confirm', question, resolve: done }), false),
      pick: (title, options) => open<PickerOption | null>((done) => ({ kind: 'picker', title, options, resolve: done }), null),
      edit: (title, initial, subtitle, opts) =>
        open<EditResult>((done) => ({ kind: 'editor', title, subtitle, initial, ...opts, resolve: done }), { text: initial, sent: false }),
      help: (view) => open<void>((done) => ({ kind: 'help', view, resolve: () => done() }), undefined),
      pickMacro: (spec) => open<MacroPick | null>((done) => ({ kind: 'macro', ...spec, resolve: done }), null),
      customer: (history, now) => open<number | null>((done) => ({ kind: 'customer', history, now, resolve: done }), null),
      review: (spec) => open<ReviewChoice>((done) => ({ kind: 'review', review: spec, resolve: done }), 'keep'),
      nextModal: () => {
        let wake: () => void = () => undefined;
        const opened = new Promise<void>((resolve) => {
          wake = () => {
            waiting.current.delete(wake);
            resolve();
          };
          waiting.current.add(wake);
        });
        return { opened, cancel: () => void waiting.current.delete(wake) };
      },
      cancel: () => {
        const m = openRef.current as { cancel?: () => void } | null;
        if (!m?.cancel) return false;
        m.cancel();
        return true;
      },
    }),
    [modal, open],
  );
}
