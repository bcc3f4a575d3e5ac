// `tandem doctor`: what is wrong and how to fix it, like `brew doctor`. Each check looks without
// changing anything (the database is inspected, not opened and migrated) and never prints a secret.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { configPath } from '../config/config.js';
import { inspectSchema } from '../store/inspect.js';
import { isPostgresSpec, printableLocation } from '../store/open.js';

type Status = 'ok' | 'warn' | 'fail';

export interface Finding {
  check: string;
  status: Status;
  message: string;
  /** What to do about it (absent when all is well). */
  fix?: string;
}

export interface DoctorInput {
  spec: string;
  env: NodeJS.ProcessEnv;
  /** Extra checks that need an opened store (mailboxes, outbox), run after the store checks pass. */
  more?: () => Promise<Finding[]>;
}

const octal = (m: number) => (m & 0o777).toString(8).padStart(4, '0');

export async function runChecks(input: DoctorInput): Promise<Finding[]> {
  const { spec, env } = input;
  const out: Finding[] = [];
  const pg = isPostgresSpec(spec);
  const where = printableLocation(spec);
  out.push({ check: 'store', status: 'ok', message: pg ? `PostgreSQL at ${where}` : `SQLite file ${where}` });

  const schema = await inspectSchema(spec);
  if (schema.error) {
    out.push({
      check: pg ? 'postgres' : 'database',
      status: 'fail',
      message: `cannot read ${where}: ${schema.error}`,
      fix: pg
        ? 'check the URL, that the server runs and accepts this user (see docs/stores.md, "A team on PostgreSQL")'
        : 'check the path and its permissions',
    });
  } else if (!schema.exists) {
    out.push({
      check: 'database',
      status: 'warn',
      message: `no database at ${where} yet`,
      fix: 'run `tandem init` (or `tandem demo` for a demo inbox)',
    });
  } else if (schema.unknown.length) {
    out.push({
      check: 'schema',
      status: 'fail',
      message: `made by a newer Tandem (schema ${schema.unknown.at(-1)})`,
      fix: 'upgrade Tandem on this machine',
    });
  } else if (schema.pending.length) {
    out.push({
      check: 'schema',
      status: 'warn',
      message: `${schema.pending.length} migration(s) pending: ${schema.pending.join(', ')}`,
      fix: 'they apply on the next command; or run `tandem db migrate`',
    });
  } else {
    out.push({ check: 'schema', status: 'ok', message: `up to date (${schema.applied.at(-1) ?? 'empty'})` });
  }
  if (pg && !schema.error) {
    out.push(
      schema.listenMs == null
        ? {
            check: 'live refresh',
            status: 'fail',
            message: 'LISTEN/NOTIFY did not deliver within 3 s',
            fix: 'a connection pooler in transaction mode drops LISTEN; connect Tandem directly or in session mode',
          }
        : { check: 'live refresh', status: 'ok', message: `LISTEN/NOTIFY works (${schema.listenMs} ms)` },
    );
  }
  if (!pg) out.push(...fileModes(spec));
  out.push(configMode(env));
  if (input.more && schema.exists && !schema.error && !schema.unknown.length) out.push(...(await input.more()));
  out.push(...consoleNeeds(env));
  return out;
}

function fileModes(file: string): Finding[] {
  let st: fs.Stats;
  try {
    st = fs.statSync(file);
  } catch {
    return [];
  }
  const out: Finding[] = [];
  if (st.mode & 0o007) {
    out.push({
      check: 'file modes',
      status: 'warn',
      message: `the database ${file} is open to every account on this machine (mode ${octal(st.mode)})`,
      fix: `chmod 600 ${JSON.stringify(file)} (or 660 for a team sharing it through a group)`,
    });
  }
  // A folder others may write to (without the sticky bit) lets them swap the database or its WAL.
  const dir = path.dirname(path.resolve(file));
  const d = fs.statSync(dir);
  if (d.mode & 0o002 && !(d.mode & 0o1000)) {
    out.push({
      check: 'file modes',
      status: 'warn',
      message: `the folder ${dir} can be written by every account (mode ${octal(d.mode)})`,
      fix: `chmod 700 ${JSON.stringify(dir)}`,
    });
  }
  if (out.length === 0) out.push({ check: 'file modes', status: 'ok', message: `the database is private (mode ${octal(st.mode)})` });
  return out;
}

function configMode(env: NodeJS.ProcessEnv): Finding {
  const file = configPath(env);
  let st: fs.Stats;
  try {
    st = fs.statSync(file);
  } catch {
    return { check: 'config', status: 'ok', message: `no config file (${file}); defaults apply` };
  }
  if (st.mode & 0o022) {
    return {
      check: 'config',
      status: 'fail',
      message: `${file} can be changed by other accounts (mode ${octal(st.mode)}): Tandem will not run the commands it names (password-cmd)`,
      fix: `chmod 600 ${JSON.stringify(file)}`,
    };
  }
  return { check: 'config', status: 'ok', message: `${file} (mode ${octal(st.mode)})` };
}

function onPath(cmd: string, env: NodeJS.ProcessEnv): boolean {
  if (cmd.includes('/')) return fs.existsSync(cmd);
  return (env.PATH ?? '').split(path.delimiter).some((d) => d && fs.existsSync(path.join(d, cmd)));
}

function consoleNeeds(env: NodeJS.ProcessEnv): Finding[] {
  const out: Finding[] = [];
  const editor = env.VISUAL || env.EDITOR;
  const editorCmd = editor?.trim().split(/\s+/)[0];
  if (!editor) out.push({ check: 'editor', status: 'ok', message: 'no $EDITOR: replies and notes use the inline editor' });
  else if (editorCmd && !onPath(editorCmd, env))
    out.push({
      check: 'editor',
      status: 'warn',
      message: `$${env.VISUAL ? 'VISUAL' : 'EDITOR'} is ${JSON.stringify(editor)}, which is not on PATH`,
      fix: 'set $EDITOR to an installed editor, or unset it for the inline editor',
    });
  else out.push({ check: 'editor', status: 'ok', message: `replies open in ${JSON.stringify(editor)}` });
  const locale = env.LC_ALL || env.LC_CTYPE || env.LANG || '';
  if (/utf-?8/i.test(locale)) out.push({ check: 'locale', status: 'ok', message: `${locale}` });
  else
    out.push({
      check: 'locale',
      status: 'warn',
      message: `the locale (${locale || 'unset'}) is not UTF-8: names and wide characters may not draw right`,
      fix: "export LANG=C.UTF-8 (or your language's .UTF-8 locale)",
    });
  let tmux: string | null = null;
  try {
    tmux = execFileSync('tmux', ['-V'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    tmux = null;
  }
  out.push(
    tmux
      ? { check: 'tmux', status: 'ok', message: `${tmux}${env.TMUX ? ' (running inside it)' : ''}` }
      : { check: 'tmux', status: 'ok', message: 'tmux is not installed (optional: the console runs in any terminal)' },
  );
  return out;
}
