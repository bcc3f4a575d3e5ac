// Customer data stays private on disk: modes of what Tandem creates whatever the umask, a shared group,
// a warning for a database others can read, and files Tandem did not create left as they are.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { BIN } from '../helpers/cli.js';
import { tempDir } from '../helpers/core.js';

const mode = (file: string) => (fs.statSync(file).mode & 0o777).toString(8).padStart(3, '0');

function tandemWithUmask(umask: string, args: string[], env: Record<string, string> = {}) {
  const r = spawnSync('sh', ['-c', `umask ${umask}; exec "$0" "$@"`, process.execPath, BIN, ...args], {
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', TANDEM_DB: '', TANDEM_AGENT: '', ...env },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe.each(['000', '022'])('with umask %s', (umask) => {
  it('init, demo, export and import create private files in private folders', () => {
    const home = tempDir();
    const db = path.join(home, 'data', 'tandem', 'tandem.db');
    expect(tandemWithUmask(umask, ['init', '--handle', 'sam', '--db', db]).code).toBe(0);
    expect(mode(db)).toBe('600');
    expect(mode(path.dirname(db))).toBe('700');
    expect(mode(path.join(home, 'data'))).toBe('700');
    expect(mode(home)).toBe('700'); // made by the test (mkdtemp), not by Tandem: left as it was
    // SQLite gives the WAL and shared-memory files the database's mode.
    const open = new BetterSqlite3(db);
    open.pragma('journal_mode = WAL');
    open.prepare('select count(*) from items').get();
    expect(mode(db + '-wal')).toBe('600');
    expect(mode(db + '-shm')).toBe('600');
    open.close();

    const demo = path.join(home, 'demo.db');
    expect(tandemWithUmask(umask, ['demo', '--items', '50', '--db', demo, '--quiet']).code).toBe(0);
    expect(mode(demo)).toBe('600');
    const exported = path.join(home, 'export.jsonl');
    expect(tandemWithUmask(umask, ['export', '-o', exported, '--db', demo]).code).toBe(0);
    expect(mode(exported)).toBe('600');
    const imported = path.join(home, 'imported.db');
    expect(tandemWithUmask(umask, ['import', exported, '--db', imported]).code).toBe(0);
    expect(mode(imported)).toBe('600');
    const copied = path.join(home, 'copy', 'copied.db');
    expect(tandemWithUmask(umask, ['db', 'copy', '--to', copied, '--db', demo]).code).toBe(0);
    expect(mode(copied)).toBe('600');
    expect(mode(path.dirname(copied))).toBe('700');
  }, 60_000);
});

describe('a team sharing one file through a Unix group', () => {
  it('--shared-group makes the file 0660 and the folders 0770, owned by that group', () => {
    const home = tempDir();
    const group = spawnSync('id', ['-gn'], { encoding: 'utf8' }).stdout.trim();
    const gid = process.getgid!();
    const db = path.join(home, 'team', 'tandem.db');
    expect(tandemWithUmask('022', ['init', '--handle', 'sam', '--shared-group', group, '--db', db]).code).toBe(0);
    expect(mode(db)).toBe('660');
    expect(mode(path.dirname(db))).toBe('770');
    expect(fs.statSync(db).gid).toBe(gid);
    const r = tandemWithUmask('022', ['init', '--shared-group', 'no-such-group-xyz', '--db', path.join(home, 'other', 't.db')]);
    expect(r.code).toBe(5);
    expect(r.stderr).toMatch(/no group "no-such-group-xyz"/);
    expect(fs.existsSync(path.join(home, 'other'))).toBe(false);
  });
});

describe('an existing database others can read', () => {
  it('gets one warning a day, and its mode is left alone', () => {
    const home = tempDir();
    const state = path.join(home, 'state');
    const db = path.join(home, 'old.db');
    expect(tandemWithUmask('022', ['init', '--handle', 'sam', '--db', db]).code).toBe(0);
    fs.chmodSync(db, 0o644);
    const first = tandemWithUmask('022', ['agent', 'list', '--db', db], { XDG_STATE_HOME: state });
    expect(first.code).toBe(0);
    expect(first.stderr).toMatch(/warning: .*old\.db is readable by every account on this machine \(mode 0644\).*chmod 600/);
    expect(first.stderr.trim().split('\n')).toHaveLength(1);
    const second = tandemWithUmask('022', ['agent', 'list', '--db', db], { XDG_STATE_HOME: state });
    expect(second.stderr).toBe('');
    expect(mode(db)).toBe('644');
  });
});
