// Macros and saved views on PostgreSQL: saving one from another connection wakes an open console (the
// header counts saved views; the picker lists macros), like any other change it shows.
import { describe, expect, it } from 'vitest';
import { addAgent } from '../../src/core/agents.js';
import { makeCtx } from '../../src/core/context.js';
import { addMacro } from '../../src/core/macros.js';
import { addView } from '../../src/core/views.js';
import { openStore } from '../../src/store/open.js';
import type { ChangeSignal } from '../../src/store/store.js';
import { newDatabase } from '../helpers/store-target.js';

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(what: string, fn: () => boolean, ms = 5_000): Promise<void> {
  const end = Date.now() + ms;
  while (!fn()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await wait(20);
  }
}

describe('live refresh of macros and saved views', () => {
  it('a view or a macro saved by another connection reaches a subscriber', async () => {
    const db = await newDatabase('macro_feed');
    const a = await openStore(db);
    const b = await openStore(db);
    try {
      const ctxB = makeCtx(b);
      await addAgent(ctxB, { handle: 'sam', name: 'Sam', roles: 'both' });
      const signals: ChangeSignal[] = [];
      const unsubscribe = a.changes.subscribe((s) => signals.push(s));
      await wait(300); // the listening connection is up
      await addView(ctxB, 'waiting', { statuses: ['pending'] });
      await until('a change signal after a saved view', () => signals.some((s) => s.type === 'change'));
      signals.length = 0;
      await addMacro(ctxB, { name: 'thanks', body: 'Thank you!' });
      await until('a change signal after a saved macro', () => signals.some((s) => s.type === 'change'));
      expect(signals.every((s) => s.type === 'change')).toBe(true);
      unsubscribe();
    } finally {
      await a.close();
      await b.close();
    }
  });
});
