// `tandem demo`: write the deterministic demo data set.
import type { Command } from 'commander';
import { lazyAction, withJson } from '../command-kit.js';
import type * as run from './demo.run.js';

// The work is in demo.run.ts, loaded only when one of these commands runs.
const load = () => import('./demo.run.js');

export function registerDemoCommand(program: Command): void {
  withJson(program.command('demo'))
    .description('fill a new database (or one `tandem init` just made) with a realistic demo inbox (deterministic for a seed and --now)')
    .option('--items <n>', 'how many items', '2000')
    .option('--seed <n>', 'random seed', '42')
    .option('--now <iso>', 'the moment the demo ends at (default: now)')
    .option('--if-missing', 'do nothing if the database already holds data')
    .option('--quiet', 'no progress output')
    .action(lazyAction(load, (m, deps, o: run.DemoOptions) => m.runDemo(o, deps)));
}
