// Per-command runtime for the CLI: global options, the opened store, who "I" am, and reading stdin.
// `Deps` is what a command's run function may use; `Runtime` provides it for one run of main().
import type { Command } from 'commander';
import { configuredAgent, loadConfig, type TandemConfig } from '../config/config.js';
import { resolveIdentity, type Agent } from '../core/agents.js';
import { makeCtx, type Ctx } from '../core/context.js';
import { TandemError, invalid, usage } from '../core/errors.js';
import { wakeSnoozed } from '../core/items.js';
import { defaultDatabaseSpec, openStore, printableLocation } from '../store/open.js';
import type { Store } from '../store/store.js';
import { Output } from './output.js';
import { processIO, type CliIO } from './io.js';

export interface GlobalOptions {
  db?: string;
  as?: string;
  json?: boolean | string;
}

/** The runtime pieces a command's run function uses (tests build them on a captured CliIO). */
export interface Deps {
  /** Tables, lines, JSON and notes, on the run's stdout/stderr. */
  readonly out: Output;
  /** The run's streams (raw bytes, progress bars, JSON lines) and environment. */
  readonly io: CliIO;
  readonly env: NodeJS.ProcessEnv;
  readonly opts: GlobalOptions;
  readonly config: TandemConfig;
  readonly dbPath: string;
  readonly location: string;
  /** Set by `init --shared-group` before the database is first opened. */
  sharedGroup: string | null;
  /** The opened store (opened on first use); its clock is `ctx.clock`. */
  ctx(): Promise<Ctx<Store>>;
  me(): Promise<Agent>;
  meOrNull(): Promise<Agent | null>;
  /** All of standard input as UTF-8 text. */
  readStdin(): Promise<string>;
}

export class Runtime implements Deps {
  readonly out: Output;
  readonly env: NodeJS.ProcessEnv;
  private store: Store | null = null;
  private ctxValue: Ctx<Store> | null = null;
  private meValue: Agent | null = null;
  private configValue: TandemConfig | null = null;
  /** Set by `init --shared-group` before the database is first opened. */
  sharedGroup: string | null = null;
  /** Set by the console before the database is first opened (a long-running process: less cache). */
  interactive = false;

  constructor(
    readonly opts: GlobalOptions,
    readonly io: CliIO = processIO(),
  ) {
    this.env = io.env;
    this.out = new Output({ json: opts.json, env: io.env, stdout: io.stdout, stderr: io.stderr });
  }

  readStdin(): Promise<string> {
    return readStdin(this.io.stdin);
  }

  /** The user's config file (read once, on first use; a broken file is an error for every command). */
  get config(): TandemConfig {
    this.configValue ??= loadConfig(this.env);
    return this.configValue;
  }

  /**
   * The database the user named, an SQLite path or a postgres:// URL: --db, else $TANDEM_DB, else
   * `database` in the config file, else the XDG default.
   */
  get dbPath(): string {
    return this.opts.db ?? defaultDatabaseSpec(this.env, this.config.database);
  }

  /** The agent asked for: --as, else $TANDEM_AGENT, else the config file's choice for this database. */
  get wantedAgent(): { handle: string; from: 'option' | 'config' } | null {
    const given = this.opts.as ?? this.env.TANDEM_AGENT;
    if (given) return { handle: given, from: 'option' };
    const configured = configuredAgent(this.config, this.dbPath);
    return configured ? { handle: configured, from: 'config' } : null;
  }

  /** The database, safe to print (a URL's password masked). */
  get location(): string {
    return printableLocation(this.dbPath);
  }

  async ctx(): Promise<Ctx<Store>> {
    if (this.ctxValue) return this.ctxValue;
    this.store = await openStore(this.dbPath, { sharedGroup: this.sharedGroup, interactive: this.interactive });
    this.ctxValue = makeCtx(this.store);
    if (!this.store.readonly) await wakeSnoozed(this.ctxValue);
    return this.ctxValue;
  }

  async me(): Promise<Agent> {
    if (this.meValue) return this.meValue;
    const wanted = this.wantedAgent;
    try {
      this.meValue = await resolveIdentity(await this.ctx(), wanted?.handle, {});
    } catch (e) {
      if (wanted?.from === 'config' && e instanceof TandemError) {
        throw new TandemError(e.kind, `${e.message} (the agent named in ${this.config.file}; override with --as HANDLE)`);
      }
      throw e;
    }
    return this.meValue;
  }

  /** Act as this agent from now on (the console's agent picker chose it). */
  actAs(agent: Agent): void {
    this.meValue = agent;
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

export function runtimeFor(cmd: Command, io: CliIO = processIO()): Runtime {
  return new Runtime(cmd.optsWithGlobals() as GlobalOptions, io);
}

/** Read all of stdin as UTF-8; invalid UTF-8 is refused, not mangled. */
async function readStdin(stdin: CliIO['stdin'] = process.stdin): Promise<string> {
  if (stdin.isTTY) throw usage('"-" reads the text from standard input, but nothing is piped in');
  const chunks: Buffer[] = [];
  for await (const chunk of stdin) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  const buf = Buffer.concat(chunks);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(buf);
  } catch {
    throw invalid('standard input is not valid UTF-8 text; nothing was written');
  }
}

/** A body argument: the text itself, or "-" for stdin. Missing text is a usage error. */
export async function bodyFrom(deps: Pick<Deps, 'readStdin'>, parts: string[] | string | undefined, what: string): Promise<string> {
  const words = Array.isArray(parts) ? parts : parts === undefined ? [] : [parts];
  if (words.length === 1 && words[0] === '-') return deps.readStdin();
  if (words.length === 0) throw usage(`give the ${what} text, or - to read it from standard input`);
  return words.join(' ');
}

export function parseVersion(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text.trim())) throw invalid(`--if-version takes a version number (got ${JSON.stringify(text)})`);
  return Number(text);
}
