// Reading a text file line by line, synchronously (imports run inside one synchronous bulk
// transaction), refusing binary data and invalid UTF-8 with the line where they start.
import fs from 'node:fs';
import { invalid, notFound } from '../core/errors.js';

const CHUNK = 1 << 20;

/** Throw a clear error when the first bytes of a file look binary (NUL bytes). */
export function refuseBinary(file: string, head: Buffer): void {
  if (head.subarray(0, 8192).includes(0)) {
    throw invalid(`${file} looks like a binary file (it holds NUL bytes), not a text export; nothing was written`);
  }
}

export function readHead(file: string, bytes = 8192): Buffer {
  const fd = openForReading(file);
  try {
    const buf = Buffer.alloc(bytes);
    const n = fs.readSync(fd, buf, 0, bytes, null);
    return buf.subarray(0, n);
  } finally {
    fs.closeSync(fd);
  }
}

export function openForReading(file: string): number {
  try {
    if (fs.statSync(file).isDirectory()) throw invalid(`${file} is a directory, not a file to import`);
    return fs.openSync(file, 'r');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') throw notFound(`no such file: ${file}`);
    if ((e as NodeJS.ErrnoException).code === 'EACCES') throw invalid(`cannot read ${file}: permission denied`);
    throw e;
  }
}

/** Count lines cheaply (for a progress total). */
export function countLines(file: string): number {
  const fd = openForReading(file);
  const buf = Buffer.alloc(CHUNK);
  let lines = 0;
  let last = 10;
  try {
    for (;;) {
      const n = fs.readSync(fd, buf, 0, CHUNK, null);
      if (n === 0) break;
      for (let i = buf.indexOf(10, 0); i !== -1 && i < n; i = buf.indexOf(10, i + 1)) lines++;
      last = buf[n - 1]!;
    }
  } finally {
    fs.closeSync(fd);
  }
  return last === 10 ? lines : lines + 1;
}

export interface LineInfo {
  /** 1-based line number. */
  line: number;
  /** False for a last line with no newline after it (a sign of a cut-off file). */
  terminated: boolean;
}

/** Every line of a UTF-8 text file, in order (a caller may await between lines). */
export function* lines(file: string): Generator<[string, LineInfo]> {
  const fd = openForReading(file);
  const buf = Buffer.alloc(CHUNK);
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let carry = '';
  let line = 0;
  let first = true;
  try {
    for (;;) {
      const n = fs.readSync(fd, buf, 0, CHUNK, null);
      if (n === 0) break;
      const chunk = buf.subarray(0, n);
      if (first) refuseBinary(file, chunk);
      first = false;
      const nul = chunk.indexOf(0);
      let text: string;
      try {
        text = decoder.decode(chunk, { stream: true });
      } catch {
        throw invalid(`${file}:${line + 1}: not valid UTF-8 text (binary data?); nothing was written`);
      }
      if (nul !== -1) {
        const before = carry + text.slice(0, text.indexOf('\u0000'));
        const at = line + before.split('\n').length;
        throw invalid(`${file}:${at}: binary data (a NUL byte), not a text export; nothing was written`);
      }
      let start = 0;
      let text2 = carry + text;
      for (let i = text2.indexOf('\n'); i !== -1; i = text2.indexOf('\n', start)) {
        line++;
        yield [text2.charCodeAt(i - 1) === 13 ? text2.slice(start, i - 1) : text2.slice(start, i), { line, terminated: true }];
        start = i + 1;
      }
      carry = text2.slice(start);
      text2 = '';
    }
    try {
      carry += decoder.decode();
    } catch {
      throw invalid(`${file}:${line + 1}: the file ends in the middle of a UTF-8 character (cut off?); nothing was written`);
    }
    if (carry.length > 0) yield [carry, { line: line + 1, terminated: false }];
  } finally {
    fs.closeSync(fd);
  }
}
