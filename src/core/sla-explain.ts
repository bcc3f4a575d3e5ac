// Seeing business-hours SLAs: the due time for a start and a number of minutes in a calendar, an item's
// SLA explained (the segments counted and the pauses), and the business-time countdowns the faces show.
import type { Ctx } from './context.js';
import type { Db } from '../store/store.js';
import { invalid } from './errors.js';
import {
  addBusinessMinutes,
  businessMsBetween,
  countedSpansBetween,
  describeRule,
  localIso,
  localLabel,
  openSpans,
  type BusinessCalendar,
} from './business-time.js';
import { loadCalendar, loadCalendarsById } from './calendars.js';
import { loadItemRow, type ItemRow } from './item-mutate.js';
import { getPolicy, nextDueAt, parseMinutes, slaState, type SlaState } from './sla.js';
import { pauseHistory, pausesFromHistory, PAUSE_STATUSES } from './sla-due.js';
import { parseIsoStrict } from './time.js';
import type { Priority, Role } from './vocabulary.js';

export interface DueAnswer {
  calendar: string;
  tz: string;
  from: string;
  minutes: number;
  /** UTC ISO time, or null when the calendar has no open hours within three years. */
  due: string | null;
  /** The same instant in the calendar's zone, with its offset. */
  dueLocal: string | null;
}

/** When `minutes` of business time in a calendar have run from `from`. */
export async function businessDue(ctx: Ctx, input: { calendar: string; from: string; minutes: string }): Promise<DueAnswer> {
  if (!input.from) throw invalid('give --from, an ISO 8601 time such as 2026-03-06T16:00:00+01:00');
  const from = parseIsoStrict('--from', input.from);
  const minutes = parseMinutes('--minutes', input.minutes);
  const cal = await loadCalendar(ctx.store.db, input.calendar);
  const due = addBusinessMinutes(cal.hours, Date.parse(from), minutes);
  return {
    calendar: cal.name,
    tz: cal.hours.tz,
    from,
    minutes,
    due: due === null ? null : new Date(due).toISOString(),
    dueLocal: due === null ? null : localIso(due, cal.hours.tz),
  };
}

interface Segment {
  start: string;
  end: string;
  seconds: number;
}

interface PauseSegment {
  status: string;
  start: string;
  /** null while the item still waits. */
  end: string | null;
  /** Business seconds the pause kept off the clock (up to now for an open pause). */
  businessSeconds: number;
}

export interface ClockExplained {
  targetMinutes: number;
  startedAt: string | null;
  dueAt: string | null;
  doneAt: string | null;
  /** Business seconds counted so far (to `doneAt`, or now). */
  usedSeconds: number | null;
  /** Business seconds left to the due time (negative once past); null when done or no target. */
  leftSeconds: number | null;
  state: 'none' | 'running' | 'paused' | 'breached' | 'met' | 'missed';
}

export interface SlaExplained {
  item: { id: number; role: Role; priority: Priority; status: string; createdAt: string };
  policy: { calendar: string | null; tz: string | null; hours: string[]; holidays: string[]; pauseWhenWaiting: boolean };
  state: SlaState;
  firstResponse: ClockExplained;
  resolution: ClockExplained & { explicit: boolean };
  /** The business time counted toward resolution, from creation to resolution (or now). */
  segments: Segment[];
  pauses: PauseSegment[];
}

const iso = (ms: number) => new Date(ms).toISOString();

function clock(
  cal: BusinessCalendar | null,
  targetMinutes: number,
  startedAt: string | null,
  dueAt: string | null,
  doneAt: string | null,
  now: number,
  pauses: { start: number; end: number }[],
  paused: boolean,
): ClockExplained {
  if (!startedAt || (!dueAt && !paused) || targetMinutes <= 0) {
    return { targetMinutes, startedAt, dueAt, doneAt, usedSeconds: null, leftSeconds: null, state: 'none' };
  }
  const end = doneAt ? Date.parse(doneAt) : now;
  const used = Math.round(businessMsBetween(cal, Date.parse(startedAt), end, pauses) / 1000);
  if (doneAt) {
    return {
      targetMinutes,
      startedAt,
      dueAt,
      doneAt,
      usedSeconds: used,
      leftSeconds: null,
      state: !dueAt || doneAt <= dueAt ? 'met' : 'missed',
    };
  }
  if (paused)
    return { targetMinutes, startedAt, dueAt: null, doneAt, usedSeconds: used, leftSeconds: targetMinutes * 60 - used, state: 'paused' };
  const left = businessLeft(cal, now, Date.parse(dueAt!));
  return { targetMinutes, startedAt, dueAt, doneAt, usedSeconds: used, leftSeconds: left, state: left < 0 ? 'breached' : 'running' };
}

/** Business seconds from now to a due time; negative (business time since) once it has passed. */
function businessLeft(cal: BusinessCalendar | null, now: number, due: number): number {
  return due >= now ? Math.round(businessMsBetween(cal, now, due) / 1000) : -Math.round(businessMsBetween(cal, due, now) / 1000);
}

/** An item's SLA: targets, clocks, the business time counted toward resolution and the pauses. */
export async function explainSla(ctx: Ctx, itemId: number): Promise<SlaExplained> {
  const db = ctx.store.db;
  const now = ctx.clock().getTime();
  const row = await loadItemRow(db, itemId);
  const policy = await getPolicy(db, row.role as Role, row.priority as Priority);
  const cal = policy.hours;
  const history = (await pauseHistory(db, [row.id])).get(row.id) ?? [];
  const allPauses = pausesFromHistory(history);
  const counting = policy.pauseWhenWaiting ? allPauses : [];
  const waiting = policy.pauseWhenWaiting && PAUSE_STATUSES.includes(row.status) && !row.resolution_due_explicit;
  const resolvedAt = row.first_resolved_at ?? (row.status === 'closed' ? row.closed_at : null);
  const resEnd = resolvedAt ? Date.parse(resolvedAt) : now;
  return {
    item: { id: row.id, role: row.role as Role, priority: row.priority as Priority, status: row.status, createdAt: row.created_at },
    policy: {
      calendar: policy.calendar,
      tz: cal?.tz ?? null,
      hours: cal?.rules.map(describeRule) ?? [],
      holidays: cal?.holidays ?? [],
      pauseWhenWaiting: policy.pauseWhenWaiting,
    },
    state: slaState(row, new Date(now)),
    firstResponse: clock(
      cal,
      policy.firstResponseMinutes,
      row.first_customer_message_at,
      row.first_response_due_at,
      row.first_response_at,
      now,
      [],
      false,
    ),
    resolution: {
      ...clock(cal, policy.resolutionMinutes, row.created_at, row.resolution_due_at, resolvedAt, now, counting, waiting),
      explicit: row.resolution_due_explicit === 1,
    },
    segments: countedSpansBetween(cal, Date.parse(row.created_at), resEnd, counting).map((s) => ({
      start: iso(s.start),
      end: iso(s.end),
      seconds: Math.round((s.end - s.start) / 1000),
    })),
    pauses: allPauses
      .filter((p) => p.start < resEnd)
      .map((p) => ({
        status: p.status,
        start: iso(p.start),
        end: Number.isFinite(p.end) && p.end <= now ? iso(p.end) : null,
        businessSeconds: Math.round(businessMsBetween(cal, p.start, Math.min(p.end, resEnd)) / 1000),
      })),
  };
}

/** What an item view shows about a business-hours SLA (null for wall-clock policies without pauses). */
export interface BusinessSla {
  calendar: string | null;
  tz: string | null;
  /** Business seconds to the next due time at `computedAt`; negative once past; null when nothing is due. */
  leftSeconds: number | null;
  /** The next due time in the calendar's zone, e.g. "Mon 10:12" (null when nothing is due). */
  dueLabel: string | null;
  /** The resolution clock is stopped: the item waits on the customer (pending or snoozed). */
  paused: boolean;
  /** When leftSeconds was computed, whether business time was running then, and until when that holds. */
  computedAt: string;
  running: boolean;
  runningUntil: string | null;
}

type ViewRow = Pick<
  ItemRow,
  | 'role'
  | 'priority'
  | 'status'
  | 'first_response_at'
  | 'first_response_due_at'
  | 'resolution_due_at'
  | 'resolved_at'
  | 'closed_at'
  | 'resolution_due_explicit'
>;

/**
 * A function giving each row's business SLA, for many rows at once: the policies that count business
 * time or pause are read once (none on a store that uses neither: one small query).
 */
export async function businessSlaReader(db: Db, now: Date): Promise<(row: ViewRow) => BusinessSla | null> {
  const rows = await db
    .selectFrom('sla_policies')
    .select(['role', 'priority', 'calendar_id', 'pause_when_waiting'])
    .where((eb) => eb.or([eb('calendar_id', 'is not', null), eb('pause_when_waiting', '=', 1)]))
    .execute();
  if (rows.length === 0) return () => null;
  const calendars = await loadCalendarsById(db, [...new Set(rows.map((r) => r.calendar_id).filter((id): id is number => id !== null))]);
  const t = now.getTime();
  // Whether each calendar is open now and until when: faces count a countdown on from there without the calendar.
  const runningOf = new Map<number | null, { running: boolean; until: string | null }>();
  const running = (id: number | null) => {
    let r = runningOf.get(id);
    if (!r) {
      const cal = id === null ? null : (calendars.get(id)?.hours ?? null);
      const span = openSpans(cal, t).next();
      r = span.done
        ? { running: false, until: null }
        : span.value.start <= t
          ? { running: true, until: Number.isFinite(span.value.end) ? iso(span.value.end) : null }
          : { running: false, until: iso(span.value.start) };
      runningOf.set(id, r);
    }
    return r;
  };
  const byKey = new Map(
    rows.map((r) => [
      `${r.role}|${r.priority}`,
      {
        id: r.calendar_id,
        cal: r.calendar_id === null ? null : (calendars.get(r.calendar_id) ?? null),
        pauses: r.pause_when_waiting === 1,
      },
    ]),
  );
  return (row) => {
    const p = byKey.get(`${row.role}|${row.priority}`);
    if (!p) return null;
    const due = nextDueAt(row);
    const tz = p.cal?.hours.tz ?? null;
    const r = running(p.id);
    return {
      calendar: p.cal?.name ?? null,
      tz,
      leftSeconds: due ? businessLeft(p.cal?.hours ?? null, t, Date.parse(due)) : null,
      dueLabel: due ? localLabel(Date.parse(due), tz) : null,
      paused: p.pauses && PAUSE_STATUSES.includes(row.status) && !row.resolution_due_explicit,
      computedAt: now.toISOString(),
      running: r.running,
      runningUntil: r.until,
    };
  };
}
