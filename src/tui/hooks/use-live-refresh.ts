// Notice other processes' commits: poll PRAGMA data_version (a cheap counter read) a few times a
// second and call `onChange` when it moves. Also a slow clock tick for ages and SLA countdowns, and
// waking snoozes whose time has come.
import { useEffect, useRef, useState } from 'react';
import type { ConsoleApi } from '../console-api.js';

export interface LiveRefreshOptions {
  pollMs?: number;
  clockMs?: number;
  wakeMs?: number;
  enabled?: boolean;
}

/** Returns a clock tick that increases every `clockMs` (re-render for relative times). */
export function useLiveRefresh(api: ConsoleApi, onChange: () => void, opts: LiveRefreshOptions = {}): number {
  const { pollMs = 400, clockMs = 30_000, wakeMs = 60_000, enabled = true } = opts;
  const onChangeRef = useRef(onChange);
  onChangeRef.current = onChange;
  const [tick, setTick] = useState(0);

  useEffect(() => {
    if (!enabled) return;
    let last = api.dataVersion();
    const poll = setInterval(() => {
      let v: number;
      try {
        v = api.dataVersion();
      } catch {
        return; // the store is closing
      }
      if (v !== last) {
        last = v;
        onChangeRef.current();
      }
    }, pollMs);
    const clock = setInterval(() => setTick((t) => t + 1), clockMs);
    const wake = setInterval(() => {
      void api.wakeSnoozed().then((n) => { if (n > 0) onChangeRef.current(); }, () => undefined);
    }, wakeMs);
    return () => {
      clearInterval(poll);
      clearInterval(clock);
      clearInterval(wake);
    };
  }, [api, pollMs, clockMs, wakeMs, enabled]);

  return tick;
}
