// esbuild options of the program's bundle, shared by scripts/build.mjs and the start-up test
// (tests/cli/startup.test.ts), which checks what a command loads from the same build.
//
// CommonJS files, not ES module chunks: Node 20 has no compile cache for ES modules, but it can
// run a CommonJS script with V8's code cache (bin/code-cache.js), which is most of a command's
// start-up. Commands still load lazily inside the bundle: each `import()` of a command's run module
// (or the console) becomes a function that evaluates it on first use.
//
// The big libraries only some commands use (the console's Ink and React, the mail stack, zod, …) are
// built into files of their own, the parts (PARTS below): a command reads and the launcher compiles
// only the files it uses, and the main file shrinks from 4 MB to about 1 MB (≈ 11 ms off every start).
// The native addons (better-sqlite3's; pg-native, optional) stay outside: they cannot be bundled.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const YOGA_SHIM = fileURLToPath(new URL('./yoga-cjs.mjs', import.meta.url));
/** Ink's Output class, which src/tui/ink-speedup.ts patches: it must be the very module Ink renders with. */
const INK_OUTPUT = 'ink/build/output.js';
const LAZY_CHILD_PROCESS = fileURLToPath(new URL('./lazy-child-process.cjs', import.meta.url));

/**
 * The parts: dist/bundle/part-<name>.cjs, each exporting the modules listed, by the name the program
 * imports them by. A package used by the program and by a part (chalk, string-width, …) is built into
 * both: only packages with no state shared between importers may be, which is why React lives only in
 * the console's part, with Ink, and Yoga's loader with them (`yoga` here: scripts/yoga-cjs.mjs).
 */
export const PARTS = {
  console: ['ink', 'react', 'react/jsx-runtime', 'yoga', INK_OUTPUT],
  mail: ['imapflow', 'mailparser', 'html-to-text', 'iconv-lite', 'nodemailer/lib/mail-composer', 'nodemailer/lib/smtp-connection'],
  zod: ['zod'],
  yaml: ['yaml'],
  liquidjs: ['liquidjs'],
  csv: ['csv-parse/sync'],
  postgres: ['pg'],
};

/** Where a part's module comes from, when not from its package's own name. */
function modulePath(spec) {
  if (spec === 'yoga') return YOGA_SHIM;
  if (spec === INK_OUTPUT) return fileURLToPath(new URL(`../node_modules/${INK_OUTPUT}`, import.meta.url));
  return spec;
}

/** The name of a module the program imports, as its part lists it (src/tui imports two by file path). */
function specOf(path) {
  if (path === 'yoga-layout' || /\/yoga-ready\.js$/.test(path)) return 'yoga';
  if (path.endsWith(`/node_modules/${INK_OUTPUT}`)) return INK_OUTPUT;
  return path;
}

const partOf = new Map(Object.entries(PARTS).flatMap(([part, specs]) => specs.map((spec) => [spec, part])));

/**
 * In the main file, each module of a part is a small stand-in that requires it from its part's file.
 * Two levels: the CommonJS one (`part-cjs:`) requires it; the ES module one (`part:`) re-exports it,
 * so that a default import means what it means from source. Our files are ES modules in Node's sense,
 * and esbuild gives such an importer a CommonJS module's whole `module.exports` as its default; the
 * stand-in is not one, so an ES module's own default (its `__esModule` marker) is kept.
 */
const importFromParts = {
  name: 'import-from-parts',
  setup(b) {
    b.onResolve({ filter: /^\.\/part-[a-z]+\.cjs$/, namespace: 'part-cjs' }, ({ path }) => ({ path, external: true }));
    b.onResolve({ filter: /.*/, namespace: 'part' }, ({ path }) => ({ path, namespace: 'part-cjs' }));
    b.onResolve({ filter: /.*/ }, ({ path, importer }) => {
      const spec = specOf(path);
      if (!partOf.has(spec) || (spec === 'yoga' && !importer)) return undefined;
      return { path: spec, namespace: 'part' };
    });
    b.onLoad({ filter: /.*/, namespace: 'part' }, ({ path }) => ({
      contents: `export * from ${JSON.stringify(path)}; export { default } from ${JSON.stringify(path)};`,
      loader: 'js',
    }));
    b.onLoad({ filter: /.*/, namespace: 'part-cjs' }, ({ path }) => ({
      contents: `module.exports = require(${JSON.stringify(`./part-${partOf.get(path)}.cjs`)})[${JSON.stringify(path)}];`,
      loader: 'js',
    }));
  },
};

/** Each part's file name and esbuild options (scripts/build.mjs): one CommonJS file exporting its modules by name. */
export function partBuilds() {
  return Object.entries(PARTS).map(([part, specs]) => ({
    file: `part-${part}.cjs`,
    options: {
      ...sharedOptions,
      stdin: {
        contents: `module.exports = {${specs.map((spec) => `${JSON.stringify(spec)}: require(${JSON.stringify(modulePath(spec))})`).join(', ')}};`,
        resolveDir: ROOT,
        sourcefile: `part-${part}.cjs`,
        loader: 'js',
      },
    },
  }));
}

const sharedOptions = {
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  minify: true, // less to read and hash on every start
  keepNames: true,
  external: ['pg-native'],
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

/**
 * chalk detects the terminal's colours when loaded (loading tty and os on every start), for its default
 * instance; the program never uses that instance (every Chalk it makes is given its level: the CLI's
 * Output, the console's theme), so the main file gets no detection. Ink, in the console's part, keeps it.
 */
const chalkWithoutDetection = {
  name: 'chalk-without-detection',
  setup(b) {
    b.onResolve({ filter: /^#supports-color$/ }, ({ importer }) =>
      /[\\/]chalk[\\/]/.test(importer) ? { path: 'supports-color', namespace: 'no-detection' } : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'no-detection' }, () => ({
      contents: 'export default { stdout: false, stderr: false };',
      loader: 'js',
    }));
  },
};

/**
 * better-sqlite3's JavaScript is bundled (cached with the rest, ≈ 4 ms a start), its native addon is
 * not: the package finds the addon with \`bindings\`, which reads the caller's file from a stack trace and
 * tries paths one failed require at a time. In the bundle it is loaded straight from the installed
 * package's build folder, after checking that the package is the version the bundle was built from.
 */
const SQLITE_VERSION = JSON.parse(readFileSync(new URL('../node_modules/better-sqlite3/package.json', import.meta.url), 'utf8')).version;
const sqliteAddonByPath = {
  name: 'sqlite-addon-by-path',
  setup(b) {
    b.onResolve({ filter: /^bindings$/ }, ({ importer }) =>
      /[\\/]better-sqlite3[\\/]/.test(importer) ? { path: 'bindings', namespace: 'sqlite-addon' } : undefined,
    );
    b.onResolve({ filter: /^better-sqlite3\/package\.json$/, namespace: 'sqlite-addon' }, ({ path }) => ({ path, external: true }));
    b.onLoad({ filter: /.*/, namespace: 'sqlite-addon' }, () => ({
      contents: `const path = require('node:path');
module.exports = (name) => {
  const manifest = require.resolve('better-sqlite3/package.json');
  const installed = require(manifest).version;
  if (installed !== ${JSON.stringify(SQLITE_VERSION)}) {
    throw new Error('better-sqlite3 ' + installed + ' is installed, but this build of tandem bundled ${SQLITE_VERSION}: run \`npm run build\`');
  }
  return require(path.join(path.dirname(manifest), 'build', 'Release', name));
};`,
      loader: 'js',
    }));
  },
};

/** The main file's options: the program, with every module of a part left to that part's file. */
export const buildOptions = {
  ...sharedOptions,
  entryPoints: { tandem: 'src/cli/main.ts' },
  outExtension: { '.js': '.cjs' },
  plugins: [importFromParts, chalkWithoutDetection, sqliteAddonByPath, ...sharedOptions.plugins],
};
