// A command's run(opts, deps) called directly, without commander: typed options in, output on the
// deps' streams, the store from tests/helpers/store-target.ts (either engine).
import { Readable, Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Runtime } from '../../src/cli/runtime.js';
import type { CliIO } from '../../src/cli/io.js';
import { runInbox } from '../../src/cli/commands/inbox.run.js';
import { runNote } from '../../src/cli/commands/items.run.js';
import { runJson } from '../helpers/cli-inproc.js';
import { dropDatabase, newDatabase } from '../helpers/store-target.js';

let db: string;
beforeAll(async () => {
  db = await newDatabase('run_direct');
  await runJson(['init', '--handle', 'sam'], { db });
});
afterAll(() => dropDatabase(db));

/** deps on captured streams; `input` is what standard input holds. */
function deps(input = '', json: boolean | string = false) {
  let out = '';
  let err = '';
  const sink = (add: (s: string) => void) =>
    new Writable({
      write(c, _e, cb) {
        add(String(c));
        cb();
      },
    });
  const io: CliIO = {
    stdout: sink((s) => (out += s)),
    stderr: sink((s) => (err += s)),
    stdin: Readable.from([Buffer.from(input)]),
    env: { NO_COLOR: '1' },
  };
  const rt = new Runtime({ db, as: 'sam', json }, io);
  return { rt, out: () => out, err: () => err };
}

describe('run functions with injected deps', () => {
  it('inbox counts and lists what item add created; a note read from stdin lands on the item', async () => {
    const item = await runJson(['item', 'add', '--subject', 'Direct', '--customer', 'd@example.com'], { db, as: 'sam' });
    const count = deps();
    await runInbox({ limit: '50', offset: '0', count: true }, count.rt);
    await count.rt.close();
    expect(count.out()).toBe('1\n');

    const note = deps('from stdin', true);
    await runNote({ id: String(item.id), text: ['-'] }, note.rt);
    await note.rt.close();
    expect(JSON.parse(note.out())).toMatchObject({ id: item.id, version: 2 });

    const ids = deps();
    await runInbox({ limit: '50', offset: '0', ids: true, search: 'Direct' }, ids.rt);
    await ids.rt.close();
    expect(ids.out()).toBe(`${item.id}\n`);
  });

  it('refuses a bad --offset before opening the store', async () => {
    const d = deps();
    await expect(runInbox({ limit: '50', offset: '-1' }, d.rt)).rejects.toThrow(/--offset must be a whole number/);
    await d.rt.close();
  });
});
