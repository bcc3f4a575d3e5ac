// Business-hours SLAs in a real terminal: the built binary, a policy counting in a calendar, an item made
// by the CLI; the detail shows the business countdown and the due time in the calendar's zone.
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, runJson, runTandem } from '../helpers/cli.js';
import { tempDir } from '../helpers/core.js';
import { TmuxSession, hasTmux, sh } from '../helpers/tmux.js';
import { dropDatabase, newDatabase } from '../helpers/store-target.js';

let dir: string;
let db: string;
let session: TmuxSession | undefined;

beforeAll(async () => {
  dir = tempDir();
  db = await newDatabase('tandem');
  expect((await runTandem(['init', '--handle', 'sam'], { db })).code).toBe(0);
  // Open around the clock in Tokyo, so the countdown does not depend on when the test runs.
  await runJson(['calendar', 'add', 'tokyo', '--tz', 'Asia/Tokyo', '--hours', '24/7'], { db });
  await runJson(
    ['sla', 'set', '--role', 'support', '--priority', 'normal', '--first-response', '4h', '--resolution', '16h', '--calendar', 'tokyo'],
    { db },
  );
  await runJson(['item', 'add', '--subject', 'Invoice export fails', '--customer', 'jo@example.com', '--kind', 'bug'], { db, as: 'sam' });
});
afterAll(async () => {
  session?.kill();
  fs.rmSync(dir, { recursive: true, force: true });
  await dropDatabase(db);
});

describe.skipIf(!hasTmux)('business-hours SLA in a terminal', () => {
  it('the detail counts the first response down in business time, with the due time in the calendar zone', async () => {
    session = new TmuxSession(`env -u CI TZ=UTC TANDEM_DB=${sh(db)} TANDEM_AGENT=sam ${sh(process.execPath)} ${sh(BIN)}`, {
      width: 140,
      height: 40,
    });
    const list = await session.waitFor('Invoice export fails');
    expect(list).toMatch(/Invoice export fails.*\s(3h 5\dm|4h)\s*$/m);
    session.keys('Enter');
    const detail = await session.waitFor('── Thread');
    // Tokyo is UTC+9: the due time reads nine hours ahead of UTC.
    // (The item was made a few seconds ago: allow for an hour turning over meanwhile.)
    const hours = [0, 120_000].map((back) => String(new Date(Date.now() - back + 13 * 3_600_000).getUTCHours()).padStart(2, '0'));
    expect(detail).toMatch(new RegExp(`first response due in (3h 5\\dm|4h) business · \\w{3} (${hours.join('|')}):\\d\\d`));
    session.keys('q');
  });
});
