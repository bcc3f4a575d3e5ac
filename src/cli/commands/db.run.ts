// `tandem db migrate|info|copy`: the database itself — bring its schema up to date, say what and
// where it is, and move it to another store with every id kept.
import { makeCtx } from '../../core/context.js';
import { usage } from '../../core/errors.js';
import { MIGRATIONS } from '../../store/migrations.js';
import { openStore, printableLocation } from '../../store/open.js';
import { progressBar } from '../../io/progress.js';
import type { Deps } from '../runtime.js';

export type MigrateOptions = Record<string, never>;

export async function runMigrate(_o: MigrateOptions, rt: Deps): Promise<void> {
  const ctx = await rt.ctx();
  const schema = Object.keys(MIGRATIONS).sort().at(-1)!;
  if (rt.out.json) return rt.out.printJson({ database: rt.location, engine: ctx.store.engine, schema });
  rt.out.note(`${rt.location} (${ctx.store.engine}) is at schema ${schema}.`);
}

export type InfoOptions = Record<string, never>;

export async function runInfo(_o: InfoOptions, rt: Deps): Promise<void> {
  const ctx = await rt.ctx();
  const d = ctx.store.db;
  const count = async (t: 'agents' | 'customers' | 'orders' | 'items' | 'events' | 'escalations' | 'surveys' | 'macros' | 'saved_views') =>
    Number(
      (
        await d
          .selectFrom(t)
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  const counts = {
    agents: await count('agents'),
    customers: await count('customers'),
    orders: await count('orders'),
    items: await count('items'),
    events: await count('events'),
    escalations: await count('escalations'),
    surveys: await count('surveys'),
    macros: await count('macros'),
    views: await count('saved_views'),
  };
  const info = {
    database: rt.location,
    engine: ctx.store.engine,
    readonly: ctx.store.readonly,
    schema: Object.keys(MIGRATIONS).sort().at(-1)!,
    counts,
  };
  if (rt.out.json) return rt.out.printJson(info);
  rt.out.note(`${info.database}\n  engine ${info.engine}${info.readonly ? ' (read-only)' : ''}, schema ${info.schema}`);
  rt.out.note(
    '  ' +
      Object.entries(counts)
        .map(([k, n]) => `${n.toLocaleString('en-US')} ${k}`)
        .join(', '),
  );
}

export type CopyOptions = { to: string; progress: boolean };

export async function runCopy(o: CopyOptions, rt: Deps): Promise<void> {
  if (o.to === rt.dbPath) throw usage('--to names the database being copied; give another one');
  const from = await rt.ctx();
  const target = await openStore(o.to);
  const started = Date.now();
  const bar = progressBar('lines', rt.io.stderr as NodeJS.WriteStream, o.progress && Boolean(rt.io.stderr.isTTY));
  try {
    const { copyDatabase } = await import('../../io/db-copy.js');
    const report = await copyDatabase(from, makeCtx(target), (d, t) => bar.update(d, t));
    bar.done();
    const to = printableLocation(o.to);
    if (rt.out.json) return rt.out.printJson({ from: rt.location, to, added: report.added });
    rt.out.note(
      `Copied ${rt.location} to ${to} in ${((Date.now() - started) / 1000).toFixed(1)}s: ${Object.entries(report.added)
        .map(([k, n]) => `${n} ${k}s`)
        .join(', ')}.`,
    );
  } finally {
    bar.done();
    await target.close();
  }
}
