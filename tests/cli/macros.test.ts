// Macros and saved views through the binary: saving (and refusing) templates, preview and dry run
// writing nothing, apply as one change with its events, refusals, export/import, views and inbox --view.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runJson, runTandem } from '../helpers/cli-inproc.js';
import { tempDir } from '../helpers/core.js';
import { newDatabase } from '../helpers/store-target.js';

let dir: string;
let db: string;
const run = (args: string[], opts: { as?: string; input?: string } = {}) =>
  runTandem(args, { db, as: opts.as ?? 'sam', input: opts.input });
const json = <T = any>(args: string[], opts: { as?: string; input?: string } = {}) =>
  runJson<T>(args, { db, as: opts.as ?? 'sam', input: opts.input });

let jo: number; // Jo Park, with an order
let anon: number; // a customer known only by email, no orders
beforeAll(async () => {
  dir = tempDir();
  db = await newDatabase('m');
  expect((await runTandem(['init', '--handle', 'sam', '--name', 'Sam Rivera'], { db })).code).toBe(0);
  await json(['agent', 'add', 'ana', '--roles', 'service', '--name', 'Ana Lopez']);
  jo = (
    await json([
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
      'Two charges',
    ])
  ).id;
  await json(['order', 'add', '--customer', 'jo@example.com', '--amount', '49', '--reference', 'A-1001', '--date', '2026-01-02']);
  await json(['order', 'add', '--customer', 'jo@example.com', '--amount', '19', '--reference', 'A-1002', '--date', '2026-02-02']);
  anon = (
    await json(['item', 'add', '--subject', 'Parcel late', '--customer', 'x92@example.com', '--kind', 'delivery', '--body', 'Where is it'])
  ).id;
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const REFUND =
  'Hi {{ customer.first_name | default: "there" }},\n\nthe refund for order {{ customer.last_order.reference | default: "of yours" }} is on its way (#{{ item.id }}).\n{{ agent.first_name }}';

describe('saving macros', () => {
  it('saves a reply template with actions, and lists and shows it', async () => {
    const m = await json(
      [
        'macro',
        'add',
        'refund-sent',
        '--body',
        '-',
        '--set',
        'status=pending',
        '--set',
        'priority=high',
        '--tag',
        'refund',
        '--assign',
        'me',
        '--role',
        'support',
      ],
      { input: REFUND + '\n' },
    );
    expect(m).toMatchObject({
      name: 'refund-sent',
      kind: 'reply',
      role: 'support',
      actions: { status: 'pending', priority: 'high', tags: ['refund'], assign: 'me' },
    });
    expect(m.body).toBe(REFUND); // the trailing newline of stdin is not part of the text
    expect((await json(['macro', 'list'])).map((x: any) => x.name)).toContain('refund-sent');
    const shown = await run(['macro', 'show', 'REFUND-SENT']);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toContain('{{ customer.last_order.reference | default: "of yours" }}');
  });

  it('refuses an unknown placeholder when saving (exit 5), naming it, and saves nothing', async () => {
    const r = await run(['macro', 'add', 'nick', '--body', 'Hi {{ customer.nickname }}']);
    expect(r.code).toBe(5);
    expect(r.stderr).toMatch(/unknown placeholder \{\{ customer\.nickname \}\}/);
    expect((await run(['macro', 'show', 'nick'])).code).toBe(3);
  });

  it('refuses tags that could read files, unknown filters, broken templates and empty defaults', async () => {
    for (const body of [
      '{% include "/etc/passwd" %}',
      '{% render "x" %}',
      '{% layout "x" %}Hi',
      'Hi {{ customer.name | shout }}',
      'Hi {{ customer.name',
      'Hi {{ customer.name | default: "" }}',
      'Hi {{ customer.name | default: customer.email }}',
      'Hi {{ "x" | append: customer.first_name }}',
      'Hi {{ customer["secret"] }}',
      'Hi {{ customer }}',
    ]) {
      const r = await run(['macro', 'add', 'evil', '--body', body]);
      expect(r.code, body).toBe(5);
      expect(r.stderr, body).toMatch(/^tandem: /);
    }
    expect((await run(['macro', 'show', 'evil'])).code).toBe(3);
  });

  it('refuses a duplicate name (exit 4), bad actions (5) and an unknown agent (3)', async () => {
    expect((await run(['macro', 'add', 'refund-sent', '--body', 'x'])).code).toBe(4);
    expect((await run(['macro', 'add', 'x1', '--body', 'x', '--set', 'status=escalated'])).code).toBe(5);
    expect((await run(['macro', 'add', 'x2', '--body', 'x', '--set', 'colour=red'])).code).toBe(5);
    expect((await run(['macro', 'add', 'has space', '--body', 'x'])).code).toBe(5);
    expect((await run(['macro', 'add', 'x3', '--body', '   '])).code).toBe(5);
    expect((await run(['macro', 'add', 'x4', '--body', 'x', '--assign', 'ghost'])).code).toBe(3);
  });

  it('edits only what is given, and removes', async () => {
    await json(['macro', 'add', 'temp', '--body', 'Hello', '--set', 'status=resolved', '--tag', 'a']);
    const e = await json(['macro', 'edit', 'temp', '--note', '--tag', 'b', '--name', 'temp2']);
    expect(e).toMatchObject({ name: 'temp2', kind: 'note', body: 'Hello', actions: { status: 'resolved', tags: ['a', 'b'] } });
    const cleared = await json(['macro', 'edit', 'temp2', '--clear-actions', '--set', 'priority=low']);
    expect(cleared.actions).toEqual({ priority: 'low' });
    expect((await run(['macro', 'edit', 'temp2', '--body', 'Hi {{ agent.nickname }}'])).code).toBe(5);
    expect((await json(['macro', 'show', 'temp2'])).body).toBe('Hello');
    expect((await run(['macro', 'remove', 'temp2'])).code).toBe(0);
    expect((await run(['macro', 'remove', 'temp2'])).code).toBe(3);
  });
});

describe('preview, dry run and apply', () => {
  it('preview prints the text filled in and the changes, and writes nothing', async () => {
    const before = await json(['item', 'show', String(jo)]);
    const r = await run(['macro', 'preview', 'refund-sent', String(jo)]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Hi Jo,');
    expect(r.stdout).toContain('the refund for order A-1002 is on its way (#' + jo + ').');
    expect(r.stdout).toContain('Sam');
    expect(r.stdout).toMatch(/status new → pending/);
    expect(r.stdout).toMatch(/priority normal → high/);
    const dry = await json(['macro', 'apply', 'refund-sent', String(jo), '--dry-run']);
    expect(dry).toMatchObject({ written: false, dryRun: true, kind: 'reply' });
    expect(dry.events.map((e: any) => e.type)).toEqual(['reply', 'status', 'priority', 'assign', 'tag']);
    const after = await json(['item', 'show', String(jo)]);
    expect(after.version).toBe(before.version);
    expect(after.events).toHaveLength(before.events.length);
  });

  it('applies the message and every action as one change: one version, its events, one transaction', async () => {
    const before = await json(['item', 'show', String(jo)]);
    const out = await json(['macro', 'apply', 'refund-sent', String(jo), '--if-version', String(before.version)]);
    expect(out.written).toBe(true);
    const after = await json(['item', 'show', String(jo)]);
    expect(after).toMatchObject({ status: 'pending', priority: 'high', assignee: 'sam', tags: ['refund'], version: before.version + 1 });
    const added = after.events.slice(before.events.length);
    expect(added.map((e: any) => e.type)).toEqual(['reply', 'status', 'priority', 'assign', 'tag']);
    expect(new Set(added.map((e: any) => e.version))).toEqual(new Set([before.version + 1]));
    expect(added[0].body).toBe(`Hi Jo,\n\nthe refund for order A-1002 is on its way (#${jo}).\nSam`);
    expect(added[0].data).toEqual({ macro: 'refund-sent' });
    expect(after.firstResponseAt).not.toBeNull(); // a macro's reply is a response like any other
    expect((await run(['item', 'show', String(jo)])).stdout).toMatch(/@sam replied with macro refund-sent/);
  });

  it('takes --tag repeated or comma-separated, as its help says', async () => {
    const m = await json(['macro', 'add', 'tagged', '--body', 'Hello', '--tag', 'vip,refund', '--tag', 'late']);
    expect(m.actions.tags).toEqual(['vip', 'refund', 'late']);
    await run(['macro', 'remove', 'tagged']);
  });

  it('previews a takeover only with --force, as apply does, and writes nothing either way', async () => {
    await json(['agent', 'add', 'dev', '--roles', 'support', '--name', 'Dev Patel']);
    const held = (
      await json([
        'item',
        'add',
        '--subject',
        'Refund missing',
        '--customer',
        'jo@example.com',
        '--kind',
        'billing',
        '--body',
        'Still waiting',
        '--assign',
        'dev',
      ])
    ).id;
    const refused = await run(['macro', 'preview', 'refund-sent', String(held)]);
    expect(refused.code).toBe(4);
    expect(refused.stderr).toMatch(/@dev/);
    const forced = await json(['macro', 'preview', 'refund-sent', String(held), '--force']);
    expect(forced).toMatchObject({ written: false });
    expect(forced.events.map((e: any) => e.type)).toContain('assign');
    const after = await json(['item', 'show', String(held)]);
    expect(after).toMatchObject({ assignee: 'dev', version: 1 });
  });

  it('refuses an empty value without a default at apply time, naming the field, and writes nothing', async () => {
    await json(['macro', 'add', 'greet', '--body', 'Hi {{ customer.first_name }}, about {{ item.subject }}', '--set', 'status=pending']);
    const before = await json(['item', 'show', String(anon)]);
    const r = await run(['macro', 'apply', 'greet', String(anon)]);
    expect(r.code).toBe(5);
    // The customer is known only by email: no first name to greet, never "Hi x92,".
    expect(r.stderr).toMatch(/\{\{ customer\.first_name \}\} is empty for item #\d+/);
    expect((await run(['macro', 'preview', 'greet', String(anon)])).code).toBe(5);
    const after = await json(['item', 'show', String(anon)]);
    expect(after.version).toBe(before.version);
    expect(after.status).toBe('new');
    // With a default, the same customer is greeted with it.
    await json(['macro', 'edit', 'greet', '--body', 'Hi {{ customer.first_name | default: "there" }}, about {{ item.subject }}']);
    const ok = await json(['macro', 'apply', 'greet', String(anon)]);
    expect(ok.text).toBe('Hi there, about Parcel late');
  });

  it('refuses a stale --if-version (exit 4), a macro for the other role (4), an unknown macro (3)', async () => {
    const item = await json(['item', 'show', String(anon)]);
    const stale = await run(['macro', 'apply', 'greet', String(anon), '--if-version', String(item.version - 1)]);
    expect(stale.code).toBe(4);
    const svc = await json(['item', 'add', '--subject', 'Plans?', '--customer', 'jo@example.com', '--kind', 'question']);
    const wrong = await run(['macro', 'apply', 'refund-sent', String(svc.id)]);
    expect(wrong.code).toBe(4);
    expect(wrong.stderr).toMatch(/for support items/);
    expect((await run(['macro', 'apply', 'nope', String(svc.id)])).code).toBe(3);
    expect((await json(['item', 'show', String(svc.id)])).version).toBe(1);
  });

  it('a refused action refuses the whole macro: the reply is not sent either', async () => {
    await json([
      'macro',
      'add',
      'close-it',
      '--body',
      'Closing this, {{ customer.first_name | default: "friend" }}.',
      '--set',
      'status=closed',
      '--assign',
      'ana',
    ]);
    const item = await json(['item', 'add', '--subject', 'Bug', '--customer', 'jo@example.com', '--kind', 'bug']);
    // @ana does not work support: the assignment is refused, so nothing at all is written.
    const r = await run(['macro', 'apply', 'close-it', String(item.id)]);
    expect(r.code).toBe(4);
    const after = await json(['item', 'show', String(item.id)]);
    expect(after.version).toBe(1);
    expect(after.events.map((e: any) => e.type)).toEqual(['created']);
  });

  it('a note macro adds an internal note, not a reply', async () => {
    await json(['macro', 'add', 'called', '--note', '--body', 'Called {{ customer.name }}, left a voicemail.', '--tag', 'called']);
    const out = await json(['macro', 'apply', 'called', String(jo)]);
    expect(out.events.map((e: any) => e.type)).toEqual(['note', 'tag']);
    const shown = await json(['item', 'show', String(jo)]);
    expect(shown.events.at(-2)).toMatchObject({ type: 'note', body: 'Called Jo Park, left a voicemail.' });
  });
});

describe('export and import', () => {
  it('macros and views go into the JSONL export and come back on import, byte for byte', async () => {
    await json(['view', 'add', 'exported', '--role', 'support', '--status', 'open,pending', '--sort', 'priority']);
    const file = path.join(dir, 'backup.jsonl');
    expect((await run(['export', '-o', file])).code).toBe(0);
    const lines = fs
      .readFileSync(file, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.filter((l) => l.type === 'macro').map((l) => l.name)).toEqual(expect.arrayContaining(['refund-sent', 'greet', 'called']));
    const copy = await newDatabase('copy');
    const imp = await runTandem(['import', file, '--json'], { db: copy });
    expect(imp.code).toBe(0);
    expect(JSON.parse(imp.stdout).added).toMatchObject({ macro: 4, view: 1 });
    expect((await runJson(['db', 'info'], { db: copy })).counts).toMatchObject({ macros: 4, views: 1 });
    const again = await runTandem(['export'], { db: copy });
    expect(again.stdout).toBe(fs.readFileSync(file, 'utf8'));
    // The imported macro works in the copy.
    const preview = await runTandem(['macro', 'preview', 'refund-sent', String(jo)], { db: copy, as: 'sam' });
    expect(preview.stdout).toContain('Hi Jo,');
    // Importing again changes nothing.
    const twice = JSON.parse((await runTandem(['import', file, '--json'], { db: copy })).stdout);
    expect(twice.unchanged).toMatchObject({ macro: 4, view: 1 });
    // New macros and views get ids after the imported ones (PostgreSQL's sequences moved past them).
    expect((await runTandem(['macro', 'add', 'after-import', '--body', 'Thanks!'], { db: copy, as: 'sam' })).code).toBe(0);
    expect((await runTandem(['view', 'add', 'after-import', '--status', 'pending'], { db: copy, as: 'sam' })).code).toBe(0);
  });

  it('an exported macro with an unknown placeholder is a bad record, and nothing is imported', async () => {
    const file = path.join(dir, 'bad.jsonl');
    const good = fs.readFileSync(path.join(dir, 'backup.jsonl'), 'utf8').split('\n');
    const bad = good.map((l) =>
      l.includes('"type":"macro"') && l.includes('"greet"') ? l.replace('customer.first_name', 'customer.secret') : l,
    );
    fs.writeFileSync(file, bad.join('\n'));
    const r = await runTandem(['import', file, '--json'], { db: await newDatabase('empty') });
    expect(r.code).toBe(5);
    expect(JSON.parse(r.stdout).problems[0].reason).toMatch(/unknown placeholder \{\{ customer\.secret \}\}/);
  });
});

describe('saved views', () => {
  it('saves the inbox flags as a view; inbox --view shows the same items as the flags', async () => {
    const v = await json(['view', 'add', 'my-support', '--role', 'support', '--assignee', 'me', '--sort', 'newest']);
    expect(v.filter).toEqual({ role: 'support', assignee: 'me', sort: 'newest' });
    const viaView = await json(['inbox', '--view', 'my-support']);
    const viaFlags = await json(['inbox', '--role', 'support', '--assignee', 'me', '--sort', 'newest']);
    expect(viaView.map((i: any) => i.id)).toEqual(viaFlags.map((i: any) => i.id));
    expect(viaView.length).toBeGreaterThan(0);
    // 'me' is whoever looks: @ana holds nothing.
    expect(await json(['inbox', '--view', 'my-support'], { as: 'ana' })).toEqual([]);
    // Flags refine a view.
    const refined = await json(['inbox', '--view', 'my-support', '--status', 'all', '--priority', 'high']);
    expect(refined.every((i: any) => i.priority === 'high' && i.role === 'support')).toBe(true);
  });

  it('lists views with keys and counts, refuses bad filters and duplicates, and removes', async () => {
    const list = await json(['view', 'list']);
    const mine = list.find((x: any) => x.name === 'my-support');
    expect(mine.key).toMatch(/^[4-9]$/);
    expect(mine.count).toBe((await json(['inbox', '--role', 'support', '--assignee', 'me', '--count'])).count);
    expect((await run(['view', 'add', 'my-support', '--role', 'service'])).code).toBe(4);
    expect((await json(['view', 'add', 'my-support', '--role', 'service', '--replace'])).filter).toEqual({ role: 'service' });
    expect((await run(['view', 'add', 'x', '--status', 'frozen'])).code).toBe(5);
    expect((await run(['view', 'add', 'x', '--assignee', 'ghost'])).code).toBe(3);
    expect((await run(['view', 'add', 'x', '--sort', 'random'])).code).toBe(2);
    expect((await run(['inbox', '--view', 'nope'])).code).toBe(3);
    expect((await run(['view', 'remove', 'my-support'])).code).toBe(0);
    expect((await run(['inbox', '--view', 'my-support'])).code).toBe(3);
  });
});
