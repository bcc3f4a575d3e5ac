// `tandem route …`: the suggested role, kind and agent learned from the team's resolved items.
import { notFound } from '../../core/errors.js';
import { parseItemId } from '../../core/item-view.js';
import { acceptSuggestion } from '../../core/routing/accept.js';
import type { EvalReport } from '../../core/routing/evaluate.js';
import {
  ensureFreshModels,
  evaluateRouting,
  modelStatus,
  suggestionForItem,
  trainModels,
  type Suggestion,
} from '../../core/routing/suggest.js';
import { sanitizeLine } from '../../text/sanitize.js';
import { parseVersion } from '../runtime.js';
import { reportChange } from './items.run.js';
import type { Deps } from '../runtime.js';

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

export function suggestionLine(s: Suggestion | null): string | null {
  if (!s) return null;
  const part = (label: string, g: { label: string; confidence: number } | null, prefix = '') =>
    g ? `${label} ${prefix}${g.label} ${pct(g.confidence)}` : null;
  return [part('role', s.role), part('kind', s.kind), part('agent', s.agent, '@')].filter(Boolean).join(' · ');
}

function printEval(rt: Deps, target: string, r: EvalReport | null): void {
  const c = rt.out.c;
  rt.out.print(c.bold(`${target}`));
  if (!r) return rt.out.print(c.dim('  not enough labelled history (at least 10 items and 2 labels)'));
  rt.out.print(`  ${r.examples} items, ${r.folds}-fold cross-validation`);
  rt.out.print(`  naive Bayes  accuracy ${pct(r.model.accuracy)}  macro-F1 ${pct(r.model.macroF1)}`);
  rt.out.print(
    `  baseline     accuracy ${pct(r.baseline.accuracy)}  macro-F1 ${pct(r.baseline.macroF1)}  (always "${sanitizeLine(r.baseline.label)}")`,
  );
  const w = Math.max(6, ...r.labels.map((l) => l.length));
  rt.out.print(c.dim(`  confusion (rows: true, columns: predicted)`));
  rt.out.print('  ' + ''.padEnd(w) + ' ' + r.labels.map((l) => sanitizeLine(l).slice(0, 8).padStart(8)).join(' '));
  r.labels.forEach(
    (l, i) => void rt.out.print('  ' + sanitizeLine(l).padEnd(w) + ' ' + r.confusion[i]!.map((n) => String(n).padStart(8)).join(' ')),
  );
}

export type TrainOptions = Record<string, never>;

export async function runTrain(_o: TrainOptions, rt: Deps): Promise<void> {
  const r = await trainModels(await rt.ctx());
  if (rt.out.json) return rt.out.printJson(r);
  rt.out.note(
    `Trained on ${r.examples} resolved items in ${r.millis} ms: ${r.models.map((m) => `${m.target} (${m.labels} labels)`).join(', ')}.`,
  );
}

export type StatusOptions = Record<string, never>;

export async function runStatus(_o: StatusOptions, rt: Deps): Promise<void> {
  const s = await modelStatus((await rt.ctx()).store.db);
  if (rt.out.json) return rt.out.printJson(s);
  rt.out.fields([
    ['Trained', s.trainedAt ?? 'never'],
    ['Items then', s.examples === null ? null : String(s.examples)],
    ['Items now', String(s.historyNow)],
    ['Stale', s.stale ? 'yes (retrains on the next suggestion)' : 'no'],
  ]);
}

export type EvalOptions = { folds: string };

export async function runEval(o: EvalOptions, rt: Deps): Promise<void> {
  const report = await evaluateRouting((await rt.ctx()).store.db, Number(o.folds));
  if (rt.out.json) return rt.out.printJson(report);
  for (const [t, r] of Object.entries(report)) printEval(rt, t, r);
}

export interface SuggestOptions {
  id: string;
}

export async function runSuggest(o: SuggestOptions, rt: Deps): Promise<void> {
  const { id } = o;
  const ctx = await rt.ctx();
  const itemId = parseItemId(id);
  await ensureFreshModels(ctx);
  const s = await suggestionForItem(ctx.store.db, itemId);
  if (s === null && !(await ctx.store.db.selectFrom('items').select('id').where('id', '=', itemId).executeTakeFirst()))
    throw notFound(`no item #${itemId}`);
  if (rt.out.json) return rt.out.printJson({ itemId, suggestion: s });
  rt.out.print(
    s ? `#${itemId}: ${suggestionLine(s)}` : `#${itemId}: no suggestion yet (\`tandem route train\` needs 10 resolved inbound items)`,
  );
}

export type AcceptFlags = { ifVersion?: string };
export type AcceptOptions = AcceptFlags & { id: string };

export async function runAccept(o: AcceptOptions, rt: Deps): Promise<void> {
  const { id } = o;
  const ctx = await rt.ctx();
  await ensureFreshModels(ctx);
  const r = await acceptSuggestion(ctx, await rt.me(), parseItemId(id), { expectedVersion: parseVersion(o.ifVersion) });
  reportChange(rt, r, `now ${r.item.role} · ${r.item.kind}${r.item.assignee ? ` · @${r.item.assignee}` : ''}`);
}
