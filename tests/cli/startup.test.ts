// What a command loads when it starts, from the same esbuild build as dist/bundle (with a metafile):
// `tandem --version` loads commander and the light wiring only; a plain subcommand loads its run
// module and the runtime, never the libraries other commands use (they load when those commands run).
import { describe, expect, it } from 'vitest';
import { build, type Metafile } from 'esbuild';
// @ts-expect-error: a plain .mjs build script, without types
import { buildOptions } from '../../scripts/build-options.mjs';

let meta: Metafile | undefined;
async function metafile(): Promise<Metafile> {
  meta ??= (await build({ ...buildOptions, outdir: 'dist/startup-probe', write: false, metafile: true, logLevel: 'error' })).metafile;
  return meta!;
}

/**
 * The source files and packages that load statically (before any dynamic import) from these entry
 * points. The bundle is one file, but inside it each module is evaluated on first import, and an
 * `import()` (a command's run module, the console) only when it runs: the import graph says what loads.
 */
async function loaded(entries: string[]): Promise<{ files: string[]; packages: string[] }> {
  const inputs = (await metafile()).inputs;
  const seen = new Set<string>();
  const walk = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const i of inputs[file]!.imports) if (i.kind !== 'dynamic-import' && !i.external) walk(i.path);
  };
  for (const entry of entries) walk(entry);
  const files = [...seen];
  // A part's module (build-options.mjs: PARTS) counts as its package: it loads that part's file.
  const packages = new Set(
    files.flatMap(
      (f) => (/node_modules\/((?:@[^/]+\/)?[^/]+(?:\/locale\/[^/]+)?)/.exec(f) ?? /^part:((?:@[^/]+\/)?[^/]+)/.exec(f))?.[1] ?? [],
    ),
  );
  return { files, packages: [...packages].sort() };
}

const HEAVY = [
  'zod',
  'liquidjs',
  'mailparser',
  'nodemailer',
  'imapflow',
  'ink',
  'react',
  'yaml',
  'csv-parse',
  'html-to-text',
  'iconv-lite',
  'string-width',
  'pg',
];
const PLAIN = [
  'inbox',
  'items',
  'escalation',
  'people',
  'sla',
  'kpi',
  'route',
  'db',
  'demo',
  'admin',
  'data',
  'macros',
  'rules',
  'mail',
  'doctor',
];

describe('start-up', () => {
  it('builds the libraries only some commands use into parts of their own, not into the file every command reads', async () => {
    const inputs = Object.keys((await metafile()).inputs);
    const parted = HEAVY.filter((p) => p !== 'string-width'); // string-width: small, and the CLI's tables use it
    expect(inputs.filter((f) => parted.some((p) => f.includes(`node_modules/${p}/`)))).toEqual([]);
    // …and each is reached through its part (the console's Ink through the console's part, and so on).
    expect(parted.filter((p) => !inputs.some((f) => f === `part:${p}` || f.startsWith(`part:${p}/`)))).toEqual([]);
  }, 60_000);

  it('loads only commander and the command wiring before a command runs', async () => {
    const { files, packages } = await loaded(['src/cli/main.ts']);
    expect(packages).toEqual(['commander']);
    // No store, no config, no core rules: only the error type and the sanitizer main() reports with.
    expect(files.filter((f) => f.startsWith('src/') && !f.startsWith('src/cli/'))).toEqual(
      expect.arrayContaining(['src/core/errors.ts', 'src/text/sanitize.ts']),
    );
    expect(files.filter((f) => /^src\/(core|store|config|io|mail|tui|doctor)\//.test(f) && f !== 'src/core/errors.ts')).toEqual([]);
    expect(files.filter((f) => /^src\/cli\/commands\/.*\.run\.ts$/.test(f) || f === 'src/cli/runtime.ts')).toEqual([]);
  }, 60_000);

  it.each(PLAIN)(
    "a %s command loads its run module and the runtime, not another command's libraries (date-fns: its default en-US only)",
    async (group) => {
      const { files, packages } = await loaded(['src/cli/main.ts', 'src/cli/runtime.ts', `src/cli/commands/${group}.run.ts`]);
      expect(files).toContain(`src/cli/commands/${group}.run.ts`);
      expect(packages.filter((p) => HEAVY.includes(p) || /\/locale\/(?!en-US|_lib)/.test(p))).toEqual([]);
      // Other commands' run modules stay unloaded.
      expect(
        files
          .filter((f) => /^src\/cli\/commands\/.*\.run\.ts$/.test(f) && !f.includes(`/${group}.run.ts`))
          .filter((f) => !SHARED_RUN.includes(f)),
      ).toEqual([]);
    },
    60_000,
  );
});

/** Run modules others build on (item changes are reported alike; views use the inbox's filter flags). */
const SHARED_RUN = ['src/cli/commands/items.run.ts', 'src/cli/commands/route.run.ts', 'src/cli/commands/inbox.run.ts'];
