// What it takes to undo one change exactly: the item's columns before it (the KPI columns among them:
// first_resolved_at, resolved_at, closed_at, reopen_count, due times) and the events it wrote. Built by
// mutateItem for the changes an agent may undo (status, priority, assignee, tags, snooze); undo.ts
// applies it. Pure data and functions, no store access.
import type { Selectable } from 'kysely';
import type { ItemTable } from '../store/schema.js';
import type { EventType } from './vocabulary.js';

type ItemRow = Selectable<ItemTable>;
/** An event as item-mutate.ts writes it (the fields undo reads and writes). */
interface ChangeEvent {
  type: EventType;
  data?: Record<string, unknown> | null;
  actor?: { type: string };
}

/** How long a change can be undone: long enough to notice a slip, short enough to stay the last thing. */
export const UNDO_WINDOW_MS = 2 * 60_000;

/** The event types of changes that can be undone (never a reply, note, message or escalation). */
const UNDOABLE_EVENTS = ['status', 'priority', 'assign', 'tag', 'snooze'] as const;
type UndoableEvent = (typeof UNDOABLE_EVENTS)[number];

/** The columns an undo puts back exactly as they were. */
const RESTORED_COLUMNS = [
  'status',
  'priority',
  'assignee_id',
  'snoozed_until',
  'resolved_at',
  'first_resolved_at',
  'closed_at',
  'reopen_count',
  'first_response_due_at',
  'resolution_due_at',
  'resolution_due_explicit',
] as const;
type RestoredColumns = Pick<ItemRow, (typeof RESTORED_COLUMNS)[number]>;

export interface UndoToken {
  itemId: number;
  /** The version the change produced: undo refuses when the item moved on since. */
  version: number;
  agentId: number;
  /** When the change was made (ISO). */
  at: string;
  before: RestoredColumns;
  events: { type: UndoableEvent; data: Record<string, unknown> | null }[];
}

/** The undo token of a change, or null when the change cannot be undone. */
export function captureUndo(row: ItemRow, agentId: number | null, events: ChangeEvent[], version: number, at: string): UndoToken | null {
  if (agentId === null || events.length === 0) return null;
  if (!events.every((e) => (UNDOABLE_EVENTS as readonly string[]).includes(e.type) && (!e.actor || e.actor.type === 'agent'))) return null;
  const before = Object.fromEntries(RESTORED_COLUMNS.map((c) => [c, row[c]])) as RestoredColumns;
  return {
    itemId: row.id,
    version,
    agentId,
    at,
    before,
    events: events.map((e) => ({ type: e.type as UndoableEvent, data: e.data ?? null })),
  };
}

/** The events that tell an undo on the timeline: each original change told backwards, marked `undo`. */
export function undoEvents(token: UndoToken): { type: EventType; data: Record<string, unknown> }[] {
  const out: { type: EventType; data: Record<string, unknown> }[] = [];
  for (const e of [...token.events].reverse()) {
    const d = e.data ?? {};
    const mark = { undo: token.version };
    switch (e.type) {
      case 'status':
      case 'priority':
      case 'assign':
        out.push({ type: e.type, data: { from: d.to ?? null, to: d.from ?? null, ...mark } });
        break;
      case 'tag':
        out.push({ type: 'tag', data: { added: d.removed ?? [], removed: d.added ?? [], ...mark } });
        break;
      case 'snooze':
        // Snoozing again moved the wake-up time: say when it wakes now. A first snooze is undone by its status event.
        if (token.before.status === 'snoozed') out.push({ type: 'snooze', data: { until: token.before.snoozed_until, ...mark } });
        break;
    }
  }
  return out;
}
