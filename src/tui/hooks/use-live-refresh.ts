// Notice other processes' commits: poll PRAGMA data_version (a cheap counter read) a few times a
// second and call `onChange` when it moves — one call at a time; commits during a call fold into one
// more call after it. Also a slow clock tick for ages and SLA countdowns, and waking due snoozes.
import { useEffect, useRef, useState } from 'react';
import type { ConsoleApi } from '../console-api.js';

export interface LiveRefreshOptions {
  pollMs?: number;
  clockMs?: number;
  wakeMs?: number;
  enabled?: boolean;
}

/** Returns a clock tick that increases every `clockMs` (re-render for relative times). */
export function useLiveRefresh(api: ConsoleApi, onChange: () => Promise<void>, opts: LiveRefreshOptions = {}): number {
  const { pollMs = 400, clockMs = 30_000, wakeMs = 60_000, enabled = true } = opts;
  const onChangeRef = useRef(onChange);
  onChangeRef.current = onChange;
  const [tick, setTick] = useState(0);
  const busy = useRef({ running: false, again: false });
  const changed = useRef(() => {
    const b = busy.current;
    if (b.running) {
      b.again = true;
      return;
    }
    b.running = true;
    void onChangeRef.current().catch(() => undefined).finally(() => {
      b.running = false;
      if (b.again) {
        b.again = false;
        changed.current();
      }
    });
  });

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
        changed.current();
      }
    }, pollMs);
    const clock = setInterval(() => setTick((t) => t + 1), clockMs);
    const wake = setInterval(() => {
      void api.wakeSnoozed().then((n) => { if (n > 0) changed.current(); }, () => undefined);
    }, wakeMs);
    return () => {
      clearInterval(poll);
      clearInterval(clock);
      clearInterval(wake);
    };
  }, [api, pollMs, clockMs, wakeMs, enabled]);

  return tick;
}
