import { describe, expect, it } from 'vitest';
import { sanitizeLine, sanitizeText } from '../../src/text/sanitize.js';
import { displayWidth, fit, truncate, wrap } from '../../src/text/width.js';

describe('sanitizing untrusted text', () => {
  it('removes screen-clearing, title-setting and clipboard escape sequences whole', () => {
    expect(sanitizeLine('a\u001b[2Jb')).toBe('ab');
    expect(sanitizeLine('a\u001b]0;pwned\u0007b')).toBe('ab');
    expect(sanitizeLine('a\u001b]52;c;aGVsbG8=\u0007b')).toBe('ab');
    expect(sanitizeLine('a\u001b]8;;http://x\u001b\\link\u001b]8;;\u001b\\b')).toBe('alinkb');
    expect(sanitizeLine('a\u009b31mred\u009b0mb')).toBe('aredb');
    expect(sanitizeLine('a\u001bPq#0;2;0;0;0\u001b\\b')).toBe('ab');
    expect(sanitizeLine('\u001bcreset')).toBe('reset');
  });

  it('shows other control characters as visible placeholders and never passes ESC or BEL', () => {
    const out = sanitizeText('bell\u0007 nul\u0000 bs\u0008 del\u007f c1\u0085 rtl\u202e');
    expect(out).toBe('bell␇ nul␀ bs␈ del␡ c1\ufffd rtl\ufffd');
    expect(out).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
  });

  it('keeps line breaks in text and turns them into spaces in a line; tabs become spaces', () => {
    expect(sanitizeText('one\r\ntwo\rthree\tx')).toBe('one\ntwo\nthree    x');
    expect(sanitizeLine('one\n\ntwo')).toBe('one two');
  });
});

describe('column widths', () => {
  it('counts wide characters as two columns and never splits one when truncating', () => {
    expect(displayWidth('日本語')).toBe(6);
    expect(displayWidth('👍ok')).toBe(4);
    expect(truncate('日本語のテキスト', 7)).toBe('日本語…');
    expect(displayWidth(truncate('日本語のテキスト', 7))).toBeLessThanOrEqual(7);
    expect(fit('ab', 4)).toBe('ab  ');
    expect(fit('日本', 5, 'right')).toBe(' 日本');
    expect(displayWidth(fit('👨‍👩‍👧 family', 6))).toBe(6);
  });

  it('wraps text to a width, splitting only words longer than a line', () => {
    expect(wrap('the quick brown fox', 10)).toEqual(['the quick', 'brown fox']);
    expect(wrap('abcdefghijkl', 5)).toEqual(['abcde', 'fghij', 'kl']);
    expect(wrap('a\nb', 10)).toEqual(['a', 'b']);
  });
});
