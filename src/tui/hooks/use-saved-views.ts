// Saved views for the header: each view's key, name and how many items it shows me now. Loaded after
// the first frame and again with every refresh (own changes and other processes').
import { useCallback, useEffect, useRef, useState } from 'react';
import type { ConsoleApi } from '../console-api.js';
import { viewTabs, type ViewTab } from '../macros-api.js';

export function useSavedViews(api: ConsoleApi): { tabs: ViewTab[]; reload: () => Promise<void> } {
  const [tabs, setTabs] = useState<ViewTab[]>([]);
  const seq = useRef(0);
  const reload = useCallback(async () => {
    const mine = ++seq.current;
    try {
      const t = await viewTabs(api);
      if (mine === seq.current) setTabs(t);
    } catch {
      // Counts are a convenience; the list says what matters.
    }
  }, [api]);
  useEffect(() => {
    const t = setTimeout(() => void reload(), 0);
    return () => clearTimeout(t);
  }, [reload]);
  return { tabs, reload };
}
