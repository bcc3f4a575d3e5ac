// Multinomial naive Bayes over words, in log space, with Laplace smoothing: the model behind the
// suggested role, kind and agent. Pure functions: training and prediction know no database.

/** Small English stop-word list: words that say nothing about where an item belongs. */
const STOP = new Set(
  (
    'a an and are as at be been but by can could did do does for from had has have hello hi i if in into ' +
    'is it its just me my no not of on or our please so thanks thank that the their them then there these this to ' +
    'us was we were what when which will with would you your yours dear regards best'
  ).split(' '),
);

/** Words of a text: lower case, letters and digits, 2 to 24 characters, no stop words, no bare numbers. */
export function tokenize(text: string): string[] {
  const out: string[] = [];
  for (const w of text
    .normalize('NFKC')
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)) {
    if (w.length < 2 || w.length > 24 || STOP.has(w) || /^\d+$/.test(w)) continue;
    out.push(w);
  }
  return out;
}

/** The words of an item: the subject counts twice (it is the customer's own summary). */
export function itemTokens(subject: string, body: string | null): string[] {
  const s = tokenize(subject);
  return [...s, ...s, ...tokenize(body ?? '')];
}

export interface NbModel {
  labels: string[];
  /** Training documents per label. */
  docs: number[];
  /** Word occurrences per label. */
  totals: number[];
  /** Per word, its count in each label. */
  words: Record<string, number[]>;
  vocabSize: number;
  alpha: number;
}

export interface Example {
  tokens: string[];
  label: string;
}

const MAX_VOCABULARY = 30_000;

export function trainNb(examples: Example[], alpha = 1, maxVocabulary = MAX_VOCABULARY): NbModel {
  const labels = [...new Set(examples.map((e) => e.label))].sort();
  const index = new Map(labels.map((l, i) => [l, i]));
  const docs = new Array<number>(labels.length).fill(0);
  const counts = new Map<string, number[]>();
  for (const e of examples) {
    const li = index.get(e.label)!;
    docs[li]!++;
    for (const t of e.tokens) {
      let c = counts.get(t);
      if (!c) counts.set(t, (c = new Array<number>(labels.length).fill(0)));
      c[li]!++;
    }
  }
  // Keep the most frequent words: a bounded model, and rare words carry little evidence anyway.
  let entries = [...counts.entries()];
  if (entries.length > maxVocabulary) {
    entries = entries
      .map((e) => [e, e[1].reduce((a, b) => a + b, 0)] as const)
      .sort((a, b) => b[1] - a[1] || (a[0][0] < b[0][0] ? -1 : 1))
      .slice(0, maxVocabulary)
      .map(([e]) => e);
  }
  const words: Record<string, number[]> = {};
  const totals = new Array<number>(labels.length).fill(0);
  for (const [w, c] of entries) {
    words[w] = c;
    c.forEach((n, i) => {
      totals[i]! += n;
    });
  }
  return { labels, docs, totals, words, vocabSize: entries.length, alpha };
}

export interface Prediction {
  label: string;
  confidence: number;
  scores: { label: string; probability: number }[];
}

/** The most probable label with its posterior probability (log-sum-exp normalised). */
export function predictNb(model: NbModel, tokens: string[]): Prediction | null {
  const n = model.labels.length;
  if (n === 0) return null;
  const totalDocs = model.docs.reduce((a, b) => a + b, 0);
  const logp = model.docs.map((d) => Math.log(d / totalDocs));
  const denom = model.totals.map((t) => Math.log(t + model.alpha * model.vocabSize));
  for (const t of tokens) {
    const c = model.words[t];
    if (!c) continue; // an unseen word favours no label
    for (let i = 0; i < n; i++) logp[i]! += Math.log(c[i]! + model.alpha) - denom[i]!;
  }
  const max = Math.max(...logp);
  const exp = logp.map((l) => Math.exp(l - max));
  const sum = exp.reduce((a, b) => a + b, 0);
  const scores = model.labels.map((label, i) => ({ label, probability: exp[i]! / sum })).sort((a, b) => b.probability - a.probability);
  return { label: scores[0]!.label, confidence: scores[0]!.probability, scores };
}
