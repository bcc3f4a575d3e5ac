// Evaluating a rule's condition against an item's facts, keeping each condition's value and result
// so `rule test` can show why a rule matched or not.
import { describeLeaf, type Condition, type Leaf } from './definition.js';
import type { Facts } from './facts.js';

export interface ConditionTrace {
  /** all / any / not, or the leaf described: `subject matches "(?i)refund"`. */
  label: string;
  depth: number;
  result: boolean;
  /** For a leaf: the value it saw (and the suggestion's confidence). */
  value?: unknown;
  confidence?: number | null;
}

function compare(leaf: Leaf, value: unknown): boolean {
  const v = leaf.value;
  switch (leaf.op) {
    case 'is':
    case 'is_not': {
      let hit: boolean;
      if (typeof v === 'number') hit = typeof value === 'number' && value === v;
      else if (typeof v === 'boolean') hit = value === v;
      else hit = (v as string[]).includes(String(value ?? '').toLowerCase());
      return leaf.op === 'is' ? hit : !hit;
    }
    case 'contains':
      return String(value ?? '')
        .toLowerCase()
        .includes(String(v).toLowerCase());
    case 'not_contains':
      return !String(value ?? '')
        .toLowerCase()
        .includes(String(v).toLowerCase());
    case 'matches':
      return leaf.regex!.test(String(value ?? ''));
    case 'has':
      return (v as string[]).some((t) => (value as string[]).includes(t));
    case 'lacks':
      return !(v as string[]).some((t) => (value as string[]).includes(t));
    case 'gt':
      return typeof value === 'number' && value > (v as number);
    case 'gte':
      return typeof value === 'number' && value >= (v as number);
    case 'lt':
      return typeof value === 'number' && value < (v as number);
    case 'lte':
      return typeof value === 'number' && value <= (v as number);
  }
}

async function evalLeaf(leaf: Leaf, facts: Facts, trace: ConditionTrace[] | null, depth: number): Promise<boolean> {
  const value = await facts.value(leaf);
  let result = value !== null && compare(leaf, value);
  let confidence: number | null | undefined;
  if (leaf.minConfidence !== undefined) {
    confidence = await facts.confidence(leaf);
    result = result && confidence !== null && confidence >= leaf.minConfidence;
  }
  trace?.push({ label: describeLeaf(leaf), depth, result, value, ...(confidence !== undefined ? { confidence } : {}) });
  return result;
}

/**
 * Evaluate a condition. With a trace, every branch is evaluated (so the test shows each value);
 * without one, all/any stop early.
 */
export async function evaluate(cond: Condition | null, facts: Facts, trace: ConditionTrace[] | null = null, depth = 0): Promise<boolean> {
  if (!cond) {
    trace?.push({ label: 'always (no conditions)', depth, result: true });
    return true;
  }
  if (cond.kind === 'leaf') return evalLeaf(cond, facts, trace, depth);
  const slot = trace ? trace.push({ label: cond.kind, depth, result: false }) - 1 : -1;
  let result: boolean;
  if (cond.kind === 'not') {
    result = !(await evaluate(cond.of, facts, trace, depth + 1));
  } else {
    result = cond.kind === 'all';
    for (const c of cond.of) {
      const r = await evaluate(c, facts, trace, depth + 1);
      if (cond.kind === 'all' && !r) {
        result = false;
        if (!trace) break;
      }
      if (cond.kind === 'any' && r) {
        result = true;
        if (!trace) break;
      }
    }
  }
  if (trace) trace[slot]!.result = result;
  return result;
}
