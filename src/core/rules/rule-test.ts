// Trying rules without writing: `rule test` evaluates rules against one item (each condition's value
// and result, the actions that would follow, simulated in order as the engine would run them) and
// `rule replay` counts the past items each rule would have matched. Both only read.
import type { Db } from '../../store/store.js';
import type { Ctx } from '../context.js';
import { invalid } from '../errors.js';
import { loadItemRow, type ItemRow } from '../item-mutate.js';
import { parseWhen } from '../time.js';
import { CHANNELS, DIRECTIONS, KINDS, PRIORITIES, ROLES } from '../vocabulary.js';
import { planActions } from './actions.js';
import { evaluate, type ConditionTrace } from './conditions.js';
import { describeAction, TRIGGERS, type ChangeKind, type Trigger } from './definition.js';
import { Facts, loadItemState, type ItemState } from './facts.js';
import { findRule, listRules, type StoredRule } from './rule-store.js';

interface RuleTestResult {
  id: number;
  name: string;
  revision: number;
  when: Trigger;
  enabled: boolean;
  matched: boolean;
  conditions: ConditionTrace[];
  /** What it would do, in order ("priority normal → high"). */
  actions: string[];
  /** Set when an action would be refused (then the rule changes nothing). */
  refused: { action: string; reason: string } | null;
  /** It matched, has stop, and the rules after it would not run. */
  stops: boolean;
}

interface DatabaseMark {
  itemVersion: number;
  itemEvents: number;
  events: number;
  items: number;
  ruleRuns: number;
}

export interface RuleTestReport {
  itemId: number;
  when: Trigger;
  rules: RuleTestResult[];
  /** Rules after a matching `stop` rule: not evaluated. */
  stoppedBefore: string[];
  before: DatabaseMark;
  after: DatabaseMark;
  unchanged: boolean;
}

async function mark(db: Db, itemId: number): Promise<DatabaseMark> {
  const row = await loadItemRow(db, itemId);
  const count = async (q: Promise<{ n: number | string | bigint } | undefined>) => Number((await q)?.n ?? 0);
  return {
    itemVersion: row.version,
    itemEvents: await count(
      db
        .selectFrom('events')
        .where('item_id', '=', itemId)
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirst(),
    ),
    events: await count(
      db
        .selectFrom('events')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirst(),
    ),
    items: await count(
      db
        .selectFrom('items')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirst(),
    ),
    ruleRuns: await count(
      db
        .selectFrom('rules')
        .select((eb) => eb.fn.coalesce(eb.fn.sum<number>('fired_count'), eb.val(0)).as('n'))
        .executeTakeFirst(),
    ),
  };
}

const CHANGE_FOR: Record<Trigger, ChangeKind> = { created: 'created', updated: 'message', escalated: 'escalated' };

async function testOne(db: Db, rule: StoredRule, state: ItemState, now: Date, change: ChangeKind): Promise<RuleTestResult> {
  const trace: ConditionTrace[] = [];
  const matched = await evaluate(rule.spec.condition, new Facts(db, state, now, change), trace);
  const result: RuleTestResult = {
    id: rule.id,
    name: rule.name,
    revision: rule.revision,
    when: rule.when,
    enabled: rule.enabled,
    matched,
    conditions: trace,
    actions: [],
    refused: null,
    stops: matched && rule.spec.stop,
  };
  if (!matched) return result;
  const plan = await planActions(db, rule.spec.actions, state, now, { lastAssigneeId: rule.lastAssigneeId });
  result.actions = plan.steps.map((s) => s.description);
  if (!plan.ok) {
    result.refused = { action: describeAction(plan.action), reason: plan.reason };
    result.actions = [];
  }
  return result;
}

/**
 * Test one rule (`ruleRef`) or every enabled rule of a trigger (`all`) against an item. With
 * `all`, each rule sees the item as the rules before it would have left it.
 */
export async function testRules(
  ctx: Ctx,
  input: { itemId: number; rule?: string; all?: boolean; when?: string; change?: string },
): Promise<RuleTestReport> {
  const db = ctx.store.db;
  if (!input.rule && !input.all) throw invalid('name a rule to test, or --all');
  if (input.rule && input.all) throw invalid('test one rule, or --all, not both');
  const before = await mark(db, input.itemId);
  const row: ItemRow = await loadItemRow(db, input.itemId);
  const now = ctx.clock();
  let rules: StoredRule[];
  let when: Trigger;
  if (input.rule) {
    const rule = await findRule(db, input.rule);
    rules = [rule];
    when = rule.when;
  } else {
    const w = (input.when ?? 'created').toLowerCase();
    if (!(TRIGGERS as readonly string[]).includes(w))
      throw invalid(`--when must be one of ${TRIGGERS.join(', ')} (got ${JSON.stringify(input.when)})`);
    when = w as Trigger;
    rules = (await listRules(db)).filter((r) => r.when === when && r.enabled);
  }
  const change = (input.change as ChangeKind | undefined) ?? CHANGE_FOR[when];
  const state = await loadItemState(db, row);
  const results: RuleTestResult[] = [];
  const stoppedBefore: string[] = [];
  let stopped = false;
  for (const rule of rules) {
    if (stopped) {
      stoppedBefore.push(rule.name);
      continue;
    }
    const r = await testOne(db, rule, state, now, change);
    results.push(r);
    if (r.stops && !r.refused) stopped = true;
  }
  const after = await mark(db, input.itemId);
  const unchanged = JSON.stringify(before) === JSON.stringify(after);
  return { itemId: input.itemId, when, rules: results, stoppedBefore, before, after, unchanged };
}

interface ReplayRow {
  id: number;
  name: string;
  when: Trigger;
  enabled: boolean;
  matched: number;
  examples: number[];
}
export interface ReplayReport {
  since: string;
  items: number;
  rules: ReplayRow[];
}

/** The item as it was created (from its 'created' event), for replaying `created` rules. */
function asCreated(row: ItemRow, data: Record<string, unknown> | null, assigneeId: number | null): ItemState {
  const d = data ?? {};
  // The event's value when it is one the vocabulary knows (events are JSON), else the row's.
  const known = <T extends string>(values: readonly T[], v: unknown, fallback: T): T =>
    (values as readonly unknown[]).includes(v) ? (v as T) : fallback;
  const created: ItemRow = {
    ...row,
    role: known(ROLES, d.role, row.role),
    kind: known(KINDS, d.kind, row.kind),
    channel: known(CHANNELS, d.channel, row.channel),
    direction: known(DIRECTIONS, d.direction, row.direction),
    priority: known(PRIORITIES, d.priority, row.priority),
    status: row.direction === 'outbound' || d.assignee ? 'open' : 'new',
    assignee_id: d.assignee ? assigneeId : null,
    updated_at: row.created_at,
    snoozed_until: null,
  };
  return { row: created, tags: new Set((d.tags as string[] | undefined) ?? []) };
}

/** Count, per rule, the items created since `sinceText` that it would have matched. Reads only. */
export async function replayRules(ctx: Ctx, input: { since: string; rule?: string; limit?: number }): Promise<ReplayReport> {
  const db = ctx.store.db;
  const now = ctx.clock();
  const since = parseWhen(input.since, now, 'past').toISOString();
  const rules = input.rule ? [await findRule(db, input.rule)] : await listRules(db);
  const limit = input.limit ?? 100_000;
  const rows = await db.selectFrom('items').selectAll().where('created_at', '>=', since).orderBy('id').limit(limit).execute();
  const out: ReplayRow[] = rules.map((r) => ({ id: r.id, name: r.name, when: r.when, enabled: r.enabled, matched: 0, examples: [] }));
  const agentByHandle = new Map((await db.selectFrom('agents').select(['id', 'handle']).execute()).map((a) => [a.handle, a.id]));
  for (const row of rows) {
    const created = rules.some((r) => r.when === 'created')
      ? await db
          .selectFrom('events')
          .select('data')
          .where('item_id', '=', row.id)
          .where('type', '=', 'created')
          .orderBy('id')
          .limit(1)
          .executeTakeFirst()
      : undefined;
    const data = created?.data ? (JSON.parse(created.data) as Record<string, unknown>) : null;
    const createdState = asCreated(row, data, data?.assignee ? (agentByHandle.get(String(data.assignee)) ?? null) : null);
    const currentState = rules.some((r) => r.when !== 'created') ? await loadItemState(db, row) : null;
    for (const [i, rule] of rules.entries()) {
      const state = rule.when === 'created' ? createdState : currentState!;
      const at = rule.when === 'created' ? new Date(row.created_at) : now;
      const facts = new Facts(db, { row: state.row, tags: new Set(state.tags) }, at, CHANGE_FOR[rule.when]);
      if (await evaluate(rule.spec.condition, facts)) {
        out[i]!.matched++;
        if (out[i]!.examples.length < 5) out[i]!.examples.push(row.id);
      }
    }
  }
  return { since, items: rows.length, rules: out };
}
