// JSONL export and import through the built binary: the round trip, dry runs, bad records, re-imports.
import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { runJson, runTandem } from '../helpers/cli-inproc.js';
import { tempDir } from '../helpers/core.js';
import { cloneDatabase, newDatabase, withStore } from '../helpers/store-target.js';

let dir: string;
let demoDb: string;
let exportFile: string;

const rows = (db: string, sqlText: string): Promise<unknown[]> => withStore(db, async (s) => (await sql.raw(sqlText).execute(s.db)).rows);
const count = async (db: string, table: string) => Number(((await rows(db, `select count(*) as n from ${table}`))[0] as { n: number }).n);

beforeAll(async () => {
  dir = tempDir('tandem-jsonl-');
  demoDb = await newDatabase('demo');
  exportFile = path.join(dir, 'demo.jsonl');
  const demo = await runTandem(['demo', '--items', '400', '--now', '2026-03-01T00:00:00Z', '--quiet'], { db: demoDb });
  expect(demo.code).toBe(0);
  const exp = await runTandem(['export', '-o', exportFile], { db: demoDb });
  expect(exp.code, exp.stderr).toBe(0);
});

/** Write a copy of the export with one line changed. */
function exportWith(name: string, change: (lines: string[]) => void): string {
  const lines = fs.readFileSync(exportFile, 'utf8').split('\n');
  change(lines);
  const file = path.join(dir, name);
  fs.writeFileSync(file, lines.join('\n'));
  return file;
}
const itemLine = (lines: string[], nth = 0) =>
  lines.map((l, i) => [l, i] as const).filter(([l]) => l.startsWith('{"type":"item"'))[nth]![1];

describe('tandem export / import (JSONL)', () => {
  it('round-trips a database: import into an empty one, export again, byte for byte the same', async () => {
    const db = await newDatabase('copy');
    const imp = await runTandem(['import', exportFile, '--json'], { db });
    expect(imp.code, imp.stderr).toBe(0);
    const report = JSON.parse(imp.stdout);
    expect(report.added.item).toBe(await count(demoDb, 'items'));
    expect(report.added.event).toBe(await count(demoDb, 'events'));
    const again = await runTandem(['export'], { db });
    expect(again.code).toBe(0);
    expect(again.stdout).toBe(fs.readFileSync(exportFile, 'utf8'));
    // Same rows, same ids: so every KPI computed from them is the same.
    for (const table of ['items', 'events', 'item_tags', 'customers', 'orders', 'agents', 'escalations', 'surveys', 'sla_policies']) {
      expect(await rows(db, `select * from ${table} order by 1, 2`), table).toEqual(
        await rows(demoDb, `select * from ${table} order by 1, 2`),
      );
    }
    // Imported events are searchable like any others.
    const hits = async (file: string) =>
      (await runJson(['inbox', '--search', 'screenshot', '--status', 'all'], { db: file, as: 'sam' })).map((i: { id: number }) => i.id);
    expect((await hits(db)).length).toBeGreaterThan(0);
    expect(await hits(db)).toEqual(await hits(demoDb));
  });

  it('re-importing the same export adds nothing', async () => {
    const db = await newDatabase('twice');
    expect((await runTandem(['import', exportFile], { db })).code).toBe(0);
    const second = await runTandem(['import', exportFile, '--json'], { db });
    expect(second.code).toBe(0);
    const report = JSON.parse(second.stdout);
    expect(report.added).toEqual({});
    expect(report.unchanged.item).toBe(await count(demoDb, 'items'));
    expect(await count(db, 'events')).toBe(await count(demoDb, 'events'));
  });

  it('a dry run counts what it would add and writes nothing', async () => {
    const db = await newDatabase('dry');
    const r = await runTandem(['import', exportFile, '--dry-run', '--json'], { db });
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.dryRun).toBe(true);
    expect(report.written).toBe(false);
    expect(report.added.item).toBe(await count(demoDb, 'items'));
    expect(await count(db, 'items')).toBe(0);
    expect(await count(db, 'customers')).toBe(0);
    // The search triggers lifted for the load are back: later messages are still found.
    expect((await runTandem(['init', '--handle', 'sam'], { db })).code).toBe(0);
    await runJson(['item', 'add', '--subject', 'Zebra crossing', '--customer', 'z@example.com', '--body', 'Quagga sighting'], {
      db,
      as: 'sam',
    });
    expect(await runJson(['inbox', '--search', 'quagga'], { db, as: 'sam' })).toHaveLength(1);
  });

  it('one bad record refuses the whole file, naming the line and the reason', async () => {
    let bad = 0;
    const file = exportWith('bad.jsonl', (lines) => {
      bad = itemLine(lines, 3);
      lines[bad] = lines[bad]!.replace(/"status":"[a-z]+"/, '"status":"on-fire"');
    });
    const db = await newDatabase('bad');
    const r = await runTandem(['import', file], { db });
    expect(r.code).toBe(5);
    expect(r.stderr).toContain(`bad.jsonl:${bad + 1}: "status" must be one of`);
    expect(r.stderr).toContain('nothing was written');
    expect(await count(db, 'items')).toBe(0);
    expect(await count(db, 'agents')).toBe(0);
  });

  it('--skip-invalid imports the rest and lists what it skipped', async () => {
    let bad = 0;
    const file = exportWith('skip.jsonl', (lines) => {
      bad = itemLine(lines, 5);
      const rec = JSON.parse(lines[bad]!);
      rec.events[0].type = 'reply'; // an item must open with its 'created' event
      lines[bad] = JSON.stringify(rec);
    });
    const db = await newDatabase('skip');
    const r = await runTandem(['import', file, '--skip-invalid', '--json'], { db });
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.problems).toEqual([expect.objectContaining({ line: bad + 1, reason: expect.stringContaining('"created" event') })]);
    // The skipped item's escalation or surveys may go with it; everything else is there.
    expect(await count(db, 'items')).toBe((await count(demoDb, 'items')) - 1);
    const skippedId = JSON.parse(fs.readFileSync(file, 'utf8').split('\n')[bad]!).id;
    expect(await rows(db, `select id from items where id = ${skippedId}`)).toEqual([]);
    expect(await rows(db, `select id from events where item_id = ${skippedId}`)).toEqual([]);
  });

  it('a truncated file is refused with a clear error and exit code 5', async () => {
    const text = fs.readFileSync(exportFile, 'utf8');
    const file = path.join(dir, 'cut.jsonl');
    fs.writeFileSync(file, text.slice(0, Math.floor(text.length / 2)));
    const db = await newDatabase('cut');
    const r = await runTandem(['import', file], { db });
    expect(r.code).toBe(5);
    expect(r.stderr).toMatch(/cut off|truncated/);
    expect(await count(db, 'items')).toBe(0);
  });

  it('a file cut exactly at a line end is caught by the missing end record', async () => {
    const lines = fs.readFileSync(exportFile, 'utf8').split('\n');
    const file = path.join(dir, 'cut-at-line.jsonl');
    fs.writeFileSync(file, lines.slice(0, 50).join('\n') + '\n');
    const r = await runTandem(['import', file], { db: await newDatabase('cut2') });
    expect(r.code).toBe(5);
    expect(r.stderr).toContain('closing {"type":"end"} record');
  });

  it('a binary file is refused with a clear error and exit code 5', async () => {
    const file = path.join(dir, 'photo.jsonl');
    fs.writeFileSync(file, Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52]));
    const r = await runTandem(['import', file], { db: await newDatabase('bin') });
    expect(r.code).toBe(5);
    expect(r.stderr).toContain('binary');
  });

  it('bytes that are not UTF-8 are refused at their own line, and nothing is written', async () => {
    const lines = fs.readFileSync(exportFile, 'utf8').split('\n');
    const at = itemLine(lines, 5);
    const file = path.join(dir, 'latin1.jsonl');
    const bytes = lines.map((l, i) =>
      i === at ? Buffer.from(l.replace('"subject":"', '"subject":"Caf\u00e9 '), 'latin1') : Buffer.from(l),
    );
    fs.writeFileSync(file, Buffer.concat(bytes.flatMap((b) => [b, Buffer.from('\n')])));
    const db = await newDatabase('latin1');
    const r = await runTandem(['import', file], { db });
    expect(r.code).toBe(5);
    expect(r.stderr).toContain(`latin1.jsonl:${at + 1}: not valid UTF-8`);
    expect(await count(db, 'items')).toBe(0);
  });

  it('a later export brings changed items up to date (export --since)', async () => {
    const db = await newDatabase('sync');
    const src = await cloneDatabase(demoDb, 'sync-src');
    expect((await runTandem(['import', exportFile], { db })).code).toBe(0);
    const note = await runTandem(['item', 'note', '1', 'Called the customer back'], { db: src, as: 'sam' });
    expect(note.code, note.stderr).toBe(0);
    const delta = path.join(dir, 'delta.jsonl');
    const exp = await runTandem(['export', '--since', '2026-06-01T00:00:00Z', '-o', delta], { db: src });
    expect(exp.code, exp.stderr).toBe(0);
    const r = await runTandem(['import', delta, '--json'], { db });
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).updated.item).toBe(1);
    expect(await rows(db, 'select * from events where item_id = 1 order by id')).toEqual(
      await rows(src, 'select * from events where item_id = 1 order by id'),
    );
    expect(await rows(db, 'select * from items where id = 1')).toEqual(await rows(src, 'select * from items where id = 1'));
  });

  it('into a database that already has its own agents, agents are matched by handle and references follow', async () => {
    const db = await newDatabase('init');
    expect((await runTandem(['agent', 'add', 'root', '--roles', 'both'], { db })).code).toBe(0);
    expect((await runTandem(['agent', 'add', 'cleo', '--roles', 'support'], { db })).code).toBe(0);
    const r = await runTandem(['import', exportFile], { db });
    expect(r.code, r.stderr).toBe(0);
    const byHandle = (file: string) =>
      rows(file, `select i.id, a.handle from items i left join agents a on a.id = i.assignee_id order by i.id`);
    const authors = (file: string) =>
      rows(file, `select e.id, a.handle from events e left join agents a on a.id = e.author_agent_id order by e.id`);
    expect(await byHandle(db)).toEqual(await byHandle(demoDb));
    expect(await authors(db)).toEqual(await authors(demoDb));
  });
});
