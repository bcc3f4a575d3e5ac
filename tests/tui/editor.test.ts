import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cutAtScissors, editorCommand, quoteBlock, runExternalEditor, SCISSORS } from '../../src/tui/editor.js';
import { editorOutcome } from '../../src/tui/hooks/use-write-text.js';
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
    const r = runExternalEditor(ed, 'draft', 'tandem-reply-7.txt', {
      release: () => calls.push('release'),
      restore: () => calls.push('restore'),
    });
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
    expect(runExternalEditor(bad, '', 'x.txt', { release() {}, restore() {} })).toEqual({
      text: 'half',
      ok: false,
      error: 'the editor exited with status 3',
    });
    expect(runExternalEditor('/no/such/editor', 'kept', 'x.txt', { release() {}, restore() {} })).toMatchObject({
      text: 'kept',
      ok: false,
    });
  });

  it('quotes the message being answered below a scissors line, and sends only what is above it', () => {
    const block = quoteBlock({ heading: 'Jo wrote on 2026-03-02 09:00', body: 'Line one\r\n\nLine three  \n' });
    expect(block).toBe(
      `\n\n${SCISSORS}\n# Everything from the line above down is removed before sending.\n# Jo wrote on 2026-03-02 09:00:\n# > Line one\n# >\n# > Line three\n`,
    );
    expect(cutAtScissors(`Thanks!\n# not a comment: kept\n${block}`)).toBe('Thanks!\n# not a comment: kept');
    expect(cutAtScissors('no block\n\n')).toBe('no block');
    expect(quoteBlock(null)).toBe('');
  });

  it('judges an editor run against what it was given: failed, empty, unchanged or done', () => {
    const given = 'draft' + quoteBlock({ heading: 'Jo wrote', body: 'Hi' });
    expect(editorOutcome({ text: given, ok: false, error: 'the editor exited with status 1' }, given)).toEqual({
      how: 'failed',
      text: 'draft',
      reason: 'the editor exited with status 1',
    });
    expect(editorOutcome({ text: given, ok: true }, given)).toEqual({ how: 'unchanged', text: 'draft' });
    expect(editorOutcome({ text: given.replace('draft', ''), ok: true }, given)).toEqual({ how: 'empty', text: '' });
    // Editing only the quoted context is no change either.
    expect(editorOutcome({ text: given.replace('# > Hi', '# > Hi there'), ok: true }, given).how).toBe('unchanged');
    expect(editorOutcome({ text: given.replace('draft', 'draft, done'), ok: true }, given)).toEqual({ how: 'done', text: 'draft, done' });
  });
});
