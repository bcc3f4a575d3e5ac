// `tandem db migrate|info|copy`: the database itself — bring its schema up to date, say what and
// where it is, and move it to another store with every id kept.
import type { Command } from 'commander';
import { makeCtx } from '../../core/context.js';
import { usage } from '../../core/errors.js';
import { MIGRATIONS } from '../../store/migrations.js';
import { openStore, printableLocation } from '../../store/open.js';
import { withRuntime, withJson } from '../command-kit.js';
import { progressBar } from '../../io/progress.js';

export function registerDbCommands(program: Command): void {
  const db = program.command('db').description('the database: migrate, info, copy to another store');

  withJson(db.command('migrate'))
    .description('bring the schema up to date (every command does this on its own; this does only that)')
    .action(withRuntime(async (rt) => {
      const ctx = await rt.ctx();
      const schema = Object.keys(MIGRATIONS).sort().at(-1)!;
      if (rt.out.json) return rt.out.printJson({ database: rt.location, engine: ctx.store.engine, schema });
      rt.out.note(`${rt.location} (${ctx.store.engine}) is at schema ${schema}.`);
    }));

  withJson(db.command('info'))
    .description('which store, where, its schema, and how much it holds')
    .action(withRuntime(async (rt) => {
      const ctx = await rt.ctx();
      const d = ctx.store.db;
      const count = async (t: 'agents' | 'customers' | 'orders' | 'items' | 'events' | 'escalations' | 'surveys' | 'macros' | 'saved_views') =>
        Number((await d.selectFrom(t).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
      const counts = {
        agents: await count('agents'), customers: await count('customers'), orders: await count('orders'), items: await count('items'),
        events: await count('events'), escalations: await count('escalations'), surveys: await count('surveys'),
        macros: await count('macros'), views: await count('saved_views'),
      };
      const info = { database: rt.location, engine: ctx.store.engine, readonly: ctx.store.readonly, schema: Object.keys(MIGRATIONS).sort().at(-1)!, counts };
      if (rt.out.json) return rt.out.printJson(info);
      rt.out.note(`${info.database}\n  engine ${info.engine}${info.readonly ? ' (read-only)' : ''}, schema ${info.schema}`);
      rt.out.note('  ' + Object.entries(counts).map(([k, n]) => `${n.toLocaleString('en-US')} ${k}`).join(', '));
    }));

  withJson(db.command('copy'))
    .description('copy everything into another, empty database (SQLite path or postgres:// URL), keeping every id')
    .requiredOption('--to <db>', 'the target: an SQLite file path or a postgres:// URL')
    .option('--no-progress', 'no progress bar on a terminal')
    .action(withRuntime(async (rt, o: { to: string; progress: boolean }) => {
      if (o.to === rt.dbPath) throw usage('--to names the database being copied; give another one');
      const from = await rt.ctx();
      const target = await openStore(o.to);
      const started = Date.now();
      const bar = progressBar('lines', process.stderr, o.progress && Boolean(process.stderr.isTTY));
      try {
        const { copyDatabase } = await import('../../io/db-copy.js');
        const report = await copyDatabase(from, makeCtx(target), (d, t) => bar.update(d, t));
        bar.done();
        const to = printableLocation(o.to);
        if (rt.out.json) return rt.out.printJson({ from: rt.location, to, added: report.added });
        rt.out.note(`Copied ${rt.location} to ${to} in ${((Date.now() - started) / 1000).toFixed(1)}s: ${Object.entries(report.added).map(([k, n]) => `${n} ${k}s`).join(', ')}.`);
      } finally {
        bar.done();
        await target.close();
      }
    }));
}
