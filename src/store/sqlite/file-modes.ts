// Customer data stays private: a database Tandem creates is 0600 in a 0700 folder whatever the umask
// (SQLite gives its -wal and -shm files the database's mode), or 0660 for a team sharing it through a
// Unix group. An existing database that others can read gets a one-line warning, at most once a day;
// Tandem never changes the mode of a file it did not create.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { invalid } from '../../core/errors.js';

/** A short stable name for a path (FNV-1a, 64 bits): no need to load node:crypto on every start for it. */
function fnv1a64(text: string): string {
  let hash = 0xcbf29ce484222325n;
  for (const byte of Buffer.from(text, 'utf8')) hash = BigInt.asUintN(64, (hash ^ BigInt(byte)) * 0x100000001b3n);
  return hash.toString(16).padStart(16, '0');
}

export interface ShareOptions {
  /** A Unix group whose members share the database: files 0660 (never world-readable), folder 0770. */
  sharedGroup?: string | null;
}

/** The group id of a group name (or number), from /etc/group. */
function groupId(group: string): number {
  if (/^\d+$/.test(group)) return Number(group);
  let text = '';
  try {
    text = fs.readFileSync('/etc/group', 'utf8');
  } catch {
    // no group database: fall through to the error
  }
  for (const line of text.split('\n')) {
    const [name, , gid] = line.split(':');
    if (name === group && gid !== undefined) return Number(gid);
  }
  throw invalid(`--shared-group: no group ${JSON.stringify(group)} on this machine`);
}

/** Make the folders for a new database: each folder Tandem creates is 0700 (0770 when shared). */
export function makePrivateFolders(dir: string, share: ShareOptions = {}): void {
  const missing: string[] = [];
  for (let d = path.resolve(dir); !fs.existsSync(d); d = path.dirname(d)) missing.unshift(d);
  const gid = share.sharedGroup ? groupId(share.sharedGroup) : null;
  for (const d of missing) {
    fs.mkdirSync(d);
    fs.chmodSync(d, gid === null ? 0o700 : 0o770);
    if (gid !== null) fs.chownSync(d, -1, gid);
  }
}

/** Create an empty database file with the right mode before SQLite opens it (SQLite would use the umask). */
export function createPrivateFile(file: string, share: ShareOptions = {}): void {
  const gid = share.sharedGroup ? groupId(share.sharedGroup) : null;
  const fd = fs.openSync(file, 'wx', 0o600);
  try {
    fs.fchmodSync(fd, gid === null ? 0o600 : 0o660);
    if (gid !== null) fs.fchownSync(fd, -1, gid);
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * One line on stderr when an existing database can be read by others, at most once a day per
 * database (remembered in $XDG_STATE_HOME/tandem). Returns the warning, or null.
 */
export function warnIfReadableByOthers(file: string, env: NodeJS.ProcessEnv = process.env, now = Date.now()): string | null {
  let mode: number;
  try {
    mode = fs.statSync(file).mode;
  } catch {
    return null;
  }
  if ((mode & 0o004) === 0) return null;
  const stateHome = env.XDG_STATE_HOME || path.join(os.homedir(), '.local', 'state');
  const marker = path.join(stateHome, 'tandem', `mode-warning-${fnv1a64(path.resolve(file))}`);
  try {
    if (now - fs.statSync(marker).mtimeMs < 24 * 3600 * 1000) return null;
  } catch {
    // never warned
  }
  const text = `tandem: warning: ${file} is readable by every account on this machine (mode ${(mode & 0o777).toString(8).padStart(4, '0')}); it holds customer data: chmod 600 ${JSON.stringify(file)}`;
  process.stderr.write(text + '\n');
  try {
    fs.mkdirSync(path.dirname(marker), { recursive: true, mode: 0o700 });
    fs.writeFileSync(marker, new Date(now).toISOString() + '\n', { mode: 0o600 });
    fs.utimesSync(marker, now / 1000, now / 1000);
  } catch {
    // cannot remember: warn again next time
  }
  return text;
}
