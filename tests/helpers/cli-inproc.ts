// Run `tandem` in this process: the whole program through main(argv, io), with captured stdout and
// stderr, stdin from the test, and the environment the binary would get from tests/helpers/cli.ts.
// Same signature and result as runTandem, so a test moves here by its import; what only a real process
// shows (signals, EPIPE, TTY detection, the launcher) stays with the binary in tests/helpers/cli.ts.
import { Readable, Writable } from 'node:stream';
import { main } from '../../src/cli/main.js';
import type { CliIO } from '../../src/cli/io.js';
import { testEnv, type RunOptions, type RunResult } from './cli.js';

export type { RunOptions, RunResult } from './cli.js';

/** A pipe that keeps what is written to it (not a terminal, as stdout is under `$(…)`). */
class Capture extends Writable {
  private chunks: Buffer[] = [];
  override _write(chunk: Buffer | string, _enc: BufferEncoding, cb: (e?: Error | null) => void): void {
    this.chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
    cb();
  }
  text(): string {
    return Buffer.concat(this.chunks).toString('utf8');
  }
}

export async function runTandem(args: string[], opts: RunOptions = {}): Promise<RunResult> {
  const env = testEnv(opts);
  if (env.TZ !== 'UTC') throw new Error("in-process runs share the test process's time zone (UTC); use the binary for another TZ");
  const stdout = new Capture();
  const stderr = new Capture();
  const input = opts.input === undefined ? [] : [typeof opts.input === 'string' ? Buffer.from(opts.input) : opts.input];
  const io: CliIO = { stdout, stderr, stdin: Readable.from(input), env: env as NodeJS.ProcessEnv };
  const code = await main(['node', 'tandem', ...args], io);
  return { code, stdout: stdout.text(), stderr: stderr.text() };
}

/** Run and parse stdout as JSON, failing loudly with stderr when the command failed. */
export async function runJson<T = any>(args: string[], opts: RunOptions = {}): Promise<T> {
  const r = await runTandem([...args, '--json'], opts);
  if (r.code !== 0) throw new Error(`tandem ${args.join(' ')} exited ${r.code}: ${r.stderr}`);
  return JSON.parse(r.stdout) as T;
}
