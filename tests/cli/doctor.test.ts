// `tandem doctor` through the binary: all well on a sound set-up; each broken part named with its fix,
// exit 1, the same findings in --json; and no password ever printed.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runJson, runTandem } from '../helpers/cli-inproc.js';
import { tempDir } from '../helpers/core.js';
import { newDatabase, onPostgres } from '../helpers/store-target.js';

const sane = (config: string) => ({
  LANG: 'C.UTF-8',
  LC_ALL: undefined,
  LC_CTYPE: undefined,
  EDITOR: undefined,
  VISUAL: undefined,
  XDG_CONFIG_HOME: config,
});

describe('tandem doctor', () => {
  it('says all is well on a sound set-up, and exits 0', async () => {
    const db = await newDatabase('doc');
    expect((await runTandem(['init', '--handle', 'sam'], { db })).code).toBe(0);
    const r = await runTandem(['doctor'], { db, env: sane(tempDir()) });
    expect(r.stdout).toMatch(/All is well/);
    expect(r.code, r.stdout).toBe(0);
    const j = await runJson(['doctor'], { db, env: sane(tempDir()) });
    expect(j.ok).toBe(true);
    expect(j.findings.map((f: { check: string }) => f.check)).toEqual(
      expect.arrayContaining(['store', 'schema', 'config', 'editor', 'locale']),
    );
    if (onPostgres) expect(j.findings.find((f: { check: string }) => f.check === 'live refresh').status).toBe('ok');
  });

  it('names a loose database mode and a config others can change, with the fix, and exits 1', async () => {
    const dir = tempDir();
    const db = path.join(dir, 'loose.db');
    expect((await runTandem(['init', '--handle', 'sam'], { db })).code).toBe(0);
    fs.chmodSync(db, 0o644);
    const config = tempDir();
    fs.mkdirSync(path.join(config, 'tandem'));
    fs.writeFileSync(path.join(config, 'tandem', 'config.toml'), 'agent = "sam"\n');
    fs.chmodSync(path.join(config, 'tandem', 'config.toml'), 0o666);
    const r = await runTandem(['doctor', '--json'], { db, env: { ...sane(config), XDG_STATE_HOME: tempDir() } });
    expect(r.code).toBe(1);
    const j = JSON.parse(r.stdout);
    expect(j.ok).toBe(false);
    const modes = j.findings.find((f: { check: string }) => f.check === 'file modes');
    expect(modes).toMatchObject({ status: 'warn', fix: expect.stringContaining('chmod 600') });
    expect(modes.message).toContain('0644');
    const cfg = j.findings.find((f: { check: string }) => f.check === 'config');
    expect(cfg).toMatchObject({ status: 'fail', fix: expect.stringContaining('chmod 600') });
    // The doctor only looks: the mode is as it was.
    expect(fs.statSync(db).mode & 0o777).toBe(0o644);
  });

  it('says PostgreSQL cannot be reached, without printing the password', async () => {
    const url = 'postgres://tandem:s3cr3t-pw@127.0.0.1:1/tandem';
    const r = await runTandem(['doctor'], { db: url, env: sane(tempDir()) });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/✗ postgres +cannot read postgres:\/\/tandem:\*\*\*@127\.0\.0\.1:1\/tandem/);
    expect(r.stdout + r.stderr).not.toContain('s3cr3t-pw');
    // Any other command says the same, masked, with no stack trace.
    const inbox = await runTandem(['inbox', '--json'], { db: url, as: 'sam' });
    expect(inbox.code).toBe(1);
    expect(inbox.stderr).toMatch(/cannot reach PostgreSQL at postgres:\/\/tandem:\*\*\*@127\.0\.0\.1:1\/tandem/);
    expect(inbox.stdout + inbox.stderr).not.toContain('s3cr3t-pw');
    expect(inbox.stderr).not.toMatch(/at .*\.js:\d+/);
  });
});
