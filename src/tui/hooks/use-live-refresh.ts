// Notice other processes' commits through the store's change feed (SQLite polls data_version,
// PostgreSQL LISTENs) and call `onChange` — one call at a time; commits during a call fold into one
// more call after it. A lost or regained connection goes to `onConnection`. Also wakes due snoozes on
// time (a cheap indexed read each second).
import { useEffect, useRef } from 'react';
import type { ConsoleApi } from '../console-api.js';
import type { ChangeSignal } from '../../store/store.js';

export type ConnectionSignal = Exclude<ChangeSignal, { type: 'change' }>;

export interface LiveRefreshOptions {
  /** Kept for callers and tests; the change feed decides how it notices commits. */
  pollMs?: number;
  wakeMs?: number;
  enabled?: boolean;
  onConnection?: (signal: ConnectionSignal) => void;
}

/**
 * The one place that watches the store for other connections' commits; returns the stop function.
 * It subscribes to the store's change feed (through the console's api): commits go to `onCommit`,
 * a lost or regained connection to `onConnection`.
 */
function watchCommits(api: ConsoleApi, onCommit: () => void, onConnection: (signal: ConnectionSignal) => void): () => void {
  return api.subscribe((signal) => {
    if (signal.type === 'change') onCommit();
    else onConnection(signal);
  });
}

export function useLiveRefresh(api: ConsoleApi, onChange: () => Promise<void>, opts: LiveRefreshOptions = {}): void {
  const { wakeMs = 1000, enabled = true } = opts;
  const onChangeRef = useRef(onChange);
  onChangeRef.current = onChange;
  const onConnectionRef = useRef(opts.onConnection);
  onConnectionRef.current = opts.onConnection;
  const busy = useRef({ running: false, again: false });
  const changed = useRef(() => {
    const b = busy.current;
    if (b.running) {
      b.again = true;
      return;
    }
    b.running = true;
    void onChangeRef
      .current()
      .catch(() => undefined)
      .finally(() => {
        b.running = false;
        if (b.again) {
          b.again = false;
          changed.current();
        }
      });
  });

  useEffect(() => {
    if (!enabled) return;
    const stop = watchCommits(
      api,
      () => changed.current(),
      (signal) => onConnectionRef.current?.(signal),
    );
    // A snooze wakes when its time comes (within a second), not at the next minute.
    const wake = setInterval(() => {
      void api.wakeSnoozed().then(
        (n) => {
          if (n > 0) changed.current();
        },
        () => undefined,
      );
    }, wakeMs);
    return () => {
      stop();
      clearInterval(wake);
    };
  }, [api, wakeMs, enabled]);
}
