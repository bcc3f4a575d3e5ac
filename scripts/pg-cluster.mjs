// A throwaway PostgreSQL cluster for tests and the benchmark: initdb in a temp folder, the server on a
// Unix socket there (no TCP port), never as root (root runs it as `nobody` through setpriv), and
// stopped and removed on every way out of the process that started it.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** The folder holding initdb and pg_ctl, or null when PostgreSQL is not installed. */
export function findPgBin(env = process.env) {
  const candidates = [];
  if (env.TANDEM_PG_BIN) candidates.push(env.TANDEM_PG_BIN);
  try {
    const versions = fs.readdirSync('/usr/lib/postgresql').sort((a, b) => Number(b) - Number(a));
    for (const v of versions) candidates.push(`/usr/lib/postgresql/${v}/bin`);
  } catch {
    // not Debian's layout
  }
  for (const dir of (env.PATH ?? '').split(path.delimiter)) if (dir) candidates.push(dir);
  return candidates.find((d) => fs.existsSync(path.join(d, 'initdb')) && fs.existsSync(path.join(d, 'pg_ctl'))) ?? null;
}

const isRoot = () => typeof process.getuid === 'function' && process.getuid() === 0;

function asUser(bin, args, opts = {}) {
  const [cmd, argv] = isRoot() ? ['setpriv', ['--reuid=nobody', '--regid=nogroup', '--clear-groups', '--', bin, ...args]] : [bin, args];
  return execFileSync(cmd, argv, { stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8', ...opts });
}

export class PgCluster {
  constructor(bin, dir) {
    this.bin = bin;
    this.dir = dir;
    this.data = path.join(dir, 'data');
    this.socketDir = dir;
    this.log = path.join(dir, 'server.log');
    this.running = false;
  }

  /** A connection URL for one database of this cluster (superuser `tandem`, socket auth). */
  url(database = 'postgres') {
    return `postgres://tandem@localhost/${encodeURIComponent(database)}?host=${encodeURIComponent(this.socketDir)}`;
  }

  /**
   * fsync is off (a test cluster survives a crash of the server, not of the machine); commits stay
   * synchronous, so an acknowledged write is in the WAL when a test kills the server.
   */
  start() {
    asUser(path.join(this.bin, 'pg_ctl'), [
      '-D',
      this.data,
      '-l',
      this.log,
      '-w',
      '-t',
      '60',
      'start',
      '-o',
      `-k ${this.socketDir} -c listen_addresses='' -c fsync=off -c full_page_writes=off -c max_connections=200 -c shared_buffers=128MB`,
    ]);
    this.running = true;
  }

  /** Immediate stop: what a crash or a lost server looks like to clients. */
  stop(mode = 'fast') {
    if (!this.running) return;
    try {
      asUser(path.join(this.bin, 'pg_ctl'), ['-D', this.data, '-m', mode, '-w', '-t', '60', 'stop']);
    } finally {
      this.running = false;
    }
  }

  restart() {
    this.stop('immediate');
    this.start();
  }

  destroy() {
    try {
      this.stop('immediate');
    } catch {
      // already gone
    }
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

/**
 * Make and start a cluster. Registers clean-up on exit and on SIGINT/SIGTERM/SIGHUP, so no server is
 * left behind by a test run that fails or is interrupted.
 */
export function startCluster(bin = findPgBin()) {
  if (!bin) throw new Error('PostgreSQL is not installed (no initdb/pg_ctl found; on Debian: apt-get install postgresql)');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-pg-'));
  if (isRoot()) execFileSync('chown', ['nobody:nogroup', dir]);
  const cluster = new PgCluster(bin, dir);
  try {
    asUser(path.join(bin, 'initdb'), ['-D', cluster.data, '-U', 'tandem', '--auth=trust', '-E', 'UTF8', '--locale=C.UTF-8', '--no-sync']);
    cluster.start();
  } catch (e) {
    cluster.destroy();
    throw new Error(`could not start a test PostgreSQL in ${dir}: ${e.stderr || e.message}`);
  }
  const cleanUp = () => cluster.destroy();
  process.once('exit', cleanUp);
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.once(sig, () => {
      cleanUp();
      process.exit(128 + (os.constants.signals[sig] ?? 1));
    });
  }
  return cluster;
}

/** Run psql against the cluster (setup statements only; tests talk to it through pg). */
export function psql(cluster, database, command) {
  const r = spawnSync(path.join(cluster.bin, 'psql'), ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', cluster.url(database), '-c', command], {
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`psql: ${r.stderr}`);
  return r.stdout;
}
