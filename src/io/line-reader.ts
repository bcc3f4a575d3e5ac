// Reading a text file line by line, synchronously (imports run inside one synchronous bulk
// transaction), refusing binary data and invalid UTF-8 with the line where they start.
import { isUtf8 } from 'node:buffer';
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

/**
 * Every line of a UTF-8 text file, in order (a caller may await between lines). Lines are found in the
 * bytes and each is decoded on its own after its chunk was checked to be UTF-8 in one pass: decoding
 * whole chunks and cutting the text costs five times as much, which shows at a gigabyte of export.
 */
export function* lines(file: string): Generator<[string, LineInfo]> {
  const fd = openForReading(file);
  let buf = Buffer.alloc(CHUNK);
  let have = 0; // bytes of a line not yet ended, at the start of buf
  let line = 0;
  let first = true;
  try {
    for (;;) {
      if (have === buf.length) buf = Buffer.concat([buf, Buffer.alloc(buf.length)]); // a line longer than the buffer
      const n = fs.readSync(fd, buf, have, buf.length - have, null);
      if (n === 0) break;
      let start = 0;
      if (first) {
        refuseBinary(file, buf.subarray(0, n));
        if (n >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) start = 3; // a byte order mark is not text
      }
      first = false;
      const end = have + n;
      checkBytes(file, buf, have, end, line, start);
      const last = buf.lastIndexOf(10, end - 1);
      if (last < start) {
        have = end;
        continue;
      }
      checkUtf8(file, buf, start, last, line);
      for (let i = buf.indexOf(10, start); i !== -1 && i <= last; i = buf.indexOf(10, start)) {
        line++;
        yield [buf.toString('utf8', start, i > start && buf[i - 1] === 13 ? i - 1 : i), { line, terminated: true }];
        start = i + 1;
      }
      buf.copy(buf, 0, last + 1, end);
      have = end - last - 1;
    }
    if (have > 0) {
      const rest = buf.subarray(0, have);
      if (!isUtf8(rest)) {
        if (endsInsideCharacter(rest)) {
          throw invalid(`${file}:${line + 1}: the file ends in the middle of a UTF-8 character (cut off?); nothing was written`);
        }
        checkUtf8(file, buf, 0, have, line);
      }
      yield [rest.toString('utf8'), { line: line + 1, terminated: false }];
    }
  } finally {
    fs.closeSync(fd);
  }
}

/** Refuse a NUL byte among the bytes just read, naming its line. */
function checkBytes(file: string, buf: Buffer, from: number, end: number, line: number, start: number): void {
  const nul = buf.subarray(0, end).indexOf(0, from);
  if (nul === -1) return;
  let at = line + 1;
  for (let i = buf.indexOf(10, start); i !== -1 && i < nul; i = buf.indexOf(10, i + 1)) at++;
  throw invalid(`${file}:${at}: binary data (a NUL byte), not a text export; nothing was written`);
}

/** Refuse bytes [start, end) that are not UTF-8, naming the first bad line. */
function checkUtf8(file: string, buf: Buffer, start: number, end: number, line: number): void {
  if (isUtf8(buf.subarray(start, end))) return;
  let at = line + 1;
  for (let from = start; from < end; at++) {
    const nl = buf.indexOf(10, from);
    const to = nl === -1 || nl >= end ? end : nl;
    if (!isUtf8(buf.subarray(from, to))) break;
    from = to + 1;
  }
  throw invalid(`${file}:${at}: not valid UTF-8 text (binary data?); nothing was written`);
}

/** True when the bytes are UTF-8 but for a character cut off at their end. */
function endsInsideCharacter(bytes: Buffer): boolean {
  for (let k = 1; k <= 3 && k <= bytes.length; k++) {
    const b = bytes[bytes.length - k]!;
    if (b >= 0xc0) return isUtf8(bytes.subarray(0, bytes.length - k)) && k < (b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : 2);
    if (b < 0x80) return false; // an ASCII byte ends a whole character
  }
  return false;
}
