// The user's config file, $XDG_CONFIG_HOME/tandem/config.toml (~/.config/tandem/config.toml): the
// default database, the default agent (overall and per database, as the console's picker remembers
// it), and `[mailbox.NAME]` tables that mail code reads. Parsed with smol-toml; a broken file is a
// clear error naming the line, never a silent default.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse, TomlError } from 'smol-toml';
import { invalid } from '../core/errors.js';
import { isPostgresSpec, printableLocation } from '../store/open.js';

export interface TandemConfig {
  /** Where the file is (whether or not it exists). */
  file: string;
  /** Default database (an SQLite path, `~` expanded, or a postgres:// URL), used when neither --db nor $TANDEM_DB is given. */
  database?: string;
  /** Default agent handle when neither --as nor $TANDEM_AGENT is given. */
  agent?: string;
  /** Remembered agent per database (see databaseKey; the console's picker writes these). */
  agentFor: Record<string, string>;
  /** `[mailbox.NAME]` tables, kept as read; the mail code validates its own keys. */
  mailboxes: Record<string, Record<string, unknown>>;
}

const KNOWN = ['database', 'agent', 'agent_for', 'mailbox'];

export function configPath(env: NodeJS.ProcessEnv = process.env): string {
  const home = env.XDG_CONFIG_HOME || path.join(env.HOME || os.homedir(), '.config');
  return path.join(home, 'tandem', 'config.toml');
}

function expandHome(p: string, env: NodeJS.ProcessEnv): string {
  return p === '~' || p.startsWith('~/') ? path.join(env.HOME || os.homedir(), p.slice(1)) : p;
}

/**
 * How a database is named in [agent_for]: an SQLite path made absolute, a PostgreSQL URL with its
 * password masked (the picker must not copy a secret into the config file).
 */
function databaseKey(database: string, env: NodeJS.ProcessEnv = process.env): string {
  return isPostgresSpec(database) ? printableLocation(database) : path.resolve(expandHome(database, env));
}

const isTable = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date);

/** Parse config text; `file` names the file in error messages. */
export function parseConfig(text: string, file: string, env: NodeJS.ProcessEnv = process.env): TandemConfig {
  let doc: Record<string, unknown>;
  try {
    doc = parse(text) as Record<string, unknown>;
  } catch (e) {
    if (e instanceof TomlError) throw invalid(`${file}:${e.line}: not valid TOML: ${e.message.split('\n')[0]}`);
    throw e;
  }
  const bad = (key: string, want: string) => invalid(`${file}: "${key}" must be ${want}`);
  for (const key of Object.keys(doc)) {
    if (!KNOWN.includes(key)) throw invalid(`${file}: unknown setting "${key}" (known: ${KNOWN.join(', ')})`);
  }
  const config: TandemConfig = { file, agentFor: {}, mailboxes: {} };
  if (doc.database !== undefined) {
    if (typeof doc.database !== 'string' || !doc.database.trim()) throw bad('database', 'a path or URL in quotes');
    config.database = expandHome(doc.database.trim(), env);
  }
  if (doc.agent !== undefined) {
    if (typeof doc.agent !== 'string' || !doc.agent.trim()) throw bad('agent', 'an agent handle in quotes');
    config.agent = doc.agent.trim();
  }
  if (doc.agent_for !== undefined) {
    if (!isTable(doc.agent_for)) throw bad('agent_for', 'a table of "database path" = "handle"');
    for (const [db, handle] of Object.entries(doc.agent_for)) {
      if (typeof handle !== 'string') throw bad(`agent_for."${db}"`, 'an agent handle in quotes');
      config.agentFor[databaseKey(db, env)] = handle;
    }
  }
  if (doc.mailbox !== undefined) {
    if (!isTable(doc.mailbox)) throw bad('mailbox', 'tables written [mailbox.NAME]');
    for (const [name, table] of Object.entries(doc.mailbox)) {
      if (!isTable(table)) throw bad(`mailbox.${name}`, 'a table written [mailbox.NAME]');
      config.mailboxes[name] = table;
    }
  }
  return config;
}

/** Read the config file; a missing file is an empty config. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): TandemConfig {
  const file = configPath(env);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return { file, agentFor: {}, mailboxes: {} };
    throw invalid(`cannot read ${file}: ${(e as Error).message}`);
  }
  return parseConfig(text, file, env);
}

/** The agent remembered for a database, else the default agent, else none. */
export function configuredAgent(config: TandemConfig, database: string): string | undefined {
  return config.agentFor[databaseKey(database)] ?? config.agent;
}

const tomlString = (s: string) => JSON.stringify(s); // a JSON string is a valid TOML basic string

/**
 * Remember `handle` for `database` in the file, editing the text in place so the user's comments and
 * layout survive: the line goes into the `[agent_for]` table (made at the end if missing).
 */
export function rememberAgent(env: NodeJS.ProcessEnv, database: string, handle: string): string {
  const file = configPath(env);
  const key = databaseKey(database, env);
  let text = '';
  let mode = 0o600; // a new config file is private: its `database` may be a URL with a password
  try {
    text = fs.readFileSync(file, 'utf8');
    mode = fs.statSync(file).mode & 0o777; // an existing file keeps the mode its owner chose
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw invalid(`cannot read ${file}: ${(e as Error).message}`);
  }
  parseConfig(text, file, env); // never write into a file we could not read back
  const line = `${tomlString(key)} = ${tomlString(handle)}`;
  const lines = text.split('\n');
  const header = lines.findIndex((l) => /^\s*\[\s*agent_for\s*\]\s*(#.*)?$/.test(l));
  if (header < 0) {
    const sep = text === '' ? '' : text.endsWith('\n') ? '\n' : '\n\n';
    text = `${text}${sep}# Agents the console's picker remembered, per database.\n[agent_for]\n${line}\n`;
  } else {
    let end = header + 1;
    while (end < lines.length && !/^\s*\[/.test(lines[end]!)) end++;
    const keep = lines.slice(header + 1, end).filter((l) => {
      const m = /^\s*("(?:[^"\\]|\\.)*")\s*=/.exec(l);
      return !(m && JSON.parse(m[1]!) === key);
    });
    text = [...lines.slice(0, header + 1), line, ...keep, ...lines.slice(end)].join('\n');
  }
  const checked = parseConfig(text, file, env);
  if (checked.agentFor[key] !== handle) throw invalid(`${file}: could not record the agent for ${key}; edit [agent_for] by hand`);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, text, { mode });
  fs.chmodSync(tmp, mode); // whatever the umask
  fs.renameSync(tmp, file);
  return file;
}
