// Suggested role, kind and agent for an item, from the stored models: training, staleness
// (retrain when the history grew or shrank by a tenth, or when there is no model yet) and the
// suggestion itself, with its confidence.
import type { Db } from '../../store/store.js';
import type { Ctx } from '../context.js';
import { invalid } from '../errors.js';
import { countHistory, examplesFor, loadHistory, TARGETS, type Target } from './history.js';
import { crossValidate, type EvalReport } from './evaluate.js';
import { itemTokens, predictNb, trainNb, type NbModel } from './naive-bayes.js';

/** Fewer resolved items than this and there is nothing worth learning yet. */
const MIN_EXAMPLES = 10;

interface Guess {
  label: string;
  confidence: number;
}
export interface Suggestion {
  role: Guess | null;
  kind: Guess | null;
  agent: Guess | null;
  trainedAt: string;
  examples: number;
}

interface TrainResult {
  target: Target;
  examples: number;
  labels: number;
  vocabulary: number;
}
export interface TrainReport {
  trainedAt: string;
  examples: number;
  models: TrainResult[];
  millis: number;
}

export async function trainModels(ctx: Ctx): Promise<TrainReport> {
  const started = Date.now();
  const history = await loadHistory(ctx.store.db);
  if (history.length < MIN_EXAMPLES) {
    throw invalid(`only ${history.length} resolved inbound item(s) to learn from; routing needs at least ${MIN_EXAMPLES}`);
  }
  const trainedAt = ctx.clock().toISOString();
  const models = TARGETS.map((target) => ({ target, model: trainNb(examplesFor(history, target)) }));
  await ctx.store.write(async (trx) => {
    for (const { target, model } of models) {
      const values = { target, trained_at: trainedAt, examples: history.length, model: JSON.stringify(model) };
      await trx
        .insertInto('route_models')
        .values(values)
        .onConflict((oc) => oc.column('target').doUpdateSet({ trained_at: trainedAt, examples: history.length, model: values.model }))
        .execute();
    }
  });
  cache.clear();
  return {
    trainedAt,
    examples: history.length,
    millis: Date.now() - started,
    models: models.map(({ target, model }) => ({
      target,
      examples: model.docs.reduce((a, b) => a + b, 0),
      labels: model.labels.length,
      vocabulary: model.vocabSize,
    })),
  };
}

export interface ModelStatus {
  trainedAt: string | null;
  examples: number | null;
  historyNow: number;
  stale: boolean;
}

export async function modelStatus(db: Db): Promise<ModelStatus> {
  const m = await db.selectFrom('route_models').select(['trained_at', 'examples']).where('target', '=', 'role').executeTakeFirst();
  const historyNow = await countHistory(db);
  const stale = !m ? historyNow >= MIN_EXAMPLES : Math.abs(historyNow - m.examples) >= Math.max(10, m.examples * 0.1);
  return { trainedAt: m?.trained_at ?? null, examples: m?.examples ?? null, historyNow, stale };
}

/** Retrain when stale (and there is enough history); returns whether it trained. */
export async function ensureFreshModels(ctx: Ctx): Promise<boolean> {
  if (ctx.store.readonly) return false;
  const status = await modelStatus(ctx.store.db);
  if (!status.stale || status.historyNow < MIN_EXAMPLES) return false;
  await trainModels(ctx);
  return true;
}

// Parsed models by target, kept while their training time is unchanged.
const cache = new Map<Target, { trainedAt: string; model: NbModel }>();

async function loadModels(db: Db): Promise<Map<Target, { trainedAt: string; model: NbModel; examples: number }>> {
  const heads = await db.selectFrom('route_models').select(['target', 'trained_at', 'examples']).execute();
  const out = new Map<Target, { trainedAt: string; model: NbModel; examples: number }>();
  for (const h of heads) {
    let hit = cache.get(h.target);
    if (!hit || hit.trainedAt !== h.trained_at) {
      const r = await db.selectFrom('route_models').select('model').where('target', '=', h.target).executeTakeFirstOrThrow();
      hit = { trainedAt: h.trained_at, model: JSON.parse(r.model) as NbModel };
      cache.set(h.target, hit);
    }
    out.set(h.target, { ...hit, examples: h.examples });
  }
  return out;
}

/** The suggestion for a text, or null when no model has been trained. */
export async function suggestionFor(db: Db, subject: string, body: string | null): Promise<Suggestion | null> {
  const models = await loadModels(db);
  if (models.size === 0) return null;
  const tokens = itemTokens(subject, body);
  const guess = (t: Target): Guess | null => {
    const m = models.get(t);
    const p = m ? predictNb(m.model, tokens) : null;
    return p ? { label: p.label, confidence: Math.round(p.confidence * 1000) / 1000 } : null;
  };
  const any = [...models.values()][0]!;
  return { role: guess('role'), kind: guess('kind'), agent: guess('agent'), trainedAt: any.trainedAt, examples: any.examples };
}

/** The suggestion for a stored item (its subject and opening or latest customer message). */
export async function suggestionForItem(db: Db, itemId: number): Promise<Suggestion | null> {
  const item = await db.selectFrom('items').select('subject').where('id', '=', itemId).executeTakeFirst();
  if (!item) return null;
  const e = await db
    .selectFrom('events')
    .select('body')
    .where('item_id', '=', itemId)
    .where('type', 'in', ['created', 'message'])
    .where('body', 'is not', null)
    .orderBy('id', 'asc')
    .limit(1)
    .executeTakeFirst();
  return suggestionFor(db, item.subject, e?.body ?? null);
}

export async function evaluateRouting(db: Db, folds = 5): Promise<Record<Target, EvalReport | null>> {
  if (!Number.isInteger(folds) || folds < 2 || folds > 20) throw invalid(`--folds takes a whole number from 2 to 20 (got ${folds})`);
  const history = await loadHistory(db);
  if (history.length < MIN_EXAMPLES)
    throw invalid(`only ${history.length} resolved inbound item(s) to evaluate on; routing needs at least ${MIN_EXAMPLES}`);
  const out = {} as Record<Target, EvalReport | null>;
  for (const t of TARGETS) {
    const ex = examplesFor(history, t);
    out[t] = ex.length >= MIN_EXAMPLES && new Set(ex.map((e) => e.label)).size >= 2 ? crossValidate(ex, folds) : null;
  }
  return out;
}
