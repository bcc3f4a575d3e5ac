// KPI day rollups on SQLite when they cannot be stored (this file runs on the SQLite pass only): a
// read-only file, and a write lock another process holds, still give the figures, counted from the rows.
import fs from 'node:fs';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { testEnv, type TestEnv } from '../helpers/core.js';
import { buildKpiFixture, NOW, P } from '../helpers/kpi-fixture.js';
import { makeCtx } from '../../src/core/context.js';
import { computeKpis, type KpiOptions } from '../../src/core/kpi.js';
import { openSqliteStore } from '../../src/store/sqlite/open.js';

let env: TestEnv | null = null;
afterEach(async () => {
  await env?.close();
  env = null;
});

const opts: KpiOptions = { role: 'all', period: P, byAgent: true };
const stored = (file: string) => {
  const raw = new BetterSqlite3(file, { readonly: true });
  try {
    return raw.prepare('select count(*) from kpi_days').pluck().get() as number;
  } finally {
    raw.close();
  }
};

describe('KPI day rollups that cannot be stored', () => {
  it('a read-only file: the figures are counted from the rows, nothing written', async () => {
    env = await testEnv(NOW);
    await buildKpiFixture(env);
    const expected = await computeKpis(env.ctx, { ...opts, fromRawRows: true });
    await env.store.close();
    fs.chmodSync(env.dbPath, 0o444);
    const store = await openSqliteStore(env.dbPath);
    try {
      expect(store.readonly).toBe(true);
      expect(
        await computeKpis(
          makeCtx(store, () => new Date(NOW)),
          opts,
        ),
      ).toEqual(expected);
    } finally {
      await store.close();
      fs.chmodSync(env.dbPath, 0o644);
    }
    expect(stored(env.dbPath)).toBe(0);
    // The test env closes its (already closed) store again: give it a fresh one.
    env = { ...env, close: async () => fs.rmSync(env!.dbPath, { force: true }) };
  });

  it('a write lock held elsewhere: the report waits for it once, then answers without storing', async () => {
    env = await testEnv(NOW);
    await buildKpiFixture(env);
    const expected = await computeKpis(env.ctx, { ...opts, fromRawRows: true });
    const other = new BetterSqlite3(env.dbPath);
    other.exec('begin immediate');
    try {
      expect(await computeKpis(env.ctx, opts)).toEqual(expected);
    } finally {
      other.exec('rollback');
      other.close();
    }
    expect(stored(env.dbPath)).toBe(0);
  }, 30_000);
});
