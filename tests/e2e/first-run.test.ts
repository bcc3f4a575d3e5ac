// A new user's first run in a real terminal: `tandem init`, `tandem demo`, then `tandem` alone on a
// database with several agents asks who you are, and can remember the answer in the config file.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { configuredAgent, loadConfig } from '../../src/config/config.js';
import { BIN, runJson, runTandem } from '../helpers/cli.js';
import { tempDir } from '../helpers/core.js';
import { newDatabase } from '../helpers/store-target.js';
import { TmuxSession, hasTmux, sh } from '../helpers/tmux.js';

let dir: string;
let db: string;
let cfg: string;
let term: TmuxSession | undefined;

function open() {
  const cmd = `env -u CI -u NO_COLOR -u TANDEM_AGENT XDG_CONFIG_HOME=${sh(cfg)} TANDEM_DB=${sh(db)} ${sh(process.execPath)} ${sh(BIN)}`;
  term = new TmuxSession(`bash --noprofile --norc -c ${sh(`${cmd}; echo "AFTER exit=$?"; sleep 120`)}`, { width: 110, height: 30 });
  return term;
}

/**
 * Type a name into the picker until the list shows only that agent: keys sent in the instant before
 * Ink starts reading input are lost, so a busy machine may need a second try.
 */
async function narrowTo(t: TmuxSession, handle: string) {
  for (let attempt = 0; ; attempt++) {
    t.keys('C-u');
    t.type(handle);
    try {
      await t.waitFor((s) => s.includes(`@${handle}`) && (s.match(/^[> ] @/gm) ?? []).length === 1, 2000);
      return;
    } catch (e) {
      if (attempt === 4) throw e;
    }
  }
}

describe.skipIf(!hasTmux)('first run', () => {
  beforeEach(async () => {
    dir = tempDir('tandem-e2e-');
    db = await newDatabase('first-run');
    cfg = path.join(dir, 'config');
    expect((await runTandem(['init', '--handle', 'me'], { db })).code).toBe(0);
    await runJson(['demo', '--items', '40', '--now', '2026-06-01T12:00:00.000Z'], { db });
  });
  afterEach(() => {
    term?.kill();
    term = undefined;
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('asks who you are, opens the console as that agent, and remembers the choice when asked to', async () => {
    const t = open();
    await t.waitFor('Who are you? 7 agents');
    await narrowTo(t, 'cleo');
    t.keys('Enter');
    await t.waitFor(/Remember @cleo for this database/);
    t.keys('y');
    await t.waitFor(/TANDEM\s+@cleo/);
    t.keys('q');
    await t.waitFor('AFTER exit=0');
    expect(configuredAgent(loadConfig({ XDG_CONFIG_HOME: cfg }), db)).toBe('cleo');
    t.kill();
    // The next start goes straight to the console as @cleo.
    const again = open();
    await again.waitFor(/TANDEM\s+@cleo/);
    expect(again.capture()).not.toContain('Who are you?');
  });

  it('Esc leaves without opening the console, and a choice not remembered is asked again next time', async () => {
    const t = open();
    await t.waitFor('Who are you?');
    await narrowTo(t, 'ben');
    t.keys('Enter');
    await t.waitFor(/Remember @ben/);
    t.keys('n');
    await t.waitFor(/TANDEM\s+@ben/);
    t.keys('q');
    await t.waitFor('AFTER exit=0');
    expect(fs.existsSync(path.join(cfg, 'tandem', 'config.toml'))).toBe(false);
    t.kill();
    const again = open();
    await again.waitFor('Who are you?');
    for (let attempt = 0; ; attempt++) {
      // as in narrowTo: the first key may come before Ink reads input
      again.keys('Escape');
      try {
        await again.waitFor('AFTER exit=0', 2000);
        break;
      } catch (e) {
        if (attempt === 4) throw e;
      }
    }
  });
});
