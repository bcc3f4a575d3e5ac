// One item's detail: loaded through the console API when the shown id changes or the data changes,
// laid out as lines for the pane's width, scrolled by a small reducer. Only visible lines render.
import { useCallback, useEffect, useMemo, useReducer, useRef, useState } from 'react';
import type { ConsoleApi, ItemDetailData } from '../console-api.js';
import { detailLines } from '../detail-lines.js';
import type { Theme } from '../theme.js';

interface DetailScroll {
  id: number | null;
  offset: number;
}

type ScrollAction =
  | { type: 'by'; delta: number; max: number }
  | { type: 'to'; offset: number; max: number }
  | { type: 'reset'; id: number | null };

function scrollReducer(s: DetailScroll, a: ScrollAction): DetailScroll {
  switch (a.type) {
    case 'by':
      return { ...s, offset: Math.max(0, Math.min(a.max, s.offset + a.delta)) };
    case 'to':
      return { ...s, offset: Math.max(0, Math.min(a.max, a.offset)) };
    case 'reset':
      return s.id === a.id ? s : { id: a.id, offset: 0 };
  }
}

export interface ItemDetail {
  /** The item asked for. */
  id: number | null;
  /** The loaded detail (the previous one while the next loads), or null. */
  data: ItemDetailData | null;
  /** `data` is the item asked for. */
  current: boolean;
  error: string | null;
  lines: string[];
  offset: number;
  height: number;
  scrollBy(delta: number): void;
  scrollTo(offset: number): void;
  reload(): Promise<ItemDetailData | null>;
}

export function useItemDetail(api: ConsoleApi, id: number | null, width: number, height: number, theme: Theme, clockNow: Date): ItemDetail {
  const [data, setData] = useState<ItemDetailData | null>(null);
  // When the shown data was read: its times are drawn against the later of that and the clock.
  const [loadedAt, setLoadedAt] = useState(0);
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
      setLoadedAt(api.now().getTime());
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

  const now = useMemo(() => (loadedAt > clockNow.getTime() ? new Date(loadedAt) : clockNow), [loadedAt, clockNow]);
  const lines = useMemo(() => {
    if (!data) return [];
    try {
      return detailLines(data, width, now, theme);
    } catch (e) {
      // Bad stored data must not take the console down: say so in the pane.
      return [theme.bad(`#${data.item.id} cannot be shown: ${(e as Error).message}`)];
    }
  }, [data, width, now, theme]);
  // When it overflows, the last row says how much more there is: one line less of text.
  const max = Math.max(0, lines.length - (lines.length > height ? height - 1 : height));
  const offset = Math.min(scroll.id === id ? scroll.offset : 0, max);
  const scrollBy = useCallback((delta: number) => dispatch({ type: 'by', delta, max }), [max]);
  const scrollTo = useCallback((o: number) => dispatch({ type: 'to', offset: o, max }), [max]);
  // While the next item loads (milliseconds), the previous one stays rather than a flash of "Loading".
  // `current` says whether what is shown is the item asked for; actions only trust a current one.
  const current = data !== null && data.item.id === id;
  return {
    id,
    data: id === null ? null : data,
    current,
    error,
    lines: id === null ? [] : lines,
    offset: current ? offset : 0,
    height,
    scrollBy,
    scrollTo,
    reload,
  };
}
