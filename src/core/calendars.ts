// Business calendars: opening hours in a time zone, with holidays. Adding, changing and removing them;
// every change recomputes the due times of the open items whose SLA policy counts in the calendar.
import type { Ctx } from './context.js';
import { nowIso } from './context.js';
import { conflict, invalid, notFound } from './errors.js';
import type { Db } from '../store/store.js';
import { checkTimeZone, describeRule, parseHolidays, parseHours, type BusinessCalendar, type HoursRule } from './business-time.js';
import { recomputeOpenItems } from './sla-due.js';

export interface CalendarView {
  name: string;
  tz: string;
  /** The hours in the `--hours` grammar, one entry per rule. */
  hours: string[];
  /** Local dates, ascending. */
  holidays: string[];
  /** SLA policies counting in this calendar ("support urgent"). */
  policies: string[];
}

export interface NamedCalendar {
  id: number;
  name: string;
  hours: BusinessCalendar;
}

function checkName(name: string): string {
  const n = name.trim();
  if (!/^[\p{L}\p{N}][\p{L}\p{N}_\-.]{0,39}$/u.test(n)) {
    throw invalid(`calendar name ${JSON.stringify(name)} must be 1-40 letters, digits, '_', '-' or '.'`);
  }
  if (n.toLowerCase() === 'none') throw invalid('"none" is reserved (sla set --calendar none makes a policy wall-clock)');
  return n;
}

function parseAllHours(hours: readonly string[]): HoursRule[] {
  if (hours.length === 0) throw invalid('a calendar needs business hours (--hours "mon-fri 09:00-17:30", or --hours 24/7)');
  return hours.flatMap(parseHours);
}

export async function findCalendarRow(db: Db, name: string) {
  const row = await db.selectFrom('calendars').selectAll().where('name', '=', name.trim()).executeTakeFirst();
  if (!row) throw notFound(`no calendar ${JSON.stringify(name)} (see \`tandem calendar list\`)`);
  return row;
}

/** Calendars by id, with their holidays, ready for business-time arithmetic. */
export async function loadCalendarsById(db: Db, ids: number[]): Promise<Map<number, NamedCalendar>> {
  const out = new Map<number, NamedCalendar>();
  if (ids.length === 0) return out;
  const rows = await db.selectFrom('calendars').selectAll().where('id', 'in', ids).execute();
  const holidays = await db
    .selectFrom('calendar_holidays')
    .select(['calendar_id', 'date'])
    .where('calendar_id', 'in', ids)
    .orderBy('date')
    .execute();
  for (const r of rows) {
    out.set(r.id, {
      id: r.id,
      name: r.name,
      hours: {
        tz: r.tz,
        rules: JSON.parse(r.hours) as HoursRule[],
        holidays: holidays.filter((h) => h.calendar_id === r.id).map((h) => h.date),
      },
    });
  }
  return out;
}

export async function loadCalendar(db: Db, name: string): Promise<NamedCalendar> {
  const row = await findCalendarRow(db, name);
  return (await loadCalendarsById(db, [row.id])).get(row.id)!;
}

async function policiesUsing(db: Db, id: number): Promise<string[]> {
  const rows = await db
    .selectFrom('sla_policies')
    .select(['role', 'priority'])
    .where('calendar_id', '=', id)
    .orderBy('role')
    .orderBy('priority')
    .execute();
  return rows.map((r) => `${r.role} ${r.priority}`);
}

async function view(db: Db, name: string): Promise<CalendarView> {
  const c = await loadCalendar(db, name);
  return {
    name: c.name,
    tz: c.hours.tz,
    hours: c.hours.rules.map(describeRule),
    holidays: c.hours.holidays,
    policies: await policiesUsing(db, c.id),
  };
}

const compareText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export async function listCalendars(ctx: Ctx): Promise<CalendarView[]> {
  // Sorted here, not by the database: PostgreSQL orders text by its collation and SQLite by code
  // point, and the list must read the same on both (case-insensitive, then by code point).
  const names = (await ctx.store.db.selectFrom('calendars').select('name').execute())
    .map((r) => r.name)
    .sort((a, b) => compareText(a.toLowerCase(), b.toLowerCase()) || compareText(a, b));
  const out: CalendarView[] = [];
  for (const name of names) out.push(await view(ctx.store.db, name));
  return out;
}

export async function showCalendar(ctx: Ctx, name: string): Promise<CalendarView> {
  return view(ctx.store.db, name);
}

export interface CalendarInput {
  name: string;
  tz: string;
  hours: string[];
  holidays?: string[];
}

export async function addCalendar(ctx: Ctx, input: CalendarInput): Promise<CalendarView> {
  const name = checkName(input.name);
  const tz = checkTimeZone(input.tz);
  const rules = parseAllHours(input.hours);
  const holidays = [...new Set((input.holidays ?? []).flatMap(parseHolidays))].sort();
  const now = nowIso(ctx);
  return ctx.store.write(async (trx) => {
    const inserted = await trx
      .insertInto('calendars')
      .values({ name, tz, hours: JSON.stringify(rules), created_at: now, updated_at: now })
      .onConflict((oc) => oc.column('name').doNothing())
      .returning('id')
      .executeTakeFirst();
    if (!inserted) throw conflict(`calendar ${JSON.stringify(name)} already exists (change it with \`tandem calendar set ${name}\`)`);
    if (holidays.length)
      await trx
        .insertInto('calendar_holidays')
        .values(holidays.map((date) => ({ calendar_id: inserted.id, date })))
        .execute();
    return view(trx, name);
  });
}

/** Change a calendar's zone and/or hours; open items counting in it get new due times. */
export async function changeCalendar(
  ctx: Ctx,
  nameText: string,
  input: { tz?: string | undefined; hours?: string[] | undefined },
): Promise<CalendarView & { recomputed: number }> {
  const tz = input.tz === undefined ? undefined : checkTimeZone(input.tz);
  const rules = input.hours === undefined || input.hours.length === 0 ? undefined : parseAllHours(input.hours);
  if (tz === undefined && rules === undefined) throw invalid('give --tz and/or --hours');
  return ctx.store.write(async (trx) => {
    const row = await findCalendarRow(trx, nameText);
    await trx
      .updateTable('calendars')
      .set({ ...(tz ? { tz } : {}), ...(rules ? { hours: JSON.stringify(rules) } : {}), updated_at: nowIso(ctx) })
      .where('id', '=', row.id)
      .execute();
    const recomputed = await recomputeOpenItems(trx, ctx.clock(), { calendarId: row.id }, `calendar ${row.name} changed`);
    return { ...(await view(trx, row.name)), recomputed };
  });
}

/** Add or remove holidays (dates or ranges); open items counting in the calendar get new due times. */
export async function changeHolidays(
  ctx: Ctx,
  nameText: string,
  change: { add?: string[]; remove?: string[] },
): Promise<CalendarView & { changed: string[]; recomputed: number }> {
  const add = [...new Set((change.add ?? []).flatMap(parseHolidays))].sort();
  const remove = [...new Set((change.remove ?? []).flatMap(parseHolidays))].sort();
  if (add.length === 0 && remove.length === 0) throw invalid('name at least one date (2026-12-25) or range (2026-12-24..2026-12-26)');
  return ctx.store.write(async (trx) => {
    const row = await findCalendarRow(trx, nameText);
    const existing = new Set(
      (await trx.selectFrom('calendar_holidays').select('date').where('calendar_id', '=', row.id).execute()).map((h) => h.date),
    );
    const added = add.filter((d) => !existing.has(d));
    const removed = remove.filter((d) => existing.has(d));
    if (added.length) {
      await trx
        .insertInto('calendar_holidays')
        .values(added.map((date) => ({ calendar_id: row.id, date })))
        .onConflict((oc) => oc.columns(['calendar_id', 'date']).doNothing())
        .execute();
    }
    if (removed.length) await trx.deleteFrom('calendar_holidays').where('calendar_id', '=', row.id).where('date', 'in', removed).execute();
    let recomputed = 0;
    if (added.length || removed.length) {
      await trx
        .updateTable('calendars')
        .set({ updated_at: nowIso(ctx) })
        .where('id', '=', row.id)
        .execute();
      recomputed = await recomputeOpenItems(trx, ctx.clock(), { calendarId: row.id }, `calendar ${row.name}: holidays changed`);
    }
    return { ...(await view(trx, row.name)), changed: [...added, ...removed], recomputed };
  });
}

/** Remove a calendar. Refused while an SLA policy counts in it (set those policies to another calendar or none first). */
export async function removeCalendar(ctx: Ctx, nameText: string): Promise<{ name: string }> {
  return ctx.store.write(async (trx) => {
    const row = await findCalendarRow(trx, nameText);
    const using = await policiesUsing(trx, row.id);
    if (using.length) {
      throw conflict(
        `calendar ${row.name} is used by the SLA policies ${using.join(', ')}; first run \`tandem sla set ROLE PRIORITY --calendar none\` (or another calendar) for them`,
        { policies: using },
      );
    }
    await trx.deleteFrom('calendar_holidays').where('calendar_id', '=', row.id).execute();
    await trx.deleteFrom('calendars').where('id', '=', row.id).execute();
    return { name: row.name };
  });
}
