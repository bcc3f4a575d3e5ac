// SLA policies (role x priority -> first response and resolution targets) and due-time rules.
import type { Ctx } from './context.js';
import { nowIso } from './context.js';
import { invalid } from './errors.js';
import type { Db } from '../store/store.js';
import { PRIORITIES, ROLES, parseEnum, type Priority, type Role } from './vocabulary.js';
import { durationSeconds } from './time.js';

export interface SlaPolicy {
  role: Role;
  priority: Priority;
  firstResponseMinutes: number;
  resolutionMinutes: number;
}

/** Due soon = within this many seconds. */
export const DUE_SOON_SECONDS = 60 * 60;

export type SlaState = 'none' | 'ok' | 'due_soon' | 'breached' | 'met' | 'missed';

export async function listPolicies(ctx: Ctx): Promise<SlaPolicy[]> {
  const rows = await ctx.store.db.selectFrom('sla_policies').selectAll().execute();
  const order = (r: { role: string; priority: string }) => ROLES.indexOf(r.role as Role) * 10 - PRIORITIES.indexOf(r.priority as Priority);
  return rows
    .sort((a, b) => order(a) - order(b))
    .map((r) => ({ role: r.role as Role, priority: r.priority as Priority, firstResponseMinutes: r.first_response_minutes, resolutionMinutes: r.resolution_minutes }));
}

export async function getPolicy(db: Db, role: Role, priority: Priority): Promise<SlaPolicy> {
  const r = await db.selectFrom('sla_policies').selectAll().where('role', '=', role).where('priority', '=', priority).executeTakeFirst();
  // A missing row (deleted by hand) means no target, never a crash.
  if (!r) return { role, priority, firstResponseMinutes: 0, resolutionMinutes: 0 };
  return { role, priority, firstResponseMinutes: r.first_response_minutes, resolutionMinutes: r.resolution_minutes };
}

function targetMinutes(what: string, text: string | number): number {
  if (typeof text === 'number') {
    if (!Number.isInteger(text) || text <= 0) throw invalid(`${what} must be a positive number of minutes`);
    return text;
  }
  const t = text.trim();
  if (/^\d+$/.test(t)) return targetMinutes(what, Number(t));
  const seconds = durationSeconds(t);
  if (seconds < 60) throw invalid(`${what} must be at least a minute`);
  return Math.round(seconds / 60);
}

/** Set targets for one role x priority. Targets accept minutes ("90") or durations ("8h", "3d"). */
export async function setPolicy(
  ctx: Ctx,
  input: { role: string; priority: string; firstResponse?: string | number; resolution?: string | number },
): Promise<SlaPolicy> {
  const role = parseEnum('role', ROLES, input.role);
  const priority = parseEnum('priority', PRIORITIES, input.priority);
  if (input.firstResponse === undefined && input.resolution === undefined) {
    throw invalid('give --first-response and/or --resolution');
  }
  const fr = input.firstResponse === undefined ? undefined : targetMinutes('first response target', input.firstResponse);
  const res = input.resolution === undefined ? undefined : targetMinutes('resolution target', input.resolution);
  return ctx.store.write(async (trx) => {
    const current = await getPolicy(trx, role, priority);
    const next = { ...current, firstResponseMinutes: fr ?? current.firstResponseMinutes, resolutionMinutes: res ?? current.resolutionMinutes };
    if (next.firstResponseMinutes > next.resolutionMinutes) {
      throw invalid('the first response target cannot be longer than the resolution target');
    }
    await trx
      .insertInto('sla_policies')
      .values({ role, priority, first_response_minutes: next.firstResponseMinutes, resolution_minutes: next.resolutionMinutes, updated_at: nowIso(ctx) })
      .onConflict((oc) => oc.columns(['role', 'priority']).doUpdateSet({
        first_response_minutes: next.firstResponseMinutes, resolution_minutes: next.resolutionMinutes, updated_at: nowIso(ctx),
      }))
      .execute();
    return next;
  });
}

function addMinutes(isoTime: string, minutes: number): string {
  return new Date(Date.parse(isoTime) + minutes * 60_000).toISOString();
}

/**
 * Due times from a policy. The first-response clock starts at the customer's first message
 * (an agent-opened item has none until the customer writes); the resolution clock at creation.
 */
export function dueTimes(
  policy: SlaPolicy,
  createdAt: string,
  firstCustomerMessageAt: string | null,
): { firstResponseDueAt: string | null; resolutionDueAt: string | null } {
  return {
    firstResponseDueAt: firstCustomerMessageAt && policy.firstResponseMinutes > 0 ? addMinutes(firstCustomerMessageAt, policy.firstResponseMinutes) : null,
    resolutionDueAt: policy.resolutionMinutes > 0 ? addMinutes(createdAt, policy.resolutionMinutes) : null,
  };
}

interface DueFields {
  status: string;
  first_response_at: string | null;
  first_response_due_at: string | null;
  resolution_due_at: string | null;
  resolved_at: string | null;
  closed_at: string | null;
}

/** The earliest target still to meet, or null when nothing is owed (done, or no targets). */
export function nextDueAt(item: DueFields): string | null {
  if (item.status === 'resolved' || item.status === 'closed') return null;
  const candidates: string[] = [];
  if (item.first_response_due_at && !item.first_response_at) candidates.push(item.first_response_due_at);
  if (item.resolution_due_at) candidates.push(item.resolution_due_at);
  return candidates.sort()[0] ?? null;
}

export function slaState(item: DueFields, now: Date): SlaState {
  const done = item.status === 'resolved' || item.status === 'closed';
  if (done) {
    const doneAt = item.resolved_at ?? item.closed_at;
    const missedFr = item.first_response_due_at && (!item.first_response_at || item.first_response_at > item.first_response_due_at);
    const missedRes = item.resolution_due_at && doneAt && doneAt > item.resolution_due_at;
    if (!item.first_response_due_at && !item.resolution_due_at) return 'none';
    return missedFr || missedRes ? 'missed' : 'met';
  }
  const due = nextDueAt(item);
  if (!due) return 'none';
  const left = (Date.parse(due) - now.getTime()) / 1000;
  if (left < 0) return 'breached';
  if (left <= DUE_SOON_SECONDS) return 'due_soon';
  return 'ok';
}
