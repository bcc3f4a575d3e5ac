// Bundles the CLI and the console into dist/bundle: the program (tandem.cjs) and the parts only some
// commands use (part-*.cjs, see build-options.mjs), each one CommonJS file, because start-up time is
// most of what a script's `tandem inbox` costs. Every file's first line names the build, so the
// launcher's code cache (bin/code-cache.js) never runs one build's compiled code for another.
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';
import { buildOptions, partBuilds } from './build-options.mjs';

const OUT = 'dist/bundle';
rmSync(OUT, { recursive: true, force: true });

const banner = { js: `// tandem build ${randomBytes(8).toString('hex')}` };
await Promise.all([
  build({ ...buildOptions, outdir: OUT, sourcemap: true, banner }),
  ...partBuilds().map(({ file, options }) => build({ ...options, outfile: path.join(OUT, file), sourcemap: true, banner })),
]);
