// The rules view's state: the rules in order, the cursor, and the last test against an item. Loaded
// when the view opens, after each change made from it, and while open, when another process commits
// (a rule added, switched or reordered elsewhere; its fired counts).
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { StoredRule } from '../../core/rules/rule-store.js';
import type { RuleTestReport } from '../../core/rules/rule-test.js';
import { explainError } from '../explain.js';
import type { ConsoleApi } from '../console-api.js';
import { useLiveRefresh } from './use-live-refresh.js';

const HOUR = 3_600_000;

interface RulesState {
  rules: StoredRule[];
  cursor: number;
  loading: boolean;
  error: string | null;
  /** The last test, with the item's subject it ran against. */
  test: { report: RuleTestReport; subject: string } | null;
}

export interface RulesController {
  state: RulesState;
  /** The rule under the cursor now (keys queued in one burst see each other's moves). */
  selected(): StoredRule | null;
  move(delta: number): void;
  /** Reload; the cursor follows the rule with this id when given. */
  reload(followId?: number): Promise<void>;
  setTest(test: RulesState['test']): void;
}

export function useRules(api: ConsoleApi, active: boolean, opts: { pollMs?: number } = {}): RulesController {
  const [state, setRendered] = useState<RulesState>({ rules: [], cursor: 0, loading: false, error: null, test: null });
  const latest = useRef(state);
  const set = useCallback((next: RulesState) => {
    latest.current = next;
    setRendered(next);
  }, []);

  const reload = useCallback(
    async (followId?: number) => {
      set({ ...latest.current, loading: true });
      try {
        const rules = await api.rules();
        const want = followId ?? latest.current.rules[latest.current.cursor]?.id;
        const at = rules.findIndex((r) => r.id === want);
        set({
          ...latest.current,
          rules,
          loading: false,
          error: null,
          cursor: at >= 0 ? at : Math.min(latest.current.cursor, Math.max(0, rules.length - 1)),
        });
      } catch (e) {
        set({ ...latest.current, loading: false, error: explainError(e, api.now()) });
      }
    },
    [api, set],
  );

  useEffect(() => {
    if (active) void reload();
  }, [active, reload]);

  // Only while the view is open; the inbox's own refresh covers everything else.
  const onData = useCallback(() => reload(), [reload]);
  useLiveRefresh(api, onData, { pollMs: opts.pollMs, enabled: active, wakeMs: HOUR });

  return useMemo(
    () => ({
      state,
      selected: () => latest.current.rules[latest.current.cursor] ?? null,
      move: (delta: number) => {
        const s = latest.current;
        const cursor = Math.max(0, Math.min(s.rules.length - 1, s.cursor + delta));
        if (cursor !== s.cursor) set({ ...s, cursor, test: null });
      },
      reload,
      setTest: (test) => set({ ...latest.current, test }),
    }),
    [state, reload, set],
  );
}
