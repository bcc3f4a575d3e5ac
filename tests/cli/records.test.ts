// The CLI's records in-process (tests/helpers/cli-inproc.ts): inbox filters and sorts, version and
// assignment conflicts, customers, orders, surveys, agents and SLA policies, through main() and a real store.
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runJson, runTandem } from '../helpers/cli-inproc.js';
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

describe('the inbox and item conflicts', () => {
  it('filters the inbox by role, status, assignee, priority, tag, customer and breach', async () => {
    const a = await json([
      'item',
      'add',
      '--subject',
      'Filter A',
      '--customer',
      'fa@example.com',
      '--kind',
      'question',
      '--priority',
      'urgent',
      '--tag',
      'alpha',
    ]);
    const b = await json(['item', 'add', '--subject', 'Filter B', '--customer', 'fb@example.com', '--kind', 'bug', '--assign', 'cleo']);
    const ids = async (args: string[]) => (await json<any[]>(['inbox', ...args])).map((i) => i.id);
    expect(await ids(['--role', 'service'])).toContain(a.id);
    expect(await ids(['--role', 'service'])).not.toContain(b.id);
    expect(await ids(['--assignee', 'cleo'])).toEqual([b.id]);
    expect(await ids(['--assignee', 'me'])).not.toContain(b.id);
    expect(await ids(['--priority', 'urgent'])).toContain(a.id);
    expect(await ids(['--priority', 'urgent'])).not.toContain(b.id);
    expect(await ids(['--tag', 'alpha'])).toEqual([a.id]);
    expect(await ids(['--customer', 'fb@example.com'])).toEqual([b.id]);
    expect(await ids(['--breached'])).not.toContain(a.id);
    expect((await json(['inbox', '--count', '--tag', 'alpha'])).count).toBe(1);
  });

  it('sorts the inbox by due time, priority, newest and oldest', async () => {
    const low = await json([
      'item',
      'add',
      '--subject',
      'Sort low',
      '--customer',
      'sort@example.com',
      '--kind',
      'bug',
      '--priority',
      'low',
      '--tag',
      'sorting',
    ]);
    const urgent = await json([
      'item',
      'add',
      '--subject',
      'Sort urgent',
      '--customer',
      'sort@example.com',
      '--kind',
      'bug',
      '--priority',
      'urgent',
      '--tag',
      'sorting',
    ]);
    const normal = await json([
      'item',
      'add',
      '--subject',
      'Sort normal',
      '--customer',
      'sort@example.com',
      '--kind',
      'bug',
      '--tag',
      'sorting',
    ]);
    const order = async (sort: string) => (await json<any[]>(['inbox', '--tag', 'sorting', '--sort', sort])).map((i) => i.id);
    // Due: urgent's targets come first (1 h), then normal (8 h), then low (1 d).
    expect(await order('due')).toEqual([urgent.id, normal.id, low.id]);
    expect(await order('priority')).toEqual([urgent.id, normal.id, low.id]);
    expect(await order('newest')).toEqual([normal.id, urgent.id, low.id]);
    expect(await order('oldest')).toEqual([low.id, urgent.id, normal.id]);
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

  it("refuses taking someone else's item without --force (collision)", async () => {
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
    expect(list.find((p) => p.role === 'support' && p.priority === 'urgent')).toMatchObject({
      firstResponseMinutes: 60,
      resolutionMinutes: 480,
    });
    expect(await json(['sla', 'set', 'service', 'low', '--first-response', '90m', '--resolution', '2d'])).toMatchObject({
      firstResponseMinutes: 90,
      resolutionMinutes: 2880,
    });
    const item = await json([
      'item',
      'add',
      '--subject',
      'Low prio',
      '--customer',
      'lp@example.com',
      '--kind',
      'question',
      '--priority',
      'low',
    ]);
    expect(Date.parse(item.sla.firstResponseDueAt) - Date.parse(item.createdAt)).toBe(90 * 60_000);
    expect((await run(['sla', 'set', 'service', 'low', '--first-response', '3d', '--resolution', '1d'])).code).toBe(5);
    expect((await run(['sla', 'set', 'sales', 'low', '--resolution', '1d'])).code).toBe(5);
  });
});
