// One item's detail: loaded through the console API when the shown id changes or the data changes,
// laid out as lines for the pane's width, scrolled by a small reducer. Only visible lines render.
import { useCallback, useEffect, useMemo, useReducer, useRef, useState } from 'react';
import type { ConsoleApi, ItemDetailData } from '../console-api.js';
import { detailLines } from '../detail-lines.js';
import type { Theme } from '../theme.js';

export interface DetailScroll {
  id: number | null;
  offset: number;
}

export type ScrollAction = { type: 'by'; delta: number; max: number } | { type: 'to'; offset: number; max: number } | { type: 'reset'; id: number | null };

export function scrollReducer(s: DetailScroll, a: ScrollAction): DetailScroll {
  switch (a.type) {
    case 'by': return { ...s, offset: Math.max(0, Math.min(a.max, s.offset + a.delta)) };
    case 'to': return { ...s, offset: Math.max(0, Math.min(a.max, a.offset)) };
    case 'reset': return s.id === a.id ? s : { id: a.id, offset: 0 };
  }
}

export interface ItemDetail {
  /** The loaded detail (kept while the next one loads), or null. */
  data: ItemDetailData | null;
  error: string | null;
  lines: string[];
  offset: number;
  height: number;
  scrollBy(delta: number): void;
  scrollTo(offset: number): void;
  reload(): Promise<ItemDetailData | null>;
}

export function useItemDetail(api: ConsoleApi, id: number | null, width: number, height: number, theme: Theme, clockTick: number): ItemDetail {
  const [data, setData] = useState<ItemDetailData | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [scroll, dispatch] = useReducer(scrollReducer, { id: null, offset: 0 });
  const seq = useRef(0);
  const idRef = useRef(id);
  idRef.current = id;

  const reload = useCallback(async () => {
    const want = idRef.current;
    const mine = ++seq.current;
    if (want === null) {
      setData(null);
      return null;
    }
    try {
      const d = await api.itemDetail(want);
      if (mine !== seq.current) return null;
      setData(d);
      setError(null);
      return d;
    } catch (e) {
      if (mine !== seq.current) return null;
      setError((e as Error).message);
      return null;
    }
  }, [api]);

  useEffect(() => {
    dispatch({ type: 'reset', id });
    void reload();
  }, [id, reload]);

  const now = useMemo(() => api.now(), [api, data, clockTick]);
  const lines = useMemo(() => {
    if (!data) return [];
    try {
      return detailLines(data, width, now, theme);
    } catch (e) {
      // Bad stored data must not take the console down: say so in the pane.
      return [theme.bad(`#${data.item.id} cannot be shown: ${(e as Error).message}`)];
    }
  }, [data, width, now, theme]);
  const max = Math.max(0, lines.length - height);
  const offset = Math.min(scroll.id === id ? scroll.offset : 0, max);
  const scrollBy = useCallback((delta: number) => dispatch({ type: 'by', delta, max }), [max]);
  const scrollTo = useCallback((o: number) => dispatch({ type: 'to', offset: o, max }), [max]);
  // While another item loads, say so rather than show the previous one under a new title.
  const shown = data && data.item.id === id ? data : null;
  return { data: shown, error, lines: shown ? lines : [], offset, height, scrollBy, scrollTo, reload };
}
