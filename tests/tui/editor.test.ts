import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { editorCommand, runExternalEditor } from '../../src/tui/editor.js';
import { tempDir } from '../helpers/core.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

function script(body: string): string {
  const dir = tempDir('tandem-editor-');
  dirs.push(dir);
  const file = path.join(dir, 'ed.sh');
  fs.writeFileSync(file, `#!/bin/sh\n${body}\n`, { mode: 0o755 });
  return file;
}

describe('$EDITOR', () => {
  it('prefers $VISUAL, then $EDITOR', () => {
    expect(editorCommand({ VISUAL: 'code -w', EDITOR: 'vi' })).toBe('code -w');
    expect(editorCommand({ EDITOR: ' vi ' })).toBe('vi');
    expect(editorCommand({ EDITOR: '' })).toBeNull();
  });

  it('runs the editor on a temporary file holding the draft, releases and restores the terminal, and cleans up', () => {
    const calls: string[] = [];
    let seen = '';
    const ed = script('seen=$(cat "$1"); printf "%s and more\\n\\n" "$seen" > "$1"; echo "$1" > "$(dirname "$0")/path"');
    const r = runExternalEditor(ed, 'draft', 'tandem-reply-7.txt', { release: () => calls.push('release'), restore: () => calls.push('restore') });
    expect(r).toEqual({ text: 'draft and more', ok: true, error: undefined });
    expect(calls).toEqual(['release', 'restore']);
    seen = fs.readFileSync(path.join(path.dirname(ed), 'path'), 'utf8').trim();
    expect(path.basename(seen)).toBe('tandem-reply-7.txt');
    expect(fs.existsSync(seen)).toBe(false);
  });

  it('passes arguments given in $EDITOR, and reports a failing editor with the text kept', () => {
    const ed = script('printf "%s" "$1" > "$2"');
    expect(runExternalEditor(`${ed} --wait`, '', 'x.txt', { release() {}, restore() {} }).text).toBe('--wait');
    const bad = script('printf "half" > "$1"; exit 3');
    expect(runExternalEditor(bad, '', 'x.txt', { release() {}, restore() {} })).toEqual({ text: 'half', ok: false, error: 'the editor exited with status 3' });
    expect(runExternalEditor('/no/such/editor', 'kept', 'x.txt', { release() {}, restore() {} })).toMatchObject({ text: 'kept', ok: false });
  });
});
