// Test helpers: a fresh database in a temp folder and a clock the test moves by hand.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openStore } from '../../src/store/open.js';
import { dropDatabase, newDatabase } from './store-target.js';
import { makeCtx, type Ctx } from '../../src/core/context.js';
import { addAgent, type Agent } from '../../src/core/agents.js';
import type { Store } from '../../src/store/store.js';

export function tempDir(prefix = 'tandem-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export class TestClock {
  private t: number;
  constructor(start = '2026-03-02T09:00:00.000Z') {
    this.t = Date.parse(start);
  }
  now = (): Date => new Date(this.t);
  set(iso: string): void {
    this.t = Date.parse(iso);
  }
  advance(ms: number): void {
    this.t += ms;
  }
  minutes(n: number): void {
    this.advance(n * 60_000);
  }
  hours(n: number): void {
    this.advance(n * 3_600_000);
  }
  days(n: number): void {
    this.advance(n * 86_400_000);
  }
}

export interface TestEnv {
  ctx: Ctx<Store>;
  store: Store;
  clock: TestClock;
  /** The database: an SQLite path or a PostgreSQL URL (open another connection with openStore). */
  dbPath: string;
  close(): Promise<void>;
}

export async function testEnv(start?: string): Promise<TestEnv> {
  const dbPath = await newDatabase();
  const store = await openStore(dbPath);
  const clock = new TestClock(start);
  return {
    ctx: makeCtx(store, clock.now),
    store,
    clock,
    dbPath,
    close: async () => {
      await store.close();
      await dropDatabase(dbPath);
    },
  };
}

/** Agents most tests need: a founder with both roles, one service and one support agent. */
export async function standardAgents(ctx: Ctx): Promise<{ sam: Agent; ana: Agent; cleo: Agent }> {
  const sam = await addAgent(ctx, { handle: 'sam', name: 'Sam', roles: 'both' });
  const ana = await addAgent(ctx, { handle: 'ana', name: 'Ana', roles: 'service' });
  const cleo = await addAgent(ctx, { handle: 'cleo', name: 'Cleo', roles: 'support' });
  return { sam, ana, cleo };
}
