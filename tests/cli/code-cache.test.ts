// The launcher's V8 code cache (bin/code-cache.js): written after a command's first successful run,
// used as is afterwards, and never able to break a command — a broken, foreign or unwritable cache
// only costs a compile.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runTandem } from '../helpers/cli.js';

let home: string;
let folder: string;
beforeEach(() => {
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-code-cache-'));
  folder = path.join(home, 'tandem');
});
afterEach(() => fs.rmSync(home, { recursive: true, force: true }));

const run = (args: string[], env: Record<string, string> = {}) => runTandem(args, { env: { XDG_CACHE_HOME: home, ...env } });
const files = () => (fs.existsSync(folder) ? fs.readdirSync(folder).sort() : []);

describe('code cache', () => {
  it('is written after the first successful run of a command, one file per command, private to the user', async () => {
    const first = await run(['--version']);
    expect(first.code).toBe(0);
    expect(files()).toEqual([expect.stringMatching(/^code-help-[0-9a-f]+-v\d+\.\d+\.\d+-\w+\.bin$/)]);
    expect((await run(['--db', 'ignored.db', 'sla', '--help'])).code).toBe(0);
    expect(files().map((f) => f.split('-')[1])).toEqual(['help', 'sla']);
    expect(fs.statSync(path.join(folder, files()[0]!)).mode & 0o077).toBe(0);
    expect(fs.statSync(folder).mode & 0o077).toBe(0);
  });

  it('is used as it is by later runs: same output, the file is not written again', async () => {
    const first = await run(['--help']);
    const [file] = files();
    const before = fs.statSync(path.join(folder, file!));
    const second = await run(['--help']);
    expect(second).toEqual(first);
    const after = fs.statSync(path.join(folder, file!));
    expect([after.ino, after.mtimeMs, after.size]).toEqual([before.ino, before.mtimeMs, before.size]);
  });

  it.each([
    ['overwritten', (good: Buffer) => Buffer.alloc(good.length, 7)],
    // V8 does not check a cache's payload: a damaged one that passed its header checks would crash it.
    ['damaged in the middle', (good: Buffer) => Buffer.from(good.map((b, i) => (Math.abs(i - good.length / 2) < 64 ? b ^ 0x5a : b)))],
    ['cut short', (good: Buffer) => good.subarray(0, good.length >> 1)],
  ])('a cache file %s changes nothing the user sees, and is replaced by a good one', async (_, damage) => {
    const first = await run(['--help']);
    const file = path.join(folder, files()[0]!);
    const good = fs.readFileSync(file);
    const broken = damage(good);
    fs.writeFileSync(file, broken);
    expect(await run(['--help'])).toEqual(first);
    expect(fs.readFileSync(file).equals(broken)).toBe(false);
    expect(await run(['--help'])).toEqual(first);
  });

  it("a part (a library only some commands use) gets a cache per command beside the program's, and a broken one is replaced", async () => {
    const db = path.join(home, 'parts.db');
    expect((await run(['demo', '--db', db, '--items', '20', '--quiet'])).code).toBe(0);
    const first = await run(['--db', db, 'macro', 'list', '--json']);
    expect(first.code).toBe(0);
    // `macro` reads liquidjs's part; its cache is named for the command and the part.
    const part = files().find((f) => f.startsWith('code-macro+liquidjs-'));
    expect(part).toMatch(/^code-macro\+liquidjs-[0-9a-f]+-v\d+\.\d+\.\d+-\w+\.bin$/);
    expect(files()).toContain(part!.replace('code-macro+liquidjs-', 'code-macro-'));
    const file = path.join(folder, part!);
    const good = fs.readFileSync(file);
    const broken = Buffer.from(good.map((b, i) => (Math.abs(i - good.length / 2) < 64 ? b ^ 0x5a : b)));
    fs.writeFileSync(file, broken);
    expect(await run(['--db', db, 'macro', 'list', '--json'])).toEqual(first);
    expect(fs.readFileSync(file).equals(broken)).toBe(false); // written anew
    expect(await run(['--db', db, 'macro', 'list', '--json'])).toEqual(first);
  });

  it('a failed command writes nothing; writing keeps the two newest other builds of a command, and others used within a day', async () => {
    const typo = await run(['inbx']);
    expect(typo.code).toBe(2);
    expect(files()).toEqual([]);
    fs.mkdirSync(folder, { recursive: true });
    const old = (name: string, hoursAgo: number) => {
      const file = path.join(folder, name);
      fs.writeFileSync(file, 'another build');
      const at = new Date(Date.now() - hoursAgo * 3600 * 1000);
      fs.utimesSync(file, at, at);
    };
    // Three other builds of `help` (another install, older checkouts), and two other commands' caches.
    old('code-help-000000000000000a-v20.0.0-x64.bin', 1);
    old('code-help-000000000000000b-v20.0.0-x64.bin', 2);
    old('code-help-000000000000000c-v20.0.0-x64.bin', 3);
    old('code-sla-0123456789abcdef-v20.0.0-x64.bin', 1);
    old('code-kpi-0123456789abcdef-v20.0.0-x64.bin', 48);
    expect((await run(['--help'])).code).toBe(0);
    const left = files();
    expect(left.filter((f) => f.startsWith('code-help-'))).toHaveLength(3); // ours and the two newest others
    expect(left).toContain('code-help-000000000000000a-v20.0.0-x64.bin');
    expect(left).toContain('code-help-000000000000000b-v20.0.0-x64.bin');
    expect(left).toContain('code-sla-0123456789abcdef-v20.0.0-x64.bin');
    expect(left).not.toContain('code-help-000000000000000c-v20.0.0-x64.bin');
    expect(left).not.toContain('code-kpi-0123456789abcdef-v20.0.0-x64.bin');
  });

  it('a cache folder that cannot be written, or TANDEM_CODE_CACHE=off, leaves commands working without one', async () => {
    const expected = await runTandem(['--help'], { env: { TANDEM_CODE_CACHE: 'off', XDG_CACHE_HOME: home } });
    expect(expected.code).toBe(0);
    expect(files()).toEqual([]);
    const notAFolder = path.join(home, 'file');
    fs.writeFileSync(notAFolder, '');
    expect(await runTandem(['--help'], { env: { XDG_CACHE_HOME: notAFolder } })).toEqual(expected);
  });
});
