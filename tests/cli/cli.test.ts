// The CLI through the built binary: what only a real process shows — the environment and identity,
// stdin, pipes, exit codes with their one sentence on stderr, completion scripts and the console's refusal.
// The rest of the commands run in-process (records.test.ts and the other tests/cli files).
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runJson, runTandem } from '../helpers/cli.js';
import { tempDir } from '../helpers/core.js';
import { newDatabase } from '../helpers/store-target.js';

let dir: string;
let db: string;
const run = (args: string[], opts: { input?: string; as?: string; env?: Record<string, string | undefined> } = {}) =>
  runTandem(args, { db, as: opts.as ?? 'sam', ...opts });
const json = <T = any>(args: string[], opts: { input?: string; as?: string } = {}) =>
  runJson<T>(args, { db, as: opts.as ?? 'sam', ...opts });

beforeAll(async () => {
  dir = tempDir();
  db = await newDatabase('cli');
  const init = await runTandem(['init', '--handle', 'sam', '--name', 'Sam'], { db });
  expect(init.code).toBe(0);
  expect((await runTandem(['agent', 'add', 'ana', '--roles', 'service', '--name', 'Ana'], { db, as: 'sam' })).code).toBe(0);
  expect((await runTandem(['agent', 'add', 'cleo', '--roles', 'support'], { db, as: 'sam' })).code).toBe(0);
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('init and identity', () => {
  it('creates the database in the folder from $XDG_DATA_HOME, with a first agent of both roles', async () => {
    const home = tempDir();
    const r = await runTandem(['init', '--json'], { env: { XDG_DATA_HOME: home, USER: 'Robin' } });
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.database).toBe(path.join(home, 'tandem', 'tandem.db'));
    expect(out.agent).toMatchObject({ handle: 'robin', roles: 'both', active: true });
    expect(fs.existsSync(out.database)).toBe(true);
    // Running it again changes nothing.
    const again = JSON.parse((await runTandem(['init', '--json'], { env: { XDG_DATA_HOME: home } })).stdout);
    expect(again.created).toBe(false);
    fs.rmSync(home, { recursive: true, force: true });
  });

  it('--db wins over $TANDEM_DB', async () => {
    const other = await newDatabase('other');
    const r = await runTandem(['--db', other, 'init', '--handle', 'zed', '--json'], { db });
    expect(JSON.parse(r.stdout).database).toBe(other);
  });

  it('asks who you are when several agents exist, and accepts --as or $TANDEM_AGENT', async () => {
    const r = await runTandem(['item', 'add', '--subject', 'x', '--customer', 'a@example.com'], { db });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--as HANDLE or TANDEM_AGENT/);
    const bad = await runTandem(['--as', 'ghost', 'item', 'add', '--subject', 'x', '--customer', 'a@example.com'], { db });
    expect(bad.code).toBe(3);
    expect(bad.stderr).toMatch(/no agent with handle @ghost/);
  });
});

describe('items through the binary', () => {
  it('creates, shows and acts on an item, each change bumping the version with an event', async () => {
    const created = await json([
      'item',
      'add',
      '--subject',
      'Charged twice',
      '--customer',
      'jo@example.com',
      '--name',
      'Jo Park',
      '--kind',
      'billing',
      '--body',
      'I see two charges',
      '--tag',
      'refund,vip',
    ]);
    expect(created).toMatchObject({
      role: 'support',
      kind: 'billing',
      status: 'new',
      version: 1,
      tags: ['refund', 'vip'],
      customer: { name: 'Jo Park', email: 'jo@example.com' },
    });
    const id = String(created.id);
    expect(await json(['item', 'take', id], { as: 'cleo' })).toMatchObject({ assignee: 'cleo', status: 'open', version: 2 });
    expect(await json(['item', 'reply', id, 'Refund', 'on', 'its', 'way'], { as: 'cleo' })).toMatchObject({ version: 3 });
    expect(await json(['item', 'note', id, '-'], { as: 'cleo', input: 'checked stripe\nsecond line' })).toMatchObject({ version: 4 });
    expect(await json(['item', 'priority', id, 'high'])).toMatchObject({ priority: 'high', version: 5 });
    expect(await json(['item', 'untag', id, 'vip'])).toMatchObject({ tags: ['refund'] });
    expect(await json(['item', 'status', id, 'pending'])).toMatchObject({ status: 'pending' });
    expect(await json(['item', 'snooze', id, '2h'])).toMatchObject({ status: 'snoozed' });
    expect(await json(['item', 'resolve', id, '--note', 'refunded'])).toMatchObject({ status: 'resolved' });
    expect(await json(['item', 'reopen', id])).toMatchObject({ status: 'open', reopenCount: 1 });
    expect(await json(['item', 'close', id])).toMatchObject({ status: 'closed' });
    const shown = await json(['item', 'show', id]);
    expect(shown.events.map((e: any) => e.type)).toEqual([
      'created',
      'assign',
      'status',
      'reply',
      'note',
      'priority',
      'tag',
      'status',
      'snooze',
      'status',
      'status',
      'note',
      'status',
      'status',
    ]);
    expect(shown.events[4]).toMatchObject({ type: 'note', body: 'checked stripe\nsecond line', author: { type: 'agent', handle: 'cleo' } });
    expect(shown.version).toBe(shown.events.at(-1).version);
    expect(shown.escalation).toEqual({ escalatedTo: [], escalatedFrom: null });
  });

  it('takes an item as JSON on stdin', async () => {
    const input = JSON.stringify({
      subject: 'Renewal chat',
      customer: { email: 'kim@example.com', name: 'Kim' },
      direction: 'outbound',
      kind: 'renewal',
      tags: ['q4'],
      due: '3d',
    });
    const item = await json(['item', 'add', '-'], { input });
    expect(item).toMatchObject({
      role: 'service',
      kind: 'renewal',
      direction: 'outbound',
      status: 'open',
      tags: ['q4'],
      customer: { name: 'Kim' },
    });
    const bad = await run(['item', 'add', '--json', '-'], { input: '{"subject": 5}' });
    expect(bad.code).toBe(5);
    expect(bad.stderr).toMatch(/subject/);
    const notJson = await run(['item', 'add', '--json', '-'], { input: '{oops' });
    expect(notJson.code).toBe(5);
    expect(notJson.stderr).toMatch(/not valid JSON/);
  });

  it('prints ids when piped so commands compose, and tab-separated rows for the inbox', async () => {
    const add = await run(['item', 'add', '--subject', 'Pipe me', '--customer', 'pipe@example.com', '--kind', 'bug']);
    expect(add.code).toBe(0);
    const id = add.stdout.trim();
    expect(id).toMatch(/^\d+$/);
    const ids = await run(['inbox', '--ids', '--role', 'support']);
    expect(ids.stdout.split('\n')).toContain(id);
    const rows = await run(['inbox', '--search', 'pipe']);
    const row = rows.stdout
      .trim()
      .split('\n')
      .find((l) => l.startsWith(id + '\t'))!;
    expect(row.split('\t').slice(0, 5)).toEqual([id, 'SUP', 'normal', 'new', 'Pipe me']);
  });

  it('exits with distinct codes and one clear sentence for each kind of bad input, writing nothing', async () => {
    const before = (await json<any[]>(['inbox', '--status', 'all', '--limit', '1000'])).length;
    const cases: [string[], number, RegExp, string?][] = [
      [['item', 'show', '999999'], 3, /no item #999999/],
      [['item', 'show', 'abc'], 3, /item ids are numbers/],
      [['item', 'priority', '1', 'asap'], 5, /priority must be one of low, normal, high, urgent/],
      [['item', 'snooze', '1', 'whenever'], 5, /not a date or time/],
      [['item', 'reply', '1', '-'], 5, /empty/, '   \n'],
      [['item', 'reply', '1'], 2, /give the reply text/],
      [['item', 'add', '--customer', 'x@example.com'], 5, /subject/],
      [['inbox', '--role', 'sales'], 5, /role must be one of/],
      [['inbox', '--sort', 'sideways'], 2, /Allowed choices/],
      [['item', 'frobnicate'], 2, /unknown command/],
      [['item', 'reply', '1', 'hello', '--if-version', '0'], 4, /changed since you loaded it/],
      [['survey', 'add', '--kind', 'csat', '--score', '9', '--item', '1'], 5, /CSAT score is a whole number from 1 to 5/],
      [['order', 'add', '--customer', 'jo@example.com', '--amount', 'lots'], 5, /amount must be a number/],
      [['customer', 'show', 'nobody@example.com'], 3, /no customer with email/],
      [['agent', 'add', 'Bad Handle!'], 5, /handle must be/],
    ];
    for (const [args, code, message, input] of cases) {
      const r = await run(args, { input });
      expect({ args, code: r.code }).toEqual({ args, code });
      expect(r.stderr).toMatch(message);
      expect(
        r.stderr
          .trim()
          .split('\n')
          .filter((l) => l.startsWith('tandem:')).length,
      ).toBeLessThanOrEqual(1);
    }
    expect((await json<any[]>(['inbox', '--status', 'all', '--limit', '1000'])).length).toBe(before);
  });
});

describe('shell completion', () => {
  it('prints shell completion for bash and zsh that names the subcommands', async () => {
    const bash = await runTandem(['completion', 'bash']);
    expect(bash.code).toBe(0);
    expect(bash.stdout).toMatch(/complete -F _tandem tandem/);
    expect(bash.stdout).toMatch(/inbox/);
    expect(bash.stdout).toMatch(/item__reply/);
    expect((await runTandem(['completion', 'tcsh'])).code).toBe(2);
  });
});

describe('the console entry point', () => {
  it('refuses to draw when stdin/stdout are not a terminal, pointing at the subcommands', async () => {
    const r = await run([]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/needs a terminal.*subcommands/);
    expect(r.stdout).toBe('');
  });
});
