// The CLI face through the built binary: every subcommand, its --json shape, exit codes, bad input.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runJson, runTandem } from '../helpers/cli.js';
import { tempDir } from '../helpers/core.js';
import { newDatabase } from '../helpers/store-target.js';

let dir: string;
let db: string;
const run = (args: string[], opts: { input?: string; as?: string; env?: Record<string, string | undefined> } = {}) => runTandem(args, { db, as: opts.as ?? 'sam', ...opts });
const json = <T = any>(args: string[], opts: { input?: string; as?: string } = {}) => runJson<T>(args, { db, as: opts.as ?? 'sam', ...opts });

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
    const created = await json(['item', 'add', '--subject', 'Charged twice', '--customer', 'jo@example.com', '--name', 'Jo Park', '--kind', 'billing', '--body', 'I see two charges', '--tag', 'refund,vip']);
    expect(created).toMatchObject({ role: 'support', kind: 'billing', status: 'new', version: 1, tags: ['refund', 'vip'], customer: { name: 'Jo Park', email: 'jo@example.com' } });
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
      'created', 'assign', 'status', 'reply', 'note', 'priority', 'tag', 'status', 'snooze', 'status', 'status', 'note', 'status', 'status',
    ]);
    expect(shown.events[4]).toMatchObject({ type: 'note', body: 'checked stripe\nsecond line', author: { type: 'agent', handle: 'cleo' } });
    expect(shown.version).toBe(shown.events.at(-1).version);
    expect(shown.escalation).toEqual({ escalatedTo: [], escalatedFrom: null });
  });

  it('takes an item as JSON on stdin', async () => {
    const input = JSON.stringify({ subject: 'Renewal chat', customer: { email: 'kim@example.com', name: 'Kim' }, direction: 'outbound', kind: 'renewal', tags: ['q4'], due: '3d' });
    const item = await json(['item', 'add', '-'], { input });
    expect(item).toMatchObject({ role: 'service', kind: 'renewal', direction: 'outbound', status: 'open', tags: ['q4'], customer: { name: 'Kim' } });
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
    const row = rows.stdout.trim().split('\n').find((l) => l.startsWith(id + '\t'))!;
    expect(row.split('\t').slice(0, 5)).toEqual([id, 'SUP', 'normal', 'new', 'Pipe me']);
  });

  it('filters the inbox by role, status, assignee, priority, tag, customer and breach', async () => {
    const a = await json(['item', 'add', '--subject', 'Filter A', '--customer', 'fa@example.com', '--kind', 'question', '--priority', 'urgent', '--tag', 'alpha']);
    const b = await json(['item', 'add', '--subject', 'Filter B', '--customer', 'fb@example.com', '--kind', 'bug', '--assign', 'cleo']);
    const ids = async (args: string[]) => (await json<any[]>(['inbox', ...args])).map((i) => i.id);
    expect(await ids(['--role', 'service'])).toContain(a.id);
    expect(await ids(['--role', 'service'])).not.toContain(b.id);
    expect(await ids(['--assignee', 'cleo'])).toEqual([b.id]);
    expect(await ids(['--assignee', 'me'], )).not.toContain(b.id);
    expect(await ids(['--priority', 'urgent'])).toContain(a.id);
    expect(await ids(['--priority', 'urgent'])).not.toContain(b.id);
    expect(await ids(['--tag', 'alpha'])).toEqual([a.id]);
    expect(await ids(['--customer', 'fb@example.com'])).toEqual([b.id]);
    expect(await ids(['--breached'])).not.toContain(a.id);
    expect((await json(['inbox', '--count', '--tag', 'alpha'])).count).toBe(1);
  });

  it('sorts the inbox by due time, priority, newest and oldest', async () => {
    const low = await json(['item', 'add', '--subject', 'Sort low', '--customer', 'sort@example.com', '--kind', 'bug', '--priority', 'low', '--tag', 'sorting']);
    const urgent = await json(['item', 'add', '--subject', 'Sort urgent', '--customer', 'sort@example.com', '--kind', 'bug', '--priority', 'urgent', '--tag', 'sorting']);
    const normal = await json(['item', 'add', '--subject', 'Sort normal', '--customer', 'sort@example.com', '--kind', 'bug', '--tag', 'sorting']);
    const order = async (sort: string) => (await json<any[]>(['inbox', '--tag', 'sorting', '--sort', sort])).map((i) => i.id);
    // Due: urgent's targets come first (1 h), then normal (8 h), then low (1 d).
    expect(await order('due')).toEqual([urgent.id, normal.id, low.id]);
    expect(await order('priority')).toEqual([urgent.id, normal.id, low.id]);
    expect(await order('newest')).toEqual([normal.id, urgent.id, low.id]);
    expect(await order('oldest')).toEqual([low.id, urgent.id, normal.id]);
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
      expect(r.stderr.trim().split('\n').filter((l) => l.startsWith('tandem:')).length).toBeLessThanOrEqual(1);
    }
    expect((await json<any[]>(['inbox', '--status', 'all', '--limit', '1000'])).length).toBe(before);
  });

  it('refuses a stale --if-version with who changed what, and the item keeps the other change', async () => {
    const item = await json(['item', 'add', '--subject', 'Race', '--customer', 'race@example.com', '--kind', 'bug']);
    await json(['item', 'priority', String(item.id), 'urgent', '--if-version', '1'], { as: 'cleo' });
    const r = await run(['item', 'note', String(item.id), 'late note', '--if-version', '1']);
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/@cleo .*priority normal → urgent/);
    const shown = await json(['item', 'show', String(item.id)]);
    expect(shown.events.map((e: any) => e.type)).toEqual(['created', 'priority']);
  });

  it('refuses taking someone else\'s item without --force (collision)', async () => {
    const item = await json(['item', 'add', '--subject', 'Mine', '--customer', 'mine@example.com', '--kind', 'bug', '--assign', 'cleo']);
    const r = await run(['item', 'take', String(item.id)]);
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/assigned to @cleo; use --force/);
    expect(await json(['item', 'take', String(item.id), '--force'])).toMatchObject({ assignee: 'sam' });
  });
});

describe('customers, orders, surveys, agents, SLA', () => {
  it('shows a customer with items of both roles, orders, surveys and lifetime revenue', async () => {
    await json(['customer', 'add', '--name', 'Lee Chen', '--email', 'lee@example.com', '--company', 'Acme']);
    await json(['order', 'add', '--customer', 'lee@example.com', '--amount', '120.50', '--date', '2026-01-10T10:00:00Z']);
    await json(['order', 'add', '--customer', 'lee@example.com', '--amount', '79.50']);
    const s = await json(['item', 'add', '--subject', 'Pre-sales question', '--customer', 'lee@example.com', '--kind', 'question']);
    await json(['item', 'add', '--subject', 'Broken export', '--customer', 'lee@example.com', '--kind', 'bug']);
    await json(['survey', 'add', '--kind', 'nps', '--score', '9', '--customer', 'lee@example.com', '--comment', 'great']);
    await json(['survey', 'add', '--kind', 'csat', '--score', '2', '--item', String(s.id)]);
    const h = await json(['customer', 'show', 'lee@example.com']);
    expect(h.customer).toMatchObject({ name: 'Lee Chen', company: 'Acme' });
    expect(h.lifetimeRevenue).toBe(200);
    expect(h.orderCount).toBe(2);
    expect(new Set(h.items.map((i: any) => i.role))).toEqual(new Set(['service', 'support']));
    expect(h.lastNps).toMatchObject({ score: 9, comment: 'great' });
    expect(h.lastCsat).toMatchObject({ score: 2, itemId: s.id });
    const item = await json(['item', 'show', String(s.id)]);
    expect(item.events.at(-1)).toMatchObject({ type: 'survey', author: { type: 'customer' }, data: { kind: 'csat', score: 2 } });
    const dup = await run(['customer', 'add', '--email', 'LEE@example.com']);
    expect(dup.code).toBe(4);
    const list = await json<any[]>(['customer', 'list', '--search', 'acme']);
    expect(list.map((c) => c.email)).toEqual(['lee@example.com']);
  });

  it('lists, adds and deactivates agents; a deactivated agent cannot be assigned', async () => {
    await json(['agent', 'add', 'temp', '--roles', 'support']);
    expect((await json<any[]>(['agent', 'list'])).map((a) => a.handle)).toContain('temp');
    expect(await json(['agent', 'deactivate', 'temp'])).toMatchObject({ active: false });
    expect((await json<any[]>(['agent', 'list'])).map((a) => a.handle)).not.toContain('temp');
    const item = await json(['item', 'add', '--subject', 'x', '--customer', 'x@example.com', '--kind', 'bug']);
    const r = await run(['item', 'assign', String(item.id), 'temp']);
    expect(r.code).toBe(5);
    expect(r.stderr).toMatch(/deactivated/);
    expect((await run(['agent', 'add', 'sam'])).code).toBe(4);
  });

  it('lists and changes SLA policies; new items take the new targets', async () => {
    const list = await json<any[]>(['sla', 'list']);
    expect(list).toHaveLength(8);
    expect(list.find((p) => p.role === 'support' && p.priority === 'urgent')).toMatchObject({ firstResponseMinutes: 60, resolutionMinutes: 480 });
    expect(await json(['sla', 'set', 'service', 'low', '--first-response', '90m', '--resolution', '2d'])).toMatchObject({ firstResponseMinutes: 90, resolutionMinutes: 2880 });
    const item = await json(['item', 'add', '--subject', 'Low prio', '--customer', 'lp@example.com', '--kind', 'question', '--priority', 'low']);
    expect(Date.parse(item.sla.firstResponseDueAt) - Date.parse(item.createdAt)).toBe(90 * 60_000);
    expect((await run(['sla', 'set', 'service', 'low', '--first-response', '3d', '--resolution', '1d'])).code).toBe(5);
    expect((await run(['sla', 'set', 'sales', 'low', '--resolution', '1d'])).code).toBe(5);
  });

  it('prints shell completion for bash and zsh that names the subcommands', async () => {
    const bash = await runTandem(['completion', 'bash']);
    expect(bash.code).toBe(0);
    expect(bash.stdout).toMatch(/complete -F _tandem tandem/);
    expect(bash.stdout).toMatch(/inbox/);
    expect(bash.stdout).toMatch(/item__reply/);
    expect((await runTandem(['completion', 'fish'])).code).toBe(2);
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
