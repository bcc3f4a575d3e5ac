// Notice other processes' commits and call `onChange` — one call at a time; commits during a call fold
// into one more call after it. Also wakes due snoozes on time (a cheap indexed read each second).
import { useEffect, useRef } from 'react';
import type { ConsoleApi } from '../console-api.js';

export interface LiveRefreshOptions {
  pollMs?: number;
  wakeMs?: number;
  enabled?: boolean;
}

/**
 * The one place that watches the store for other connections' commits; returns the stop function.
 * Today it polls the store's data version (PRAGMA data_version on SQLite); a store change feed
 * (`store.subscribe(callback)`) replaces this body without touching its callers.
 */
function watchCommits(api: ConsoleApi, pollMs: number, onCommit: () => void): () => void {
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
      onCommit();
    }
  }, pollMs);
  return () => clearInterval(poll);
}

export function useLiveRefresh(api: ConsoleApi, onChange: () => Promise<void>, opts: LiveRefreshOptions = {}): void {
  const { pollMs = 400, wakeMs = 1000, enabled = true } = opts;
  const onChangeRef = useRef(onChange);
  onChangeRef.current = onChange;
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
    const stop = watchCommits(api, pollMs, () => changed.current());
    // A snooze wakes when its time comes (within a second), not at the next minute.
    const wake = setInterval(() => {
      void api.wakeSnoozed().then((n) => { if (n > 0) changed.current(); }, () => undefined);
    }, wakeMs);
    return () => {
      stop();
      clearInterval(wake);
    };
  }, [api, pollMs, wakeMs, enabled]);
}
