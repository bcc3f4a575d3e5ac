// The KPI view's state: the period shown, the last report, whether one is being computed, the at-risk
// cursor and the scroll. KPIs are computed off the key path: when the view opens, when the period
// changes, and when another process commits (at most once every few seconds), never per key.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { KpiReport } from '../../core/kpi.js';
import type { AtRiskCustomer } from '../../core/kpi-at-risk.js';
import { explainError } from '../explain.js';
import type { ConsoleApi } from '../console-api.js';
import { DEFAULT_SPAN, loadKpis, spanKey, type KpiSpan } from '../kpi-api.js';
import { useLiveRefresh } from './use-live-refresh.js';

/** Other processes' commits recompute the KPIs at most this often (a report can take a moment on a big store). */
const KPI_MIN_GAP_MS = 3000;
const HOUR = 3_600_000;

interface KpiState {
  span: KpiSpan;
  report: KpiReport | null;
  computing: boolean;
  error: string | null;
  /** Index in the at-risk list. */
  cursor: number;
  /** First body line shown, and whether the window follows the cursor (j/k) or was scrolled (PgDn). */
  top: number;
  follow: boolean;
}

export interface KpiController {
  state: KpiState;
  atRisk: AtRiskCustomer[];
  /** The at-risk customer under the cursor now (keys queued in one burst see each other's moves). */
  selected(): AtRiskCustomer | null;
  setSpan(span: KpiSpan): void;
  /** The period as the keys before this one left it (a burst of d's cycles once per d). */
  span(): KpiSpan;
  /** Recompute now (after this console changed something). */
  reload(): void;
  move(delta: number): void;
  scrollBy(delta: number): void;
  /** What the view last showed (its top line and height), for scrolling from there. */
  shown: { top: number; height: number };
}

export interface KpiOptions {
  pollMs?: number;
  minGapMs?: number;
}

export function useKpi(api: ConsoleApi, active: boolean, opts: KpiOptions = {}): KpiController {
  const minGapMs = opts.minGapMs ?? KPI_MIN_GAP_MS;
  const [state, setRendered] = useState<KpiState>({
    span: DEFAULT_SPAN,
    report: null,
    computing: false,
    error: null,
    cursor: 0,
    top: 0,
    follow: false,
  });
  // The latest state, updated at once: commands run back to back before the next render.
  const latest = useRef(state);
  const setState = useCallback((f: (s: KpiState) => KpiState) => {
    latest.current = f(latest.current);
    setRendered(latest.current);
  }, []);
  const seq = useRef(0);
  const lastStart = useRef(0);
  const pending = useRef<NodeJS.Timeout | undefined>(undefined);
  const shown = useRef({ top: 0, height: 1 }).current;

  const compute = useCallback(() => {
    clearTimeout(pending.current);
    pending.current = undefined;
    const mine = ++seq.current;
    lastStart.current = Date.now();
    setState((s) => (s.computing ? s : { ...s, computing: true }));
    // Yield first, so "computing…" reaches the screen before SQLite's synchronous work starts.
    setTimeout(() => {
      if (mine !== seq.current) return;
      loadKpis(api, latest.current.span).then(
        (report) => {
          if (mine !== seq.current) return;
          const n = report.service?.atRisk.length ?? 0;
          setState((s) => ({ ...s, report, computing: false, error: null, cursor: Math.max(0, Math.min(s.cursor, n - 1)) }));
        },
        (e: unknown) => {
          if (mine !== seq.current) return;
          setState((s) => ({ ...s, computing: false, error: explainError(e, api.now()) }));
        },
      );
    }, 0);
  }, [api, setState]);

  // Opening the view and changing the period compute at once.
  const key = spanKey(state.span);
  // biome-ignore lint/correctness/useExhaustiveDependencies: key is the trigger: compute reads the span from a ref
  useEffect(() => {
    if (active) compute();
  }, [active, key, compute]);

  useEffect(() => {
    if (active) return;
    clearTimeout(pending.current);
    pending.current = undefined;
  }, [active]);
  useEffect(() => () => clearTimeout(pending.current), []);

  // Another process committed: recompute, but no sooner than minGapMs after the last start.
  const onData = useCallback(async () => {
    if (pending.current) return;
    const wait = Math.max(0, lastStart.current + minGapMs - Date.now());
    pending.current = setTimeout(compute, wait);
  }, [compute, minGapMs]);
  // The console's change-feed watcher, only while the view is open (the inbox has its own).
  useLiveRefresh(api, onData, { pollMs: opts.pollMs, enabled: active, wakeMs: HOUR });

  const atRisk = state.report?.service?.atRisk ?? [];
  const setSpan = useCallback((span: KpiSpan) => setState((s) => ({ ...s, span })), [setState]);
  const move = useCallback(
    (delta: number) =>
      setState((s) => {
        const n = s.report?.service?.atRisk.length ?? 0;
        return { ...s, cursor: Math.max(0, Math.min(n - 1, s.cursor + delta)), follow: true };
      }),
    [setState],
  );
  const scrollBy = useCallback(
    (delta: number) => setState((s) => ({ ...s, top: Math.max(0, shown.top + delta), follow: false })),
    [setState, shown],
  );
  const selected = useCallback(() => latest.current.report?.service?.atRisk[latest.current.cursor] ?? null, []);
  const span = useCallback(() => latest.current.span, []);

  return useMemo(
    () => ({
      state,
      atRisk,
      selected,
      setSpan,
      span,
      reload: compute,
      move,
      scrollBy,
      shown,
    }),
    [state, atRisk, selected, setSpan, span, compute, move, scrollBy, shown],
  );
}
