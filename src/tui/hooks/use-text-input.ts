// Editable text (one line or many): a reducer for the text and cursor, and an input hook that maps
// keys to edits. Used by prompts, the command line and the inline reply/note editor.
import type { Key } from 'ink';
import { useCallback, useRef, useState, type RefObject } from 'react';
import { useKeys, type RoutedKey } from './use-key-router.js';

export interface TextState {
  text: string;
  /** UTF-16 index, always on a grapheme boundary. */
  cursor: number;
}

export type TextAction =
  | { type: 'insert'; text: string }
  | { type: 'backspace' }
  | { type: 'left' }
  | { type: 'right' }
  | { type: 'home' }
  | { type: 'end' }
  | { type: 'up' }
  | { type: 'down' }
  | { type: 'killLine' }
  | { type: 'killWord' }
  | { type: 'set'; text: string };

const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

function prevBoundary(text: string, at: number): number {
  let prev = 0;
  for (const { index } of segmenter.segment(text)) {
    if (index >= at) break;
    prev = index;
  }
  return prev;
}

function nextBoundary(text: string, at: number): number {
  for (const { index, segment } of segmenter.segment(text)) {
    if (index >= at) return index + segment.length;
  }
  return text.length;
}

function lineStart(text: string, at: number): number {
  return text.lastIndexOf('\n', at - 1) + 1;
}

function lineEnd(text: string, at: number): number {
  const i = text.indexOf('\n', at);
  return i < 0 ? text.length : i;
}

export function textReducer(s: TextState, a: TextAction): TextState {
  const { text, cursor } = s;
  switch (a.type) {
    case 'insert':
      return { text: text.slice(0, cursor) + a.text + text.slice(cursor), cursor: cursor + a.text.length };
    case 'backspace': {
      if (cursor === 0) return s;
      const p = prevBoundary(text, cursor);
      return { text: text.slice(0, p) + text.slice(cursor), cursor: p };
    }
    case 'left':
      return cursor === 0 ? s : { text, cursor: prevBoundary(text, cursor) };
    case 'right':
      return cursor >= text.length ? s : { text, cursor: nextBoundary(text, cursor) };
    case 'home':
      return { text, cursor: lineStart(text, cursor) };
    case 'end':
      return { text, cursor: lineEnd(text, cursor) };
    case 'up':
    case 'down': {
      const start = lineStart(text, cursor);
      const col = cursor - start;
      if (a.type === 'up') {
        if (start === 0) return { text, cursor: 0 };
        const prevStart = lineStart(text, start - 1);
        return { text, cursor: Math.min(prevStart + col, start - 1) };
      }
      const end = lineEnd(text, cursor);
      if (end === text.length) return { text, cursor: text.length };
      return { text, cursor: Math.min(end + 1 + col, lineEnd(text, end + 1)) };
    }
    case 'killLine': {
      const start = lineStart(text, cursor);
      return { text: text.slice(0, start) + text.slice(cursor), cursor: start };
    }
    case 'killWord': {
      let p = cursor;
      while (p > 0 && /\s/.test(text[p - 1]!)) p--;
      while (p > 0 && !/\s/.test(text[p - 1]!)) p--;
      return { text: text.slice(0, p) + text.slice(cursor), cursor: p };
    }
    case 'set':
      return { text: a.text, cursor: a.text.length };
  }
}

/**
 * Text state with a mirror updated at dispatch time: the keys of one burst are handled before React
 * renders again, and each must see the text the one before left (two Backspaces delete two characters).
 */
export function useTextState(initial = '', cursor?: number): [TextState, (a: TextAction) => void, RefObject<TextState>] {
  const [state, setState] = useState<TextState>(() => ({ text: initial, cursor: Math.min(cursor ?? initial.length, initial.length) }));
  const ref = useRef(state);
  const dispatch = useCallback((a: TextAction) => {
    ref.current = textReducer(ref.current, a);
    setState(ref.current);
  }, []);
  return [state, dispatch, ref];
}

export interface TextKeysOptions {
  multiline?: boolean;
  /** The modal these keys belong to. */
  owner: number | undefined;
  onSubmit: (text: string) => void;
  onCancel: (text: string) => void;
  /** Tab (completion in the command line). */
  onTab?: () => void;
}

/** A paste is text, whatever it holds: line breaks stay in a multi-line text and become spaces in a line. */
export function pasteAction(text: string, multiline: boolean): TextAction | null {
  let t = text.replace(/\r\n?/g, '\n');
  if (!multiline) t = t.replace(/\n+/g, ' ');
  t = t.replace(/\t/g, '    ').replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, '');
  return t ? { type: 'insert', text: t } : null;
}

/** Map a key to a text edit; null when the key is not an edit. */
export function textActionFor(input: string, key: Key, multiline: boolean): TextAction | null {
  if (key.leftArrow) return { type: 'left' };
  if (key.rightArrow) return { type: 'right' };
  if (key.upArrow) return multiline ? { type: 'up' } : null;
  if (key.downArrow) return multiline ? { type: 'down' } : null;
  if (key.home || (key.ctrl && input === 'a')) return { type: 'home' };
  if (key.end || (key.ctrl && input === 'e')) return { type: 'end' };
  // Most terminals send DEL (0x7f) for Backspace, which Ink reports as `delete`.
  if (key.backspace || key.delete) return { type: 'backspace' };
  if (key.ctrl && input === 'u') return { type: 'killLine' };
  if (key.ctrl && input === 'w') return { type: 'killWord' };
  if (key.ctrl || key.escape || key.tab || key.return) return null;
  if (!input) return null;
  // Typed text (one key, or what Ink reports as one, such as Alt+key); control characters never enter.
  let text = input.replace(/\r\n?/g, '\n');
  if (!multiline) text = text.replace(/\n+/g, ' ');
  text = text.replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, '');
  return text ? { type: 'insert', text } : null;
}

export function useTextKeys(state: RefObject<TextState>, dispatch: (a: TextAction) => void, opts: TextKeysOptions): void {
  useKeys(opts.owner, (input: string, key: RoutedKey) => {
    const multiline = Boolean(opts.multiline);
    if (key.paste) {
      const a = pasteAction(input, multiline);
      if (a) dispatch(a);
      return;
    }
    if (key.escape) return opts.onCancel(state.current.text);
    if (key.tab) return opts.onTab?.();
    if (multiline) {
      if (key.ctrl && (input === 'd' || input === 's')) return opts.onSubmit(state.current.text);
      if (key.return) return dispatch({ type: 'insert', text: '\n' });
    } else if (key.return) {
      return opts.onSubmit(state.current.text);
    }
    const action = textActionFor(input, key, multiline);
    if (action) dispatch(action);
  });
}
