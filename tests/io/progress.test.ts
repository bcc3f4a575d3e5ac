// The import progress bar: count, total and rate on a terminal; nothing at all on a pipe.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { progressBar } from '../../src/io/progress.js';
import { runTandem } from '../helpers/cli-inproc.js';
import { newDatabase } from '../helpers/store-target.js';

function fakeStream(isTTY: boolean) {
  const writes: string[] = [];
  return { writes, stream: { isTTY, write: (s: string) => writes.push(s) } as unknown as NodeJS.WriteStream };
}

describe('progress bar', () => {
  it('shows the count, the total and the rate on a terminal, and ends its line', () => {
    const { writes, stream } = fakeStream(true);
    const bar = progressBar('lines', stream);
    bar.update(12_000, 34_582);
    bar.done();
    expect(writes[0]).toMatch(/^\r\x1b\[2K {2}[█░]{24} 12,000 \/ 34,582 lines · [\d,]+\/s$/);
    expect(writes.at(-1)).toBe('\n');
  });

  it('writes nothing when stderr is not a terminal', () => {
    const { writes, stream } = fakeStream(false);
    const bar = progressBar('lines', stream);
    bar.update(1, 2);
    bar.done();
    expect(writes).toEqual([]);
  });

  it('an import on a pipe prints no bar', async () => {
    const csv = path.resolve(import.meta.dirname, '../fixtures/csv/zendesk.csv');
    const r = await runTandem(['import', csv], { db: await newDatabase('t') });
    expect(r.code).toBe(0);
    expect(r.stderr).not.toContain('\r');
    expect(r.stderr).not.toContain('█');
    expect(r.stderr).toContain('Imported');
  });
});
