// `npm run bench`: whole-process timings at 100k and 1M items, each beside its floor, as ratios.
// Not part of `npm test`: shared machines are noisy; only repeated medians and ratios mean anything.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const BIN = path.join(ROOT, 'bin/tandem.js');
const CACHE = path.join(ROOT, 'bench/cache');
const quick = process.argv.includes('--quick');
const SIZES = quick ? [20_000] : [100_000, 1_000_000];
const RUNS = quick ? 3 : 7;
const WARMUP = 2;
const DEMO_NOW = '2026-11-01T12:00:00.000Z';
const env = { ...process.env, NO_COLOR: '1', TANDEM_AGENT: 'sam', TZ: 'UTC' };
delete env.TANDEM_DB;

fs.mkdirSync(CACHE, { recursive: true });

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}
function percentile(xs, p) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))];
}

/** Time a whole process, RUNS times after WARMUP; returns ms stats. */
function timeProcess(args, { input, extraEnv } = {}) {
  const times = [];
  for (let i = 0; i < WARMUP + RUNS; i++) {
    const t = process.hrtime.bigint();
    const r = spawnSync(process.execPath, args, { env: { ...env, ...extraEnv }, input, maxBuffer: 1 << 28 });
    const ms = Number(process.hrtime.bigint() - t) / 1e6;
    if (r.status !== 0) throw new Error(`${args.join(' ')} exited ${r.status}: ${r.stderr}`);
    if (i >= WARMUP) times.push(ms);
  }
  return { medianMs: median(times), minMs: Math.min(...times), maxMs: Math.max(...times), runs: times.length };
}

const HELP = spawnSync(process.execPath, [BIN, '--help'], { env, encoding: 'utf8' }).stdout;
function tandemHas(sub) {
  return new RegExp(`^\\s+${sub}\\b`, 'm').test(HELP);
}

function demoDb(size) {
  const file = path.join(CACHE, `demo-${size}-seed42.db`);
  if (fs.existsSync(file)) return file;
  const tmp = file + '.building';
  fs.rmSync(tmp, { force: true });
  console.error(`building ${size.toLocaleString('en-US')}-item demo database (cached in bench/cache)…`);
  const t = Date.now();
  execFileSync(process.execPath, [BIN, 'demo', '--db', tmp, '--items', String(size), '--seed', '42', '--now', DEMO_NOW, '--quiet'], {
    env,
    stdio: 'inherit',
  });
  // Fold the WAL into the file so the cache is one self-contained file.
  execFileSync(
    process.execPath,
    ['-e', `const D=require('better-sqlite3');const d=new D(${JSON.stringify(tmp)});d.pragma('wal_checkpoint(TRUNCATE)');d.close()`],
    { cwd: ROOT },
  );
  fs.renameSync(tmp, file);
  for (const s of ['-wal', '-shm']) fs.rmSync(tmp + s, { force: true });
  console.error(`  built in ${((Date.now() - t) / 1000).toFixed(1)} s`);
  return file;
}

// The floor: node plus better-sqlite3 running the same indexed inbox query and printing JSON.
const FLOOR_SCRIPT = `
const D = require('better-sqlite3');
const db = new D(process.argv[1]);
const rows = db.prepare("select i.*, c.name as customer_name, c.email as customer_email, a.handle as assignee_handle from items i left join customers c on c.id = i.customer_id left join agents a on a.id = i.assignee_id where i.open_work = 1 order by i.due_sort, i.id limit 50").all();
const tags = db.prepare('select item_id, tag from item_tags where item_id in (' + rows.map(() => '?').join(',') + ')').all(...rows.map((r) => r.id));
process.stdout.write(JSON.stringify({ rows, tags }));
`;

// Floors for `item show` and search: the same node + better-sqlite3 process running what each needs at
// its core (an item with its people, tags and thread; the FTS match feeding the inbox query).
const FLOOR_SHOW_SCRIPT = `
const D = require('better-sqlite3');
const db = new D(process.argv[1]);
const id = Number(process.argv[2]);
const item = db.prepare("select i.*, c.name as customer_name, c.email as customer_email, a.handle as assignee_handle from items i left join customers c on c.id = i.customer_id left join agents a on a.id = i.assignee_id where i.id = ?").get(id);
const tags = db.prepare('select tag from item_tags where item_id = ?').pluck().all(id);
const events = db.prepare('select * from events where item_id = ? order by version').all(id);
process.stdout.write(JSON.stringify({ item, tags, events }));
`;
const FLOOR_SEARCH_SCRIPT = `
const D = require('better-sqlite3');
const db = new D(process.argv[1]);
const match = process.argv[2].split(/\\s+/).map((w, i, all) => '"' + w + '"' + (i === all.length - 1 ? '*' : '')).join(' ');
const rows = db.prepare("select i.*, c.name as customer_name, c.email as customer_email, a.handle as assignee_handle from items i left join customers c on c.id = i.customer_id left join agents a on a.id = i.assignee_id where i.open_work = 1 and i.id in (select e.item_id from search_fts f join events e on e.id = f.rowid where search_fts match ?) order by i.due_sort, i.id limit 50").all(match);
const tags = db.prepare('select item_id, tag from item_tags where item_id in (' + rows.map(() => '?').join(',') + ')').all(...rows.map((r) => r.id));
process.stdout.write(JSON.stringify({ rows, tags }));
`;
const SEARCH_TEXT = 'password reset';

const storeArg = process.argv.indexOf('--store');
if (storeArg !== -1 && process.argv[storeArg + 1] === 'postgres') {
  const { benchPostgres } = await import('./postgres.mjs');
  const sizes = await benchPostgres({ ROOT, BIN, CACHE, SIZES, env, timeProcess, quick, DEMO_NOW });
  const fmt = (x, d = 0) => (x === null || x === undefined ? '—' : x.toFixed(d));
  const lines = [['size', 'figure', 'median', 'spread', 'floor (pg alone)', 'ratio']];
  for (const [size, r] of Object.entries(sizes)) {
    for (const [name, m] of Object.entries(r)) {
      if (name === 'importJsonl')
        lines.push([
          Number(size).toLocaleString('en-US'),
          'import JSONL',
          `${m.itemsPerSecond.toLocaleString('en-US')} items/s`,
          `${fmt(m.medianMs)} ms`,
          '',
          '',
        ]);
      else
        lines.push([
          Number(size).toLocaleString('en-US'),
          name,
          `${fmt(m.medianMs)} ms`,
          `${fmt(m.minMs)}–${fmt(m.maxMs)}`,
          m.floorMs ? `${fmt(m.floorMs)} ms` : '',
          m.ratio ? `${fmt(m.ratio, 2)}×` : '',
        ]);
    }
  }
  const widths = lines[0].map((_, i) => Math.max(...lines.map((l) => String(l[i]).length)));
  for (const l of lines)
    console.log(
      l
        .map((c, i) => String(c).padEnd(widths[i]))
        .join('  ')
        .trimEnd(),
    );
  const file = path.join(ROOT, 'bench/results.json');
  const previous = fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) : {};
  fs.writeFileSync(file, JSON.stringify({ ...previous, postgres: { at: new Date().toISOString(), quick, sizes } }, null, 2) + '\n');
  console.log('\nwritten to bench/results.json (key "postgres")');
  process.exit(0);
}

if (process.argv.includes('--build-only')) {
  for (const size of SIZES) demoDb(size);
  process.exit(0);
}

const results = {
  machine: { cpus: os.cpus().length, node: process.version, platform: `${os.platform()} ${os.arch()}` },
  at: new Date().toISOString(),
  quick,
  sizes: {},
};
const floorNode = timeProcess(['-e', '0']);
results.floorNode = floorNode;

for (const size of SIZES) {
  const db = demoDb(size);
  const r = (results.sizes[size] = {});
  const floorQuery = timeProcess(['-e', FLOOR_SCRIPT, db], {});
  r.floorQuery = floorQuery;
  const midId = String(Math.floor(size / 2));
  const measure = (name, args, target, floor = floorQuery) => {
    const m = timeProcess([BIN, '--db', db, ...args]);
    r[name] = { ...m, floorMs: floor.medianMs, ratio: m.medianMs / floor.medianMs, target };
    return r[name];
  };
  const floorShow = (r.floorShow = timeProcess(['-e', FLOOR_SHOW_SCRIPT, db, midId]));
  const floorSearch = (r.floorSearch = timeProcess(['-e', FLOOR_SEARCH_SCRIPT, db, SEARCH_TEXT]));
  // Targets from issue 16, each a ratio to its own floor measured in this run.
  measure('inbox', ['inbox', '--json', '--limit', '50'], { ratio: 1.3 });
  // For the record, no target: a command's first run after an install or a rebuild, before its code
  // cache exists (bin/code-cache.js), compiles the whole program.
  const cold = timeProcess([BIN, '--db', db, 'inbox', '--json', '--limit', '50'], { extraEnv: { TANDEM_CODE_CACHE: 'off' } });
  r.inboxFirstRun = { ...cold, floorMs: floorQuery.medianMs, ratio: cold.medianMs / floorQuery.medianMs };
  measure('itemShow', ['item', 'show', midId, '--json'], { ratio: 1.3 }, floorShow);
  measure('search', ['inbox', '--search', SEARCH_TEXT, '--json', '--limit', '50'], { ratio: 1.5 }, floorSearch);
  if (tandemHas('kpi')) measure('kpi', ['kpi', '--json', '--role', 'all'], { ms: 400 });
  else r.kpi = { missing: 'no `tandem kpi` command yet' };
  // Import throughput from JSONL: export the demo once, import it into a fresh file.
  if (tandemHas('export') && tandemHas('import') && size <= 100_000) {
    const jsonl = path.join(CACHE, `demo-${size}-seed42.jsonl`);
    if (!fs.existsSync(jsonl)) execFileSync(process.execPath, [BIN, '--db', db, 'export', '-o', jsonl], { env, stdio: 'ignore' });
    const target = path.join(os.tmpdir(), `tandem-bench-import-${process.pid}.db`);
    const times = [];
    for (let i = 0; i < (quick ? 1 : 3); i++) {
      for (const s of ['', '-wal', '-shm']) fs.rmSync(target + s, { force: true });
      const t = process.hrtime.bigint();
      execFileSync(process.execPath, [BIN, '--db', target, 'import', jsonl], { env, stdio: ['ignore', 'ignore', 'inherit'] });
      times.push(Number(process.hrtime.bigint() - t) / 1e6);
    }
    // The floor: a bare better-sqlite3 script loading the same rows into a migrated database.
    const bare = [];
    for (let i = 0; i < (quick ? 1 : 3); i++) {
      for (const s of ['', '-wal', '-shm']) fs.rmSync(target + s, { force: true });
      execFileSync(process.execPath, [BIN, 'db', 'migrate', '--db', target], { env, stdio: 'ignore' });
      const t = process.hrtime.bigint();
      execFileSync(process.execPath, [path.join(ROOT, 'bench/import-floor.mjs'), jsonl, target], {
        env,
        stdio: ['ignore', 'ignore', 'inherit'],
      });
      bare.push(Number(process.hrtime.bigint() - t) / 1e6);
    }
    for (const s of ['', '-wal', '-shm']) fs.rmSync(target + s, { force: true });
    const items = size; // items in the file (escalations add a few; counted below)
    const count = Number(
      execFileSync(
        process.execPath,
        [
          '-e',
          `const D=require('better-sqlite3');console.log(new D(${JSON.stringify(db)},{readonly:true}).prepare('select count(*) from items').pluck().get())`,
        ],
        { cwd: ROOT },
      ).toString(),
    );
    r.importJsonl = {
      medianMs: median(times),
      items: count || items,
      itemsPerSecond: Math.round((count || items) / (median(times) / 1000)),
      floorMs: median(bare),
      ratio: median(times) / median(bare),
      target: { itemsPerSecond: 30_000, ratio: 2 },
    };
  } else
    r.importJsonl = {
      missing: tandemHas('import')
        ? 'measured at 100,000 items (items/s does not depend on the file size; a 1M import takes minutes)'
        : 'no `tandem import` yet',
    };
  // The console through a real pty: time to first frame, key-to-frame latency, peak memory. The first
  // frame is the median of short runs after a warm-up (as the commands: a warm code cache); the keys
  // and the memory come from one long run.
  const drive = (keys) =>
    spawnSync(
      'python3',
      [path.join(ROOT, 'bench/pty_driver.py'), String(keys), '40', '120', '--', process.execPath, BIN, '--db', db, '--as', 'sam'],
      { env, encoding: 'utf8', timeout: 180_000 },
    );
  const frames = [];
  for (let i = 0; i < 1 + (quick ? 3 : 5); i++) {
    const short = drive(2);
    if (short.status === 0 && short.stdout.trim() && i > 0) frames.push(JSON.parse(short.stdout).firstFrameMs);
  }
  const tui = drive(quick ? 60 : 300);
  if (tui.status === 0 && tui.stdout.trim() && frames.length) {
    const t = JSON.parse(tui.stdout);
    const lat = t.keyLatenciesMs;
    r.console = {
      firstFrameMs: median(frames),
      firstFrameRangeMs: [Math.min(...frames), Math.max(...frames)],
      keyP50Ms: lat.length ? percentile(lat, 50) : null,
      keyP95Ms: lat.length ? percentile(lat, 95) : null,
      keys: lat.length,
      peakRssMb: t.peakRssKb ? t.peakRssKb / 1024 : null,
      target: { firstFrameMs: 250, keyP95Ms: 12, peakRssMb: 120 },
    };
  } else r.console = { missing: `console run failed: ${(tui.stderr || tui.error?.message || '').slice(0, 200)}` };
}

// The table: each figure beside its floor and its target; a missed target says so.
const fmt = (x, d = 0) => (x === null || x === undefined ? '—' : x.toFixed(d));
const lines = [['size', 'figure', 'median', 'spread', 'floor', 'ratio', 'target', 'verdict']];
lines.push(['—', 'node -e 0', `${fmt(floorNode.medianMs)} ms`, `${fmt(floorNode.minMs)}–${fmt(floorNode.maxMs)}`, '', '', '', '']);
for (const [size, r] of Object.entries(results.sizes)) {
  const label = Number(size).toLocaleString('en-US');
  lines.push([
    label,
    'floor: node + better-sqlite3 inbox query',
    `${fmt(r.floorQuery.medianMs)} ms`,
    `${fmt(r.floorQuery.minMs)}–${fmt(r.floorQuery.maxMs)}`,
    '',
    '',
    '',
    '',
  ]);
  for (const [name, m] of Object.entries(r)) {
    if (name === 'floorQuery' || name === 'floorShow' || name === 'floorSearch') {
      if (name !== 'floorQuery')
        lines.push([
          label,
          `floor: ${name === 'floorShow' ? 'item show' : 'search'} queries`,
          `${fmt(m.medianMs)} ms`,
          `${fmt(m.minMs)}–${fmt(m.maxMs)}`,
          '',
          '',
          '',
          '',
        ]);
      continue;
    }
    if (name === 'inboxFirstRun') {
      lines.push([
        label,
        'inbox, first run (no code cache yet)',
        `${fmt(m.medianMs)} ms`,
        `${fmt(m.minMs)}–${fmt(m.maxMs)}`,
        `${fmt(m.floorMs)} ms`,
        `${fmt(m.ratio, 2)}×`,
        '',
        '',
      ]);
      continue;
    }
    if (m.missing) {
      lines.push([label, name, '—', '', '', '', '', m.missing]);
      continue;
    }
    if (name === 'importJsonl') {
      const ok = m.itemsPerSecond >= m.target.itemsPerSecond && m.ratio <= m.target.ratio;
      lines.push([
        label,
        'import JSONL',
        `${m.itemsPerSecond.toLocaleString('en-US')} items/s`,
        `${fmt(m.medianMs)} ms`,
        `${fmt(m.floorMs)} ms (bare script)`,
        `${fmt(m.ratio, 2)}×`,
        '≥ 30,000/s, ≤ 2× floor',
        ok ? 'ok' : 'MISSED',
      ]);
      continue;
    }
    if (name === 'console') {
      const t = m.target;
      lines.push([
        label,
        'console first frame',
        `${fmt(m.firstFrameMs)} ms`,
        m.firstFrameRangeMs ? `${fmt(m.firstFrameRangeMs[0])}–${fmt(m.firstFrameRangeMs[1])}` : '',
        '',
        '',
        `≤ ${t.firstFrameMs} ms`,
        m.firstFrameMs <= t.firstFrameMs ? 'ok' : 'MISSED',
      ]);
      lines.push([
        label,
        `console key→frame (${m.keys} keys)`,
        `p50 ${fmt(m.keyP50Ms, 1)} ms`,
        `p95 ${fmt(m.keyP95Ms, 1)} ms`,
        '',
        '',
        `p95 ≤ ${t.keyP95Ms} ms`,
        m.keyP95Ms !== null && m.keyP95Ms <= t.keyP95Ms ? 'ok' : 'MISSED',
      ]);
      lines.push([
        label,
        'console peak memory',
        `${fmt(m.peakRssMb)} MB`,
        '',
        '',
        '',
        `≤ ${t.peakRssMb} MB`,
        m.peakRssMb !== null && m.peakRssMb <= t.peakRssMb ? 'ok' : 'MISSED',
      ]);
      continue;
    }
    const target = m.target?.ratio ? `≤ ${m.target.ratio}× floor` : m.target?.ms ? `≤ ${m.target.ms} ms` : '';
    const ok = m.target?.ratio ? m.ratio <= m.target.ratio : m.target?.ms ? m.medianMs <= m.target.ms : null;
    lines.push([
      label,
      name,
      `${fmt(m.medianMs)} ms`,
      `${fmt(m.minMs)}–${fmt(m.maxMs)}`,
      `${fmt(m.floorMs)} ms`,
      `${fmt(m.ratio, 2)}×`,
      target,
      ok === null ? '' : ok ? 'ok' : 'MISSED',
    ]);
  }
}
const widths = lines[0].map((_, i) => Math.max(...lines.map((l) => String(l[i]).length)));
for (const l of lines)
  console.log(
    l
      .map((c, i) => String(c).padEnd(widths[i]))
      .join('  ')
      .trimEnd(),
  );
// The PostgreSQL figures (`--store postgres`) are kept: each run replaces only its own.
const resultsFile = path.join(ROOT, 'bench/results.json');
const previous = fs.existsSync(resultsFile) ? JSON.parse(fs.readFileSync(resultsFile, 'utf8')) : {};
fs.writeFileSync(
  resultsFile,
  JSON.stringify({ ...results, ...(previous.postgres ? { postgres: previous.postgres } : {}) }, null, 2) + '\n',
);
console.log('\nwritten to bench/results.json');
