// k-fold cross-validation of the naive Bayes router: accuracy, macro-F1 and the confusion matrix,
// beside the majority-class baseline (what always guessing the commonest label would score).
import { predictNb, trainNb, type Example } from './naive-bayes.js';

interface Scores {
  accuracy: number;
  macroF1: number;
}

export interface EvalReport {
  examples: number;
  folds: number;
  labels: string[];
  model: Scores;
  baseline: Scores & { label: string };
  /** confusion[i][j]: items whose true label is labels[i], predicted labels[j]. */
  confusion: number[][];
}

/** A fixed shuffle (so two runs give the same folds): a small linear congruential generator. */
function shuffled<T>(items: T[], seed = 42): T[] {
  const out = [...items];
  let s = seed >>> 0;
  for (let i = out.length - 1; i > 0; i--) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

function scores(labels: string[], confusion: number[][]): Scores {
  const total = confusion.flat().reduce((a, b) => a + b, 0);
  const correct = labels.reduce((a, _l, i) => a + confusion[i]![i]!, 0);
  const f1s: number[] = [];
  labels.forEach((_l, i) => {
    const tp = confusion[i]![i]!;
    const actual = confusion[i]!.reduce((a, b) => a + b, 0);
    const predicted = confusion.reduce((a, row) => a + row[i]!, 0);
    if (actual === 0 && predicted === 0) return; // a label nobody has and nobody guessed
    const precision = predicted ? tp / predicted : 0;
    const recall = actual ? tp / actual : 0;
    f1s.push(precision + recall ? (2 * precision * recall) / (precision + recall) : 0);
  });
  return { accuracy: total ? correct / total : 0, macroF1: f1s.length ? f1s.reduce((a, b) => a + b, 0) / f1s.length : 0 };
}

export function crossValidate(examples: Example[], folds = 5): EvalReport {
  const k = Math.max(2, Math.min(folds, examples.length));
  const labels = [...new Set(examples.map((e) => e.label))].sort();
  const index = new Map(labels.map((l, i) => [l, i]));
  const empty = () => labels.map(() => labels.map(() => 0));
  const confusion = empty();
  const baseConfusion = empty();
  const data = shuffled(examples);
  let baselineLabel = '';
  for (let f = 0; f < k; f++) {
    const test = data.filter((_e, i) => i % k === f);
    const train = data.filter((_e, i) => i % k !== f);
    const model = trainNb(train);
    const freq = new Map<string, number>();
    for (const e of train) freq.set(e.label, (freq.get(e.label) ?? 0) + 1);
    const majority = [...freq.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0]?.[0] ?? labels[0]!;
    baselineLabel = majority;
    for (const e of test) {
      const p = predictNb(model, e.tokens)?.label ?? majority;
      confusion[index.get(e.label)!]![index.get(p)!]!++;
      baseConfusion[index.get(e.label)!]![index.get(majority)!]!++;
    }
  }
  return {
    examples: examples.length,
    folds: k,
    labels,
    model: scores(labels, confusion),
    baseline: { ...scores(labels, baseConfusion), label: baselineLabel },
    confusion,
  };
}
