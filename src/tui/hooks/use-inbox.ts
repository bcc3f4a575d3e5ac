// The inbox list's state: filter, cursor, the visible window and a small cache around it, the
// selection. Only the window is ever queried (limit/offset), so a million items cost what fifty do.
// Loads fetch first and dispatch after, so a frame never shows half-loaded rows.
import { useCallback, useEffect, useMemo, useReducer, useRef } from 'react';
import type { EscalationMark } from '../../core/escalation-marks.js';
import type { ItemView } from '../../core/item-view.js';
import { DEFAULT_FILTER, type ConsoleApi, type ConsoleFilter } from '../console-api.js';

export interface InboxCache {
  start: number;
  rows: ItemView[];
  marks: Map<number, EscalationMark>;
  /** Rows where I have an unsent draft. */
  drafts: Set<number>;
}

export interface InboxState {
  filter: ConsoleFilter;
  /** Items matching the filter; null until counted. */
  total: number | null;
  cursor: number;
  top: number;
  pageSize: number;
  cache: InboxCache;
  /** Selected item id → the version the agent saw. */
  selection: Map<number, number>;
  loaded: boolean;
  /** Why the last load failed (shown in the list), or null. */
  error: string | null;
}

export type InboxAction =
  | { type: 'loaded'; filter: ConsoleFilter; cache: InboxCache; cursor: number; top: number; total?: number | null }
  | { type: 'total'; total: number }
  | { type: 'move'; cursor: number; top: number }
  | { type: 'pageSize'; pageSize: number }
  | { type: 'toggleSelect'; id: number; version: number }
  | { type: 'deselect'; ids: number[] | 'all' }
  | { type: 'failed'; error: string };

const EMPTY_CACHE: InboxCache = { start: 0, rows: [], marks: new Map(), drafts: new Set() };

export function initialInboxState(
  pageSize: number,
  filter: ConsoleFilter = DEFAULT_FILTER,
  cache?: InboxCache,
  total?: number,
): InboxState {
  const size = Math.max(1, pageSize);
  // A first window fetched before the console drew (fewer rows than asked = the whole list), and its count.
  return {
    filter,
    total: cache && cache.rows.length < size * 3 ? cache.rows.length : cache && total !== undefined ? total : null,
    cursor: 0,
    top: 0,
    pageSize: size,
    cache: cache ?? EMPTY_CACHE,
    selection: new Map(),
    loaded: Boolean(cache),
    error: null,
  };
}

/** Keep `cursor` on screen, moving `top` as little as possible. */
export function scrollTop(cursor: number, top: number, pageSize: number, total: number | null): number {
  let t = top;
  if (cursor < t) t = cursor;
  if (cursor >= t + pageSize) t = cursor - pageSize + 1;
  if (total !== null) t = Math.min(t, Math.max(0, total - pageSize));
  return Math.max(0, t);
}

export function inboxReducer(state: InboxState, action: InboxAction): InboxState {
  switch (action.type) {
    case 'loaded': {
      let selection = state.selection;
      // What the agent now sees is the version a bulk action will expect.
      for (const row of action.cache.rows) {
        if (selection.has(row.id) && selection.get(row.id) !== row.version) {
          if (selection === state.selection) selection = new Map(selection);
          selection.set(row.id, row.version);
        }
      }
      return {
        ...state,
        filter: action.filter,
        cache: action.cache,
        cursor: action.cursor,
        top: action.top,
        selection,
        loaded: true,
        error: null,
        total: action.total === undefined ? state.total : action.total,
      };
    }
    case 'total': {
      const cursor = Math.max(0, Math.min(state.cursor, action.total - 1));
      return { ...state, total: action.total, cursor, top: scrollTop(cursor, state.top, state.pageSize, action.total) };
    }
    case 'move':
      return { ...state, cursor: action.cursor, top: action.top };
    case 'pageSize': {
      const pageSize = Math.max(1, action.pageSize);
      return pageSize === state.pageSize ? state : { ...state, pageSize, top: scrollTop(state.cursor, state.top, pageSize, state.total) };
    }
    case 'toggleSelect': {
      const selection = new Map(state.selection);
      if (selection.has(action.id)) selection.delete(action.id);
      else selection.set(action.id, action.version);
      return { ...state, selection };
    }
    case 'failed':
      return { ...state, error: action.error };
    case 'deselect': {
      if (action.ids === 'all') return state.selection.size ? { ...state, selection: new Map() } : state;
      const selection = new Map(state.selection);
      for (const id of action.ids) selection.delete(id);
      return { ...state, selection };
    }
  }
}

export function rowAt(state: InboxState, index: number): ItemView | null {
  return state.cache.rows[index - state.cache.start] ?? null;
}

function covers(cache: InboxCache, from: number, to: number): boolean {
  return from >= cache.start && to <= cache.start + cache.rows.length;
}

export interface ReloadOptions {
  /** Put the cursor on the first of these ids found in the new window; else keep its index. */
  follow?: (number | undefined | null)[];
  /** Recount (default true). */
  count?: boolean;
}

export interface Inbox {
  state: InboxState;
  current: ItemView | null;
  visible: ItemView[];
  goTo(index: number): Promise<void>;
  move(delta: number): Promise<void>;
  reload(opts?: ReloadOptions): Promise<void>;
  /** Apply a filter; refused (thrown, nothing changed) when the query fails, e.g. an unknown handle. */
  setFilter(filter: ConsoleFilter): Promise<void>;
  toggleSelect(): void;
  deselect(ids: number[] | 'all'): void;
  /** The id of the row after the cursor (for "resolve and go to the next"). */
  nextId(): number | undefined;
  /** Put the cursor on this item when the loaded part of the list has it; false when it does not. */
  focus(id: number): Promise<boolean>;
}

export function useInbox(
  api: ConsoleApi,
  pageSize: number,
  initialFilter?: ConsoleFilter,
  initialCache?: InboxCache,
  initialTotal?: number,
): Inbox {
  const [state, rawDispatch] = useReducer(inboxReducer, undefined, () =>
    initialInboxState(pageSize, initialFilter, initialCache, initialTotal),
  );
  // A mirror updated at dispatch time, so several keys handled before the next render (a burst of
  // j's) each see the previous one's effect.
  const ref = useRef(state);
  const dispatch = useCallback((a: InboxAction) => {
    ref.current = inboxReducer(ref.current, a);
    rawDispatch(a);
  }, []);
  const seq = useRef(0);
  const countSeq = useRef(0);

  /** Fetch a cache around [top, top+pageSize) for `filter`; the caller dispatches. */
  const fetchAround = useCallback(
    async (filter: ConsoleFilter, top: number, size: number): Promise<InboxCache> => {
      const start = Math.max(0, top - size);
      const win = await api.inboxWindow(filter, start, size * 3);
      return { start, rows: win.rows, marks: win.marks, drafts: win.drafts };
    },
    [api],
  );

  const recount = useCallback(
    async (filter: ConsoleFilter) => {
      const mine = ++countSeq.current;
      const total = await api.inboxCount(filter);
      if (mine === countSeq.current && ref.current.filter === filter) dispatch({ type: 'total', total });
    },
    [api, dispatch],
  );

  const load = useCallback(
    async (filter: ConsoleFilter, opts: ReloadOptions & { resetCursor?: boolean } = {}) => {
      const mine = ++seq.current;
      const s = ref.current;
      const size = s.pageSize;
      const cursorBefore = opts.resetCursor ? 0 : s.cursor;
      const topBefore = opts.resetCursor ? 0 : s.top;
      let cache = await fetchAround(filter, topBefore, size);
      if (mine !== seq.current) return;
      // The list shrank above the window: start over from the top.
      if (cache.rows.length === 0 && cache.start > 0) cache = await fetchAround(filter, 0, size);
      if (mine !== seq.current) return;
      let cursor = cursorBefore;
      const wanted = (opts.follow ?? []).filter((id): id is number => typeof id === 'number');
      for (const id of wanted) {
        const at = cache.rows.findIndex((r) => r.id === id);
        if (at >= 0) {
          cursor = cache.start + at;
          break;
        }
      }
      const knownEnd = cache.rows.length < size * 3 ? cache.start + cache.rows.length : null;
      if (knownEnd !== null) cursor = Math.max(0, Math.min(cursor, knownEnd - 1));
      // Keep the cursor at the same height on screen when it followed an item.
      const top = scrollTop(cursor, Math.max(0, cursor - (cursorBefore - topBefore)), size, knownEnd);
      dispatch({ type: 'loaded', filter, cache, cursor, top, total: knownEnd ?? (opts.resetCursor ? null : undefined) });
      if (opts.count !== false && knownEnd === null) {
        // Counting a huge filter can take a while: let the frame with the rows go out first.
        setTimeout(() => void recount(filter).catch(() => undefined), 0);
      }
    },
    [fetchAround, recount, dispatch],
  );

  const goTo = useCallback(
    async (index: number) => {
      const s = ref.current;
      let last = s.total !== null ? s.total - 1 : s.cache.start + s.cache.rows.length - 1;
      if (s.total === null && index > last) {
        // The end is not known yet (still counting): count now, the user asked for it.
        const total = await api.inboxCount(s.filter);
        dispatch({ type: 'total', total });
        last = total - 1;
      }
      if (last < 0) return;
      const cursor = Math.max(0, Math.min(index, last));
      const cur = ref.current;
      const top = scrollTop(cursor, cur.top, cur.pageSize, cur.total);
      if (covers(cur.cache, top, Math.min(top + cur.pageSize, last + 1))) {
        dispatch({ type: 'move', cursor, top });
        return;
      }
      const mine = ++seq.current;
      const cache = await fetchAround(cur.filter, top, cur.pageSize);
      if (mine !== seq.current) return;
      dispatch({ type: 'loaded', filter: cur.filter, cache, cursor, top });
    },
    [api, fetchAround, dispatch],
  );

  const move = useCallback((delta: number) => goTo(ref.current.cursor + delta), [goTo]);

  const reload = useCallback(
    async (opts: ReloadOptions = {}) => {
      const s = ref.current;
      const current = rowAt(s, s.cursor);
      try {
        await load(s.filter, { ...opts, follow: opts.follow ?? [current?.id] });
      } catch (e) {
        dispatch({ type: 'failed', error: (e as Error).message });
      }
    },
    [load, dispatch],
  );

  const setFilter = useCallback(
    async (filter: ConsoleFilter) => {
      // Validate with a cheap query first: a bad filter changes nothing.
      await api.inboxWindow(filter, 0, 1);
      await load(filter, { resetCursor: true });
    },
    [api, load],
  );

  const toggleSelect = useCallback(() => {
    const s = ref.current;
    const row = rowAt(s, s.cursor);
    if (row) dispatch({ type: 'toggleSelect', id: row.id, version: row.version });
  }, [dispatch]);

  const deselect = useCallback((ids: number[] | 'all') => dispatch({ type: 'deselect', ids }), [dispatch]);

  const nextId = useCallback(() => rowAt(ref.current, ref.current.cursor + 1)?.id, []);

  const focus = useCallback(
    async (id: number) => {
      const s = ref.current;
      const at = s.cache.rows.findIndex((r) => r.id === id);
      if (at < 0) return false;
      await goTo(s.cache.start + at);
      return true;
    },
    [goTo],
  );

  // Page size follows the terminal; the first load happens on mount.
  useEffect(() => {
    dispatch({ type: 'pageSize', pageSize });
  }, [pageSize, dispatch]);
  // biome-ignore lint/correctness/useExhaustiveDependencies: the page size is the trigger; the effect reads the state from ref
  useEffect(() => {
    const s = ref.current;
    if (!s.loaded) return;
    // A taller window may need rows the cache lacks.
    if (!covers(s.cache, s.top, Math.min(s.top + s.pageSize, s.total ?? Infinity)))
      void reload({ count: false }).catch((e: Error) => dispatch({ type: 'failed', error: e.message }));
  }, [state.pageSize, reload, dispatch]);
  useEffect(() => {
    const s = ref.current;
    if (!s.loaded) void load(s.filter, { resetCursor: true }).catch((e: Error) => dispatch({ type: 'failed', error: e.message }));
    else if (s.total === null) setTimeout(() => void recount(s.filter).catch(() => undefined), 0);
  }, [load, recount, dispatch]);

  const visible = useMemo(() => {
    const from = state.top - state.cache.start;
    return state.cache.rows.slice(Math.max(0, from), Math.max(0, from + state.pageSize));
  }, [state.cache, state.top, state.pageSize]);

  // `state` and `current` read the eagerly updated mirror: a command that runs before React has
  // rendered the previous one's change (React renders later, in a macrotask) still sees it.
  return {
    get state() {
      return ref.current;
    },
    get current() {
      return rowAt(ref.current, ref.current.cursor);
    },
    visible,
    goTo,
    move,
    reload,
    setFilter,
    toggleSelect,
    deselect,
    nextId,
    focus,
  };
}
