// `npm run bench -- --store postgres`: the same figures on PostgreSQL, each beside its floor — the same
// query through `pg` alone in a bare node process. The server is a local cluster kept in
// bench/cache/pg (made on the first run, started and stopped by the bench), so demo databases are built once.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { PgCluster, findPgBin, psql } from '../scripts/pg-cluster.mjs';

export async function benchPostgres({ BIN, CACHE, SIZES, env, timeProcess, quick, DEMO_NOW }) {
  const bin = findPgBin();
  if (!bin) throw new Error('PostgreSQL is not installed: apt-get install postgresql');
  const dir = path.join(CACHE, 'pg');
  const root = typeof process.getuid === 'function' && process.getuid() === 0;
  const cluster = new PgCluster(bin, dir);
  if (!fs.existsSync(path.join(dir, 'data', 'PG_VERSION'))) {
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(dir, { recursive: true });
    if (root) execFileSync('chown', ['nobody:nogroup', dir]);
    const args = ['-D', cluster.data, '-U', 'tandem', '--auth=trust', '-E', 'UTF8', '--locale=C.UTF-8'];
    execFileSync(
      root ? 'setpriv' : path.join(bin, 'initdb'),
      root ? ['--reuid=nobody', '--regid=nogroup', '--clear-groups', '--', path.join(bin, 'initdb'), ...args] : args,
      { stdio: 'ignore' },
    );
  }
  cluster.start();
  const stop = () => cluster.stop('fast');
  process.once('exit', stop);
  try {
    const results = {};
    for (const size of SIZES) {
      const name = `demo_${size}`;
      const url = cluster.url(name);
      const exists = psql(cluster, 'postgres', `select 1 from pg_database where datname = '${name}'`).includes('1');
      if (!exists) {
        console.error(`building ${size.toLocaleString('en-US')}-item demo database on PostgreSQL (kept in bench/cache/pg)…`);
        const t = Date.now();
        psql(cluster, 'postgres', `create database ${name}`);
        execFileSync(process.execPath, [BIN, 'demo', '--db', url, '--items', String(size), '--seed', '42', '--now', DEMO_NOW, '--quiet'], {
          env,
          stdio: 'inherit',
        });
        psql(cluster, name, 'vacuum analyze');
        console.error(`  built in ${((Date.now() - t) / 1000).toFixed(1)} s`);
      }
      const r = (results[size] = {});
      const floor = (sqlText, params) => timeProcess(['-e', FLOOR, url, sqlText, JSON.stringify(params)]);
      const mid = Math.floor(size / 2);
      const pairs = [
        ['inbox', ['inbox', '--json', '--limit', '50'], floor(INBOX_SQL, [])],
        ['itemShow', ['item', 'show', String(mid), '--json'], floor(SHOW_SQL, [mid])],
        ['search', ['inbox', '--search', 'password reset', '--json', '--limit', '50'], floor(SEARCH_SQL, ["'password' & 'reset':*"])],
        ['kpi', ['kpi', '--json', '--role', 'all'], null],
      ];
      for (const [figure, args, f] of pairs) {
        const m = timeProcess([BIN, '--db', url, ...args]);
        r[figure] = { ...m, floorMs: f?.medianMs ?? null, ratio: f ? m.medianMs / f.medianMs : null };
      }
      if (size <= 100_000) {
        const jsonl = path.join(CACHE, `demo-${size}-seed42.jsonl`);
        if (!fs.existsSync(jsonl)) execFileSync(process.execPath, [BIN, '--db', url, 'export', '-o', jsonl], { env, stdio: 'ignore' });
        const times = [];
        for (let i = 0; i < (quick ? 1 : 2); i++) {
          psql(cluster, 'postgres', 'drop database if exists bench_import with (force)');
          psql(cluster, 'postgres', 'create database bench_import');
          const t = process.hrtime.bigint();
          execFileSync(process.execPath, [BIN, '--db', cluster.url('bench_import'), 'import', jsonl], {
            env,
            stdio: ['ignore', 'ignore', 'inherit'],
          });
          times.push(Number(process.hrtime.bigint() - t) / 1e6);
        }
        const items = Number(
          spawnSync(process.execPath, [BIN, '--db', url, 'db', 'info', '--json'], { env, encoding: 'utf8' }).stdout
            ? JSON.parse(spawnSync(process.execPath, [BIN, '--db', url, 'db', 'info', '--json'], { env, encoding: 'utf8' }).stdout).counts
                .items
            : size,
        );
        const ms = times.sort((a, b) => a - b)[Math.floor(times.length / 2)];
        r.importJsonl = { medianMs: ms, items, itemsPerSecond: Math.round(items / (ms / 1000)) };
      }
    }
    return results;
  } finally {
    stop();
  }
}

// The floors: a bare node process with pg, one query, JSON to stdout (what `tandem … --json` does).
const FLOOR = `
const pg = require(${JSON.stringify(path.join(process.cwd(), 'node_modules/pg'))});
const [url, sqlText, params] = process.argv.slice(1);
const c = new pg.Client({ connectionString: url });
c.connect().then(() => c.query(sqlText, JSON.parse(params))).then((r) => { process.stdout.write(JSON.stringify(r.rows)); return c.end(); });
`;
const INBOX_SQL = `select i.*, c.name as customer_name, c.email as customer_email, a.handle as assignee_handle,
  (select string_agg(tag, ',') from item_tags t where t.item_id = i.id) as tags
  from items i left join customers c on c.id = i.customer_id left join agents a on a.id = i.assignee_id
  where i.open_work = 1 order by i.due_sort, i.id limit 50`;
const SHOW_SQL = `select i.*, (select json_agg(e order by e.id) from events e where e.item_id = i.id) as events from items i where i.id = $1`;
const SEARCH_SQL = `select i.* from items i where i.id in (select item_id from search_docs where doc @@ to_tsquery('tandem', $1))
  order by i.due_sort, i.id limit 50`;
