// Many processes at once, and processes killed mid-write: nothing lost, nothing doubled, no corruption.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import BetterSqlite3 from 'better-sqlite3';
import { sql } from 'kysely';
import { openStore } from '../../src/store/open.js';
import { describe, expect, it } from 'vitest';
import { runJson, runTandem } from '../helpers/cli.js';
import { newDatabase, onPostgres } from '../helpers/store-target.js';

const WORKER = path.join(path.dirname(fileURLToPath(import.meta.url)), 'burst-worker.mjs');
const SIZE = { workers: Number(process.env.TANDEM_STRESS_WORKERS ?? 8), changes: Number(process.env.TANDEM_STRESS_CHANGES ?? 120) };

interface Ack {
  status: 'ok' | 'refused' | 'error';
  item: string;
  marker: string;
  version?: number;
  raw: string;
}

function parseAcks(text: string): Ack[] {
  return text
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const [status, item, marker, version] = line.split(' ');
      return { status: status as Ack['status'], item: item!, marker: marker!, version: version ? Number(version) : undefined, raw: line };
    });
}

function startWorker(db: string, agent: string, id: number, count: number, ids: number[]) {
  const child = spawn(process.execPath, [WORKER, db, agent, String(id), String(count), ids.join(',')], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NO_COLOR: '1' },
  });
  let out = '';
  let err = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal })),
  );
  return { child, done, out: () => out, err: () => err };
}

async function setup(name: string, items: number): Promise<{ db: string; ids: number[] }> {
  const db = await newDatabase(name);
  expect((await runTandem(['init', '--handle', 'sam'], { db })).code).toBe(0);
  await runJson(['agent', 'add', 'cleo', '--roles', 'support'], { db, as: 'sam' });
  const ids: number[] = [];
  for (let i = 0; i < items; i++)
    ids.push(
      (await runJson(['item', 'add', '--subject', `Shared ${i}`, '--customer', `c${i}@example.com`, '--kind', 'bug'], { db, as: 'sam' }))
        .id,
    );
  return { db, ids };
}

/** Every acknowledged change is in the database exactly once, at the version it reported; refusals left nothing. */
async function verify(db: string, acks: Ack[]) {
  if (!onPostgres) {
    const raw = new BetterSqlite3(db, { readonly: true });
    expect(raw.pragma('integrity_check', { simple: true })).toBe('ok');
    raw.close();
  }
  const store = await openStore(db);
  try {
    const events = await store.db.selectFrom('events').select(['item_id', 'version', 'type', 'body', 'data']).execute();
    const markerOf = (e: (typeof events)[number]) => {
      if (e.body) return /(w\d+-\d+)$/.exec(e.body)?.[1];
      if (e.type === 'tag' && e.data) return (JSON.parse(e.data).added as string[])[0];
      return undefined;
    };
    const byMarker = new Map<string, (typeof events)[number][]>();
    for (const e of events) {
      const m = markerOf(e);
      if (m) byMarker.set(m, [...(byMarker.get(m) ?? []), e]);
    }
    for (const a of acks) {
      const found = byMarker.get(a.marker) ?? [];
      if (a.status === 'ok') {
        expect(found, `change ${a.raw} lost or doubled`).toHaveLength(1);
        expect(found[0]!.item_id).toBe(Number(a.item));
        expect(found[0]!.version).toBe(a.version);
      } else {
        expect(found, `refused change ${a.raw} was written`).toHaveLength(0);
      }
    }
    // Versions and events agree: each item's events cover versions 1..version with no gap, and no two
    // changes share a version.
    const items = await store.db.selectFrom('items').select(['id', 'version']).execute();
    for (const it of items) {
      const versions = [...new Set(events.filter((e) => e.item_id === it.id).map((e) => e.version))].sort((x, y) => x - y);
      expect(versions).toEqual(Array.from({ length: it.version }, (_, k) => k + 1));
    }
    const okVersions = acks.filter((a) => a.status === 'ok').map((a) => `${a.item}@${a.version}`);
    expect(new Set(okVersions).size).toBe(okVersions.length);
    if (onPostgres) {
      // The search index holds one row per indexed event: none lost or doubled by the races either.
      const r = await sql<{ n: number }>`select count(*) as n from events e left join search_docs d on d.event_id = e.id
        where d.event_id is null and (e.type = 'created' or (e.body is not null and e.type in ('message', 'reply', 'note')))`.execute(
        store.db,
      );
      expect(Number(r.rows[0]!.n)).toBe(0);
    }
  } finally {
    await store.close();
  }
}

describe('concurrency', () => {
  it(`${SIZE.workers} processes × ${SIZE.changes} changes on overlapping items: every change lands once or is refused with exit 4`, async () => {
    const { db, ids } = await setup('concurrency', 4);
    const workers = Array.from({ length: SIZE.workers }, (_, w) => startWorker(db, w % 2 ? 'sam' : 'cleo', w, SIZE.changes, ids));
    const results = await Promise.all(workers.map((w) => w.done));
    expect(results.map((r) => r.code)).toEqual(Array(SIZE.workers).fill(0));
    const acks = workers.flatMap((w) => parseAcks(w.out()));
    expect(
      acks.filter((a) => a.status === 'error'),
      'no change may fail with anything but a conflict',
    ).toEqual([]);
    expect(acks).toHaveLength(SIZE.workers * SIZE.changes);
    expect(acks.some((a) => a.status === 'refused')).toBe(true); // the stale versions really raced
    await verify(db, acks);
  }, 300_000);
});

describe('crash', () => {
  it('a process killed with SIGKILL in a burst of changes loses no acknowledged change and leaves a sound database', async () => {
    const { db, ids } = await setup('crash', 3);
    const workers = [0, 1, 2].map((w) => startWorker(db, 'sam', w, 100_000, ids));
    // Let them run until each has acknowledged a good number of changes, then kill mid-flight.
    const deadline = Date.now() + 60_000;
    while (workers.some((w) => parseAcks(w.out()).length < 25) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    for (const w of workers) w.child.kill('SIGKILL');
    const results = await Promise.all(workers.map((w) => w.done));
    expect(results.map((r) => r.signal)).toEqual(['SIGKILL', 'SIGKILL', 'SIGKILL']);
    const acks = workers.flatMap((w) => parseAcks(w.out()));
    expect(acks.length).toBeGreaterThanOrEqual(75);
    await verify(
      db,
      acks.filter((a) => a.status !== 'error'),
    );
    // And the database still works normally afterwards.
    const note = await runTandem(['item', 'note', String(ids[0]), 'after the crash'], { db, as: 'sam' });
    expect(note.code).toBe(0);
  }, 120_000);
});
