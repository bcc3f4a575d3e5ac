// The list's and the pickers' state machines on their own: pure reducers, no terminal.
import { describe, expect, it } from 'vitest';
import type { ItemView } from '../../src/core/item-view.js';
import { DEFAULT_FILTER } from '../../src/tui/console-api.js';
import { inboxReducer, initialInboxState, rowAt, scrollTop, type InboxCache } from '../../src/tui/hooks/use-inbox.js';
import { selectReducer } from '../../src/tui/hooks/use-select-state.js';

const row = (id: number, version = 1) => ({ id, version }) as ItemView;
const cache = (start: number, ids: number[], version = 1): InboxCache => ({
  start,
  rows: ids.map((id) => row(id, version)),
  marks: new Map(),
  drafts: new Set(),
});

describe('the inbox list reducer', () => {
  it('keeps the cursor on screen, moving the window as little as possible', () => {
    expect(scrollTop(0, 0, 10, 100)).toBe(0);
    expect(scrollTop(9, 0, 10, 100)).toBe(0);
    expect(scrollTop(10, 0, 10, 100)).toBe(1);
    expect(scrollTop(3, 5, 10, 100)).toBe(3);
    expect(scrollTop(99, 0, 10, 100)).toBe(90);
    expect(scrollTop(5, 8, 10, 12)).toBe(2); // never past the end of a short list
  });

  it('starts with a first window: a short one is the whole list', () => {
    const s = initialInboxState(10, DEFAULT_FILTER, cache(0, [1, 2, 3]));
    expect(s).toMatchObject({ total: 3, loaded: true, cursor: 0 });
    expect(initialInboxState(10).loaded).toBe(false);
    expect(initialInboxState(0).pageSize).toBe(1);
  });

  it('selects and unselects with the version seen; a load updates it to what is now shown', () => {
    let s = initialInboxState(10, DEFAULT_FILTER, cache(0, [1, 2, 3]));
    s = inboxReducer(s, { type: 'toggleSelect', id: 2, version: 1 });
    s = inboxReducer(s, { type: 'toggleSelect', id: 3, version: 1 });
    expect([...s.selection]).toEqual([
      [2, 1],
      [3, 1],
    ]);
    s = inboxReducer(s, { type: 'toggleSelect', id: 3, version: 1 });
    expect([...s.selection]).toEqual([[2, 1]]);
    s = inboxReducer(s, { type: 'loaded', filter: DEFAULT_FILTER, cache: cache(0, [1, 2, 3], 4), cursor: 1, top: 0 });
    expect(s.selection.get(2)).toBe(4);
    expect(rowAt(s, s.cursor)?.id).toBe(2);
    s = inboxReducer(s, { type: 'deselect', ids: [2] });
    expect(s.selection.size).toBe(0);
    const same = inboxReducer(s, { type: 'deselect', ids: 'all' });
    expect(same).toBe(s); // nothing selected: no new state, no render
  });

  it('clamps the cursor when the list shrinks, and follows a new page size', () => {
    let s = initialInboxState(10, DEFAULT_FILTER, cache(0, [1, 2, 3, 4, 5]));
    s = inboxReducer(s, { type: 'move', cursor: 4, top: 0 });
    s = inboxReducer(s, { type: 'total', total: 2 });
    expect(s).toMatchObject({ total: 2, cursor: 1, top: 0 });
    s = inboxReducer({ ...s, total: 100, cursor: 30, top: 25 }, { type: 'pageSize', pageSize: 4 });
    expect(s).toMatchObject({ pageSize: 4, top: 27 });
    expect(inboxReducer(s, { type: 'pageSize', pageSize: 4 })).toBe(s);
    expect(inboxReducer(s, { type: 'failed', error: 'disk gone' }).error).toBe('disk gone');
  });
});

describe('the picker selection reducer', () => {
  it('moves within the options, the window following the cursor', () => {
    let s = { cursor: 0, top: 0 };
    s = selectReducer(s, { type: 'move', delta: 1, count: 5, height: 2 });
    expect(s).toEqual({ cursor: 1, top: 0 });
    s = selectReducer(s, { type: 'move', delta: 1, count: 5, height: 2 });
    expect(s).toEqual({ cursor: 2, top: 1 });
    s = selectReducer(s, { type: 'move', delta: 10, count: 5, height: 2 });
    expect(s).toEqual({ cursor: 4, top: 3 });
    s = selectReducer(s, { type: 'move', delta: -10, count: 5, height: 2 });
    expect(s).toEqual({ cursor: 0, top: 0 });
    expect(selectReducer({ cursor: 3, top: 2 }, { type: 'move', delta: 1, count: 0, height: 2 })).toEqual({ cursor: 0, top: 0 });
    expect(selectReducer({ cursor: 3, top: 2 }, { type: 'reset' })).toEqual({ cursor: 0, top: 0 });
  });
});
