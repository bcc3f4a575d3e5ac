// Notice other processes' commits through the store's change feed (SQLite polls data_version,
// PostgreSQL LISTENs) and call `onChange` — one call at a time; commits during a call fold into one
// more call after it. A lost or regained connection goes to `onConnection`. Also a slow clock tick for
// ages and SLA countdowns, and waking due snoozes.
import { useEffect, useRef, useState } from 'react';
import type { ConsoleApi } from '../console-api.js';
import type { ChangeSignal } from '../../store/store.js';

export interface LiveRefreshOptions {
  pollMs?: number;
  clockMs?: number;
  wakeMs?: number;
  enabled?: boolean;
  onConnection?: (signal: Exclude<ChangeSignal, { type: 'change' }>) => void;
}

/** Returns a clock tick that increases every `clockMs` (re-render for relative times). */
export function useLiveRefresh(api: ConsoleApi, onChange: () => Promise<void>, opts: LiveRefreshOptions = {}): number {
  const { clockMs = 30_000, wakeMs = 60_000, enabled = true } = opts;
  const onChangeRef = useRef(onChange);
  onChangeRef.current = onChange;
  const onConnectionRef = useRef(opts.onConnection);
  onConnectionRef.current = opts.onConnection;
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
    const unsubscribe = api.subscribe((signal) => {
      if (signal.type === 'change') changed.current();
      else onConnectionRef.current?.(signal);
    });
    const clock = setInterval(() => setTick((t) => t + 1), clockMs);
    const wake = setInterval(() => {
      void api.wakeSnoozed().then((n) => { if (n > 0) changed.current(); }, () => undefined);
    }, wakeMs);
    return () => {
      unsubscribe();
      clearInterval(clock);
      clearInterval(wake);
    };
  }, [api, clockMs, wakeMs, enabled]);

  return tick;
}
