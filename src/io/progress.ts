// A progress bar on stderr for long imports and exports: count, total and rate, only on a terminal.

export interface Progress {
  update(done: number, total: number): void;
  done(): void;
}

const NOOP: Progress = { update() {}, done() {} };

export function progressBar(label: string, stream: NodeJS.WriteStream = process.stderr, enabled = Boolean(stream.isTTY)): Progress {
  if (!enabled) return NOOP;
  const started = Date.now();
  let last = 0;
  let shown = false;
  return {
    update(done, total) {
      const now = Date.now();
      if (now - last < 100 && done < total) return; // a redraw per 100 ms is plenty
      last = now;
      shown = true;
      const rate = Math.round(done / Math.max(0.001, (now - started) / 1000));
      const width = 24;
      const filled = total > 0 ? Math.min(width, Math.round((done / total) * width)) : 0;
      const bar = '█'.repeat(filled) + '░'.repeat(width - filled);
      const n = (x: number) => x.toLocaleString('en-US');
      stream.write(`\r\x1b[2K  ${bar} ${n(done)} / ${n(total)} ${label} · ${n(rate)}/s`);
    },
    done() {
      if (shown) stream.write('\n');
    },
  };
}
