// Header counts: open items per role and how many are breached. Loaded after the first frame.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { ConsoleApi, Counts } from '../console-api.js';

export function useCounts(api: ConsoleApi): { counts: Counts | null; reload: () => Promise<void> } {
  const [counts, setCounts] = useState<Counts | null>(null);
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
    const t = setTimeout(() => void reload(), 0);
    return () => clearTimeout(t);
  }, [reload]);
  return { counts, reload };
}
