// The KPI view's commands: open and leave it (%, :kpi [days | FROM TO]), switch the period (d cycles 7/30/90),
// move in the at-risk list, and F: a proactive follow-up for the customer under the cursor.
import { localTime } from '../../text/format.js';
import { sanitizeLine } from '../../text/sanitize.js';
import { followUpCustomer, parseKpiSpan, spanPeriod, type KpiSpan } from '../kpi-api.js';
import type { CommandContext, Handler } from './context.js';
import { explainError } from '../explain.js';
import { openItem } from './context.js';

function showSpan(c: CommandContext, span: KpiSpan): void {
  try {
    spanPeriod(c.api, span); // refuse a bad period here, keeping the one shown
  } catch (e) {
    c.status.say(explainError(e, c.api.now()), 'error');
    return;
  }
  c.kpi.setSpan(span);
  c.setView('kpi');
}

/** The periods d cycles through. */
const PERIODS = [7, 30, 90];

/** The KPI keys only make sense in the KPI view (they also run from `:` there). */
const inKpi =
  (f: Handler): Handler =>
  (c, arg) => {
    if (c.view !== 'kpi') return c.status.say('That works in the KPI view: K (or :kpi) opens it.', 'info');
    return f(c, arg);
  };

export const kpi: Record<string, Handler> = {
  'view.kpi': (c, arg) => {
    if (arg !== undefined) {
      try {
        showSpan(c, parseKpiSpan(arg));
      } catch (e) {
        c.status.say(explainError(e, c.api.now()), 'error');
      }
      return;
    }
    c.setView(c.view === 'kpi' ? 'list' : 'kpi');
  },
  'kpi.back': (c) => c.setView('list'),
  'kpi.period': inKpi((c, arg) => {
    if (arg !== undefined) {
      const n = Number(arg.trim());
      if (!Number.isInteger(n) || n < 1)
        return c.status.say(`A period is a whole number of days, e.g. :days 7 (not "${arg.trim()}").`, 'error');
      return showSpan(c, { days: n });
    }
    const span = c.kpi.span();
    const at = 'days' in span ? PERIODS.indexOf(span.days) : -1;
    showSpan(c, { days: at < 0 ? 30 : PERIODS[(at + 1) % PERIODS.length]! });
  }),
  'kpi.down': inKpi((c) => c.kpi.move(1)),
  'kpi.up': inKpi((c) => c.kpi.move(-1)),
  'kpi.pageDown': inKpi((c) => c.kpi.scrollBy(Math.max(1, c.kpi.shown.height - 2))),
  'kpi.pageUp': inKpi((c) => c.kpi.scrollBy(-Math.max(1, c.kpi.shown.height - 2))),

  'kpi.open': inKpi((c) => {
    const who = c.kpi.selected();
    if (!who) return c.status.say('No at-risk customer here.', 'info');
    if (!who.openFollowUpId) return c.status.say(`${sanitizeLine(who.name)} has no open follow-up; F creates one.`, 'info');
    return openItem(c, who.openFollowUpId);
  }),

  'kpi.followUp': inKpi(async (c, arg) => {
    const who = c.kpi.selected();
    if (!who) return c.status.say('No at-risk customer to follow up.', 'info');
    const name = sanitizeLine(who.name);
    if (
      who.openFollowUpId &&
      arg === undefined &&
      !(await c.modal.confirm(`${name} already has an open follow-up, #${who.openFollowUpId}. Create another?`))
    ) {
      return c.status.say(`Follow-up #${who.openFollowUpId} stays the open one for ${name}; Enter opens it.`, 'info');
    }
    const due =
      arg ??
      (await c.modal.ask({
        label: `Follow up with ${name} — due: `,
        hint: 'A proactive outbound service item · e.g. 2d · tomorrow 9:00 · monday 9am · 2026-12-01 09:00 · Esc cancels',
        validate: (t) => {
          try {
            return c.api.checkWhen(t).getTime() > c.api.now().getTime() ? null : 'that time is not in the future';
          } catch (e) {
            return (e as Error).message;
          }
        },
      }));
    if (due === null || !due.trim()) return c.status.say(`No follow-up created for ${name}.`, 'info');
    try {
      const item = await followUpCustomer(c.api, who, due);
      const owner = item.assignee ? `assigned to @${item.assignee}` : 'for the service team';
      c.status.say(`Follow-up #${item.id} with ${name} due ${localTime(item.sla.resolutionDueAt)}, ${owner}. Enter opens it.`, 'ok');
    } catch (e) {
      c.status.say(explainError(e, c.api.now()), 'error');
    }
    c.kpi.reload();
    await c.refresh();
  }),
};
