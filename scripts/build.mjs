// Bundles the CLI (and, split off, the console) into dist/bundle/ so a command loads a few files
// instead of hundreds of modules: startup time is most of what a script's `tandem inbox` costs.
import { rmSync } from 'node:fs';
import { build } from 'esbuild';
import { buildOptions } from './build-options.mjs';

rmSync('dist/bundle', { recursive: true, force: true });

await build({ ...buildOptions, outdir: 'dist/bundle', sourcemap: true });
