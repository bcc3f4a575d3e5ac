// The suite's PostgreSQL pass: start a throwaway cluster (scripts/pg-cluster.mjs), make a migrated
// template database every test copies, run vitest with TANDEM_TEST_STORE=postgres, and stop the
// cluster on every way out. Without PostgreSQL installed it says so and skips, except under CI, where
// a missing server fails the run.
import { spawn, spawnSync } from 'node:child_process';
import { findPgBin, psql, startCluster } from './pg-cluster.mjs';

const bin = findPgBin();
if (!bin) {
  const msg = 'PostgreSQL is not installed (no initdb/pg_ctl; on Debian: apt-get install postgresql)';
  if (process.env.CI) {
    console.error(`test-postgres: ${msg}: CI runs every test on both stores, so this fails.`);
    process.exit(1);
  }
  console.error(`test-postgres: ${msg}: the PostgreSQL pass is SKIPPED.`);
  process.exit(0);
}

const cluster = startCluster(bin);
psql(cluster, 'postgres', 'create database tandem_template');
// Migrate the template once through Tandem itself (the built binary), so each test's copy is current.
const migrated = spawnSync(process.execPath, ['bin/tandem.js', 'db', 'migrate', '--db', cluster.url('tandem_template')], {
  encoding: 'utf8',
});
if (migrated.status !== 0) {
  console.error(`test-postgres: could not migrate the template database: ${migrated.stderr}`);
  cluster.destroy();
  process.exit(1);
}

const url = cluster.url('postgres');
console.error(`test-postgres: PostgreSQL ${bin} in ${cluster.dir}`);
const child = spawn(process.execPath, ['node_modules/vitest/vitest.mjs', 'run', ...process.argv.slice(2)], {
  stdio: 'inherit',
  env: { ...process.env, TANDEM_TEST_STORE: 'postgres', TANDEM_TEST_PG_URL: url },
});
const forward = (sig) => () => child.kill(sig);
process.on('SIGINT', forward('SIGINT'));
process.on('SIGTERM', forward('SIGTERM'));
child.on('exit', (code, signal) => {
  cluster.destroy();
  process.exit(code ?? (signal ? 1 : 0));
});
