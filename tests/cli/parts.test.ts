// The bundle takes the big libraries from parts (scripts/build-options.mjs: PARTS), through stand-ins.
// A stand-in must give the program what an import from source gives: the same exports, of the same
// kinds, and a default import that means the same. (Once, Ink's Output class came through as its
// module object: the console's line cache was silently off, and every key cost more.)
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { build } from 'esbuild';
import { afterAll, describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs build script, without types
import { buildOptions, PARTS } from '../../scripts/build-options.mjs';
import * as fromSource from './parts-probe.js';

type Probe = typeof fromSource;
const BUNDLE = path.resolve('dist/bundle');
const probeName = `parts-probe-${process.pid}`;
afterAll(() => {
  for (const f of [`${probeName}.cjs`, `${probeName}.cjs.map`]) fs.rmSync(path.join(BUNDLE, f), { force: true });
});

/** The probe built as the program is, next to the parts it requires (npm test builds them first). */
async function fromBundle(): Promise<Probe> {
  expect(fs.existsSync(path.join(BUNDLE, 'part-console.cjs')), 'run `npm run build` first').toBe(true);
  await build({ ...buildOptions, entryPoints: { [probeName]: 'tests/cli/parts-probe.ts' }, outdir: BUNDLE, logLevel: 'error' });
  return createRequire(import.meta.url)(path.join(BUNDLE, `${probeName}.cjs`)) as Probe;
}

/** What a value is, as far as a program using it can tell apart: its kind, and a function's or class's name. */
const kind = (v: unknown) => (typeof v === 'function' ? `function ${(v as { name: string }).name}` : typeof v);

describe('parts', () => {
  it('give every default import and every named export the program would get from source', async () => {
    const bundled = await fromBundle();
    for (const [name, value] of Object.entries(fromSource.defaults)) {
      expect(kind(bundled.defaults[name as keyof Probe['defaults']]), name).toBe(kind(value));
    }
    for (const [name, ns] of Object.entries(fromSource.namespaces)) {
      const got = bundled.namespaces[name as keyof Probe['namespaces']] as Record<string, unknown>;
      // typeof only: a package's CommonJS build (what a part requires) may name its inner functions differently.
      const want = Object.fromEntries(
        Object.keys(ns)
          .filter((k) => k !== 'default')
          .map((k) => [k, typeof (ns as Record<string, unknown>)[k]]),
      );
      const have = Object.fromEntries(Object.keys(want).map((k) => [k, typeof got[k]]));
      expect(have, name).toEqual(want);
    }
    const [yamlSource, yamlBundled] = [await fromSource.yaml(), await bundled.yaml()];
    expect(kind(yamlBundled.parse), 'yaml.parse').toBe(kind(yamlSource.parse));
    // The Output class Ink renders with is the one the console patches (src/tui/ink-speedup.ts).
    expect(new bundled.defaults.InkOutput({ width: 1, height: 1 })).toHaveProperty('caches');
  }, 60_000);

  it('the probe imports every module of every part (yoga: through the console tests, which draw with it)', () => {
    const probe = fs.readFileSync(new URL('./parts-probe.ts', import.meta.url), 'utf8');
    const modules = (Object.values(PARTS) as string[][]).flat().filter((m) => m !== 'yoga');
    expect(modules.filter((m) => !probe.includes(`'${m}'`) && !probe.includes(`node_modules/${m}'`))).toEqual([]);
  });
});
