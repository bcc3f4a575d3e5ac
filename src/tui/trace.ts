// Opt-in key-to-frame timing for benchmarks: with TANDEM_TRACE_KEYS=FILE, each frame drawn after a
// key appends the milliseconds from that key to the frame (one number per line).
import fs from 'node:fs';

let file: string | null = null;
let pendingKeyAt = 0;

export function startKeyTrace(path: string | undefined): void {
  file = path || null;
}

export function noteKey(): void {
  if (file && !pendingKeyAt) pendingKeyAt = performance.now();
}

export function noteFrame(): void {
  if (!file || !pendingKeyAt) return;
  const ms = performance.now() - pendingKeyAt;
  pendingKeyAt = 0;
  fs.appendFileSync(file, `${ms.toFixed(2)}\n`);
}
