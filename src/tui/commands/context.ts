// What a command handler gets: the API, the view hooks' controls, the modal helpers, the status bar.
// Handlers are plain async functions (one file per group); the app builds this once per render.
// How errors and others' changes are told lives in ../explain.ts (hooks use it too, without commands).
import { TandemError } from '../../core/errors.js';
import type { MutationResult } from '../../core/item-mutate.js';
import type { ItemView } from '../../core/item-view.js';
import type { UndoToken } from '../../core/undo-token.js';
import type { ConsoleApi } from '../console-api.js';
import type { Quote } from '../editor.js';
import { explainError } from '../explain.js';
import type { Inbox, ReloadOptions } from '../hooks/use-inbox.js';
import type { ItemDetail } from '../hooks/use-item-detail.js';
import type { KpiController } from '../hooks/use-kpi.js';
import type { RulesController } from '../hooks/use-rules.js';
import type { ModalController } from '../hooks/use-modal.js';
import type { StatusController, Tone } from '../hooks/use-status.js';
import type { WriteOutcome } from '../hooks/use-write-text.js';
import type { CommandId, ViewName } from '../keymap.js';

export interface CommandContext {
  api: ConsoleApi;
  inbox: Inbox;
  detail: ItemDetail;
  modal: ModalController;
  status: StatusController;
  /** The KPI view's state (period, report, at-risk cursor). */
  kpi: KpiController;
  /** The rules view's state (rules, cursor, last test). */
  rules: RulesController;
  /** Which pane has the keys. */
  view: ViewName;
  /** List and detail side by side. */
  wide: boolean;
  setView(view: ViewName): void;
  /** The item the detail shows (or is loading) right now. */
  detailId(): number | null;
  /** Show this item in the detail regardless of the list (linked items, `:go`); null = follow the cursor. */
  showItem(id: number | null): void;
  /** Unsent escalation and hand-back reasons by `kind:itemId` (reply and note drafts live in the database). */
  drafts: Map<string, string>;
  /** Get a reply/note text: $EDITOR when set, else the inline editor; says how the writing ended. */
  writeText(kind: 'reply' | 'note', item: ItemView, initial: string, quote?: Quote | null): Promise<WriteOutcome>;
  /** The last action that can be undone (U), replacing the one before. */
  rememberUndo(label: string, tokens: UndoToken[]): void;
  /** Take the last undoable action (it can be undone once). */
  takeUndo(): LastChange | null;
  /** Reload what is on screen (list, detail, counts) after a change. */
  refresh(opts?: ReloadOptions): Promise<void>;
  quit(): void;
  redraw(): void;
  run(id: CommandId, arg?: string): Promise<void>;
}

export type Handler = (c: CommandContext, arg?: string) => void | Promise<void>;

/** An action that U can undo: what it was, and the core's undo tokens of each item it changed. */
export interface LastChange {
  label: string;
  tokens: UndoToken[];
}

/** The undo tokens among mutation results (a bulk action has one per changed item). */
export function undoTokens(results: unknown[]): UndoToken[] {
  return results.flatMap((r) => (r && typeof r === 'object' && 'undo' in r && r.undo ? [r.undo as UndoToken] : []));
}

/**
 * Open an item in the detail. When the list has it, the list cursor moves there too (one cursor: J and
 * K go on from it); otherwise the detail shows it on its own and the cursor stays.
 */
export async function openItem(c: CommandContext, id: number): Promise<void> {
  const inList = await c.inbox.focus(id);
  c.showItem(inList ? null : id);
  c.setView('detail');
}

/** The item the keys act on: the open detail, else the list's cursor row (the freshest version seen). */
export function currentItem(c: CommandContext): ItemView | null {
  const wanted = c.detailId();
  const shown = c.detail.data && c.detail.data.item.id === wanted ? c.detail.data.item : null;
  const row = c.inbox.current;
  // While the detail loads, the list row it was opened from is what the agent saw.
  if (c.view === 'detail') return shown ?? (row && row.id === wanted ? row : null);
  if (row && shown && shown.id === row.id && shown.version > row.version) return shown;
  return row;
}

export interface ActOptions {
  /** Text to keep if the action is refused, and the key that sends it again (`stored`: already a draft in the database). */
  draft?: { key: string; text: string; again: string; stored?: boolean };
  reload?: ReloadOptions;
}

/**
 * Run one action, reload, and report its result in the status bar. The result is said after the reload,
 * so the message and the rows it speaks of appear together (never "assigned to @cleo" beside a stale row).
 */
export async function runAction(c: CommandContext, fn: () => Promise<string>, opts: ActOptions = {}): Promise<boolean> {
  let said: [string, Tone];
  let ok = false;
  try {
    said = [await fn(), 'ok'];
    ok = true;
  } catch (e) {
    if (opts.draft && !opts.draft.stored) c.drafts.set(opts.draft.key, opts.draft.text);
    const kept = opts.draft ? ` Your text is kept${opts.draft.stored ? ' as a draft' : ''}: ${opts.draft.again} opens it again.` : '';
    said = [explainError(e, c.api.now()) + kept, e instanceof TandemError && e.kind === 'conflict' ? 'warn' : 'error'];
  }
  await c.refresh(opts.reload);
  c.status.say(...said);
  return ok;
}

/** Apply one action to every selected item (each with the version seen), after one confirmation. */
export async function actOnSelection(
  c: CommandContext,
  question: string,
  verb: string,
  fn: (id: number, version: number) => Promise<MutationResult | unknown>,
): Promise<void> {
  const results: unknown[] = [];
  const selected = [...c.inbox.state.selection];
  // Say which items, and how many of them the current filter hides (selected earlier, under another filter).
  const ids = selected.map(([id]) => id);
  const shown = await c.api.countShown(c.inbox.state.filter, ids).catch(() => ids.length);
  const hidden = ids.length - shown;
  const listed =
    ids
      .slice(0, 8)
      .map((id) => `#${id}`)
      .join(' ') + (ids.length > 8 ? ` +${ids.length - 8}` : '');
  const detail = ` (${listed}${hidden > 0 ? `; ${hidden} not shown by the current filter` : ''})`;
  if (!(await c.modal.confirm(question.replace(/\?$/, `${detail}?`)))) {
    c.status.say('Nothing changed.', 'info');
    return;
  }
  const done: number[] = [];
  const failed: { id: number; why: string }[] = [];
  let unchanged = 0;
  for (const [id, version] of selected) {
    try {
      const r = await fn(id, version);
      results.push(r);
      if (r && typeof r === 'object' && 'changed' in r && r.changed === false) unchanged++;
      done.push(id);
    } catch (e) {
      failed.push({ id, why: explainError(e, c.api.now()) });
    }
  }
  // What worked leaves the selection; what was refused stays selected to try again.
  c.inbox.deselect(done);
  const parts = [`${verb} ${done.length - unchanged} of ${selected.length} item${selected.length === 1 ? '' : 's'}`];
  if (unchanged) parts.push(`${unchanged} already so`);
  if (failed.length)
    parts.push(
      `${failed.length} refused (still selected): ${failed
        .slice(0, 2)
        .map((f) => f.why)
        .join(' · ')}`,
    );
  const tokens = undoTokens(results);
  if (tokens.length) c.rememberUndo(`${verb.toLowerCase()} ${plural(tokens.length, 'item')}`, tokens);
  await c.refresh();
  c.status.say(parts.join('; ') + '.' + (tokens.length ? ' U undoes.' : ''), failed.length ? 'warn' : 'ok');
}

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
