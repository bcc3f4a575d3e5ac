// Suggested role, kind and agent through the binary: train, status, eval, suggest, accept, the
// retrain when stale, and a rule that tests a suggestion's confidence.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runJson, runTandem } from '../helpers/cli-inproc.js';
import { standardAgents, testEnv, type TestEnv } from '../helpers/core.js';
import { newDatabase } from '../helpers/store-target.js';
import { createItem, resolve } from '../../src/core/items.js';
import { addAgent } from '../../src/core/agents.js';
import { predictNb, trainNb, tokenize } from '../../src/core/routing/naive-bayes.js';
import { crossValidate } from '../../src/core/routing/evaluate.js';

let env: TestEnv;
const run = (args: string[]) => runTandem(args, { db: env.dbPath, as: 'sam' });
const json = (args: string[]) => runJson(args, { db: env.dbPath, as: 'sam' });

const BILLING = [
  'refund for my invoice',
  'charged twice on my card',
  'invoice amount wrong refund',
  'card charged twice refund please',
  'billing invoice overcharge',
];
const ONBOARDING = [
  'how do I set up my account',
  'getting started setup help',
  'onboarding call to set up the team',
  'setup of the first project',
  'welcome session getting started',
];

async function history(n: number, offset = 0): Promise<void> {
  const { ctx } = env;
  const sam = (await import('../../src/core/agents.js')).findAgent;
  const me = await sam(ctx.store.db, 'sam');
  for (let i = offset; i < offset + n; i++) {
    const billing = i % 2 === 0;
    const text = (billing ? BILLING : ONBOARDING)[i % 5]!;
    const item = await createItem(ctx, me, {
      subject: text,
      body: `${text} thanks`,
      customer: `c${i}@example.org`,
      kind: billing ? 'billing' : 'onboarding',
      assignee: billing ? 'bo' : 'ana',
    });
    await resolve(ctx, me, item.id);
  }
}

beforeAll(async () => {
  env = await testEnv();
  await standardAgents(env.ctx); // sam (both), ana (service), cleo (support)
  await addAgent(env.ctx, { handle: 'bo', roles: 'support' });
  await history(30);
});
afterAll(async () => env.close());

describe('routing suggestions through the CLI', () => {
  it('says when there is too little history', async () => {
    const fresh = await testEnv();
    await standardAgents(fresh.ctx);
    const r = await runTandem(['route', 'train'], { db: fresh.dbPath, as: 'sam' });
    expect(r.code).toBe(5);
    expect(r.stderr).toMatch(/only 0 resolved inbound item\(s\) to learn from; routing needs at least 10/);
    await fresh.close();
  });

  it('trains, evaluates beside the majority baseline, suggests with confidences, and one command accepts', async () => {
    const trained = await json(['route', 'train']);
    expect(trained.examples).toBe(30);
    expect(trained.models.map((m: any) => [m.target, m.labels])).toEqual([
      ['role', 2],
      ['kind', 2],
      ['agent', 2],
    ]);

    const evalReport = await json(['route', 'eval', '--folds', '3']);
    expect(evalReport.role.examples).toBe(30);
    expect(evalReport.role.folds).toBe(3);
    expect(evalReport.role.labels).toEqual(['service', 'support']);
    expect(evalReport.role.model.accuracy).toBe(1);
    expect(evalReport.role.baseline.accuracy).toBe(0.5);
    expect(evalReport.kind.confusion).toEqual([
      [15, 0],
      [0, 15],
    ]);

    const item = await json([
      'item',
      'add',
      '--subject',
      'I was charged twice',
      '--customer',
      'new@example.org',
      '--kind',
      'question',
      '--body',
      'please refund the invoice',
    ]);
    const s = await json(['route', 'suggest', String(item.id)]);
    expect(s.suggestion.role.label).toBe('support');
    expect(s.suggestion.kind.label).toBe('billing');
    expect(s.suggestion.agent.label).toBe('bo');
    expect(s.suggestion.role.confidence).toBeGreaterThan(0.9);
    const shown = await run(['item', 'show', String(item.id)]);
    expect(shown.stdout).toMatch(/suggested\trole support \d+\.\d% · kind billing \d+\.\d% · agent @bo \d+\.\d%/);

    const accepted = await json(['route', 'accept', String(item.id)]);
    expect(accepted).toMatchObject({ role: 'support', kind: 'billing', assignee: 'bo', status: 'open' });
    const events = (await json(['item', 'show', String(item.id)])).events;
    expect(events.filter((e: any) => e.data?.suggestion).map((e: any) => e.type)).toEqual(['role', 'kind', 'assign', 'status']);
    // Accepting again changes nothing.
    const again = await run(['route', 'accept', String(item.id)]);
    expect(again.code).toBe(0);
    expect(again.stdout.trim()).toBe(String(item.id));
  });

  it('a rule acts on the suggestion only above its confidence', async () => {
    const rules = `- name: route by suggestion
  when: created
  if: { field: suggested_kind, is: billing, min_confidence: 0.8 }
  then: [ { tag: looks-billing } ]
- name: very sure
  when: created
  if: { field: suggested_kind, is: billing, min_confidence: 0.99 }
  then: [ { tag: certain } ]
`;
    const r = await runTandem(['rule', 'import', '-'], { db: env.dbPath, as: 'sam', input: rules });
    expect(r.code).toBe(0);
    const billing = await json(['item', 'add', '--subject', 'refund my invoice', '--customer', 'x@example.org']);
    expect(billing.tags).toEqual(['certain', 'looks-billing']);
    const setup = await json(['item', 'add', '--subject', 'getting started setup', '--customer', 'y@example.org']);
    expect(setup.tags).toEqual([]);
    // Words of both kinds: billing, but less sure.
    const mixed = await json(['item', 'add', '--subject', 'refund', '--body', 'setup help', '--customer', 'z@example.org']);
    const s = (await json(['route', 'suggest', String(mixed.id)])).suggestion.kind;
    expect(s.label).toBe('billing');
    expect(s.confidence).toBeGreaterThan(0.8);
    expect(s.confidence).toBeLessThan(0.99);
    expect(mixed.tags).toEqual(['looks-billing']);
    const test = await json(['rule', 'test', 'very sure', '--item', String(mixed.id)]);
    expect(test.rules[0].conditions[0]).toMatchObject({ value: 'billing', result: false });
    expect(test.rules[0].conditions[0].confidence).toBeCloseTo(s.confidence, 2);
  });

  it('retrains by itself when the history has grown by a tenth', async () => {
    const before = await json(['route', 'status']);
    expect(before.stale).toBe(false);
    await history(10, 100);
    const stale = await json(['route', 'status']);
    expect(stale).toMatchObject({ stale: true, examples: 30 });
    expect(stale.historyNow).toBeGreaterThanOrEqual(40);
    await json(['route', 'suggest', '1']);
    const after = await json(['route', 'status']);
    expect(after.stale).toBe(false);
    expect(after.examples).toBe(stale.historyNow);
  });

  it('db copy takes the trained models along: the copy suggests the same without retraining', async () => {
    const target = await newDatabase('route_copy');
    const copied = await runTandem(['db', 'copy', '--to', target, '--json'], { db: env.dbPath, as: 'sam' });
    expect(copied.code).toBe(0);
    expect(JSON.parse(copied.stdout).added['routing model']).toBe(3);
    const onCopy = (args: string[]) => runJson(args, { db: target, as: 'sam' });
    expect(await onCopy(['route', 'status'])).toEqual(await json(['route', 'status']));
    expect(await onCopy(['route', 'suggest', '1'])).toEqual(await json(['route', 'suggest', '1']));
  });
});

describe('naive Bayes', () => {
  it('computes the multinomial posterior in log space with Laplace smoothing', () => {
    const model = trainNb([
      { tokens: ['refund', 'card'], label: 'billing' },
      { tokens: ['refund'], label: 'billing' },
      { tokens: ['setup'], label: 'onboarding' },
    ]);
    // Vocabulary {refund, card, setup}: P(refund|billing) = (2+1)/(3+3), P(refund|onboarding) = (0+1)/(1+3).
    const pb = (2 / 3) * (3 / 6);
    const po = (1 / 3) * (1 / 4);
    const p = predictNb(model, ['refund', 'unknownword'])!;
    expect(p.label).toBe('billing');
    expect(p.confidence).toBeCloseTo(pb / (pb + po), 10);
    // Hundreds of words do not underflow to 0/0.
    expect(predictNb(model, Array(5000).fill('setup'))!.confidence).toBeCloseTo(1, 6);
  });

  it('tokenizes words, drops stop words and numbers', () => {
    expect(tokenize('Hi! My INVOICE #1234 was charged twice, café')).toEqual(['invoice', 'charged', 'twice', 'café']);
  });

  it('scores macro-F1 from the confusion matrix and the majority baseline', () => {
    const ex = [...Array(20)].map((_v, i) => ({ tokens: [i < 15 ? 'a' : 'b'], label: i < 15 ? 'x' : 'y' }));
    const r = crossValidate(ex, 5);
    expect(r.model.accuracy).toBe(1);
    expect(r.model.macroF1).toBe(1);
    expect(r.baseline.label).toBe('x');
    expect(r.baseline.accuracy).toBe(0.75);
    // Baseline: F1(x) = 2·0.75·1/1.75 = 6/7, F1(y) = 0.
    expect(r.baseline.macroF1).toBeCloseTo(3 / 7, 10);
  });
});
