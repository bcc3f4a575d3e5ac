// Per-command runtime for the CLI: global options, the opened store, who "I" am, and reading stdin.
import type { Command } from 'commander';
import { resolveIdentity, type Agent } from '../core/agents.js';
import { makeCtx, type Ctx } from '../core/context.js';
import { invalid, usage } from '../core/errors.js';
import { wakeSnoozed } from '../core/items.js';
import { defaultDatabaseSpec, openStore, printableLocation } from '../store/open.js';
import type { Store } from '../store/store.js';
import { Output } from './output.js';

export interface GlobalOptions {
  db?: string;
  as?: string;
  json?: boolean;
}

export class Runtime {
  readonly out: Output;
  private store: Store | null = null;
  private ctxValue: Ctx<Store> | null = null;
  private meValue: Agent | null = null;
  /** Set by `init --shared-group` before the database is first opened. */
  sharedGroup: string | null = null;

  constructor(readonly opts: GlobalOptions, readonly env: NodeJS.ProcessEnv = process.env) {
    this.out = new Output({ json: opts.json, env });
  }

  /** The database the user named: an SQLite path or a postgres:// URL. */
  get dbPath(): string {
    return this.opts.db ?? defaultDatabaseSpec(this.env);
  }

  /** The database, safe to print (a URL's password masked). */
  get location(): string {
    return printableLocation(this.dbPath);
  }

  async ctx(): Promise<Ctx<Store>> {
    if (this.ctxValue) return this.ctxValue;
    this.store = await openStore(this.dbPath, { sharedGroup: this.sharedGroup });
    this.ctxValue = makeCtx(this.store);
    if (!this.store.readonly) await wakeSnoozed(this.ctxValue);
    return this.ctxValue;
  }

  async me(): Promise<Agent> {
    if (!this.meValue) this.meValue = await resolveIdentity(await this.ctx(), this.opts.as, this.env);
    return this.meValue;
  }

  /** Identity when it can be known, else null (read-only commands work without one). */
  async meOrNull(): Promise<Agent | null> {
    try {
      return await this.me();
    } catch {
      return null;
    }
  }

  async close(): Promise<void> {
    await this.store?.close();
    this.store = null;
    this.ctxValue = null;
  }
}

export function runtimeFor(cmd: Command): Runtime {
  return new Runtime(cmd.optsWithGlobals() as GlobalOptions);
}

/** Read all of stdin as UTF-8; invalid UTF-8 is refused, not mangled. */
export async function readStdin(): Promise<string> {
  if (process.stdin.isTTY) throw usage('"-" reads the text from standard input, but nothing is piped in');
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  const buf = Buffer.concat(chunks);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(buf);
  } catch {
    throw invalid('standard input is not valid UTF-8 text; nothing was written');
  }
}

/** A body argument: the text itself, or "-" for stdin. Missing text is a usage error. */
export async function bodyFrom(parts: string[] | string | undefined, what: string): Promise<string> {
  const words = Array.isArray(parts) ? parts : parts === undefined ? [] : [parts];
  if (words.length === 1 && words[0] === '-') return readStdin();
  if (words.length === 0) throw usage(`give the ${what} text, or - to read it from standard input`);
  return words.join(' ');
}

export function parseVersion(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text.trim())) throw invalid(`--if-version takes a version number (got ${JSON.stringify(text)})`);
  return Number(text);
}
