// `tandem sla list|set|due|explain` and `tandem calendar …`: SLA targets, business-hours calendars,
// and the due times they give.
import { listPolicies, policyShape, setPolicy, type SlaPolicy } from '../../core/sla.js';
import {
  addCalendar,
  changeCalendar,
  changeHolidays,
  listCalendars,
  loadCalendar,
  removeCalendar,
  showCalendar,
  type CalendarView,
} from '../../core/calendars.js';
import { businessDue, explainSla, type ClockExplained, type SlaExplained } from '../../core/sla-explain.js';
import { localLabel, openSpans } from '../../core/business-time.js';
import { parseItemId } from '../../core/item-view.js';
import { invalid, usage } from '../../core/errors.js';
import { shortDuration } from '../../text/format.js';
import type { Deps } from '../runtime.js';
import { commaList } from '../command-kit.js';

function targetText(p: SlaPolicy, minutes: number, tty: boolean): string {
  if (!tty) return String(minutes);
  return shortDuration(minutes * 60) + (p.calendar ? ' business' : '');
}

function policySentence(p: SlaPolicy): string {
  const unit = p.calendar ? ' business' : '';
  return (
    `${p.role} ${p.priority}: first response ${shortDuration(p.firstResponseMinutes * 60)}${unit}, resolution ${shortDuration(p.resolutionMinutes * 60)}${unit}` +
    (p.calendar ? ` in calendar ${p.calendar}` : ' (wall-clock)') +
    (p.pauseWhenWaiting ? '; pending and snoozed time paused' : '')
  );
}

function clockLine(c: ClockExplained, business: boolean, tz: string | null): string {
  const unit = business ? ' business' : '';
  const when = (iso: string) => localLabel(Date.parse(iso), tz, true);
  const target = `target ${shortDuration(c.targetMinutes * 60)}${unit}`;
  switch (c.state) {
    case 'none':
      return c.targetMinutes > 0 ? `${target} · not started` : 'no target';
    case 'met':
      return `${target} · met ${when(c.doneAt!)} after ${shortDuration(c.usedSeconds ?? 0)}${unit}`;
    case 'missed':
      return `${target} · missed: done ${when(c.doneAt!)}, due ${when(c.dueAt!)}`;
    case 'paused':
      return `${target} · paused, ${shortDuration(c.usedSeconds ?? 0)}${unit} used, ${shortDuration(Math.max(0, c.leftSeconds ?? 0))}${unit} left`;
    case 'breached':
      return `${target} · BREACHED: due ${when(c.dueAt!)}, ${shortDuration(-(c.leftSeconds ?? 0))}${unit} ago`;
    case 'running':
      return `${target} · due ${when(c.dueAt!)}, ${shortDuration(c.leftSeconds ?? 0)}${unit} left`;
  }
}

function printExplanation(rt: Deps, e: SlaExplained): void {
  const tz = e.policy.tz;
  const business = Boolean(e.policy.calendar);
  const when = (iso: string) => localLabel(Date.parse(iso), tz, true);
  const counting = business ? `calendar ${e.policy.calendar} (${tz})` : 'wall-clock time';
  rt.out.print(
    `#${e.item.id} ${e.item.role} ${e.item.priority} · ${e.item.status} · ${counting} · pauses ${e.policy.pauseWhenWaiting ? 'on' : 'off'}`,
  );
  rt.out.print(`First response  ${clockLine(e.firstResponse, business, tz)}`);
  rt.out.print(
    `Resolution      ${e.resolution.explicit ? `due ${e.resolution.dueAt ? when(e.resolution.dueAt) : '—'} (set by hand)` : clockLine(e.resolution, business, tz)}`,
  );
  rt.out.print(`Counted toward resolution${business ? ' (business time)' : ''}:`);
  const counted = e.segments.filter((s) => s.seconds > 0);
  const shown = counted.slice(-30);
  if (counted.length > shown.length) rt.out.print(`  … ${counted.length - shown.length} earlier segment(s)`);
  for (const s of shown) rt.out.print(`  ${when(s.start)} – ${when(s.end)}  ${shortDuration(s.seconds)}`);
  if (shown.length === 0) rt.out.print('  nothing yet');
  rt.out.print(e.policy.pauseWhenWaiting ? 'Paused (not counted):' : 'Waiting on the customer (counted: this policy does not pause):');
  for (const p of e.pauses) {
    rt.out.print(
      `  ${p.status.padEnd(8)} ${when(p.start)} – ${p.end ? when(p.end) : 'now'}  ${shortDuration(p.businessSeconds)}${business ? ' business' : ''}`,
    );
  }
  if (e.pauses.length === 0) rt.out.print('  none');
}

function describeNow(view: CalendarView, hours: Parameters<typeof openSpans>[0], now: Date): string {
  const next = openSpans(hours, now.getTime()).next();
  if (next.done) return 'no business hours ahead';
  const s = next.value;
  if (s.start <= now.getTime())
    return Number.isFinite(s.end) && s.end - now.getTime() < 6 * 86_400_000 ? `open until ${localLabel(s.end, view.tz)}` : 'open';
  return `closed; opens ${localLabel(s.start, view.tz, true)}`;
}

export type SlaListOptions = Record<string, never>;

export async function runSlaList(_o: SlaListOptions, rt: Deps): Promise<void> {
  const list = (await listPolicies(await rt.ctx())).map(policyShape);
  if (rt.out.json) return rt.out.printJson(list);
  rt.out.table(list, [
    { header: 'ROLE', value: (p) => p.role },
    { header: 'PRIORITY', value: (p) => p.priority },
    { header: 'FIRST RESPONSE', value: (p) => targetText(p, p.firstResponseMinutes, rt.out.tty), align: 'right' },
    { header: 'RESOLUTION', value: (p) => targetText(p, p.resolutionMinutes, rt.out.tty), align: 'right' },
    { header: 'CALENDAR', value: (p) => p.calendar ?? (rt.out.tty ? '—' : '') },
    { header: 'PAUSES', value: (p) => (p.pauseWhenWaiting ? 'on' : 'off') },
  ]);
}

export type SlaSetFlags = {
  role?: string;
  priority?: string;
  firstResponse?: string;
  resolution?: string;
  calendar?: string;
  pauses?: string;
};
export type SlaSetOptions = SlaSetFlags & { roleArg: string | undefined; priorityArg: string | undefined };

export async function runSlaSet(o: SlaSetOptions, rt: Deps): Promise<void> {
  const { roleArg, priorityArg } = o;
  if ((o.role && roleArg && o.role !== roleArg) || (o.priority && priorityArg && o.priority !== priorityArg)) {
    throw usage('give the role and priority once: as arguments or as --role/--priority');
  }
  const role = o.role ?? roleArg;
  const priority = o.priority ?? priorityArg;
  if (!role || !priority) throw usage('name the policy: tandem sla set --role support --priority normal …');
  const p = await setPolicy(await rt.ctx(), {
    role,
    priority,
    firstResponse: o.firstResponse,
    resolution: o.resolution,
    calendar: o.calendar,
    pauses: o.pauses,
  });
  if (rt.out.json) return rt.out.printJson({ ...policyShape(p), recomputed: p.recomputed });
  rt.out.note(policySentence(p) + (p.recomputed ? `; due times of ${p.recomputed} open item(s) recomputed` : ''));
}

export type SlaDueOptions = { calendar: string; from: string; minutes: string };

export async function runSlaDue(o: SlaDueOptions, rt: Deps): Promise<void> {
  const a = await businessDue(await rt.ctx(), o);
  if (rt.out.json) return rt.out.printJson(a);
  if (!a.due) throw invalid(`calendar ${a.calendar} has no business hours in the next three years`);
  if (!rt.out.tty) return rt.out.print(a.due);
  rt.out.print(`${a.due}  (${localLabel(Date.parse(a.due), a.tz, true)} ${a.tz})`);
}

export interface SlaExplainOptions {
  id: string;
}

export async function runSlaExplain(o: SlaExplainOptions, rt: Deps): Promise<void> {
  const { id } = o;
  const e = await explainSla(await rt.ctx(), parseItemId(id));
  if (rt.out.json) return rt.out.printJson(e);
  printExplanation(rt, e);
}

export type CalendarAddFlags = { tz: string; hours?: string[]; holiday?: string[] };
export type CalendarAddOptions = CalendarAddFlags & { name: string };

export async function runCalendarAdd(o: CalendarAddOptions, rt: Deps): Promise<void> {
  const { name } = o;
  const c = await addCalendar(await rt.ctx(), { name, tz: o.tz, hours: o.hours ?? [], holidays: o.holiday ?? [] });
  if (rt.out.json) return rt.out.printJson(c);
  rt.out.note(
    `Added calendar ${c.name} (${c.tz}): ${c.hours.join('; ')}${c.holidays.length ? `; ${c.holidays.length} holiday(s)` : ''}. Use it with \`tandem sla set ROLE PRIORITY --calendar ${c.name}\`.`,
  );
}

export type CalendarListOptions = Record<string, never>;

export async function runCalendarList(_o: CalendarListOptions, rt: Deps): Promise<void> {
  const list = await listCalendars(await rt.ctx());
  if (rt.out.json) return rt.out.printJson(list);
  rt.out.table(
    list,
    [
      { header: 'NAME', value: (c) => c.name },
      { header: 'TIME ZONE', value: (c) => c.tz },
      { header: 'HOURS', value: (c) => c.hours.join('; '), flex: true },
      { header: 'HOLIDAYS', value: (c) => String(c.holidays.length), align: 'right' },
      { header: 'POLICIES', value: (c) => c.policies.join(', ') },
    ],
    { empty: 'No calendars yet: tandem calendar add office --tz Europe/Berlin --hours "mon-fri 09:00-17:30"' },
  );
}

export interface CalendarShowOptions {
  name: string;
}

export async function runCalendarShow(o: CalendarShowOptions, rt: Deps): Promise<void> {
  const { name } = o;
  const ctx = await rt.ctx();
  const c = await showCalendar(ctx, name);
  if (rt.out.json) return rt.out.printJson(c);
  const hours = (await loadCalendar(ctx.store.db, name)).hours;
  rt.out.fields([
    ['Name', c.name],
    ['Time zone', c.tz],
    ['Hours', c.hours.join('; ')],
    ['Holidays', c.holidays.join(', ') || 'none'],
    ['Policies', c.policies.join(', ') || 'none'],
    ['Now', describeNow(c, hours, ctx.clock())],
  ]);
}

export type CalendarSetFlags = { tz?: string; hours?: string[] };
export type CalendarSetOptions = CalendarSetFlags & { name: string };

export async function runCalendarSet(o: CalendarSetOptions, rt: Deps): Promise<void> {
  const { name } = o;
  const c = await changeCalendar(await rt.ctx(), name, { tz: o.tz, hours: o.hours });
  if (rt.out.json) return rt.out.printJson(c);
  rt.out.note(
    `Calendar ${c.name} (${c.tz}): ${c.hours.join('; ')}${c.recomputed ? `; due times of ${c.recomputed} open item(s) recomputed` : ''}`,
  );
}

export interface CalendarHolidayOptions {
  verb: 'add' | 'remove';
  name: string;
  dates: string[];
}

export async function runCalendarHoliday(o: CalendarHolidayOptions, rt: Deps): Promise<void> {
  const { name, dates, verb } = o;
  const c = await changeHolidays(await rt.ctx(), name, { [verb]: dates.flatMap((d) => commaList(d)) });
  if (rt.out.json) return rt.out.printJson(c);
  const what = c.changed.length ? `${verb === 'add' ? 'added' : 'removed'} ${c.changed.join(', ')}` : `nothing to ${verb}`;
  rt.out.note(`Calendar ${c.name}: ${what}${c.recomputed ? `; due times of ${c.recomputed} open item(s) recomputed` : ''}`);
}

export interface CalendarRemoveOptions {
  name: string;
}

export async function runCalendarRemove(o: CalendarRemoveOptions, rt: Deps): Promise<void> {
  const { name } = o;
  const r = await removeCalendar(await rt.ctx(), name);
  if (rt.out.json) return rt.out.printJson({ removed: r.name });
  rt.out.note(`Removed calendar ${r.name}`);
}
