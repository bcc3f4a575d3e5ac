// Column-aware text fitting: wide (CJK, emoji) characters take two columns; truncation never splits one.
import stringWidth from 'string-width';

const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

export function displayWidth(text: string): number {
  return stringWidth(text);
}

/** Cut `text` to at most `width` columns, ending with '…' when cut. */
export function truncate(text: string, width: number): string {
  if (width <= 0) return '';
  if (stringWidth(text) <= width) return text;
  let out = '';
  let used = 0;
  for (const { segment } of segmenter.segment(text)) {
    const w = stringWidth(segment);
    if (used + w > width - 1) break;
    out += segment;
    used += w;
  }
  return out + '…';
}

/** Truncate or pad with spaces to exactly `width` columns. */
export function fit(text: string, width: number, align: 'left' | 'right' = 'left'): string {
  const t = truncate(text, width);
  const pad = ' '.repeat(Math.max(0, width - stringWidth(t)));
  return align === 'left' ? t + pad : pad + t;
}

/** Wrap text to `width` columns (words where possible), keeping existing line breaks. */
export function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  for (const para of text.split('\n')) {
    let line = '';
    let used = 0;
    for (const word of para.split(/(\s+)/)) {
      if (!word) continue;
      const w = stringWidth(word);
      if (used + w <= width) {
        line += word;
        used += w;
        continue;
      }
      if (line.trim()) lines.push(line.trimEnd());
      line = '';
      used = 0;
      if (/^\s+$/.test(word)) continue;
      // A word longer than the line is split by grapheme.
      let rest = word;
      while (stringWidth(rest) > width) {
        let chunk = '';
        let cw = 0;
        for (const { segment } of segmenter.segment(rest)) {
          const sw = stringWidth(segment);
          if (cw + sw > width) break;
          chunk += segment;
          cw += sw;
        }
        if (!chunk) break;
        lines.push(chunk);
        rest = rest.slice(chunk.length);
      }
      line = rest;
      used = stringWidth(rest);
    }
    lines.push(line.trimEnd());
  }
  return lines;
}
