// Drive the built `tandem` in a real terminal: a private tmux server per session (its own socket),
// keys in with send-keys, the screen out with capture-pane. Waits poll the screen; never fixed sleeps.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';

export const hasTmux = spawnSync('tmux', ['-V'], { encoding: 'utf8' }).status === 0;

let counter = 0;

/** Quote a word for sh. */
export function sh(word: string): string {
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

export interface TmuxOptions {
  width?: number;
  height?: number;
}

export class TmuxSession {
  readonly socket = `tandem-e2e-${process.pid}-${++counter}`;
  readonly name = 'console';

  constructor(command: string, opts: TmuxOptions = {}) {
    this.tmux([
      '-f',
      '/dev/null',
      'new-session',
      '-d',
      '-s',
      this.name,
      '-x',
      String(opts.width ?? 120),
      '-y',
      String(opts.height ?? 40),
      command,
    ]);
  }

  private tmux(args: string[]): string {
    const env = { ...process.env };
    delete env.TMUX; // tests may themselves run inside tmux
    const r = spawnSync('tmux', ['-L', this.socket, ...args], { encoding: 'utf8', env });
    if (r.status !== 0) throw new Error(`tmux ${args.join(' ')} failed: ${r.stderr}`);
    return r.stdout;
  }

  /** The visible screen as text. */
  capture(): string {
    return this.tmux(['capture-pane', '-p', '-t', this.name]);
  }

  /** Send tmux key names ('j', 'Enter', 'Escape', 'C-c', 'Space'…), one send per key. */
  keys(...keys: string[]): void {
    for (const k of keys) this.tmux(['send-keys', '-t', this.name, k]);
  }

  /** Send text literally, as if pasted or typed quickly. */
  type(text: string): void {
    this.tmux(['send-keys', '-t', this.name, '-l', text]);
  }

  /** Paste text as a terminal does: bracketed (ESC [200~ … ESC [201~) when the program asked for it. */
  paste(text: string): void {
    this.tmux(['set-buffer', '-b', 'tandem-paste', text]);
    this.tmux(['paste-buffer', '-p', '-d', '-b', 'tandem-paste', '-t', this.name]);
  }

  title(): string {
    return this.tmux(['display-message', '-p', '-t', this.name, '#{pane_title}']).trim();
  }

  buffers(): string {
    return this.tmux(['list-buffers']).trim();
  }

  async waitFor(match: RegExp | string | ((screen: string) => boolean), timeout = 10_000): Promise<string> {
    const test = typeof match === 'function' ? match : (s: string) => (typeof match === 'string' ? s.includes(match) : match.test(s));
    const until = Date.now() + timeout;
    let screen = '';
    for (;;) {
      screen = this.capture();
      if (test(screen)) return screen;
      if (Date.now() > until) throw new Error(`timed out after ${timeout} ms waiting for ${String(match)}; the screen was:\n${screen}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** The screen line holding the list cursor. */
  cursorLine(screen = this.capture()): string {
    return screen.split('\n').find((l) => l.startsWith('>')) ?? '';
  }

  kill(): void {
    let socketPath = '';
    try {
      socketPath = this.tmux(['display-message', '-p', '#{socket_path}']).trim();
      this.tmux(['kill-server']);
    } catch {
      // already gone
    }
    // tmux leaves the socket file of a killed server behind.
    if (socketPath.endsWith(this.socket)) fs.rmSync(socketPath, { force: true });
  }
}
