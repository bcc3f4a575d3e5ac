// Run the built `tandem` binary as a user's shell would: real process, real exit code, stdin/stdout pipes.
import { spawn } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const NO_CONFIG = path.join(os.tmpdir(), 'tandem-test-no-config');

export const BIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../bin/tandem.js');

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  db?: string;
  input?: string | Buffer;
  env?: Record<string, string | undefined>;
  as?: string;
}

/**
 * The environment a test's tandem runs in: no user config file unless a test gives XDG_CONFIG_HOME, no
 * inherited agent or database (the machine's own settings never leak in), UTC, no colour.
 */
export function testEnv(opts: RunOptions): Record<string, string> {
  const env: Record<string, string | undefined> = {
    ...process.env,
    NO_COLOR: '1',
    TZ: 'UTC',
    TANDEM_AGENT: undefined,
    TANDEM_DB: undefined,
    XDG_CONFIG_HOME: NO_CONFIG,
    ...opts.env,
  };
  if (opts.db) env.TANDEM_DB = opts.db;
  if (opts.as) env.TANDEM_AGENT = opts.as;
  for (const k of Object.keys(env)) if (env[k] === undefined) delete env[k];
  return env as Record<string, string>;
}

export function runTandem(args: string[], opts: RunOptions = {}): Promise<RunResult> {
  const env = testEnv(opts);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: env as NodeJS.ProcessEnv, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
    child.stdin.on('error', () => undefined); // the command may exit before reading all input
    if (opts.input !== undefined) child.stdin.end(opts.input);
    else child.stdin.end();
  });
}

/** Run and parse stdout as JSON, failing loudly with stderr when the command failed. */
export async function runJson<T = any>(args: string[], opts: RunOptions = {}): Promise<T> {
  const r = await runTandem([...args, '--json'], opts);
  if (r.code !== 0) throw new Error(`tandem ${args.join(' ')} exited ${r.code}: ${r.stderr}`);
  return JSON.parse(r.stdout) as T;
}
