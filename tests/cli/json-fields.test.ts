// `--json FIELDS` picks fields as gh does, and `tandem completion fish` completes commands and options
// in a real fish shell.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runTandem as runBinary } from '../helpers/cli.js';
import { runJson, runTandem } from '../helpers/cli-inproc.js';
import { tempDir } from '../helpers/core.js';
import { newDatabase } from '../helpers/store-target.js';

let dir: string;
let db: string;
beforeAll(async () => {
  dir = tempDir();
  db = await newDatabase('tandem');
  await runTandem(['init', '--handle', 'sam'], { db });
  await runJson(['item', 'add', '--subject', 'Refund please', '--customer', 'jo@example.com', '--kind', 'billing'], { db, as: 'sam' });
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('--json FIELDS', () => {
  it('keeps only the named fields, in that order, for lists and single records', async () => {
    const list = await runTandem(['inbox', '--json', 'id,subject,status'], { db, as: 'sam' });
    expect(list.code).toBe(0);
    expect(JSON.parse(list.stdout)).toEqual([{ id: 1, subject: 'Refund please', status: 'new' }]);
    const one = await runTandem(['item', 'show', '1', '--json=priority,kind'], { db, as: 'sam' });
    expect(JSON.parse(one.stdout)).toEqual({ priority: 'normal', kind: 'billing' });
    const all = await runJson(['inbox'], { db, as: 'sam' });
    expect(Object.keys(all[0]).length).toBeGreaterThan(5);
  });

  it('an unknown field is a usage error that lists the fields there are', async () => {
    const r = await runTandem(['inbox', '--json', 'id,subjcet'], { db, as: 'sam' });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown JSON field "subjcet"; available: id, role, kind, subject/);
    // `--json 5` after the arguments cannot be field names: said so, not silently ignored.
    const swallowed = await runTandem(['inbox', '--json', '5'], { db, as: 'sam' });
    expect(swallowed.code).toBe(2);
    expect(swallowed.stderr).toMatch(/--json takes field names separated by commas/);
  });
});

const hasFish = spawnSync('fish', ['--version']).status === 0;

describe.skipIf(!hasFish)('fish completion', () => {
  it('is valid fish, and completes commands, subcommands and options', async () => {
    const script = path.join(dir, 'tandem.fish');
    const r = await runBinary(['completion', 'fish']);
    expect(r.code).toBe(0);
    fs.writeFileSync(script, r.stdout);
    const complete = (line: string) =>
      spawnSync('fish', ['--no-config', '-c', `source ${script}; complete -C '${line}'`], { encoding: 'utf8' }).stdout;
    expect(complete('tandem imp')).toMatch(/^import\t/m);
    expect(complete('tandem import --enc')).toMatch(/^--encoding\t/m);
    expect(complete('tandem item sn')).toMatch(/^snooze\t/m);
    expect(spawnSync('fish', ['--no-config', '-n', script]).status).toBe(0);
    const bad = await runBinary(['completion', 'tcsh']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/bash, zsh and fish/);
  });
});
