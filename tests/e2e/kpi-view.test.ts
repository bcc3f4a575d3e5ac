// The KPI view in a real terminal: the built binary on a demo database, K opens the panels, 7 switches the period.
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runTandem } from '../helpers/cli.js';
import { tempDir } from '../helpers/core.js';
import { BIN } from '../helpers/cli.js';
import { TmuxSession, hasTmux, sh } from '../helpers/tmux.js';
import { newDatabase } from '../helpers/store-target.js';

let dir: string;
let db: string;
let session: TmuxSession | undefined;

beforeAll(async () => {
  dir = tempDir();
  db = await newDatabase('demo');
  const r = await runTandem(['demo', '--db', db, '--items', '400', '--quiet']);
  expect(r.code, r.stderr).toBe(0);
});
afterAll(() => {
  session?.kill();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe.skipIf(!hasTmux)('the KPI view in a terminal', () => {
  it('% shows both panels with their figures; d switches the period (to 90, then 7 days); Esc goes back', async () => {
    session = new TmuxSession(`env -u CI TZ=UTC TANDEM_DB=${sh(db)} TANDEM_AGENT=sam ${sh(process.execPath)} ${sh(BIN)}`, {
      width: 140,
      height: 40,
    });
    await session.waitFor('SUBJECT');
    session.keys('%');
    let screen = await session.waitFor((s) => s.includes('[30 days]') && /Volume\s+\d+/.test(s) && !s.includes('computing…'));
    expect(screen).toMatch(/^Support\b.*│ Service\b/m);
    expect(screen).toMatch(/CSAT\s+\d+\.\d%\s+n=\d+/);
    expect(screen).toMatch(/NPS\s+[+−-]?\d+\.\d\s+n=\d+/);
    expect(screen).toContain('At-risk customers');
    session.keys('d', 'd');
    screen = await session.waitFor((s) => s.includes('[7 days]') && s.includes('vs the 7 days before') && !s.includes('computing…'));
    expect(screen).toMatch(/Volume\s+\d+/);
    session.keys('Escape');
    await session.waitFor((s) => s.includes('SUBJECT') && !s.includes('[7 days]'));
    session.keys('q');
  });
});
