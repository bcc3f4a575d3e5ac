// A corpus of bad input through the binary: each gets one clear sentence, the right exit code, and
// the database is unchanged.
import fs from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runJson, runTandem } from '../helpers/cli-inproc.js';
import { tempDir } from '../helpers/core.js';
import { dumpTables, newDatabase } from '../helpers/store-target.js';

let dir: string;
let db: string;
let itemId: string;

/** A logical dump of every table: the file's bytes may move (WAL), its content must not. */
async function dump(spec: string): Promise<string> {
  if (spec.startsWith('postgres')) return dumpTables(spec);
  const file = spec;
  const raw = new BetterSqlite3(file, { readonly: true });
  try {
    const tables = raw
      .prepare(
        `select name from sqlite_master where type = 'table' and name not like 'sqlite_%' and name not like 'search_fts%' order by name`,
      )
      .pluck()
      .all() as string[];
    return JSON.stringify(tables.map((t) => [t, raw.prepare(`select * from "${t}" order by rowid`).all()]));
  } finally {
    raw.close();
  }
}

beforeAll(async () => {
  dir = tempDir();
  db = await newDatabase('h');
  await runTandem(['init', '--handle', 'sam'], { db });
  itemId = String(
    (await runJson(['item', 'add', '--subject', 'Target', '--customer', 't@example.com', '--kind', 'bug'], { db, as: 'sam' })).id,
  );
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('hostile input', () => {
  const cases: { name: string; args: () => string[]; input?: () => string | Buffer; code: number; message: RegExp }[] = [
    {
      name: 'malformed JSON item',
      args: () => ['item', 'add', '--json', '-'],
      input: () => '{"subject": "x", ',
      code: 5,
      message: /not valid JSON/,
    },
    { name: 'JSON of the wrong shape', args: () => ['item', 'add', '--json', '-'], input: () => '[1,2,3]', code: 5, message: /item JSON/ },
    {
      name: 'unknown field in JSON',
      args: () => ['item', 'add', '--json', '-'],
      input: () => '{"subject":"x","customer":"a@b.co","color":"red"}',
      code: 5,
      message: /color|unrecognized/i,
    },
    { name: 'invalid enum', args: () => ['item', 'status', itemId, 'done'], code: 5, message: /status must be one of/ },
    {
      name: 'invalid kind',
      args: () => ['item', 'add', '--subject', 'x', '--customer', 'a@b.co', '--kind', 'rant'],
      code: 5,
      message: /kind must be one of/,
    },
    { name: 'invalid date', args: () => ['item', 'snooze', itemId, '31/02/2026'], code: 5, message: /not a date or time/ },
    {
      name: 'a date in the past for a snooze',
      args: () => ['item', 'snooze', itemId, '2001-01-01'],
      code: 5,
      message: /not in the future/,
    },
    { name: 'unknown id', args: () => ['item', 'reply', '987654', 'hi'], code: 3, message: /no item #987654/ },
    { name: 'negative id', args: () => ['item', 'show', '-5'], code: 3, message: /item ids are numbers/ },
    {
      name: 'a 20 MB body',
      args: () => ['item', 'note', itemId, '-'],
      input: () => 'x'.repeat(20 * 1024 * 1024),
      code: 5,
      message: /limit is 1,000,000/,
    },
    {
      name: 'NUL bytes in a body',
      args: () => ['item', 'reply', itemId, '-'],
      input: () => Buffer.from('hello\u0000world'),
      code: 5,
      message: /NUL/,
    },
    {
      name: 'invalid UTF-8 on stdin',
      args: () => ['item', 'note', itemId, '-'],
      input: () => Buffer.from([0x68, 0x69, 0xff, 0xfe, 0x80]),
      code: 5,
      message: /not valid UTF-8/,
    },
    {
      name: 'NUL in a subject',
      args: () => ['item', 'add', '--json', '-'],
      input: () => JSON.stringify({ subject: 'a\u0000b', customer: 'n@example.com' }),
      code: 5,
      message: /NUL/,
    },
    { name: 'bad email', args: () => ['customer', 'add', '--email', 'jo@@example'], code: 5, message: /not an email/ },
    { name: 'bad amount', args: () => ['order', 'add', '--customer', 't@example.com', '--amount', '-4'], code: 5, message: /negative/ },
    { name: 'bad limit', args: () => ['inbox', '--limit', 'lots'], code: 5, message: /--limit/ },
    {
      name: 'stale version',
      args: () => ['item', 'note', itemId, 'x', '--if-version', '999'],
      code: 4,
      message: /changed since you loaded it/,
    },
    { name: 'bad version', args: () => ['item', 'note', itemId, 'x', '--if-version', 'abc'], code: 5, message: /version number/ },
  ];

  for (const c of cases) {
    it(`${c.name}: exit ${c.code}, one clear sentence, nothing written`, async () => {
      const before = await dump(db);
      const r = await runTandem(c.args(), { db, as: 'sam', input: c.input?.() });
      expect(r.code).toBe(c.code);
      expect(r.stderr).toMatch(c.message);
      expect(r.stderr).not.toMatch(/at .*\.js:\d+|Error:/); // no stack traces
      expect(await dump(db)).toBe(before);
    });
  }

  it('FTS query syntax is searched as text, never an error', async () => {
    for (const q of ['"', '*', 'NEAR(', '-', ':', 'AND OR NOT', 'subject:Target', '"unterminated', '(((', '^x', 'Tar*']) {
      const r = await runTandem(['inbox', '--search', q, '--status', 'all'], { db, as: 'sam' });
      expect({ q, code: r.code, err: r.stderr }).toEqual({ q, code: 0, err: '' });
    }
    const hit = await runJson(['inbox', '--search', '(("Target*:', '--status', 'all'], { db, as: 'sam' });
    expect(hit.map((i: any) => String(i.id))).toEqual([itemId]);
  });

  it('terminal escape sequences are stored as sent but never reach the terminal raw', async () => {
    const evil = 'Hi \u001b[2J\u001b]0;pwned\u0007\u001b]52;c;aGVsbG8=\u0007there \u009b31m';
    const created = await runJson(['item', 'add', '--json', '-'], {
      db,
      as: 'sam',
      input: JSON.stringify({ subject: evil, customer: 'evil@example.com', body: evil }),
    });
    expect(created.subject).toBe(evil.replace(/\s+/g, ' ').trim());
    for (const args of [
      ['inbox', '--search', 'there'],
      ['item', 'show', String(created.id)],
    ]) {
      const r = await runTandem(args, { db, as: 'sam' });
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/Hi there/);
      expect(r.stdout).not.toMatch(/[\u001b\u0007\u009b]/);
    }
  });

  it('an error quoting hostile input does not pass its escape sequences to the terminal', async () => {
    const r = await runTandem(['customer', 'show', 'x\u001b]0;pwned\u0007@example.com'], { db, as: 'sam' });
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/no customer with email x@example\.com/);
    expect(r.stderr).not.toMatch(/[\u001b\u0007]/);
  });

  it('a file that is not a database is refused and left unchanged', async () => {
    const file = path.join(dir, 'notes.txt');
    fs.writeFileSync(file, 'not a database\n');
    const r = await runTandem(['inbox'], { db: file, as: 'sam' });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/not a Tandem database/);
    expect(fs.readFileSync(file, 'utf8')).toBe('not a database\n');
  });

  it('a read-only database can be read but refuses writes with a clear error', async () => {
    const ro = path.join(dir, 'ro.db');
    await runTandem(['init', '--handle', 'sam'], { db: ro });
    await runJson(['item', 'add', '--subject', 'Frozen', '--customer', 'f@example.com'], { db: ro, as: 'sam' });
    fs.chmodSync(ro, 0o444);
    const before = await dump(ro);
    const list = await runJson(['inbox'], { db: ro, as: 'sam' });
    expect(list.map((i: any) => i.subject)).toEqual(['Frozen']);
    const w = await runTandem(['item', 'note', String(list[0].id), 'x'], { db: ro, as: 'sam' });
    expect(w.code).toBe(1);
    expect(w.stderr).toMatch(/read-only; nothing was written/);
    expect(await dump(ro)).toBe(before);
  });
});
