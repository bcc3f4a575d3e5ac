// Drive the built console in a real terminal: a detached tmux session of a given size, keys sent with
// send-keys, the screen read with capture-pane. Each session has its own name and is killed afterwards.
import { execFileSync, spawnSync } from 'node:child_process';
import { BIN } from '../helpers/cli.js';

export const HAS_TMUX = spawnSync('tmux', ['-V']).status === 0;

export interface TmuxSession {
  /** The visible screen, one line per row. */
  screen(): string;
  /** Keys as tmux names them: 'K', 'Escape', 'Enter', 'j'… */
  send(...keys: string[]): void;
  waitFor(match: string | RegExp | ((screen: string) => boolean), timeout?: number): Promise<string>;
  kill(): void;
}

let counter = 0;

/** Start `tandem` (the console) in a detached tmux session on `db`, as agent `as`. */
export function startConsole(db: string, as: string, columns = 140, rows = 40): TmuxSession {
  const name = `tandem-e2e-${process.pid}-${++counter}`;
  const command = `TZ=UTC TANDEM_DB='${db}' TANDEM_AGENT='${as}' '${process.execPath}' '${BIN}'`;
  execFileSync('tmux', ['new-session', '-d', '-s', name, '-x', String(columns), '-y', String(rows), command]);
  const screen = () => execFileSync('tmux', ['capture-pane', '-p', '-t', name], { encoding: 'utf8' });
  return {
    screen,
    send: (...keys) => void execFileSync('tmux', ['send-keys', '-t', name, ...keys]),
    async waitFor(match, timeout = 10_000) {
      const test = typeof match === 'function' ? match : (s: string) => (typeof match === 'string' ? s.includes(match) : match.test(s));
      const until = Date.now() + timeout;
      for (;;) {
        const s = screen();
        if (test(s)) return s;
        if (Date.now() > until) throw new Error(`timed out waiting for ${String(match)}; the screen was:\n${s}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    kill: () => void spawnSync('tmux', ['kill-session', '-t', name]),
  };
}
