// `tandem route …`: the suggested role, kind and agent learned from the team's resolved items.
import type { Command } from 'commander';
import { lazyAction, withJson, withVersion } from '../command-kit.js';
import type * as run from './route.run.js';

// The work is in route.run.ts, loaded only when one of these commands runs.
const load = () => import('./route.run.js');

export function registerRouteCommands(program: Command): void {
  const route = program.command('route').description('suggested role, kind and agent, learned from resolved items (naive Bayes)');

  withJson(route.command('train'))
    .description('learn from the resolved inbound items now (it also retrains by itself when stale)')
    .action(lazyAction(load, (m, deps) => m.runTrain({}, deps)));

  withJson(route.command('status'))
    .description('when the models were trained, on how many items, and whether they are stale')
    .action(lazyAction(load, (m, deps) => m.runStatus({}, deps)));

  withJson(route.command('eval'))
    .description('k-fold cross-validation on the resolved items: accuracy, macro-F1, confusion matrix, beside the majority baseline')
    .option('--folds <k>', 'number of folds', '5')
    .action(lazyAction(load, (m, deps, o: run.EvalOptions) => m.runEval(o, deps)));

  withJson(route.command('suggest'))
    .description('the suggested role, kind and agent for an item, with confidences')
    .argument('<id>', 'item id')
    .action(lazyAction(load, (m, deps, id: string) => m.runSuggest({ id }, deps)));

  withVersion(withJson(route.command('accept')))
    .description('give the item its suggested role and kind (and the suggested agent when it has none)')
    .argument('<id>', 'item id')
    .action(lazyAction(load, (m, deps, id: string, o: run.AcceptFlags) => m.runAccept({ ...o, id }, deps)));
}
