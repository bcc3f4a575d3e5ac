import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Key } from 'ink';
import { HANDLERS } from '../../src/tui/commands/index.js';
import { completeCommand } from '../../src/tui/commands/console.js';
import { COMMANDS, commandForKey, commandsFor, findCommandByName, hintsFor, keyName } from '../../src/tui/keymap.js';
import { keyNames } from '../../src/tui/keymap-handler.js';
import { textReducer } from '../../src/tui/hooks/use-text-input.js';
import { parseFilter, formatFilter } from '../../src/tui/filter-text.js';
import { DEFAULT_FILTER } from '../../src/tui/console-api.js';
import { listLayout } from '../../src/tui/rows.js';
import { NO_KEY } from '../../src/tui/hooks/use-key-router.js';

const key = (k: Partial<Key> = {}): Key => ({ ...NO_KEY, ...k });

describe('the keymap', () => {
  it('has a handler for every command, unique names, and no key bound twice within a view', () => {
    for (const c of COMMANDS) expect(HANDLERS[c.id], c.id).toBeTypeOf('function');
    expect(new Set(COMMANDS.map((c) => c.name)).size).toBe(COMMANDS.length);
    for (const view of ['list', 'detail'] as const) {
      const seen = new Map<string, string>();
      for (const c of commandsFor(view)) {
        for (const k of c.keys) {
          expect(seen.get(k), `${k} in ${view}: ${seen.get(k)} and ${c.id}`).toBeUndefined();
          seen.set(k, c.id);
        }
      }
    }
  });

  it('gives a key one meaning across views: K, the digits and d mean the same wherever they work', () => {
    // Moving keys (j/k, g/G, pages, Esc, Enter) move in every view; these others must not change meaning.
    for (const k of ['K', 'J', '1', '2', '3', '4', '5', '6', '7', '8', '9', 'd', '%', 'x', 'p']) {
      const ids = new Set((['list', 'detail', 'kpi'] as const).map((v) => commandForKey(v, k)?.id).filter(Boolean));
      const names = [...ids].map((id) => COMMANDS.find((c) => c.id === id)!.name);
      // view.kpi and kpi.back are one toggle (% opens and closes the KPI view).
      expect(names.filter((n) => n !== 'kpi-back').length, `${k}: ${names.join(', ')}`).toBeLessThanOrEqual(1);
    }
  });

  it('is documented whole in docs/console.md', () => {
    const doc = fs.readFileSync(new URL('../../docs/console.md', import.meta.url), 'utf8');
    for (const c of COMMANDS) expect(doc, c.id).toContain(`\`:${c.name}`);
  });

  it('names keys the way the table does', () => {
    expect(keyName('j', key())).toBe('j');
    expect(keyName('G', key({ shift: true }))).toBe('G');
    expect(keyName('', key({ downArrow: true }))).toBe('down');
    expect(keyName('\r', key({ return: true }))).toBe('enter');
    expect(keyName('', key({ escape: true, meta: true }))).toBe('esc');
    expect(keyName('c', key({ ctrl: true }))).toBe('ctrl+c');
    expect(keyName(' ', key())).toBe('space');
    expect(keyName('', key({ pageDown: true }))).toBe('pagedown');
    expect(keyNames('jjx', key())).toEqual(['j', 'j', 'x']);
    expect(commandForKey('list', 'j')?.id).toBe('list.down');
    expect(commandForKey('detail', 'j')?.id).toBe('detail.down');
    expect(commandForKey('detail', 'space')?.id).toBe('detail.pageDown');
    expect(commandForKey('list', 'space')?.id).toBe('item.select');
    expect(commandForKey('list', 'x')?.id).toBe('item.resolve');
  });

  it('finds commands by name or unique prefix, and completes them', () => {
    expect(findCommandByName('assign', 'list')).toMatchObject({ id: 'item.assign' });
    expect(findCommandByName('esc', 'list')).toMatchObject({ id: 'item.escalate' });
    expect(Array.isArray(findCommandByName('s', 'list'))).toBe(true);
    expect(completeCommand('unas', 'list')).toMatchObject({ text: 'unassigned ' });
    expect(completeCommand('snooze ', 'list').candidates).toMatch(/^snooze \[when\]/);
    // Names of macros and views complete after their command.
    const names = { macro: ['refund-sent', 'refund-late', 'greet'], view: ['mine'] };
    expect(completeCommand('macro g', 'list', names)).toMatchObject({ text: 'macro greet' });
    expect(completeCommand('macro r', 'list', names)).toMatchObject({ text: 'macro refund-', candidates: 'refund-sent  refund-late' });
    expect(completeCommand('view ', 'list', names)).toMatchObject({ text: 'view mine' });
    expect(hintsFor('list', false).map((h) => h.label)).toContain('resolve');
    expect(hintsFor('list', true).map((h) => h.label)).not.toContain('reply');
  });
});

describe('small pieces', () => {
  it('edits text by grapheme, across lines', () => {
    let s = { text: '', cursor: 0 };
    s = textReducer(s, { type: 'insert', text: 'ab👍🏽c' });
    s = textReducer(s, { type: 'left' });
    s = textReducer(s, { type: 'backspace' });
    expect(s).toEqual({ text: 'abc', cursor: 2 });
    s = textReducer({ text: 'one\ntwo words', cursor: 13 }, { type: 'killWord' });
    expect(s.text).toBe('one\ntwo ');
    s = textReducer({ text: 'first\nsecond', cursor: 9 }, { type: 'up' });
    expect(s.cursor).toBe(3);
    s = textReducer(s, { type: 'down' });
    expect(s.cursor).toBe(9);
  });

  it('parses and prints the filter language', () => {
    const f = parseFilter('status:open,pending p:urgent @Ana #VIP breached', DEFAULT_FILTER);
    expect(f).toMatchObject({ statuses: ['open', 'pending'], priorities: ['urgent'], assignee: 'ana', tag: 'vip', breached: true });
    expect(formatFilter(f)).toBe('status:open,pending priority:urgent assignee:ana tag:vip breached');
    expect(() => parseFilter('colour:blue', DEFAULT_FILTER)).toThrow(/don't know "colour:blue"/);
    expect(parseFilter('', { ...f, role: 'support' })).toMatchObject({ ...DEFAULT_FILTER, role: 'support' });
  });

  it('fits the list columns to the width', () => {
    const wide = listLayout(160, 99);
    expect(wide.customer).toBeGreaterThan(0);
    const narrow = listLayout(60, 99);
    expect(narrow).toMatchObject({ age: 0, customer: 0 });
    expect(narrow.subject).toBeGreaterThanOrEqual(16);
  });
});
