// SLA policies (role x priority -> first response and resolution targets) and due-time rules.
import type { Ctx } from './context.js';
import { nowIso } from './context.js';
import { invalid } from './errors.js';
import type { Db } from '../store/store.js';
import { PRIORITIES, ROLES, parseEnum, type Priority, type Role } from './vocabulary.js';
import { durationSeconds } from './time.js';
import type { Selectable } from 'kysely';
import type { SlaPolicyTable } from '../store/schema.js';
import { addBusinessMinutes, type BusinessCalendar, type Span } from './business-time.js';
import { findCalendarRow, loadCalendarsById } from './calendars.js';
import { recomputeOpenItems } from './sla-due.js';

export interface SlaPolicy {
  role: Role;
  priority: Priority;
  firstResponseMinutes: number;
  resolutionMinutes: number;
  /** The calendar whose business hours the targets count; null = wall-clock time. */
  calendar: string | null;
  /** Time in pending and snoozed does not count toward resolution. */
  pauseWhenWaiting: boolean;
}

/** A policy with its calendar loaded, for computing due times. */
export interface PolicyRule extends SlaPolicy {
  hours: BusinessCalendar | null;
}

/** Due soon = within this many seconds. */
export const DUE_SOON_SECONDS = 60 * 60;

export type SlaState = 'none' | 'ok' | 'due_soon' | 'breached' | 'met' | 'missed';

type PolicyRow = Selectable<SlaPolicyTable>;

async function toRules(db: Db, rows: PolicyRow[]): Promise<PolicyRule[]> {
  const ids = [...new Set(rows.map((r) => r.calendar_id).filter((id): id is number => id !== null))];
  const calendars = await loadCalendarsById(db, ids);
  return rows.map((r) => {
    const cal = r.calendar_id === null ? null : (calendars.get(r.calendar_id) ?? null);
    return {
      role: r.role as Role,
      priority: r.priority as Priority,
      firstResponseMinutes: r.first_response_minutes,
      resolutionMinutes: r.resolution_minutes,
      calendar: cal?.name ?? null,
      pauseWhenWaiting: r.pause_when_waiting === 1,
      hours: cal?.hours ?? null,
    };
  });
}

/** The public shape of a policy (what `sla list --json` prints). */
export function policyShape(p: SlaPolicy): SlaPolicy {
  return {
    role: p.role,
    priority: p.priority,
    firstResponseMinutes: p.firstResponseMinutes,
    resolutionMinutes: p.resolutionMinutes,
    calendar: p.calendar,
    pauseWhenWaiting: p.pauseWhenWaiting,
  };
}

export async function listPolicies(ctx: Ctx): Promise<PolicyRule[]> {
  return policyRules(ctx.store.db);
}

/** Every policy with its calendar loaded, role by role, most urgent first. */
export async function policyRules(db: Db): Promise<PolicyRule[]> {
  const rows = await db.selectFrom('sla_policies').selectAll().execute();
  const order = (r: { role: string; priority: string }) => ROLES.indexOf(r.role as Role) * 10 - PRIORITIES.indexOf(r.priority as Priority);
  return toRules(
    db,
    rows.sort((a, b) => order(a) - order(b)),
  );
}

export async function getPolicy(db: Db, role: Role, priority: Priority): Promise<PolicyRule> {
  const r = await db.selectFrom('sla_policies').selectAll().where('role', '=', role).where('priority', '=', priority).executeTakeFirst();
  // A missing row (deleted by hand) means no target, never a crash.
  if (!r) return { role, priority, firstResponseMinutes: 0, resolutionMinutes: 0, calendar: null, pauseWhenWaiting: false, hours: null };
  return (await toRules(db, [r]))[0]!;
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

/** A number of minutes from "90", "4h" or "3d" (for `sla due --minutes`). */
export function parseMinutes(what: string, text: string): number {
  return targetMinutes(what, text);
}

function parseSwitch(what: string, text: string | boolean): boolean {
  if (typeof text === 'boolean') return text;
  const t = text.trim().toLowerCase();
  if (['on', 'yes', 'true', '1'].includes(t)) return true;
  if (['off', 'no', 'false', '0'].includes(t)) return false;
  throw invalid(`${what} must be on or off, not ${JSON.stringify(text)}`);
}

export interface PolicyInput {
  role: string;
  priority: string;
  firstResponse?: string | number | undefined;
  resolution?: string | number | undefined;
  /** A calendar name; "none" (or null) makes the policy wall-clock again. */
  calendar?: string | null | undefined;
  /** on/off: pending and snoozed time does not count toward resolution. */
  pauses?: string | boolean | undefined;
}

/**
 * Set targets for one role x priority. Targets accept minutes ("90") or durations ("8h", "3d"); with a
 * calendar they count business time. The due times of the policy's open items are computed again.
 */
export async function setPolicy(ctx: Ctx, input: PolicyInput): Promise<SlaPolicy & { recomputed: number }> {
  const role = parseEnum('role', ROLES, input.role);
  const priority = parseEnum('priority', PRIORITIES, input.priority);
  if (input.firstResponse === undefined && input.resolution === undefined && input.calendar === undefined && input.pauses === undefined) {
    throw invalid('give --first-response, --resolution, --calendar and/or --pauses');
  }
  const fr = input.firstResponse === undefined ? undefined : targetMinutes('first response target', input.firstResponse);
  const res = input.resolution === undefined ? undefined : targetMinutes('resolution target', input.resolution);
  const pauses = input.pauses === undefined ? undefined : parseSwitch('--pauses', input.pauses);
  const calendarName =
    input.calendar === undefined
      ? undefined
      : input.calendar === null || input.calendar.trim().toLowerCase() === 'none'
        ? null
        : input.calendar.trim();
  return ctx.store.write(async (trx) => {
    const current = await getPolicy(trx, role, priority);
    const currentCalendarId =
      (
        await trx
          .selectFrom('sla_policies')
          .select('calendar_id')
          .where('role', '=', role)
          .where('priority', '=', priority)
          .executeTakeFirst()
      )?.calendar_id ?? null;
    // undefined: keep the calendar; null: wall-clock; a name: that calendar (not found → exit 3).
    const calendar = calendarName === undefined || calendarName === null ? null : await findCalendarRow(trx, calendarName);
    const calendarId = calendarName === undefined ? currentCalendarId : (calendar?.id ?? null);
    const next: SlaPolicy = {
      role,
      priority,
      firstResponseMinutes: fr ?? current.firstResponseMinutes,
      resolutionMinutes: res ?? current.resolutionMinutes,
      calendar: calendarName === undefined ? current.calendar : (calendar?.name ?? null),
      pauseWhenWaiting: pauses ?? current.pauseWhenWaiting,
    };
    if (next.firstResponseMinutes <= 0 || next.resolutionMinutes <= 0) {
      throw invalid(`${role} ${priority} has no targets yet: give both --first-response and --resolution`);
    }
    if (next.firstResponseMinutes > next.resolutionMinutes) {
      throw invalid('the first response target cannot be longer than the resolution target');
    }
    const values = {
      first_response_minutes: next.firstResponseMinutes,
      resolution_minutes: next.resolutionMinutes,
      updated_at: nowIso(ctx),
      calendar_id: calendarId,
      pause_when_waiting: next.pauseWhenWaiting ? 1 : 0,
    };
    await trx
      .insertInto('sla_policies')
      .values({ role, priority, ...values })
      .onConflict((oc) => oc.columns(['role', 'priority']).doUpdateSet(values))
      .execute();
    // A new calendar or pause switch changes what the clock counts: open items follow. (New targets
    // apply to items created or re-prioritised from now on, as before.)
    const countingChanged = next.calendar !== current.calendar || next.pauseWhenWaiting !== current.pauseWhenWaiting;
    const recomputed = countingChanged
      ? await recomputeOpenItems(
          trx,
          ctx.clock(),
          { role, priority },
          `SLA policy ${role} ${priority} now counts ${next.calendar ? `calendar ${next.calendar}` : 'wall-clock time'}${next.pauseWhenWaiting ? ', paused while waiting' : ''}`,
        )
      : 0;
    return { ...next, recomputed };
  });
}

/**
 * Due times from a policy. The first-response clock starts at the customer's first message
 * (an agent-opened item has none until the customer writes); the resolution clock at creation.
 * With a calendar both count business time; `pauses` (when the policy pauses) are left out of the
 * resolution clock. A resolution clock stopped by an open pause has no due time until it runs again.
 */
export function dueTimes(
  policy: SlaPolicy & { hours?: BusinessCalendar | null },
  createdAt: string,
  firstCustomerMessageAt: string | null,
  pauses: readonly Span[] = [],
): { firstResponseDueAt: string | null; resolutionDueAt: string | null } {
  const cal = policy.hours ?? null;
  const at = (from: string, minutes: number, ps: readonly Span[]) => {
    const due = addBusinessMinutes(cal, Date.parse(from), minutes, ps);
    return due === null ? null : new Date(due).toISOString();
  };
  return {
    firstResponseDueAt:
      firstCustomerMessageAt && policy.firstResponseMinutes > 0 ? at(firstCustomerMessageAt, policy.firstResponseMinutes, []) : null,
    resolutionDueAt: policy.resolutionMinutes > 0 ? at(createdAt, policy.resolutionMinutes, policy.pauseWhenWaiting ? pauses : []) : null,
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
