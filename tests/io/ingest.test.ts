// `tandem ingest`: JSON lines on stdin from scripts, each line's outcome reported.
import { beforeEach, describe, expect, it } from 'vitest';
import { runJson, runTandem } from '../helpers/cli-inproc.js';
import { newDatabase } from '../helpers/store-target.js';

let db: string;
const lines = (...objs: unknown[]) => objs.map((o) => (typeof o === 'string' ? o : JSON.stringify(o))).join('\n') + '\n';
const outcomes = (stdout: string) =>
  stdout
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));

beforeEach(async () => {
  db = await newDatabase('t');
  expect((await runTandem(['agent', 'add', 'sam', '--roles', 'both'], { db })).code).toBe(0);
});

const webhook = [
  {
    subject: 'Payment failed at checkout',
    body: 'Gateway timeout',
    customer: { email: 'kim@example.com', name: 'Kim' },
    kind: 'billing',
    externalId: 'shop-77',
    createdAt: '2026-03-01T10:00:00Z',
  },
  { type: 'message', externalId: 'shop-77', body: 'Any news?', messageId: '<m2@shop>', createdAt: '2026-03-01T11:00:00Z' },
  { type: 'reply', item: 1, body: 'Refunded, sorry!', messageId: '<r1@shop>' },
];

describe('tandem ingest', () => {
  it('creates items and adds messages, reporting each line', async () => {
    const r = await runTandem(['ingest', '--json'], { db, as: 'sam', input: lines(...webhook) });
    expect(r.code, r.stderr).toBe(0);
    expect(outcomes(r.stdout)).toEqual([
      { line: 1, ok: true, outcome: 'created', kind: 'item', itemId: 1, written: true },
      { line: 2, ok: true, outcome: 'added', kind: 'message', itemId: 1, written: true },
      { line: 3, ok: true, outcome: 'added', kind: 'reply', itemId: 1, written: true },
    ]);
    const item = await runJson(['item', 'show', '1'], { db, as: 'sam' });
    expect(item).toMatchObject({ kind: 'billing', role: 'support', createdAt: '2026-03-01T10:00:00.000Z', externalId: 'shop-77' });
    expect(item.events.map((e: { type: string }) => e.type)).toEqual(['created', 'message', 'reply', 'status']);
  });

  it('sending the same lines again changes nothing: external ids and Message-IDs are remembered', async () => {
    await runTandem(['ingest'], { db, as: 'sam', input: lines(...webhook) });
    const r = await runTandem(['ingest', '--json'], { db, as: 'sam', input: lines(...webhook) });
    expect(r.code).toBe(0);
    expect(outcomes(r.stdout).map((o) => o.outcome)).toEqual(['exists', 'exists', 'exists']);
    const item = await runJson(['item', 'show', '1'], { db, as: 'sam' });
    expect(item.events).toHaveLength(4);
  });

  it('one bad line writes nothing and names the line; --skip-invalid writes the good ones', async () => {
    const input = lines(webhook[0], '{"subject": "broken', { type: 'message', item: 99, body: 'to nowhere' });
    const r = await runTandem(['ingest', '--json'], { db, as: 'sam', input });
    expect(r.code).toBe(5);
    const out = outcomes(r.stdout);
    expect(out[0]).toMatchObject({ line: 1, ok: true, written: false });
    expect(out[1]).toMatchObject({ line: 2, ok: false, error: expect.stringContaining('not valid JSON') });
    expect(out[2]).toMatchObject({ line: 3, ok: false, error: expect.stringContaining('#99') });
    expect(await runJson(['inbox', '--status', 'all'], { db, as: 'sam' })).toEqual([]);

    const s = await runTandem(['ingest', '--json', '--skip-invalid'], { db, as: 'sam', input });
    expect(s.code).toBe(0);
    const created = outcomes(s.stdout)[0];
    expect(created).toMatchObject({ ok: true, written: true });
    // (Which id it gets is the engine's: PostgreSQL does not hand back ids of a rolled-back insert.)
    expect((await runJson(['item', 'show', String(created.itemId)], { db, as: 'sam' })).subject).toBe('Payment failed at checkout');
  });

  it('--dry-run reports the outcomes and writes nothing', async () => {
    const r = await runTandem(['ingest', '--dry-run', '--json'], { db, as: 'sam', input: lines(webhook[0]) });
    expect(r.code).toBe(0);
    expect(outcomes(r.stdout)[0]).toMatchObject({ outcome: 'created', written: false });
    expect((await runTandem(['item', 'show', '1'], { db, as: 'sam' })).code).toBe(3);
  });
});
