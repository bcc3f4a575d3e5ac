// `tandem kpi`: per-role KPIs for a period against the previous one, as a table, tab-separated lines, CSV or JSON.
import type { Command } from 'commander';
import { lazyAction, withJson } from '../command-kit.js';
import type * as run from './kpi.run.js';

// The work is in kpi.run.ts, loaded only when one of these commands runs.
const load = () => import('./kpi.run.js');

export function registerKpiCommand(program: Command): void {
  withJson(program.command('kpi'))
    .description('KPIs per role for a period [from, to), with the previous period of the same length (formulas: docs/kpis.md)')
    .option('-r, --role <role>', 'service | support | all', 'all')
    .option('--last <days>', 'the last N days up to now: 7d, 30d, 90d (default 30d)')
    .option('--from <date>', 'period start, inclusive (ISO 8601, or "30d" for 30 days ago)')
    .option('--to <date>', 'period end, exclusive (default now)')
    .option('--by <what>', 'add a per-agent table: agent')
    .option('--agent <handle>', 'only items assigned to this agent')
    .option('--csv', 'print CSV: role,agent,figure,value,previous,change,count,previous_count')
    .action(lazyAction(load, (m, deps, o: run.KpiOptions) => m.runKpi(o, deps)));
}
