// Starting and stopping the console: the alternate screen on the way in, and on every way out
// (q, Ctrl-C, a signal, an uncaught error) the terminal exactly as it was: main screen back, cursor
// shown, raw mode off. Ink and React load only here, so scripting commands never pay for them.
import type { Runtime } from '../cli/runtime.js';
import type { TerminalControl } from './editor.js';

const ENTER_ALT = '\u001b[?1049h\u001b[H\u001b[2J';
const LEAVE_ALT = '\u001b[?25h\u001b[?1049l';
const HIDE_CURSOR = '\u001b[?25l';

/** Import Ink as an interactive program even when CI variables are set: we know we are on a terminal. */
async function importInteractive<T>(load: () => Promise<T>): Promise<T> {
  const saved = { CI: process.env.CI, CONTINUOUS_INTEGRATION: process.env.CONTINUOUS_INTEGRATION };
  delete process.env.CI;
  delete process.env.CONTINUOUS_INTEGRATION;
  try {
    return await load();
  } finally {
    for (const [k, v] of Object.entries(saved)) if (v !== undefined) process.env[k] = v;
  }
}

export async function runConsole(rt: Runtime): Promise<void> {
  // Who and where first: a missing identity is reported on the normal screen, as for any command.
  const ctx = await rt.ctx();
  const me = await rt.me();
  const [{ render }, React, { Console }, { ConsoleApi }, { colourLevel, makeTheme }] = await importInteractive(() => Promise.all([
    import('ink'), import('react'), import('./app.js'), import('./console-api.js'), import('./theme.js'),
  ]));
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
    ((React as unknown as { default?: typeof React }).default ?? React).createElement(Console, { api: new ConsoleApi(ctx, me), theme: makeTheme(colourLevel(process.env, true)), env: process.env, terminal }),
    // Not incrementalRendering: in Ink 6.8 it writes each frame one line lower than the last.
    { exitOnCtrlC: false, patchConsole: true, maxFps: 120 },
  );

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
