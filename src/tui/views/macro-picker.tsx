// The macro picker (`m`, and `::` in the inline editor): type to narrow (fuzzy, by name and text),
// ↑/↓ to move, and a live preview of the text the current item would get, with the changes.
// Enter applies (or, from the editor, inserts the text); Tab puts the text in the editor first.
import { Box, Text } from 'ink';
import { useEffect, useMemo, useState } from 'react';
import { sanitizeLine, sanitizeText } from '../../text/sanitize.js';
import { fit, truncate } from '../../text/width.js';
import { useKeys } from '../hooks/use-key-router.js';
import type { Modal } from '../hooks/use-modal.js';
import { useSelectState } from '../hooks/use-select-state.js';
import { textActionFor, useTextState } from '../hooks/use-text-input.js';
import type { Theme } from '../theme.js';
import { inputLine } from './text-cursor.js';

export interface MacroChoice {
  name: string;
  kind: 'reply' | 'note';
  /** "status pending, tag +refund". */
  actions: string;
  /** The template's first line (unfilled). */
  firstLine: string;
  /** False when the macro is for the other role (listed last). */
  fits: boolean;
}

export type MacroPreview = { text: string; changes: string } | { error: string };

export interface MacroPickerSpec {
  title: string;
  macros: MacroChoice[];
  /** 'apply': Enter applies, Tab edits first. 'insert' (from the editor): Enter inserts the text. */
  mode: 'apply' | 'insert';
  preview: (name: string) => Promise<MacroPreview>;
}

export interface MacroPick {
  name: string;
  how: 'apply' | 'edit' | 'insert';
  /** The filled-in text the preview showed (for edit and insert). */
  text: string | null;
}

type MacroModal = Extract<Modal, { kind: 'macro' }>;

/** Fuzzy score of `query` in `text` (letters in order; runs and word starts score higher), or null. */
function fuzzyScore(query: string, text: string): number | null {
  const q = query.toLowerCase().replace(/\s+/g, '');
  if (!q) return 0;
  const t = text.toLowerCase();
  let score = 0;
  let at = -1;
  let run = 0;
  for (const ch of q) {
    const i = t.indexOf(ch, at + 1);
    if (i < 0) return null;
    run = i === at + 1 ? run + 1 : 0;
    score += 1 + run * 2 + (i === 0 || /[\s\-_.]/.test(t[i - 1]!) ? 3 : 0) - Math.min(3, (i - at - 1) * 0.1);
    at = i;
  }
  return score;
}

function matchMacros(macros: MacroChoice[], query: string): MacroChoice[] {
  const q = query.trim().toLowerCase();
  if (!q) return [...macros].sort((a, b) => Number(b.fits) - Number(a.fits));
  const scored: { m: MacroChoice; s: number }[] = [];
  for (const m of macros) {
    // Fuzzy on the name (what agents remember); words of the text match as they are typed.
    const byName = fuzzyScore(q, m.name);
    const inText = q.length >= 3 && m.firstLine.toLowerCase().includes(q) ? 1 : null;
    if (byName === null && inText === null) continue;
    scored.push({ m, s: (byName ?? 0) * 2 + (inText ?? 0) + (m.fits ? 1000 : 0) });
  }
  return scored.sort((a, b) => b.s - a.s).map((x) => x.m);
}

export function MacroPicker({ modal, width, height, theme }: { modal: MacroModal; width: number; height: number; theme: Theme }) {
  const [text, editText] = useTextState('');
  const [sel, move] = useSelectState();
  const matches = useMemo(() => matchMacros(modal.macros, text.text), [modal.macros, text.text]);
  const current = matches[sel.cursor] ?? null;
  const listHeight = Math.max(1, Math.min(matches.length || 1, Math.floor((height - 5) / 3)));
  const [previews, setPreviews] = useState(() => new Map<string, MacroPreview>());

  // Live preview of the macro under the cursor (each filled in once per picker).
  useEffect(() => {
    if (!current || previews.has(current.name)) return;
    let alive = true;
    void modal
      .preview(current.name)
      .catch((e: unknown) => ({ error: (e as Error).message }))
      .then((p) => {
        if (alive) setPreviews((m) => new Map(m).set(current.name, p));
      });
    return () => {
      alive = false;
    };
  }, [current, previews, modal]);

  const shown = current ? previews.get(current.name) : undefined;
  const pick = (how: MacroPick['how']) => {
    if (!current) return;
    // Edit and insert need the filled-in text: not before the preview has it, never when it failed.
    if (how !== 'apply' && !(shown && 'text' in shown)) return;
    modal.resolve({ name: current.name, how, text: shown && 'text' in shown ? shown.text : null });
  };

  useKeys(modal.seq, (input, key) => {
    if (key.escape) return modal.resolve(null);
    if (key.return) return pick(modal.mode === 'insert' ? 'insert' : 'apply');
    if (key.tab) return modal.mode === 'apply' ? pick('edit') : undefined;
    if (key.upArrow || (key.ctrl && input === 'p')) return move({ type: 'move', delta: -1, count: matches.length, height: listHeight });
    if (key.downArrow || (key.ctrl && input === 'n')) return move({ type: 'move', delta: 1, count: matches.length, height: listHeight });
    const edit = textActionFor(input, key, false);
    if (edit) {
      editText(edit);
      move({ type: 'reset' }); // a new query starts at its best match
    }
  });

  const nameWidth = Math.min(24, Math.max(8, ...modal.macros.map((m) => m.name.length + 1)));
  const rows = matches.slice(sel.top, sel.top + listHeight).map((m, i) => {
    const index = sel.top + i;
    const detail = `${m.kind === 'note' ? 'note · ' : ''}${m.actions ? m.actions + ' · ' : ''}${m.firstLine}${m.fits ? '' : ' · other role'}`;
    const line = `${index === sel.cursor ? '>' : ' '} ${fit(sanitizeLine(m.name), nameWidth)} ${truncate(sanitizeLine(detail), Math.max(0, width - nameWidth - 4))}`;
    return index === sel.cursor ? theme.cursor(line) : m.fits ? line : theme.dim(line);
  });

  const previewRoom = Math.max(1, height - 6 - rows.length);
  let previewLines: string[];
  if (!current)
    previewLines = [
      theme.dim(modal.macros.length ? '  no macro matches' : '  no macros yet: `tandem macro add NAME --body TEXT` saves one'),
    ];
  else if (!shown) previewLines = [theme.dim('  filling in…')];
  else if ('error' in shown) previewLines = [theme.bad(truncate(`  ✗ ${sanitizeLine(shown.error)}`, width))];
  else {
    const body = sanitizeText(shown.text)
      .split('\n')
      .flatMap((l) => wrap(l, width - 2))
      .map((l) => '  ' + l);
    const what = modal.mode === 'insert' ? `the text only${current.actions ? ` (not: ${current.actions})` : ''}` : shown.changes;
    const head = [theme.dim(truncate(`  ${sanitizeLine(what)}`, width))];
    previewLines = [...head, ...body.slice(0, Math.max(0, previewRoom - 1))];
    if (body.length > previewRoom - 1) previewLines.push(theme.dim('  …'));
  }
  const keys =
    modal.mode === 'insert'
      ? 'Type to narrow · ↑/↓ move · Enter inserts the text · Esc back to the editor'
      : 'Type to narrow · ↑/↓ move · Enter applies · Tab edits the text first · Esc cancels';
  return (
    <Box flexDirection="column" width={width} height={height}>
      <Text wrap="truncate">{theme.bold(truncate(modal.title, width))}</Text>
      <Text wrap="truncate">{inputLine('Macro: ', text.text, text.cursor, width, theme)}</Text>
      {rows.length ? (
        rows.map((r, i) => (
          <Text key={i} wrap="truncate">
            {r}
          </Text>
        ))
      ) : (
        <Text> </Text>
      )}
      <Text wrap="truncate">{theme.dim('─'.repeat(Math.max(0, width)))}</Text>
      {previewLines.map((l, i) => (
        <Text key={`p${i}`} wrap="truncate">
          {l || ' '}
        </Text>
      ))}
      <Box flexGrow={1} />
      <Text wrap="truncate">{theme.dim(truncate(keys, width))}</Text>
    </Box>
  );
}

/** Cut a line into pieces of at most `width` characters, at spaces where possible. */
function wrap(line: string, width: number): string[] {
  if (width < 10 || line.length <= width) return [line];
  const out: string[] = [];
  let rest = line;
  while (rest.length > width) {
    const cut = rest.lastIndexOf(' ', width);
    const at = cut > width / 2 ? cut : width;
    out.push(rest.slice(0, at));
    rest = rest.slice(at).replace(/^ /, '');
  }
  out.push(rest);
  return out;
}
