// Rules in the built console in a real terminal (tmux): the rules view switches a rule off and
// reorders, a status change on screen runs an `updated` rule, confirmed from another process.
import fs from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BIN, runJson, runTandem } from '../helpers/cli.js';
import { tempDir } from '../helpers/core.js';
import { TmuxSession, hasTmux, sh } from '../helpers/tmux.js';
import { newDatabase } from '../helpers/store-target.js';

let dir: string;
let db: string;
let term: TmuxSession | undefined;

describe.skipIf(!hasTmux)('rules in the console, in a real terminal', () => {
  beforeEach(async () => {
    dir = tempDir('tandem-e2e-rules-');
    db = await newDatabase('e2e_rules');
  });
  afterEach(() => {
    term?.kill();
    term = undefined;
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('switches a rule off, reorders, and a status change made on screen runs an updated rule', async () => {
    expect((await runTandem(['init', '--handle', 'sam'], { db })).code).toBe(0);
    const rules = `- { name: tag pending, when: updated, if: { field: status, is: pending }, then: [ { tag: waiting } ] }
- { name: shout, when: created, then: [ { set: { priority: urgent } } ] }
`;
    expect((await runTandem(['rule', 'import', '-'], { db, as: 'sam', input: rules })).code).toBe(0);
    const item = await runJson(['item', 'add', '--subject', 'Parcel lost', '--customer', 'jo@example.com', '--kind', 'delivery'], {
      db,
      as: 'sam',
    });
    expect(item.priority).toBe('urgent');
    const cmd = `env -u CI -u NO_COLOR ${sh(process.execPath)} ${sh(BIN)} --db ${sh(db)} --as sam`;
    term = new TmuxSession(`bash --noprofile --norc -c ${sh(`${cmd}; sleep 120`)}`);
    const t = term;
    await t.waitFor('Parcel lost');
    t.keys('R');
    await t.waitFor('Rules (2)');
    t.keys('j', 'Space');
    await t.waitFor('Rule “shout” is off.');
    t.keys('K');
    await t.waitFor('now runs 1 in the order');
    const listed = await runJson(['rule', 'list'], { db });
    expect(listed.map((r: any) => [r.name, r.enabled])).toEqual([
      ['shout', false],
      ['tag pending', true],
    ]);
    t.keys('Escape');
    await t.waitFor('Parcel lost');
    t.keys('s');
    await t.waitFor('[p]ending');
    t.keys('p');
    await t.waitFor(/urgent pending/);
    const shown = await runJson(['item', 'show', String(item.id)], { db });
    expect(shown.status).toBe('pending');
    expect(shown.tags).toEqual(['waiting']);
    expect(shown.events.at(-1).data.rule).toMatchObject({ name: 'tag pending', revision: 1 });
  });
});
