// Accepting a suggestion: the item takes the suggested role and kind (and the suggested agent when
// nobody has it yet), as one change whose events say it came from the suggestion.
import type { Agent } from '../agents.js';
import type { Ctx } from '../context.js';
import { conflict } from '../errors.js';
import { asAgent, mutateItem, type Change, type MutationOptions, type MutationResult } from '../item-mutate.js';
import { planActions } from '../rules/actions.js';
import type { Action } from '../rules/definition.js';
import { loadItemState } from '../rules/facts.js';
import { agentHasRole } from '../agents.js';
import { suggestionForItem, type Suggestion } from './suggest.js';

export async function acceptSuggestion(
  ctx: Ctx,
  agent: Agent,
  itemId: number,
  opts: MutationOptions = {},
): Promise<MutationResult & { suggestion: Suggestion }> {
  let used: Suggestion | null = null;
  const result = await mutateItem(ctx, itemId, asAgent(agent), opts, async (row, trx, now) => {
    const s = await suggestionForItem(trx, row.id);
    if (!s?.role || !s.kind) throw conflict('there is no suggestion yet: `tandem route train` learns from resolved items');
    used = s;
    const actions: Action[] = [
      { type: 'set', field: 'role', value: s.role.label },
      { type: 'set', field: 'kind', value: s.kind.label },
    ];
    if (!row.assignee_id && s.agent) {
      const a = await trx.selectFrom('agents').select(['roles', 'active']).where('handle', '=', s.agent.label).executeTakeFirst();
      if (a && a.active === 1 && agentHasRole({ roles: a.roles as Agent['roles'] }, s.role.label as 'service' | 'support')) {
        actions.push({ type: 'assign', mode: 'agent', handle: s.agent.label });
      }
    }
    const state = await loadItemState(trx, row);
    const plan = await planActions(trx, actions, state, new Date(now), { lastAssigneeId: null });
    if (!plan.ok) throw conflict(`the suggestion cannot be applied: ${plan.reason}`);
    if (plan.steps.length === 0) return null;
    const data = { suggestion: { role: s.role, kind: s.kind, agent: s.agent } };
    const change: Change = { set: {}, events: [] };
    for (const step of plan.steps) {
      Object.assign(change.set, step.change.set);
      change.events.push(...step.change.events.map((e) => ({ ...e, data: { ...(e.data ?? {}), ...data } })));
    }
    return change;
  });
  return { ...result, suggestion: used! };
}
