// Starting and stopping the console: the alternate screen on the way in, and on every way out
// (q, Ctrl-C, a signal, an uncaught error) the terminal exactly as it was: main screen back, cursor
// shown, raw mode off. Ink and React load only here, so scripting commands never pay for them.
import type { Runtime } from '../cli/runtime.js';
import { configPath, rememberAgent } from '../config/config.js';
import { listAgents, type Agent } from '../core/agents.js';
import type { WhoAreYouResult } from './views/who-are-you.js';
import type { TerminalControl } from './editor.js';
import { shrinkYoungGeneration } from './young-generation.js';

// Bracketed paste (?2004) on while the console runs: a paste arrives marked, and is taken as text, never as keys.
const ENTER_ALT = '\u001b[?1049h\u001b[H\u001b[2J\u001b[?2004h';
const LEAVE_ALT = '\u001b[?2004l\u001b[?25h\u001b[?1049l';
const HIDE_CURSOR = '\u001b[?25l';

/**
 * Import Ink and React as an interactive program: Ink decides at import whether it runs in CI (then it
 * draws nothing), React whether to load its (much slower) development build. We know we are on a
 * terminal for a user, so neither; the environment is put back for child processes ($EDITOR).
 */
async function importInteractive<T>(load: () => Promise<T>): Promise<T> {
  const saved = { CI: process.env.CI, CONTINUOUS_INTEGRATION: process.env.CONTINUOUS_INTEGRATION, NODE_ENV: process.env.NODE_ENV };
  delete process.env.CI;
  delete process.env.CONTINUOUS_INTEGRATION;
  process.env.NODE_ENV ??= 'production';
  // Ink's layout engine is WebAssembly inlined in the bundle; its loader asks `typeof fetch` first, and
  // in Node 20 merely reading `fetch` loads the whole HTTP client (~30 ms of start-up). Hidden while
  // Ink loads (it then instantiates from the inlined bytes), put back right after.
  const fetchProperty = Object.getOwnPropertyDescriptor(globalThis, 'fetch');
  if (fetchProperty?.configurable) Object.defineProperty(globalThis, 'fetch', { value: undefined, configurable: true, writable: true });
  try {
    const loaded = await load();
    const { yogaReady } = await import('./yoga-ready.js');
    await yogaReady();
    return loaded;
  } finally {
    if (fetchProperty?.configurable) Object.defineProperty(globalThis, 'fetch', fetchProperty);
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

/**
 * Several agents and nobody named (--as, $TANDEM_AGENT, the config file): ask on screen, and remember
 * the answer in the config file when the user says so. Null when the user left instead.
 */
async function pickAgent(rt: Runtime, agents: Agent[]): Promise<Agent | null> {
  const [{ render }, React, { WhoAreYou }, { colourLevel, makeTheme }] = await importInteractive(() =>
    Promise.all([import('ink'), import('react'), import('./views/who-are-you.js'), import('./theme.js')]),
  );
  let result: WhoAreYouResult | null = null;
  process.stdout.write(ENTER_ALT + HIDE_CURSOR);
  const instance = render(
    ((React as unknown as { default?: typeof React }).default ?? React).createElement(WhoAreYou, {
      agents,
      database: rt.location,
      configFile: configPath(rt.env),
      theme: makeTheme(colourLevel(process.env, true)),
      onDone: (r) => (result = r),
    }),
    { exitOnCtrlC: false, patchConsole: false },
  );
  try {
    await instance.waitUntilExit();
  } finally {
    process.stdout.write(LEAVE_ALT);
  }
  const chosen = result as WhoAreYouResult | null;
  if (!chosen) return null;
  if (chosen.remember) rememberAgent(rt.env, rt.dbPath, chosen.handle);
  return agents.find((a) => a.handle === chosen.handle) ?? null;
}

export async function runConsole(rt: Runtime): Promise<void> {
  // Who and where first: a missing identity is reported on the normal screen, as for any command.
  rt.interactive = true;
  const ctx = await rt.ctx();
  if (!rt.wantedAgent) {
    const active = await listAgents(ctx);
    if (active.length > 1) {
      const picked = await pickAgent(rt, active);
      if (!picked) return rt.close();
      rt.actAs(picked);
    }
  }
  const me = await rt.me();
  const { ConsoleApi, DEFAULT_FILTER } = await import('./console-api.js');
  const { layoutFor } = await import('./layout.js');
  const api = new ConsoleApi(ctx, me);
  // The first rows are fetched while Ink and React load, so the first frame has them.
  const { pageSize } = layoutFor({ columns: process.stdout.columns || 80, rows: process.stdout.rows || 24 });
  // With its count (when the window does not already show the whole list) and the header counts:
  // drawing a first frame without them costs a second one.
  const firstWindow = (async () => {
    const w = await api.inboxWindow(DEFAULT_FILTER, 0, pageSize * 3);
    const total = w.rows.length < pageSize * 3 ? undefined : await api.inboxCount(DEFAULT_FILTER);
    return { window: { start: 0, rows: w.rows, marks: w.marks, drafts: w.drafts }, total, counts: await api.counts() };
  })().catch(() => undefined); // the console loads them again and shows what went wrong
  const [{ render }, React, { Console }, { colourLevel, makeTheme }, trace] = await importInteractive(() =>
    Promise.all([import('ink'), import('react'), import('./app.js'), import('./theme.js'), import('./trace.js')]),
  );
  const first = await firstWindow;
  trace.startKeyTrace(process.env.TANDEM_TRACE_KEYS);
  const { shareInkLineCache } = await import('./ink-speedup.js');
  await shareInkLineCache();
  const stdin = process.stdin;
  const stdout = process.stdout;

  let restored = false;
  let editing = false;
  const restore = () => {
    if (restored) return;
    restored = true;
    try {
      if (stdin.isTTY) stdin.setRawMode(false);
    } catch {
      // stdin may already be gone
    }
    stdout.write(LEAVE_ALT);
  };
  const terminal: TerminalControl = {
    release() {
      editing = true;
      if (stdin.isTTY) stdin.setRawMode(false);
      stdout.write(LEAVE_ALT);
    },
    restore() {
      if (stdin.isTTY) stdin.setRawMode(true);
      stdout.write(ENTER_ALT + HIDE_CURSOR);
      editing = false;
    },
  };

  stdout.write(ENTER_ALT);
  const instance = render(
    // A bundled dynamic import of a CommonJS module may arrive as { default: module.exports }.
    ((React as unknown as { default?: typeof React }).default ?? React).createElement(Console, {
      api,
      theme: makeTheme(colourLevel(process.env, true)),
      env: process.env,
      terminal,
      initialWindow: first?.window,
      initialTotal: first?.total,
      initialCounts: first?.counts,
    }),
    // Not incrementalRendering: in Ink 6.8 it writes each frame one line lower than the last.
    // maxFps 1000: Ink's throttle only delays; keys that arrive together are handled in one pass and
    // drawn as one frame anyway (at 120 its 9 ms wait was a third of the key-to-frame time).
    { exitOnCtrlC: false, patchConsole: true, maxFps: 1000, onRender: trace.noteFrame },
  );

  // After the first frame (drawn within a few ms), before the keys: see young-generation.ts.
  setTimeout(shrinkYoungGeneration, 300).unref();

  const onSignal = (signal: NodeJS.Signals) => {
    if (editing && signal === 'SIGINT') return; // meant for the editor
    instance.unmount();
    restore();
    process.exit(signal === 'SIGINT' ? 130 : signal === 'SIGHUP' ? 129 : 143);
  };
  const onFatal = (e: unknown) => {
    try {
      instance.unmount();
    } catch {
      // the error may have come from rendering itself
    }
    restore();
    process.stderr.write(`tandem: unexpected error: ${(e as Error)?.stack ?? String(e)}\n`);
    process.exit(1);
  };
  const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
  for (const s of signals) process.on(s, onSignal);
  process.on('uncaughtException', onFatal);
  process.on('unhandledRejection', onFatal);
  process.on('exit', restore);
  try {
    await instance.waitUntilExit();
  } finally {
    restore();
    for (const s of signals) process.off(s, onSignal);
    process.off('uncaughtException', onFatal);
    process.off('unhandledRejection', onFatal);
    process.off('exit', restore);
    await rt.close();
  }
}
