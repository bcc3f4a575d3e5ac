// Inbox rows as strings: columns fitted to the width (wide characters counted as two), customer text
// sanitized, each row one string. Pure functions, so a frame of 40 rows is 40 string builds.
import type { EscalationMark } from '../core/escalation-marks.js';
import type { ItemView } from '../core/item-view.js';
import { DUE_SOON_SECONDS } from '../core/sla.js';
import { localTime, shortDuration, slaCell } from '../text/format.js';
import { sanitizeLine } from '../text/sanitize.js';
import { displayWidth, fit, truncate } from '../text/width.js';
import type { Theme } from './theme.js';

export interface ListLayout {
  id: number;
  pri: number;
  status: number;
  subject: number;
  customer: number;
  assignee: number;
  age: number;
  sla: number;
}

const GUTTER = 2; // cursor mark + selection mark

/** Before the subject of an item where I have an unsent draft. */
const DRAFT_MARK = '✎ ';

/** Column widths for a list `width` columns wide; less important columns go first when narrow. */
export function listLayout(width: number, maxId: number): ListLayout {
  const id = Math.max(4, String(maxId).length);
  const l: ListLayout = { id, pri: 6, status: 9, subject: 0, customer: 16, assignee: 9, age: 7, sla: 8 };
  const fixed = () =>
    GUTTER +
    l.id +
    1 +
    3 +
    1 +
    l.pri +
    1 +
    l.status +
    1 +
    (l.customer ? l.customer + 1 : 0) +
    (l.assignee ? l.assignee + 1 : 0) +
    (l.age ? l.age + 1 : 0) +
    l.sla +
    1;
  // The subject is what an agent reads: it keeps 36 columns before the age and the customer show,
  // and 24 before the assignee and status go.
  const drop: [keyof ListLayout, number][] = [
    ['age', 36],
    ['customer', 36],
    ['assignee', 24],
    ['status', 24],
  ];
  for (const [col, room] of drop) {
    if (width - fixed() >= room) continue;
    l[col] = 0;
  }
  l.subject = Math.max(4, width - fixed());
  return l;
}

/** An age: "now" under a minute (never "0s"). */
function ageText(seconds: number): string {
  return seconds < 60 ? 'now' : shortDuration(seconds);
}

/** The SLA cell: the countdown to the next target; for a resolved or closed item, whether it was met. */
function slaText(item: ItemView, now: Date): string {
  // Business-hours countdowns and 'paused' come from the SLA cell (business time where a calendar applies).
  if (item.sla.nextDueAt || item.sla.business?.paused) return slaCell(item.sla, now);
  if (item.sla.state === 'met' || item.sla.state === 'missed') return item.sla.state;
  return '—';
}

/** What a snoozed item's status cell says: when it wakes (the time today, else the date). */
function snoozeText(until: string, now: Date): string {
  const at = localTime(until);
  return at.slice(0, 10) === localTime(now.toISOString()).slice(0, 10) ? `zz ${at.slice(11, 16)}` : `zz ${at.slice(5, 10)}`;
}

export function slaStateAt(nextDueAt: string | null, now: Date): 'breached' | 'due_soon' | 'ok' | 'none' {
  if (!nextDueAt) return 'none';
  const left = (Date.parse(nextDueAt) - now.getTime()) / 1000;
  return left < 0 ? 'breached' : left <= DUE_SOON_SECONDS ? 'due_soon' : 'ok';
}

/** What an escalation mark says in the list: where the item is, or that it came back. */
function markText(mark: EscalationMark, now: Date): string {
  if (mark.kind === 'at_support') {
    const age = ageText((now.getTime() - Date.parse(mark.escalatedAt)) / 1000);
    return `→SUP #${mark.supportItemId} ${mark.holder ? '@' + sanitizeLine(mark.holder) : 'unassigned'} ${age}`;
  }
  return '↩ back from support';
}

export function headerRow(layout: ListLayout, theme: Theme): string {
  const cells = [
    ' '.repeat(GUTTER - 1) + fit('ID', layout.id, 'right'),
    'ROL',
    fit('PRI', layout.pri),
    layout.status ? fit('STATUS', layout.status) : null,
    fit('SUBJECT', layout.subject),
    layout.customer ? fit('CUSTOMER', layout.customer) : null,
    layout.assignee ? fit('ASSIGNEE', layout.assignee) : null,
    layout.age ? fit('AGE', layout.age, 'right') : null,
    fit('SLA', layout.sla, 'right'),
  ];
  return theme.dim(cells.filter((c) => c !== null).join(' '));
}

export interface RowState {
  cursor: boolean;
  /** The list has the keys (the cursor row is highlighted; otherwise only marked). */
  focused: boolean;
  selected: boolean;
  /** I have an unsent reply or note draft on it. */
  draft?: boolean;
}

export function itemRow(
  item: ItemView,
  mark: EscalationMark | undefined,
  layout: ListLayout,
  now: Date,
  state: RowState,
  theme: Theme,
): string {
  const t = theme;
  const plainGutter = (state.cursor ? '>' : ' ') + (state.selected ? '*' : ' ');
  const badge = item.role === 'service' ? t.svc : t.sup;
  const pri = t.priority(item.priority, fit(item.priority, layout.pri));
  const status = layout.status
    ? fit(item.status === 'snoozed' && item.snoozedUntil ? snoozeText(item.snoozedUntil, now) : item.status, layout.status)
    : null;
  let subjectCell: string;
  // An unsent draft of mine shows before the subject (✎), so it is not forgotten.
  // Tags follow the subject (#vip), whole or not at all.
  const tags = item.tags.map(sanitizeLine);
  const subject = (state.draft ? DRAFT_MARK : '') + sanitizeLine(item.subject);
  if (mark) {
    const tag = markText(mark, now);
    const tagWidth = Math.min(layout.subject, displayWidth(tag) + 1);
    const colour = mark.kind === 'at_support' ? t.warn : t.ok;
    subjectCell = colour(fit(tag, tagWidth)) + withTags(subject, tags, layout.subject - tagWidth, t);
  } else {
    subjectCell = withTags(subject, tags, layout.subject, t);
  }
  const customer = layout.customer ? fit(sanitizeLine(item.customer?.name ?? ''), layout.customer) : null;
  const assignee = layout.assignee ? fit(item.assignee ? '@' + sanitizeLine(item.assignee) : '', layout.assignee) : null;
  const age = layout.age ? fit(ageText((now.getTime() - Date.parse(item.createdAt)) / 1000), layout.age, 'right') : null;
  const sla = t.sla(slaStateAt(item.sla.nextDueAt, now), fit(slaText(item, now), layout.sla, 'right'));
  const cells = [plainGutter + fit(String(item.id), layout.id, 'right'), badge, pri, status, subjectCell, customer, assignee, age, sla];
  const row = cells.filter((c) => c !== null).join(' ');
  if (state.cursor && state.focused) return t.cursor(row);
  return state.selected ? t.selected(row) : row;
}

/** The subject, then as many whole tags (dimmed) as fit after it; the subject keeps at least 60% of the column. */
function withTags(subject: string, tags: string[], width: number, theme: Theme): string {
  const keep = Math.min(displayWidth(subject), Math.ceil(width * 0.6));
  let shown = '';
  for (const t of tags) {
    const next = `${shown} #${t}`;
    if (keep + displayWidth(next) > width) break;
    shown = next;
  }
  if (!shown) return fit(subject, width);
  const subj = truncate(subject, width - displayWidth(shown));
  return subj + theme.dim(shown) + ' '.repeat(Math.max(0, width - displayWidth(subj) - displayWidth(shown)));
}
