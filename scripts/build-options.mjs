// esbuild options of the program's bundle, shared by scripts/build.mjs and the start-up test
// (tests/cli/startup.test.ts), which checks what a command loads from the same build.
//
// One CommonJS file, not ES module chunks: Node 20 has no compile cache for ES modules, but it can
// run a CommonJS script with V8's code cache (bin/code-cache.js), which is most of a command's
// start-up. Commands still load lazily inside the bundle: each `import()` of a command's run module
// (or the console) becomes a function that evaluates it on first use.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const YOGA_SHIM = fileURLToPath(new URL('./yoga-cjs.mjs', import.meta.url));
const LAZY_CHILD_PROCESS = fileURLToPath(new URL('./lazy-child-process.cjs', import.meta.url));

export const buildOptions = {
  entryPoints: { tandem: 'src/cli/main.ts' },
  outExtension: { '.js': '.cjs' },
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  minify: true, // less to read and hash on every start
  keepNames: true,
  external: ['better-sqlite3', 'pg', 'pg-native'],
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
    {
      // commander loads child_process (and with it net, dgram, …) at start for executable subcommands,
      // which Tandem has none of: it gets it on first use instead.
      name: 'commander-lazy-child-process',
      setup(b) {
        b.onResolve({ filter: /^(node:)?child_process$/ }, ({ importer }) =>
          /[\\/]commander[\\/]/.test(importer) ? { path: LAZY_CHILD_PROCESS } : undefined,
        );
      },
    },
    {
      // CommonJS has no top-level await, which Yoga (Ink's layout engine) uses to load its WebAssembly.
      // Ink and our console get a shim that loads it when the console starts (src/tui/yoga-ready.ts).
      name: 'yoga-without-top-level-await',
      setup(b) {
        b.onResolve({ filter: /^yoga-layout$/ }, () => ({ path: YOGA_SHIM }));
        b.onResolve({ filter: /\/yoga-ready\.js$/ }, () => ({ path: YOGA_SHIM }));
      },
    },
    {
      // Ink's reconciler awaits at top level only in DEV mode (devtools, its package.json); drop both.
      name: 'ink-reconciler-without-top-level-await',
      setup(b) {
        b.onLoad({ filter: /[\\/]ink[\\/]build[\\/]reconciler\.js$/ }, ({ path }) => {
          const source = readFileSync(path, 'utf8');
          const devtools = "await import('./devtools.js');";
          const packageJson = '? await loadPackageJson()';
          if (!source.includes(devtools) || !source.includes(packageJson)) {
            throw new Error('ink/build/reconciler.js changed: update the build plugin that removes its top-level awaits');
          }
          return {
            contents: source.replace(devtools, 'void 0;').replace(packageJson, '? { name: undefined, version: undefined }'),
            loader: 'js',
          };
        });
      },
    },
  ],
};
