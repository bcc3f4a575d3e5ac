// `tandem route …`: the suggested role, kind and agent learned from the team's resolved items.
import type { Command } from 'commander';
import { notFound } from '../../core/errors.js';
import { parseItemId } from '../../core/item-view.js';
import { acceptSuggestion } from '../../core/routing/accept.js';
import type { EvalReport } from '../../core/routing/evaluate.js';
import { ensureFreshModels, evaluateRouting, modelStatus, suggestionForItem, trainModels, type Suggestion } from '../../core/routing/suggest.js';
import { sanitizeLine } from '../../text/sanitize.js';
import { withRuntime, withJson, withVersion } from '../command-kit.js';
import { parseVersion, type Runtime } from '../runtime.js';
import { reportChange } from './items.js';

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

export function suggestionLine(s: Suggestion | null): string | null {
  if (!s) return null;
  const part = (label: string, g: { label: string; confidence: number } | null, prefix = '') => (g ? `${label} ${prefix}${g.label} ${pct(g.confidence)}` : null);
  return [part('role', s.role), part('kind', s.kind), part('agent', s.agent, '@')].filter(Boolean).join(' · ');
}

function printEval(rt: Runtime, target: string, r: EvalReport | null): void {
  const c = rt.out.c;
  rt.out.print(c.bold(`${target}`));
  if (!r) return rt.out.print(c.dim('  not enough labelled history (at least 10 items and 2 labels)'));
  rt.out.print(`  ${r.examples} items, ${r.folds}-fold cross-validation`);
  rt.out.print(`  naive Bayes  accuracy ${pct(r.model.accuracy)}  macro-F1 ${pct(r.model.macroF1)}`);
  rt.out.print(`  baseline     accuracy ${pct(r.baseline.accuracy)}  macro-F1 ${pct(r.baseline.macroF1)}  (always "${sanitizeLine(r.baseline.label)}")`);
  const w = Math.max(6, ...r.labels.map((l) => l.length));
  rt.out.print(c.dim(`  confusion (rows: true, columns: predicted)`));
  rt.out.print('  ' + ''.padEnd(w) + ' ' + r.labels.map((l) => sanitizeLine(l).slice(0, 8).padStart(8)).join(' '));
  r.labels.forEach((l, i) => rt.out.print('  ' + sanitizeLine(l).padEnd(w) + ' ' + r.confusion[i]!.map((n) => String(n).padStart(8)).join(' ')));
}

export function registerRouteCommands(program: Command): void {
  const route = program.command('route').description('suggested role, kind and agent, learned from resolved items (naive Bayes)');

  withJson(route.command('train'))
    .description('learn from the resolved inbound items now (it also retrains by itself when stale)')
    .action(withRuntime(async (rt) => {
      const r = await trainModels(await rt.ctx());
      if (rt.out.json) return rt.out.printJson(r);
      rt.out.note(`Trained on ${r.examples} resolved items in ${r.millis} ms: ${r.models.map((m) => `${m.target} (${m.labels} labels)`).join(', ')}.`);
    }));

  withJson(route.command('status'))
    .description('when the models were trained, on how many items, and whether they are stale')
    .action(withRuntime(async (rt) => {
      const s = await modelStatus((await rt.ctx()).store.db);
      if (rt.out.json) return rt.out.printJson(s);
      rt.out.fields([
        ['Trained', s.trainedAt ?? 'never'],
        ['Items then', s.examples === null ? null : String(s.examples)],
        ['Items now', String(s.historyNow)],
        ['Stale', s.stale ? 'yes (retrains on the next suggestion)' : 'no'],
      ]);
    }));

  withJson(route.command('eval'))
    .description('k-fold cross-validation on the resolved items: accuracy, macro-F1, confusion matrix, beside the majority baseline')
    .option('--folds <k>', 'number of folds', '5')
    .action(withRuntime(async (rt, o: { folds: string }) => {
      const report = await evaluateRouting((await rt.ctx()).store.db, Number(o.folds));
      if (rt.out.json) return rt.out.printJson(report);
      for (const [t, r] of Object.entries(report)) printEval(rt, t, r);
    }));

  withJson(route.command('suggest'))
    .description('the suggested role, kind and agent for an item, with confidences')
    .argument('<id>', 'item id')
    .action(withRuntime(async (rt, id: string) => {
      const ctx = await rt.ctx();
      const itemId = parseItemId(id);
      await ensureFreshModels(ctx);
      const s = await suggestionForItem(ctx.store.db, itemId);
      if (s === null && !(await ctx.store.db.selectFrom('items').select('id').where('id', '=', itemId).executeTakeFirst())) throw notFound(`no item #${itemId}`);
      if (rt.out.json) return rt.out.printJson({ itemId, suggestion: s });
      rt.out.print(s ? `#${itemId}: ${suggestionLine(s)}` : `#${itemId}: no suggestion yet (\`tandem route train\` needs 10 resolved inbound items)`);
    }));

  withVersion(withJson(route.command('accept')))
    .description('give the item its suggested role and kind (and the suggested agent when it has none)')
    .argument('<id>', 'item id')
    .action(withRuntime(async (rt, id: string, o: { ifVersion?: string }) => {
      const ctx = await rt.ctx();
      await ensureFreshModels(ctx);
      const r = await acceptSuggestion(ctx, await rt.me(), parseItemId(id), { expectedVersion: parseVersion(o.ifVersion) });
      reportChange(rt, r, `now ${r.item.role} · ${r.item.kind}${r.item.assignee ? ` · @${r.item.assignee}` : ''}`);
    }));
}
