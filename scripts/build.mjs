// Bundles the CLI (and, split off, the console) into dist/bundle/ so a command loads a few files
// instead of hundreds of modules: startup time is most of what a script's `tandem inbox` costs.
import { rmSync } from 'node:fs';
import { build } from 'esbuild';

rmSync('dist/bundle', { recursive: true, force: true });

await build({
  entryPoints: { tandem: 'src/cli/main.ts' },
  outdir: 'dist/bundle',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  sourcemap: true,
  minify: true, // less to parse on every start
  keepNames: true,
  external: ['better-sqlite3', 'pg', 'pg-native'],
  // Some bundled CommonJS dependencies call require(); give the ESM bundle one.
  banner: { js: "import { createRequire as __tandemCreateRequire } from 'node:module'; const require = __tandemCreateRequire(import.meta.url);" },
  logLevel: 'warning',
  jsx: 'automatic',
  plugins: [
    {
      // ink imports react-devtools-core only when DEV=true; it is not installed, so stub it out.
      name: 'stub-react-devtools',
      setup(b) {
        b.onResolve({ filter: /^react-devtools-core$/ }, () => ({ path: 'react-devtools-core', namespace: 'stub' }));
        b.onLoad({ filter: /.*/, namespace: 'stub' }, () => ({ contents: 'export default { connectToDevTools() {} };', loader: 'js' }));
      },
    },
  ],
});
