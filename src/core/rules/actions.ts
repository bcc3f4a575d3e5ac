// Planning a rule's actions: each action becomes the change it would make (the same row fields and
// events as the agent's command), computed against the item as earlier actions left it. The status
// rules are checked here, so a refused action is known before anything is written: a rule applies
// all its actions or none. `rule test` shows the plan; the engine applies it.
import type { Db } from '../../store/store.js';
import { findAgent, toAgent, type Agent } from '../agents.js';
import { conflict, invalid, TandemError } from '../errors.js';
import { checkAssignable } from '../item-rules.js';
import { canTransition, refuseTransition, statusChange, tagChange } from '../item-status.js';
import type { Change, NewEvent } from '../item-mutate.js';
import { dueTimes, getPolicy } from '../sla.js';
import { parseWhen } from '../time.js';
// Set values are checked against the vocabulary when the rule is parsed (definition.ts).
import type { Kind, Priority, Role, Status } from '../vocabulary.js';
import type { Action } from './definition.js';
import type { ItemState } from './facts.js';

export interface PlannedStep {
  action: Action;
  /** What it does to this item: "priority normal → high". */
  description: string;
  change: Change;
  /** Escalation creates a support item: applied through the escalation core, not as a plain change. */
  escalate?: { reason: string; to: Agent | null };
  /** Round-robin remembers whom it picked. */
  pickedAgentId?: number;
}

export interface RuleContext {
  /** The rule's round-robin memory. */
  lastAssigneeId: number | null;
}

export type Plan = { ok: true; steps: PlannedStep[] } | { ok: false; action: Action; reason: string; steps: PlannedStep[] };

const OPEN_WORK: Status[] = ['new', 'open', 'pending', 'escalated'];

async function activeAgentsFor(db: Db, role: Role, among: string[] | null): Promise<Agent[]> {
  let q = db.selectFrom('agents').selectAll().where('active', '=', 1).where('roles', 'in', [role, 'both']);
  if (among) q = q.where('handle', 'in', among);
  // Sorted here, not by the database: PostgreSQL orders text by its collation, and round-robin
  // compares handles in JS ("the next after whoever it picked last").
  return (await q.execute()).map(toAgent).sort((a, b) => (a.handle < b.handle ? -1 : a.handle > b.handle ? 1 : 0));
}

async function pickAgent(
  db: Db,
  action: Extract<Action, { type: 'assign' }>,
  row: ItemState['row'],
  rule: RuleContext,
): Promise<Agent | null> {
  if (action.mode === 'nobody') return null;
  if (action.mode === 'agent') {
    const agent = await findAgent(db, action.handle).catch(() => {
      throw invalid(`no agent @${action.handle}`);
    });
    checkAssignable(agent, row.role as Role);
    return agent;
  }
  const pool = await activeAgentsFor(db, row.role as Role, action.among);
  if (pool.length === 0) {
    throw conflict(`no active ${row.role} agent${action.among ? ` among ${action.among.map((h) => '@' + h).join(', ')}` : ''} to assign`);
  }
  if (action.mode === 'round-robin') {
    const last = pool.findIndex((a) => a.id === rule.lastAssigneeId);
    // The next one after whoever this rule picked last (by handle), wrapping round.
    if (last >= 0) return pool[(last + 1) % pool.length]!;
    const lastHandle = rule.lastAssigneeId
      ? (await db.selectFrom('agents').select('handle').where('id', '=', rule.lastAssigneeId).executeTakeFirst())?.handle
      : undefined;
    return (lastHandle ? pool.find((a) => a.handle > lastHandle) : undefined) ?? pool[0]!;
  }
  // Least loaded: fewest items still to do; ties go to the handle first in the alphabet.
  const loads = await db
    .selectFrom('items')
    .select(['assignee_id'])
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where(
      'assignee_id',
      'in',
      pool.map((a) => a.id),
    )
    .where('status', 'in', OPEN_WORK)
    .where('id', '!=', row.id)
    .groupBy('assignee_id')
    .execute();
  const load = new Map(loads.map((l) => [l.assignee_id, Number(l.n)]));
  return pool.reduce((best, a) => ((load.get(a.id) ?? 0) < (load.get(best.id) ?? 0) ? a : best), pool[0]!);
}

async function handleOf(db: Db, id: number | null): Promise<string | null> {
  if (!id) return null;
  return (await db.selectFrom('agents').select('handle').where('id', '=', id).executeTakeFirst())?.handle ?? null;
}

/** One action's change against the current state, or null when it would change nothing. Throws to refuse. */
async function planOne(db: Db, action: Action, state: ItemState, now: Date, rule: RuleContext): Promise<PlannedStep | null> {
  const row = state.row;
  const nowIso = now.toISOString();
  const status = row.status as Status;
  const step = (description: string, change: Change, extra: Partial<PlannedStep> = {}): PlannedStep => ({
    action,
    description,
    change,
    ...extra,
  });
  switch (action.type) {
    case 'set': {
      const from = row[action.field];
      if (from === action.value) return null;
      if (action.field === 'status') {
        const to = action.value as Status;
        if (!canTransition(status, to)) refuseTransition(row, to);
        if ((to === 'resolved' || to === 'closed') && row.role === 'support') {
          const esc = await db
            .selectFrom('escalations')
            .select('id')
            .where('support_item_id', '=', row.id)
            .where('state', '=', 'open')
            .executeTakeFirst();
          if (esc) throw conflict(`item #${row.id} came from an escalation; an agent resolves it, with a note for service`);
        }
        return step(`status ${from} → ${to}`, statusChange(row, to, nowIso));
      }
      if (action.field === 'kind')
        return step(`kind ${from} → ${action.value}`, {
          set: { kind: action.value as Kind },
          events: [{ type: 'kind', data: { from, to: action.value } }],
        });
      const role = (action.field === 'role' ? action.value : row.role) as Role;
      const priority = (action.field === 'priority' ? action.value : row.priority) as Priority;
      if (action.field === 'role') {
        if (status === 'escalated') throw conflict(`item #${row.id} is escalated to support; its role stays service until it comes back`);
        if (row.assignee_id) {
          const assignee = await db.selectFrom('agents').selectAll().where('id', '=', row.assignee_id).executeTakeFirstOrThrow();
          checkAssignable(toAgent(assignee), role);
        }
      }
      // Due times follow the role and priority's targets (an explicit due date is kept).
      const due = dueTimes(await getPolicy(db, role, priority), row.created_at, row.first_customer_message_at);
      const type = action.field === 'role' ? 'role' : 'priority';
      return step(`${type} ${from} → ${action.value}`, {
        set: {
          [action.field]: action.value,
          first_response_due_at: due.firstResponseDueAt,
          resolution_due_at: row.resolution_due_explicit ? row.resolution_due_at : due.resolutionDueAt,
        },
        events: [{ type, data: { from, to: action.value } }],
      });
    }
    case 'assign': {
      const target = await pickAgent(db, action, row, rule);
      if ((target?.id ?? null) === row.assignee_id) return null;
      const from = await handleOf(db, row.assignee_id);
      const set: Change['set'] = { assignee_id: target?.id ?? null };
      const events: NewEvent[] = [
        {
          type: 'assign',
          data: { from, to: target?.handle ?? null, ...(action.mode === 'agent' || action.mode === 'nobody' ? {} : { how: action.mode }) },
        },
      ];
      if (target && status === 'new') {
        set.status = 'open';
        events.push({ type: 'status', data: { from: 'new', to: 'open' } });
      }
      const how = action.mode === 'round-robin' || action.mode === 'least-loaded' ? ` (${action.mode})` : '';
      return step(
        `assignee ${from ? '@' + from : 'none'} → ${target ? '@' + target.handle : 'none'}${how}${set.status ? '; status new → open' : ''}`,
        { set, events },
        target ? { pickedAgentId: target.id } : {},
      );
    }
    case 'tag':
    case 'untag': {
      const changed = action.tags.filter((t) => (action.type === 'tag' ? !state.tags.has(t) : state.tags.has(t)));
      if (changed.length === 0) return null;
      const added = action.type === 'tag' ? changed : [];
      const removed = action.type === 'untag' ? changed : [];
      return step(`tags ${[...added.map((t) => '+' + t), ...removed.map((t) => '-' + t)].join(' ')}`, tagChange(row.id, added, removed));
    }
    case 'snooze': {
      if (status === 'resolved' || status === 'closed' || status === 'escalated')
        throw conflict(`item #${row.id} is ${status} and cannot be snoozed`);
      const until = parseWhen(action.until, now, 'future').toISOString();
      return step(`snoozed until ${until}`, {
        set: { status: 'snoozed', snoozed_until: until },
        events: [
          { type: 'snooze', data: { until } },
          ...(status === 'snoozed' ? [] : [{ type: 'status' as const, data: { from: status, to: 'snoozed' } }]),
        ],
      });
    }
    case 'note':
      return step(`internal note: ${action.body}`, { set: {}, events: [{ type: 'note', body: action.body }] });
    case 'escalate': {
      if (row.role !== 'service') throw conflict(`item #${row.id} is a support item; only service items are escalated`);
      if (status === 'escalated') throw conflict(`item #${row.id} is already escalated`);
      if (status === 'resolved' || status === 'closed') throw conflict(`item #${row.id} is ${status}; reopen it before escalating`);
      let to: Agent | null = null;
      if (action.to) {
        to = await findAgent(db, action.to).catch(() => {
          throw invalid(`no agent @${action.to}`);
        });
        checkAssignable(to, 'support');
      }
      return step(
        `escalated to support: ${action.reason}`,
        { set: { status: 'escalated', snoozed_until: null }, events: [] },
        { escalate: { reason: action.reason, to } },
      );
    }
  }
}

/** Plan every action of a rule in order against `state` (which the plan updates as it goes). */
export async function planActions(db: Db, actions: Action[], state: ItemState, now: Date, rule: RuleContext): Promise<Plan> {
  const steps: PlannedStep[] = [];
  for (const action of actions) {
    let s: PlannedStep | null;
    try {
      s = await planOne(db, action, state, now, rule);
    } catch (e) {
      if (e instanceof TandemError) return { ok: false, action, reason: e.message, steps };
      throw e;
    }
    if (!s) continue;
    steps.push(s);
    state.row = { ...state.row, ...s.change.set } as ItemState['row'];
    const ev = s.change.events.find((e) => e.type === 'tag');
    if (ev) {
      for (const t of (ev.data?.added as string[]) ?? []) state.tags.add(t);
      for (const t of (ev.data?.removed as string[]) ?? []) state.tags.delete(t);
    }
  }
  return { ok: true, steps };
}
