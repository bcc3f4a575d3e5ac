// A cursor over a list of options with a visible window (ink-ui's select state, reduced): the agent
// picker scrolls with it.
import { useReducer } from 'react';
export interface SelectState {
  cursor: number;
  top: number;
}

export type SelectAction = { type: 'move'; delta: number; count: number; height: number } | { type: 'reset' };

export function selectReducer(s: SelectState, a: SelectAction): SelectState {
  if (a.type === 'reset') return { cursor: 0, top: 0 };
  if (a.count === 0) return { cursor: 0, top: 0 };
  const cursor = Math.max(0, Math.min(a.count - 1, s.cursor + a.delta));
  let top = s.top;
  if (cursor < top) top = cursor;
  if (cursor >= top + a.height) top = cursor - a.height + 1;
  return { cursor, top };
}

export function useSelectState() {
  return useReducer(selectReducer, { cursor: 0, top: 0 });
}
