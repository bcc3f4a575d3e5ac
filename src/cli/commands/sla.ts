// `tandem sla list|set|due|explain` and `tandem calendar …`: SLA targets, business-hours calendars,
import type { Command } from 'commander';
import { commaList, lazyAction, repeated, withJson } from '../command-kit.js';
import type * as run from './sla.run.js';

// The work is in sla.run.ts, loaded only when one of these commands runs.
const load = () => import('./sla.run.js');

export function registerSlaCommands(program: Command): void {
  const sla = program.command('sla').description('SLA targets per role and priority, in wall-clock or business time');
  withJson(sla.command('list'))
    .description('show first-response and resolution targets, their calendars and pause switches')
    .action(lazyAction(load, (m, deps) => m.runSlaList({}, deps)));

  withJson(sla.command('set'))
    .description('change a policy: targets (new items and priority changes take them), calendar and pauses (open items are recomputed)')
    .argument('[role]', 'service | support (or --role)')
    .argument('[priority]', 'low | normal | high | urgent (or --priority)')
    .option('--role <role>', 'service | support')
    .option('--priority <priority>', 'low | normal | high | urgent')
    .option('--first-response <duration>', 'e.g. 30m, 8h, or minutes (business time with a calendar)')
    .option('--resolution <duration>', 'e.g. 8h, 3d, or minutes (business time with a calendar: 3d = 72 business hours)')
    .option('--calendar <name>', 'count business hours in this calendar; "none" for wall-clock time')
    .option('--pauses <on|off>', 'on: time in pending and snoozed does not count toward resolution')
    .action(
      lazyAction(load, (m, deps, roleArg: string | undefined, priorityArg: string | undefined, o: run.SlaSetFlags) =>
        m.runSlaSet({ ...o, roleArg, priorityArg }, deps),
      ),
    );

  withJson(sla.command('due'))
    .description('when N business minutes in a calendar have run from a time (prints the UTC ISO due time)')
    .requiredOption('--calendar <name>', 'the calendar')
    .requiredOption('--from <iso>', 'start, ISO 8601 (e.g. 2026-03-06T16:00:00+01:00)')
    .requiredOption('--minutes <n>', 'business minutes (or a duration: 90, 4h, 2d)')
    .action(lazyAction(load, (m, deps, o: run.SlaDueOptions) => m.runSlaDue(o, deps)));

  withJson(sla.command('explain'))
    .description("an item's SLA: targets, due times, the business time counted and the pauses")
    .argument('<id>', 'item id')
    .action(lazyAction(load, (m, deps, id: string) => m.runSlaExplain({ id }, deps)));

  registerCalendarCommands(program);
}

function registerCalendarCommands(program: Command): void {
  const cal = program.command('calendar').description('business hours in a time zone, with holidays, for SLA policies');

  withJson(cal.command('add'))
    .description('add a calendar: tandem calendar add office --tz Europe/Berlin --hours "mon-fri 09:00-17:30"')
    .argument('<name>', 'a short name (letters, digits, - _ .)')
    .requiredOption('--tz <zone>', 'IANA time zone, e.g. Europe/Berlin')
    .option('--hours <spec>', 'repeatable: "mon-fri 09:00-17:30", "sat 10:00-14:00", "daily 22:00-06:00" (overnight), "24/7"', repeated)
    .option('--holiday <date>', 'repeatable: 2026-12-25 or a range 2026-12-24..2026-12-26', commaList)
    .action(lazyAction(load, (m, deps, name: string, o: run.CalendarAddFlags) => m.runCalendarAdd({ ...o, name }, deps)));

  withJson(cal.command('list'))
    .description('list calendars')
    .action(lazyAction(load, (m, deps) => m.runCalendarList({}, deps)));

  withJson(cal.command('show'))
    .description('show a calendar: hours, holidays, the policies using it, and whether it is open now')
    .argument('<name>')
    .action(lazyAction(load, (m, deps, name: string) => m.runCalendarShow({ name }, deps)));

  withJson(cal.command('set'))
    .description("change a calendar's time zone or hours (replaces all hours); open items counting in it are recomputed")
    .argument('<name>')
    .option('--tz <zone>', 'IANA time zone')
    .option('--hours <spec>', 'repeatable, as for calendar add', repeated)
    .action(lazyAction(load, (m, deps, name: string, o: run.CalendarSetFlags) => m.runCalendarSet({ ...o, name }, deps)));

  const holiday = cal.command('holiday').description('add or remove holidays of a calendar');
  for (const verb of ['add', 'remove'] as const) {
    withJson(holiday.command(verb))
      .description(`${verb} holidays: tandem calendar holiday ${verb} office 2026-12-25 2026-12-31..2027-01-01`)
      .argument('<name>', 'calendar')
      .argument('<dates...>', 'dates or ranges (2026-12-24..2026-12-26)')
      .action(lazyAction(load, (m, deps, name: string, dates: string[]) => m.runCalendarHoliday({ verb, name, dates }, deps)));
  }

  withJson(cal.command('remove'))
    .description('remove a calendar (refused while an SLA policy uses it)')
    .argument('<name>')
    .action(lazyAction(load, (m, deps, name: string) => m.runCalendarRemove({ name }, deps)));
}
