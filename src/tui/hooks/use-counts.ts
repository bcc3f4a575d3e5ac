// Header counts: open items per role and how many are breached. Fetched before the first frame when
// the console starts (run.ts), else loaded right after it.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { ConsoleApi, Counts } from '../console-api.js';

export function useCounts(api: ConsoleApi, initial?: Counts): { counts: Counts | null; reload: () => Promise<void> } {
  const [counts, setCounts] = useState<Counts | null>(initial ?? null);
  const loadedFirst = useRef(initial !== undefined);
  const seq = useRef(0);
  const reload = useCallback(async () => {
    const mine = ++seq.current;
    try {
      const c = await api.counts();
      if (mine === seq.current) setCounts(c);
    } catch {
      // Counts are a convenience; the list says what matters.
    }
  }, [api]);
  useEffect(() => {
    if (loadedFirst.current) {
      loadedFirst.current = false;
      return;
    }
    const t = setTimeout(() => void reload(), 0);
    return () => clearTimeout(t);
  }, [reload]);
  return { counts, reload };
}
