// Helpdesk and complaint exports as a new user brings them, through the binary: column detection by
// name and values, rows without a requester, --map FIELD= to switch a column off, --inspect, text
// encodings, missing-value spellings, and a fallback identity that never merges distinct rows.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runJson, runTandem } from '../helpers/cli-inproc.js';
import { tempDir } from '../helpers/core.js';
import { newDatabase } from '../helpers/store-target.js';

const FIXTURES = path.resolve(import.meta.dirname, '../fixtures/csv');
const fixture = (name: string) => path.join(FIXTURES, name);
let dir: string;
let db: string;

beforeEach(async () => {
  dir = tempDir();
  db = await newDatabase('tandem');
  await runTandem(['init', '--handle', 'sam', '--name', 'Sam Rivera'], { db });
  await runJson(['agent', 'add', 'cleo', '--name', 'Cleo Martin', '--roles', 'support'], { db, as: 'sam' });
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const items = async () => runJson<any[]>(['inbox', '--status', 'all', '--limit', '100'], { db, as: 'sam' });
const show = async (id: number) => runJson(['item', 'show', String(id)], { db, as: 'sam' });
/** Every imported item by its external id, from one `tandem export`. */
const exported = async () => {
  const r = await runTandem(['export'], { db, as: 'sam' });
  return r.stdout
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
};
const byExternal = async (ext: string) => {
  const lines = await exported();
  const item = lines.find((l) => l.type === 'item' && l.externalId === ext);
  if (!item) throw new Error(`no item ${ext}`);
  return show(item.id);
};

describe('CSV exports from helpdesks and complaint datasets', () => {
  it('a complaints file with no requester column imports under one "Unknown requester", counted in the report; "State" (PA, NY) is no status', async () => {
    const report = await runJson(['import', fixture('cfpb-complaints.csv'), '--as', 'sam'], { db });
    expect(report.added.item).toBe(3);
    expect(Object.values(report.flagged)).toEqual([3]);
    const customers = await runJson<any[]>(['customer', 'list'], { db, as: 'sam' });
    expect(customers.map((c) => c.name)).toEqual(['Unknown requester']);
    const mortgage = await byExternal('7012346');
    expect(mortgage.subject).toBe('Trouble during payment process');
    expect(mortgage.status).toBe('new'); // not "NY"
    expect(mortgage.createdAt).toBe('2023-05-10T00:00:00.000Z');
    expect(mortgage.channel).toBe('web');
    expect((await byExternal('7012347')).channel).toBe('phone');
    // The text report says it too.
    const again = await runTandem(['import', fixture('cfpb-complaints.csv'), '--dry-run', '--id-prefix', 'x:'], { db, as: 'sam' });
    expect(again.stderr).toMatch(/imported with a caveat: 3 × row without a requester/);
  });

  it('a flag of another format is a usage error, not silently ignored', async () => {
    const r = await runTandem(['import', fixture('zendesk.csv'), '--kind', 'nps'], { db, as: 'sam' });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--kind is for --format surveys, not csv/);
    expect(
      (await runTandem(['import', '--format', 'orders', fixture('zendesk.csv'), '--customer', 'a@b.co'], { db, as: 'sam' })).stderr,
    ).toMatch(/--customer is for --format csv/);
  });

  it('--customer EMAIL takes the rows that name nobody', async () => {
    await runJson(['import', fixture('cfpb-complaints.csv'), '--customer', 'Complaints@Bank.example'], { db, as: 'sam' });
    const customers = await runJson<any[]>(['customer', 'list'], { db, as: 'sam' });
    expect(customers.map((c) => c.email)).toEqual(['complaints@bank.example']);
  });

  it('without an id column, identical rows stay distinct items, NA is missing, and a re-import adds nothing', async () => {
    const first = await runJson(['import', fixture('no-id-complaints.csv')], { db, as: 'sam' });
    expect(first.added.item).toBe(4);
    const again = await runJson(['import', fixture('no-id-complaints.csv')], { db, as: 'sam' });
    expect(again.added).toEqual({});
    expect(again.unchanged.item).toBe(4);
    const list = await items();
    expect(list.filter((i) => i.subject === 'Late fee charged twice')).toHaveLength(3);
    const late = await show(list.find((i) => i.subject === 'Late fee charged twice')!.id);
    expect(late.events[0].body).toBeNull(); // "NA" is no narrative
  });

  it('--map FIELD= switches a detected column off', async () => {
    const r = await runJson(['import', fixture('helpscout.csv'), '--map', 'status=', '--map', 'assignee='], { db, as: 'sam' });
    expect(r.added.item).toBe(3);
    for (const it of await items()) {
      expect(it.status).toBe('new');
      expect(it.assignee).toBeNull();
    }
  });

  it('--inspect shows which column feeds which field with a sample, and writes nothing', async () => {
    const fresh = path.join(dir, 'never.db');
    const r = await runJson(['import', fixture('cfpb-complaints.csv'), '--inspect'], { db: fresh });
    expect(fs.existsSync(fresh)).toBe(false);
    const field = (f: string) => r.fields.find((x: any) => x.field === f);
    expect(field('createdAt')).toMatchObject({ column: 'Date received', sample: '2023-05-10', sampleLine: 2 });
    expect(field('externalId').column).toBe('Complaint ID');
    expect(field('status').column).toBeNull();
    expect(r.passedOver).toContainEqual(expect.objectContaining({ column: 'State', field: 'status' }));
    expect(r.unused).toContain('ZIP code');
    expect(r.notes).toContainEqual(expect.stringMatching(/No requester column: every row imports under "Unknown requester"/));
    const text = await runTandem(['import', fixture('cfpb-complaints.csv'), '--inspect', '--map', 'tags='], { db: fresh });
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/tags\t\(off: --map tags=\)/);
    expect(text.stdout).toMatch(/Passed over: State for status \(values like "PA", "NY", "CA" are not statuses\)/);
  });

  it('a Windows-1252 file is refused with the likely encoding, and --encoding reads it right', async () => {
    const file = path.join(dir, 'excel.csv');
    const text = 'id,subject,email,created\n1,Caf\u00e9 order \u2019late\u2019 \u20ac12,jo@example.com,2024-01-02\n';
    const cp1252: Record<string, number> = { '\u00e9': 0xe9, '\u2019': 0x92, '\u20ac': 0x80 };
    fs.writeFileSync(file, Buffer.from([...text].map((ch) => cp1252[ch] ?? ch.charCodeAt(0))));
    const refused = await runTandem(['import', file], { db, as: 'sam' });
    expect(refused.code).toBe(5);
    expect(refused.stderr).toMatch(/excel\.csv:2: not UTF-8 .*likely windows-1252.*Café order ’late’ €12.*--encoding windows-1252/);
    expect((await items()).length).toBe(0);
    await runJson(['import', file, '--encoding', 'windows-1252'], { db, as: 'sam' });
    expect((await items())[0].subject).toBe('Caf\u00e9 order \u2019late\u2019 \u20ac12');
  });

  it('reads Latin-1 with --encoding latin1, and a BOM’d UTF-16 file by itself', async () => {
    const latin = path.join(dir, 'latin.csv');
    fs.writeFileSync(latin, Buffer.from('id,subject,email,created\n9,Se\u00f1or M\u00fcller,jo@example.com,2024-01-02\n', 'latin1'));
    await runJson(['import', latin, '--encoding', 'latin1'], { db, as: 'sam' });
    const utf16 = path.join(dir, 'utf16.csv');
    fs.writeFileSync(
      utf16,
      Buffer.concat([
        Buffer.from([0xff, 0xfe]),
        Buffer.from('id,subject,email,created\n10,\u65e5\u672c\u8a9e,jo@example.com,2024-01-03\n', 'utf16le'),
      ]),
    );
    await runJson(['import', utf16], { db, as: 'sam' });
    expect((await items()).map((i) => i.subject).sort()).toEqual(['Se\u00f1or M\u00fcller', '\u65e5\u672c\u8a9e']);
    const bad = await runTandem(['import', latin, '--encoding', 'klingon'], { db, as: 'sam' });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/unknown encoding "klingon"/);
  });

  it('Help Scout, Jira Service Management, Zammad and osTicket exports import with their own column names and values', async () => {
    for (const f of ['helpscout.csv', 'jira-sm.csv', 'zammad.csv', 'osticket.csv']) {
      const r = await runTandem(['import', fixture(f), '--json'], { db, as: 'sam' });
      expect(r.code, `${f}: ${r.stderr}`).toBe(0);
    }
    const hs = await byExternal('48211');
    expect(hs).toMatchObject({
      status: 'open',
      channel: 'email',
      assignee: 'cleo',
      tags: ['billing', 'invoice'],
      createdAt: '2024-02-05T14:02:11.000Z',
    });
    expect((await byExternal('48212')).channel).toBe('chat');
    const vpn = await byExternal('ITSM-101');
    expect(vpn).toMatchObject({ status: 'open', priority: 'urgent', kind: 'bug', createdAt: '2017-10-11T06:55:00.000Z' });
    expect(vpn.customer.name).toBe('Pat Lee');
    const laptop = await byExternal('ITSM-102');
    expect(laptop).toMatchObject({ status: 'resolved', resolvedAt: '2017-10-14T16:00:00.000Z', priority: 'normal' });
    const printer = await byExternal('31001');
    expect(printer).toMatchObject({ status: 'pending', priority: 'high', assignee: 'cleo' });
    expect((await byExternal('31003')).status).toBe('closed');
    // Ola Hansen, known only by name, is one customer for both of her tickets.
    expect((await byExternal('31002')).customer.id).toBe((await byExternal('31003')).customer.id);
    const os = await byExternal('500124');
    expect(os).toMatchObject({ status: 'resolved', priority: 'high', channel: 'email' });
    expect(os.customer.email).toBe('alan@example.com');
    expect((await byExternal('500123')).assignee).toBe('sam');
  });
});
