// How the CLI shows items, events and customers to a person (tables and detail pages).
import type { EventView, ItemView } from '../core/item-view.js';
import { authorLabel } from '../core/item-view.js';
import { describeEvent } from '../core/item-mutate.js';
import type { Escalation, ContextSnapshot } from '../core/escalation.js';
import { sanitizeLine, sanitizeText } from '../text/sanitize.js';
import { ageOf, businessCountdown, localTime, money, relativeTime, slaCell } from '../text/format.js';
import type { Column, Output } from './output.js';
import type { RuleActivity } from '../core/rules/acted.js';

export function itemColumns(now: Date): Column<ItemView>[] {
  return [
    { header: 'ID', value: (i) => String(i.id), align: 'right' },
    {
      header: 'ROLE',
      value: (i) => (i.role === 'service' ? 'SVC' : 'SUP'),
      color: (i, t, c) => (i.role === 'service' ? c.cyan(t) : c.magenta(t)),
    },
    {
      header: 'PRI',
      value: (i) => i.priority,
      color: (i, t, c) =>
        i.priority === 'urgent' ? c.red.bold(t) : i.priority === 'high' ? c.yellow(t) : i.priority === 'low' ? c.dim(t) : t,
    },
    { header: 'STATUS', value: (i) => i.status },
    { header: 'SUBJECT', value: (i) => i.subject, flex: true, max: 60 },
    { header: 'CUSTOMER', value: (i) => i.customer?.name ?? '', max: 24 },
    { header: 'ASSIGNEE', value: (i) => (i.assignee ? '@' + i.assignee : '') },
    { header: 'AGE', value: (i) => ageOf(i.createdAt, now), align: 'right' },
    {
      header: 'SLA',
      value: (i) => slaCell(i.sla, now),
      align: 'right',
      color: (i, t, c) => (i.sla.state === 'breached' ? c.red(t) : i.sla.state === 'due_soon' ? c.yellow(t) : t),
    },
  ];
}

function eventHeading(e: EventView, now: Date): string {
  const who = sanitizeLine(authorLabel(e.author));
  const when = `${localTime(e.createdAt)} (${relativeTime(e.createdAt, now)})`;
  switch (e.type) {
    case 'created':
      return `${who} opened the item · ${when}`;
    case 'message':
      return `${who} wrote · ${when}`;
    case 'reply':
      return `${who} replied${typeof e.data?.macro === 'string' ? ` with macro ${sanitizeLine(e.data.macro)}` : ''} · ${when}`;
    case 'note':
      return `${who} internal note${typeof e.data?.macro === 'string' ? ` with macro ${sanitizeLine(e.data.macro)}` : ''} · ${when}`;
    default:
      return `${who} ${describeEvent(e)} · ${when}`;
  }
}

export function printItemDetail(
  out: Output,
  item: ItemView,
  events: EventView[],
  links: { asSource: Escalation[]; asSupport: Escalation | null; snapshot: ContextSnapshot | null },
  now: Date,
  why: { rules: RuleActivity[]; suggestion: string | null } = { rules: [], suggestion: null },
  deliveries?: Map<string, { state: string; recipient: string | null; lastError: string | null }>,
): void {
  const c = out.c;
  out.print(c.bold(`#${item.id} ${sanitizeLine(item.subject)}`));
  out.fields([
    ['Role', `${item.role} · ${item.kind} · ${item.direction} via ${item.channel}`],
    ['Status', item.status + (item.snoozedUntil && item.status === 'snoozed' ? ` until ${localTime(item.snoozedUntil)}` : '')],
    ['Priority', item.priority],
    ['Customer', item.customer ? `${item.customer.name}${item.customer.email ? ` <${item.customer.email}>` : ''}` : '—'],
    ['Assignee', item.assignee ? '@' + item.assignee : 'nobody'],
    ['Tags', item.tags.join(', ')],
    ['Created', `${localTime(item.createdAt)} (${relativeTime(item.createdAt, now)})`],
    ['First reply', item.firstResponseAt ? localTime(item.firstResponseAt) : null],
    ['Resolved', item.resolvedAt ? localTime(item.resolvedAt) : null],
    ['SLA', slaDetail(item, now)],
    ['Reopened', item.reopenCount ? `${item.reopenCount}×` : null],
    ['Version', String(item.version)],
    ['Rules', why.rules.map((r) => `"${r.name}" (v${r.revision}): ${r.actions.join('; ')}`).join(' | ') || null],
    ['Suggested', why.suggestion],
  ]);
  for (const e of links.asSource) {
    out.print(
      c.yellow(
        `Escalated to support as #${e.supportItemId} by @${e.escalatedBy} ${relativeTime(e.escalatedAt, now)}: ${sanitizeLine(e.reason)} [${e.state.replace('_', ' ')}]`,
      ),
    );
  }
  if (links.asSupport) printHandoffCard(out, links.asSupport, links.snapshot, now);
  out.print('');
  for (const e of events) {
    const heading = eventHeading(e, now);
    const colour =
      e.type === 'note'
        ? c.yellow
        : e.type === 'message' || (e.type === 'created' && e.author.type === 'customer')
          ? c.cyan
          : e.type === 'reply'
            ? c.green
            : c.dim;
    out.print(colour(heading));
    // A reply bound for a channel: where its delivery stands (see `tandem outbox`).
    const d = e.type === 'reply' && e.messageId ? deliveries?.get(e.messageId) : undefined;
    if (d) {
      const text = `  ✉ ${d.state}${d.recipient ? ` to ${sanitizeLine(d.recipient)}` : ''}${d.lastError && d.state !== 'sent' ? `: ${sanitizeLine(d.lastError)}` : ''}`;
      out.print(d.state === 'failed' || d.state === 'uncertain' ? c.red(text) : d.state === 'sent' ? c.green(text) : c.yellow(text));
    }
    if (e.body) {
      for (const line of sanitizeText(e.body).split('\n')) out.print(e.type === 'note' ? c.yellow('  │ ') + line : '  ' + line);
    }
  }
}

function printHandoffCard(out: Output, esc: Escalation, snap: ContextSnapshot | null, now: Date): void {
  const c = out.c;
  out.print('');
  out.print(
    c.bgYellow.black(' HAND-OFF ') +
      ` from service #${esc.sourceItemId}, escalated by @${esc.escalatedBy} ${relativeTime(esc.escalatedAt, now)}`,
  );
  out.print(`  Reason: ${sanitizeLine(esc.reason)}`);
  if (!snap) return;
  if (snap.customer) {
    const cu = snap.customer;
    out.print(
      `  Customer: ${sanitizeLine(cu.name)}${cu.email ? ` <${sanitizeLine(cu.email)}>` : ''}${cu.company ? `, ${sanitizeLine(cu.company)}` : ''}`,
    );
    out.print(`  Value: ${money(cu.lifetimeRevenue, cu.currency)} over ${cu.orderCount} order(s)`);
  }
  if (snap.openItems.length) out.print(`  Open items: ${snap.openItems.map((i) => `#${i.id} ${i.role} ${i.status}`).join(', ')}`);
  const scores = snap.surveys.slice(0, 3).map((s) => `${s.kind.toUpperCase()} ${s.score}`);
  if (scores.length) out.print(`  Recent scores: ${scores.join(', ')}`);
  out.print(c.dim(`  Source thread (${snap.source.thread.length} events):`));
  for (const e of snap.source.thread) {
    if (!e.body) continue;
    out.print(c.dim(`  ${e.type === 'note' ? 'note' : e.type} by ${sanitizeLine(authorLabel(e.author))}: `) + sanitizeLine(e.body));
  }
}

/** "ok, next due 2026-03-09 12:00 (in 4 hours)", or with business hours "ok, next due in 3h 12m business · Mon 10:12". */
function slaDetail(item: ItemView, now: Date): string {
  const state = item.sla.state.replace('_', ' ');
  const paused = item.sla.business?.paused ? '; resolution paused while waiting on the customer' : '';
  if (!item.sla.nextDueAt) return state + paused;
  const business = businessCountdown(item.sla.business, now);
  if (business) return `${state}, next due in ${business}${paused}`;
  return `${state}, next due ${localTime(item.sla.nextDueAt)} (${relativeTime(item.sla.nextDueAt, now)})${paused}`;
}
