// Due times kept true over an item's life: computed again when the item enters or leaves a pause
// (pending, snoozed), when its priority or role changes, and when its policy's calendar changes; and
// the business-time durations the KPIs read, written when the first response and resolution happen.
import type { Updateable } from 'kysely';
import type { Db } from '../store/store.js';
import type { ItemTable } from '../store/schema.js';
import { businessMsBetween, type Span } from './business-time.js';
import { applyChange, type ItemRow, type NewEvent } from './item-mutate.js';
import { dueTimes, getPolicy, policyRules, type PolicyRule } from './sla.js';
import type { Priority, Role, Status } from './vocabulary.js';

/** Statuses in which the resolution clock stops, when the policy pauses. */
export const PAUSE_STATUSES: readonly string[] = ['pending', 'snoozed'];
const isPause = (status: string) => PAUSE_STATUSES.includes(status);

/** A status or snooze event of an item, as stored (data is the parsed JSON). */
export interface HistoryEvent {
  type: string;
  createdAt: string;
  data: Record<string, unknown> | null;
}

/** The status and snooze events of items, oldest first, by item. */
export async function pauseHistory(db: Db, itemIds: number[]): Promise<Map<number, HistoryEvent[]>> {
  const out = new Map<number, HistoryEvent[]>();
  for (let i = 0; i < itemIds.length; i += 500) {
    const rows = await db
      .selectFrom('events')
      .select(['item_id', 'type', 'created_at', 'data'])
      .where('item_id', 'in', itemIds.slice(i, i + 500))
      .where('type', 'in', ['status', 'snooze'])
      .orderBy('item_id')
      .orderBy('id')
      .execute();
    for (const r of rows) {
      let list = out.get(r.item_id);
      if (!list) out.set(r.item_id, (list = []));
      list.push({ type: r.type, createdAt: r.created_at, data: r.data ? (JSON.parse(r.data) as Record<string, unknown>) : null });
    }
  }
  return out;
}

export interface Pause extends Span {
  status: string;
}

/**
 * The spans an item spent waiting (pending or snoozed), from its history. A snooze pauses until the
 * earlier of its wake-up time and the status change that ended it; an item still pending is paused
 * with no end (Infinity), one still snoozed until its wake-up time.
 */
export function pausesFromHistory(history: readonly HistoryEvent[]): Pause[] {
  const out: Pause[] = [];
  let start: number | null = null;
  let status = '';
  let until: number | null = null;
  const close = (end: number) => {
    if (start === null) return;
    out.push({ start, end: Math.max(start, end), status });
    start = null;
  };
  for (const e of history) {
    const t = Date.parse(e.createdAt);
    if (e.type === 'snooze') {
      until = typeof e.data?.until === 'string' ? Date.parse(e.data.until) : null;
      continue;
    }
    const to = String(e.data?.to ?? '');
    if (isPause(to)) {
      // pending → snoozed (or back) is one pause; its label follows the latest status.
      if (start !== null && to !== status) {
        close(status === 'snoozed' && until !== null ? Math.min(t, until) : t);
        start = t;
      }
      if (start === null) start = t;
      status = to;
      if (to !== 'snoozed') until = null;
    } else if (start !== null) {
      close(status === 'snoozed' && until !== null ? Math.min(t, until) : t);
      until = null;
    }
  }
  if (start !== null) close(status === 'snoozed' && until !== null ? until : Infinity);
  return out;
}

/** The history plus the events of a change about to be written (they are stored after the row). */
function withPending(history: readonly HistoryEvent[], events: readonly NewEvent[], now: string): HistoryEvent[] {
  return [
    ...history,
    ...events
      .filter((e) => e.type === 'status' || e.type === 'snooze')
      .map((e) => ({ type: e.type, createdAt: now, data: e.data ?? null })),
  ];
}

/** Due times of an item under a policy, given its pause history. */
function computeDue(
  policy: PolicyRule,
  item: Pick<ItemRow, 'created_at' | 'first_customer_message_at' | 'resolution_due_at' | 'resolution_due_explicit'>,
  pauses: readonly Span[],
) {
  const due = dueTimes(policy, item.created_at, item.first_customer_message_at, pauses);
  return {
    first_response_due_at: due.firstResponseDueAt,
    // A due date given by hand (a follow-up's) is kept.
    resolution_due_at: item.resolution_due_explicit ? item.resolution_due_at : due.resolutionDueAt,
  };
}

/**
 * The SLA fields a change implies, computed inside its transaction (called by applyChange): new due
 * times when a pause starts or ends, the first customer message arrives, or the priority or role
 * changes; business durations when the first response or the first resolution happens (with a calendar).
 * Wall-clock policies without pauses give exactly the due times they always did.
 */
export async function slaFieldsForChange(
  trx: Db,
  row: ItemRow,
  merged: ItemRow,
  events: readonly NewEvent[],
  now: string,
): Promise<Updateable<ItemTable>> {
  const pauseMoved =
    (row.status !== merged.status || row.snoozed_until !== merged.snoozed_until) && (isPause(row.status) || isPause(merged.status));
  const clockStarted = !row.first_customer_message_at && Boolean(merged.first_customer_message_at);
  const retarget = row.priority !== merged.priority || row.role !== merged.role;
  const responded = !row.first_response_at && Boolean(merged.first_response_at);
  const resolved = !row.first_resolved_at && Boolean(merged.first_resolved_at);
  if (!pauseMoved && !clockStarted && !retarget && !responded && !resolved) return {};
  const policy = await getPolicy(trx, merged.role as Role, merged.priority as Priority);
  const recompute = clockStarted || retarget || (pauseMoved && policy.pauseWhenWaiting);
  const business = policy.hours !== null && (responded || resolved);
  if (!recompute && !business) return {};
  const pauses = policy.pauseWhenWaiting
    ? pausesFromHistory(withPending((await pauseHistory(trx, [row.id])).get(row.id) ?? [], events, now))
    : [];
  const out: Updateable<ItemTable> = {};
  if (recompute) {
    // Each trigger moves only the clock it concerns: the first message starts the first-response clock,
    // a pause moves the resolution clock, a new priority or role both.
    const due = computeDue(policy, merged, pauses);
    if (retarget || clockStarted) out.first_response_due_at = due.first_response_due_at;
    if (retarget || (pauseMoved && policy.pauseWhenWaiting)) out.resolution_due_at = due.resolution_due_at;
  }
  if (policy.hours && responded && merged.first_customer_message_at) {
    out.first_response_business_secs = Math.round(
      businessMsBetween(policy.hours, Date.parse(merged.first_customer_message_at), Date.parse(merged.first_response_at!)) / 1000,
    );
  }
  if (policy.hours && resolved) {
    out.resolution_business_secs = Math.round(
      businessMsBetween(policy.hours, Date.parse(merged.created_at), Date.parse(merged.first_resolved_at!), pauses) / 1000,
    );
  }
  return out;
}

const OPEN_STATUSES: Status[] = ['new', 'open', 'pending', 'snoozed', 'escalated'];

/**
 * Compute the due times of open items again after their policy or its calendar changed; each item whose
 * due times move gets a system 'sla' event saying why. Inside a write transaction. Returns how many moved.
 */
export async function recomputeOpenItems(
  trx: Db,
  clock: Date,
  which: { role: Role; priority: Priority } | { calendarId: number },
  reason: string,
): Promise<number> {
  const policies = (await policyRules(trx)).filter((p) =>
    'role' in which ? p.role === which.role && p.priority === which.priority : true,
  );
  let targets: PolicyRule[] = policies;
  if ('calendarId' in which) {
    const ids = await trx.selectFrom('sla_policies').select(['role', 'priority']).where('calendar_id', '=', which.calendarId).execute();
    targets = policies.filter((p) => ids.some((r) => r.role === p.role && r.priority === p.priority));
  }
  const now = clock.toISOString();
  let moved = 0;
  for (const policy of targets) {
    const rows = await trx
      .selectFrom('items')
      .selectAll()
      .where('role', '=', policy.role)
      .where('priority', '=', policy.priority)
      .where('status', 'in', OPEN_STATUSES)
      .execute();
    for (let i = 0; i < rows.length; i += 500) {
      const chunk = rows.slice(i, i + 500);
      const history = policy.pauseWhenWaiting
        ? await pauseHistory(
            trx,
            chunk.map((r) => r.id),
          )
        : new Map<number, HistoryEvent[]>();
      for (const row of chunk) {
        const due = computeDue(policy, row, pausesFromHistory(history.get(row.id) ?? []));
        if (due.first_response_due_at === row.first_response_due_at && due.resolution_due_at === row.resolution_due_at) continue;
        await applyChange(
          trx,
          row,
          { type: 'system' },
          {
            set: due,
            events: [
              {
                type: 'sla',
                data: {
                  reason,
                  firstResponseDueAt: { from: row.first_response_due_at, to: due.first_response_due_at },
                  resolutionDueAt: { from: row.resolution_due_at, to: due.resolution_due_at },
                },
              },
            ],
          },
          now,
        );
        moved++;
      }
    }
  }
  return moved;
}
