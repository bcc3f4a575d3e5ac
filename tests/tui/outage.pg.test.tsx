// The console on PostgreSQL when the server goes away: it says so, a write in the meantime is refused
// with the reason (the text is kept), and when the server is back the console says so and catches up.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addAgent } from '../../src/core/agents.js';
import { makeCtx } from '../../src/core/context.js';
import { createItem } from '../../src/core/items.js';
import { openStore } from '../../src/store/open.js';
import type { Store } from '../../src/store/store.js';
import { startCluster, type PgCluster } from '../../scripts/pg-cluster.mjs';
import { TestClock, type TestEnv } from '../helpers/core.js';
import { renderConsole, type Harness } from './harness.js';

let cluster: PgCluster;
let store: Store;
let ui: Harness | undefined;
beforeAll(() => {
  cluster = startCluster(); // its own server, so stopping it disturbs no other test file
});
afterAll(async () => {
  ui?.unmount();
  await store?.close();
  cluster?.destroy();
});

describe('the console when PostgreSQL goes away', () => {
  it('says the connection is lost, refuses writes clearly, and recovers with what changed meanwhile', async () => {
    const url = cluster.url('postgres');
    store = await openStore(url);
    const clock = new TestClock();
    const env: TestEnv = { ctx: makeCtx(store, clock.now), store, clock, dbPath: url, close: async () => undefined };
    const sam = await addAgent(env.ctx, { handle: 'sam', name: 'Sam', roles: 'both' });
    await createItem(env.ctx, sam, { subject: 'Before the outage', customer: 'a@example.com' });
    ui = await renderConsole(env, sam);
    await ui.waitFor('Before the outage');
    await new Promise((r) => setTimeout(r, 300)); // the listening connection is up

    cluster.stop('immediate');
    await ui.waitFor(/lost the connection to postgres:\/\/tandem@localhost\/postgres/);
    await ui.press('p');
    await ui.waitFor('Priority for');
    await ui.press('u');
    await ui.waitFor(/cannot reach PostgreSQL/);

    cluster.start();
    await ui.waitFor('connection back', 20_000);
    // Another machine's change after the return shows up live.
    const other = await openStore(url);
    await createItem(makeCtx(other, clock.now), sam, { subject: 'After the outage', customer: 'b@example.com' });
    await other.close();
    const f = await ui.waitFor('After the outage', 5_000);
    expect(f).toContain('Before the outage');
  }, 60_000);
});
