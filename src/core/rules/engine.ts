// The rule engine. Called from the core's write paths inside their transaction; runs the enabled
// rules of a trigger in their explicit order, each at most once per item per outside change. A
// rule's own changes may trigger rules again, breadth first, to MAX_RULE_DEPTH levels; past it the
// loop stops and an event on the item says which rule did not run. Every action is an event naming
// the rule and its revision; a refused action writes only a 'rule' event saying why.
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Db } from '../../store/store.js';
import { toAgent, type Agent } from '../agents.js';
import { escalateWithin } from '../escalation.js';
import { applyChange, insertEvents, loadItemRow, SYSTEM, type Actor, type Change } from '../item-mutate.js';
import type { ChangeKind, Trigger } from './definition.js';
import { describeAction } from './definition.js';
import { evaluate } from './conditions.js';
import { Facts, loadItemState } from './facts.js';
import { planActions, type PlannedStep } from './actions.js';
import { loadEnabledRules, type StoredRule } from './rule-store.js';
import type { FireOptions } from './hook.js';

/** How many levels of rule-made changes may trigger rules again (the outside change is level 1). */
const MAX_RULE_DEPTH = 3;

interface Pending {
  trigger: Trigger;
  itemId: number;
  change: ChangeKind;
  depth: number;
  actor?: Actor;
}

/** One outside change and everything rules do because of it. */
class Cascade {
  readonly fired = new Set<string>();
  readonly queue: Pending[] = [];
  depth = 1;
  private rules = new Map<Trigger, StoredRule[]>();
  constructor(
    readonly trx: Db,
    readonly now: Date,
  ) {}
  async rulesFor(trigger: Trigger): Promise<StoredRule[]> {
    if (!this.rules.has(trigger)) this.rules.set(trigger, await loadEnabledRules(this.trx, trigger));
    return this.rules.get(trigger)!;
  }
}

// The cascade running in this async context, valid only for its own transaction object. PostgreSQL's
// write() may run its callback again after a serialization failure, with a new trx: the retry never
// matches the failed attempt's cascade, so it starts afresh (nothing "already fired", depth 1), and
// everything the failed attempt counted (runs, round-robin turns, events) was in the rolled-back
// transaction. tests/core/rules-retry.pg.test.ts holds this.
const active = new AsyncLocalStorage<Cascade>();

export async function runRulesFor(trx: Db, trigger: Trigger, itemId: number, opts: FireOptions): Promise<void> {
  const running = active.getStore();
  if (running && running.trx === trx) {
    // A change made by a rule: its rules run after the current pass, one level deeper.
    running.queue.push({ trigger, itemId, change: opts.change, depth: running.depth + 1, actor: opts.actor });
    return;
  }
  const cascade = new Cascade(trx, opts.now);
  if ((await cascade.rulesFor(trigger)).length === 0) return; // the common case: one indexed read
  cascade.queue.push({ trigger, itemId, change: opts.change, depth: 1, actor: opts.actor });
  await active.run(cascade, async () => {
    for (let next = cascade.queue.shift(); next; next = cascade.queue.shift()) {
      cascade.depth = next.depth;
      await runPass(cascade, next);
    }
  });
}

function ruleRef(rule: Pick<StoredRule, 'id' | 'name' | 'revision'>) {
  return { id: rule.id, name: rule.name, revision: rule.revision };
}

async function logRuleEvent(trx: Db, itemId: number, rule: StoredRule, data: Record<string, unknown>, now: string): Promise<void> {
  // A log line, not a change: it keeps the item's version.
  const row = await loadItemRow(trx, itemId);
  await insertEvents(trx, itemId, row.version, SYSTEM, [{ type: 'rule', data: { rule: ruleRef(rule), ...data } }], now);
}

async function runPass(cascade: Cascade, p: Pending): Promise<void> {
  const { trx, now } = cascade;
  const nowIso = now.toISOString();
  const rules = await cascade.rulesFor(p.trigger);
  for (const rule of rules) {
    const key = `${rule.id}:${p.itemId}`;
    if (cascade.fired.has(key)) continue;
    const row = await loadItemRow(trx, p.itemId);
    const state = await loadItemState(trx, row);
    if (!(await evaluate(rule.spec.condition, new Facts(trx, state, now, p.change)))) continue;
    cascade.fired.add(key);
    if (p.depth > MAX_RULE_DEPTH) {
      await logRuleEvent(trx, p.itemId, rule, { skipped: 'depth', depth: p.depth, limit: MAX_RULE_DEPTH }, nowIso);
      continue;
    }
    const plan = await planActions(trx, rule.spec.actions, state, now, { lastAssigneeId: rule.lastAssigneeId });
    let by: Agent | null = null;
    if (plan.ok && plan.steps.some((s) => s.escalate)) {
      by = await escalatingAgent(trx, rule, p.actor);
      if (!by) {
        const action = plan.steps.find((s) => s.escalate)!.action;
        await logRuleEvent(
          trx,
          p.itemId,
          rule,
          {
            refused: `no active agent to escalate as (the rule's author ${rule.savedBy ? '@' + rule.savedBy : 'is unknown'})`,
            action: describeAction(action),
          },
          nowIso,
        );
        continue;
      }
    }
    if (!plan.ok) {
      await logRuleEvent(trx, p.itemId, rule, { refused: plan.reason, action: describeAction(plan.action) }, nowIso);
      continue;
    }
    let picked: number | null = null;
    for (const step of plan.steps) {
      await applyStep(trx, p.itemId, rule, step, by, now);
      if (step.pickedAgentId) picked = step.pickedAgentId;
    }
    await trx
      .updateTable('rules')
      .set((eb) => ({ fired_count: eb('fired_count', '+', 1), last_fired_at: nowIso, ...(picked ? { last_assignee_id: picked } : {}) }))
      .where('id', '=', rule.id)
      .execute();
    if (picked) rule.lastAssigneeId = picked;
    if (rule.spec.stop) break;
  }
}

async function applyStep(trx: Db, itemId: number, rule: StoredRule, step: PlannedStep, by: Agent | null, now: Date): Promise<void> {
  const row = await loadItemRow(trx, itemId);
  const ref = { rule: ruleRef(rule) };
  if (step.escalate) {
    await escalateWithin(trx, by!, row, { reason: step.escalate.reason, to: step.escalate.to }, now, ref);
    return;
  }
  const change: Change = { ...step.change, events: step.change.events.map((e) => ({ ...e, data: { ...(e.data ?? {}), ...ref } })) };
  await applyChange(trx, row, SYSTEM, change, now.toISOString());
}

/** A rule escalates as the agent who saved it; failing that, as the agent whose change triggered it. */
async function escalatingAgent(trx: Db, rule: StoredRule, actor: Actor | undefined): Promise<Agent | null> {
  if (rule.savedBy) {
    const a = await trx.selectFrom('agents').selectAll().where('handle', '=', rule.savedBy).where('active', '=', 1).executeTakeFirst();
    if (a) return toAgent(a);
  }
  return actor?.type === 'agent' && actor.agent.active ? actor.agent : null;
}
