// Bundles the CLI and the console into one CommonJS file, dist/bundle/tandem.cjs: start-up time is
// most of what a script's `tandem inbox` costs. Its first line names the build, so the launcher's
// code cache (bin/code-cache.js) never runs one build's compiled code for another.
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { build } from 'esbuild';
import { buildOptions } from './build-options.mjs';

rmSync('dist/bundle', { recursive: true, force: true });

await build({
  ...buildOptions,
  outdir: 'dist/bundle',
  sourcemap: true,
  banner: { js: `// tandem build ${randomBytes(8).toString('hex')}` },
});
