// `tandem db migrate|info|copy`: the database itself — bring its schema up to date, say what and
import type { Command } from 'commander';
import { lazyAction, withJson } from '../command-kit.js';
import type * as run from './db.run.js';

// The work is in db.run.ts, loaded only when one of these commands runs.
const load = () => import('./db.run.js');

export function registerDbCommands(program: Command): void {
  const db = program.command('db').description('the database: migrate, info, copy to another store');

  withJson(db.command('migrate'))
    .description('bring the schema up to date (every command does this on its own; this does only that)')
    .action(lazyAction(load, (m, deps) => m.runMigrate({}, deps)));

  withJson(db.command('info'))
    .description('which store, where, its schema, and how much it holds')
    .action(lazyAction(load, (m, deps) => m.runInfo({}, deps)));

  withJson(db.command('copy'))
    .description('copy everything into another, empty database (SQLite path or postgres:// URL), keeping every id')
    .requiredOption('--to <db>', 'the target: an SQLite file path or a postgres:// URL')
    .option('--no-progress', 'no progress bar on a terminal')
    .action(lazyAction(load, (m, deps, o: run.CopyOptions) => m.runCopy(o, deps)));
}
