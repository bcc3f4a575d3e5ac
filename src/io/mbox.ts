// Splitting an mbox mailbox (mboxrd or mboxo) into raw messages, bytes kept as they are.
import { invalid } from '../core/errors.js';

/**
 * Messages start at lines beginning "From " (the envelope line, dropped). mboxrd escapes body lines
 * that look like /^>*From / with one more '>', mboxo only /^From /; removing one '>' reads both.
 */
export function splitMbox(file: string, buf: Buffer): Buffer[] {
  if (buf.length === 0) return [];
  // latin1 maps bytes 1:1, so splitting a string and turning it back loses no 8-bit content.
  const text = buf.toString('latin1');
  if (!text.startsWith('From ')) {
    throw invalid(`${file} is not an mbox mailbox (it must start with a "From " line); for single messages use --format eml`);
  }
  const parts = text.split(/(?:^|\r?\n)From [^\n]*\n/).slice(1);
  return parts.map((p) => Buffer.from(p.replace(/^>(>*From )/gm, '$1'), 'latin1'));
}
