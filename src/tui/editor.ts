// Writing a reply or note in the agent's own editor: the console hands the terminal over
// ($VISUAL, else $EDITOR, run through the shell like git does), then takes it back and redraws.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** Hands the terminal to a child process and takes it back (raw mode, alternate screen). */
export interface TerminalControl {
  release(): void;
  restore(): void;
}

export const NO_TERMINAL: TerminalControl = { release: () => undefined, restore: () => undefined };

export function editorCommand(env: NodeJS.ProcessEnv): string | null {
  const cmd = (env.VISUAL || env.EDITOR || '').trim();
  return cmd || null;
}

export interface EditorResult {
  /** The file's text after the editor exited (trailing newlines trimmed). */
  text: string;
  /** False when the editor could not start or exited with an error (e.g. vim's :cq). */
  ok: boolean;
  error?: string;
}

/**
 * Run `command` on a temporary file holding `initial`; returns what the file holds afterwards.
 * Synchronous on purpose: while the editor runs, this process reads nothing from the terminal.
 */
export function runExternalEditor(
  command: string,
  initial: string,
  fileName: string,
  terminal: TerminalControl,
  env: NodeJS.ProcessEnv = process.env,
): EditorResult {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-edit-'));
  const file = path.join(dir, fileName.replace(/[^a-zA-Z0-9._-]/g, '_'));
  fs.writeFileSync(file, initial, { mode: 0o600 });
  terminal.release();
  let status: number | null = null;
  let error: string | undefined;
  try {
    // `sh -c '$EDITOR "$1"'` lets EDITOR carry arguments ("code -w", "vim -u NONE").
    const r = spawnSync('/bin/sh', ['-c', `${command} "$1"`, 'tandem-editor', file], { stdio: 'inherit', env });
    status = r.status;
    if (r.error) error = r.error.message;
    else if (r.signal) error = `the editor was stopped by ${r.signal}`;
    else if (status !== 0) error = `the editor exited with status ${status}`;
  } finally {
    terminal.restore();
  }
  let text = initial;
  try {
    text = fs.readFileSync(file, 'utf8').replace(/\r\n/g, '\n').replace(/\n+$/, '');
  } catch (e) {
    error ??= `could not read the edited text: ${(e as Error).message}`;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  return { text, ok: error === undefined, error };
}

/** The customer's message a reply answers, shown while writing. */
export interface Quote {
  /** "Jo Park wrote on 2026-03-02 09:00" */
  heading: string;
  body: string;
}

/** The line (as git's) from which down the file is context for the writer, never sent. */
export const SCISSORS = '# ------------------------ >8 ------------------------';

/** The context block put under the text in $EDITOR: the quoted message as comment lines. */
export function quoteBlock(quote: Quote | null): string {
  if (!quote) return '';
  const quoted = quote.body
    .replace(/\r\n?/g, '\n')
    .trimEnd()
    .split('\n')
    .map((l) => `# > ${l}`.trimEnd());
  return ['', '', SCISSORS, '# Everything from the line above down is removed before sending.', `# ${quote.heading}:`, ...quoted, ''].join(
    '\n',
  );
}

/** The text without the context block: everything before the scissors line, trailing blank lines trimmed. */
export function cutAtScissors(text: string): string {
  const lines = text.replace(/\r\n/g, '\n').split('\n');
  const at = lines.indexOf(SCISSORS);
  return (at < 0 ? lines : lines.slice(0, at)).join('\n').replace(/\s+$/, '');
}
