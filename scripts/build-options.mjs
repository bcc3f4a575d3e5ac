// esbuild options of the CLI bundle, shared by scripts/build.mjs and the start-up test
// (tests/cli/startup.test.ts), which checks what a command loads from the same build.
export const buildOptions = {
  entryPoints: { tandem: 'src/cli/main.ts' },
  bundle: true,
  splitting: true, // each command's run module (and the console) becomes chunks loaded on demand
  format: 'esm',
  platform: 'node',
  target: 'node20',
  minify: true, // less to parse on every start
  keepNames: true,
  external: ['better-sqlite3', 'pg', 'pg-native'],
  // Some bundled CommonJS dependencies call require(); give the ESM bundle one.
  banner: {
    js: "import { createRequire as __tandemCreateRequire } from 'node:module'; const require = __tandemCreateRequire(import.meta.url);",
  },
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
};
