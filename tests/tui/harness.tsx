// One harness for every console component test: render the real console on a real temp database
// with ink-testing-library, press keys, read frames. Input handlers subscribe in effects, so after
// rendering and after every key the harness yields (setImmediate, then setTimeout 0) before reading.
import { render } from 'ink-testing-library';
import type { Agent } from '../../src/core/agents.js';
import { Console } from '../../src/tui/app.js';
import { ConsoleApi, type ConsoleFilter, type Counts } from '../../src/tui/console-api.js';
import type { InboxCache } from '../../src/tui/hooks/use-inbox.js';
import type { EditorResult } from '../../src/tui/editor.js';
import { makeTheme } from '../../src/tui/theme.js';
import type { TestEnv } from '../helpers/core.js';

export async function settle(): Promise<void> {
  await new Promise((r) => setImmediate(r));
  await new Promise((r) => setTimeout(r, 0));
}

const KEYS: Record<string, string> = {
  enter: '\r',
  esc: '\u001b',
  tab: '\t',
  space: ' ',
  backspace: '\u007f',
  up: '\u001b[A',
  down: '\u001b[B',
  right: '\u001b[C',
  left: '\u001b[D',
  pageup: '\u001b[5~',
  pagedown: '\u001b[6~',
  home: '\u001b[H',
  end: '\u001b[F',
  'ctrl+c': '\u0003',
  'ctrl+d': '\u0004',
  'ctrl+l': '\u000c',
  'ctrl+u': '\u0015',
};

export interface HarnessOptions {
  columns?: number;
  rows?: number;
  /** Colour level for the theme (0 = plain frames, the default). */
  colour?: 0 | 1;
  /** Environment the console sees ($EDITOR); default: no editor. */
  env?: NodeJS.ProcessEnv;
  runEditor?: (command: string, initial: string, fileName: string) => EditorResult;
  pollMs?: number;
  initialFilter?: ConsoleFilter;
  api?: ConsoleApi;
  /** What run.ts fetches before the console draws. */
  initialWindow?: InboxCache;
  initialTotal?: number;
  initialCounts?: Counts;
}

export interface Harness {
  api: ConsoleApi;
  frame(): string;
  /** The first frame the console drew. */
  firstFrame(): string;
  /** Press keys: names from KEYS ('enter', 'down', 'ctrl+d'…) or literal characters. */
  press(...keys: string[]): Promise<void>;
  /** Type text character by character. */
  type(text: string): Promise<void>;
  /** Settle until the frame matches (or `timeout` ms pass, then fail with the frame). */
  waitFor(match: RegExp | string | ((frame: string) => boolean), timeout?: number): Promise<string>;
  resize(columns: number, rows: number): Promise<void>;
  /** The frame's line holding the list cursor ('>'), or ''. */
  cursorLine(): string;
  unmount(): void;
}

export async function renderConsole(env: TestEnv, me: Agent, opts: HarnessOptions = {}): Promise<Harness> {
  const api = opts.api ?? new ConsoleApi(env.ctx, me);
  const ui = render(
    <Console
      api={api}
      theme={makeTheme(opts.colour ?? 0)}
      env={opts.env ?? {}}
      runEditor={opts.runEditor}
      pollMs={opts.pollMs ?? 60_000}
      initialFilter={opts.initialFilter}
      initialWindow={opts.initialWindow}
      initialTotal={opts.initialTotal}
      initialCounts={opts.initialCounts}
    />,
  );
  let columns = opts.columns ?? 120;
  let rows = opts.rows ?? 30;
  // ink-testing-library's stdout is 100 columns and has no rows: give it a real size.
  Object.defineProperty(ui.stdout, 'columns', { get: () => columns, configurable: true });
  Object.defineProperty(ui.stdout, 'rows', { get: () => rows, configurable: true });
  ui.stdout.emit('resize');
  const frame = () => ui.lastFrame() ?? '';
  const h: Harness = {
    api,
    frame,
    firstFrame: () => ui.frames[0] ?? '',
    async press(...keys) {
      for (const k of keys) {
        ui.stdin.write(KEYS[k] ?? k);
        await settle();
      }
    },
    async type(text) {
      for (const ch of text) {
        ui.stdin.write(ch);
        await settle();
      }
    },
    // Room for a loaded machine running both stores' passes: a wait ends as soon as its frame is there.
    async waitFor(match, timeout = 10_000) {
      const test = typeof match === 'function' ? match : (f: string) => (typeof match === 'string' ? f.includes(match) : match.test(f));
      const until = Date.now() + timeout;
      for (;;) {
        const f = frame();
        if (test(f)) return f;
        if (Date.now() > until) throw new Error(`timed out waiting for ${String(match)}; the frame was:\n${f}`);
        await settle();
        await new Promise((r) => setTimeout(r, 5));
      }
    },
    async resize(c, r) {
      columns = c;
      rows = r;
      ui.stdout.emit('resize');
      await settle();
    },
    cursorLine() {
      return (
        frame()
          .split('\n')
          .find((l) => l.startsWith('>')) ?? ''
      );
    },
    unmount() {
      ui.unmount();
    },
  };
  await settle();
  await h.waitFor((f) => !f.includes('Loading…'));
  return h;
}
