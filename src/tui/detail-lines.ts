// An item's detail as lines of at most `width` columns: fields, hand-off card, escalation state,
// customer card and the thread. Customer messages, public replies and internal notes are told apart by
// a mark and a heading word (and colour when there is colour). Only the visible lines get rendered.
import type { ContextSnapshot, Escalation } from '../core/escalation.js';
import { describeEvent } from '../core/item-mutate.js';
import { authorLabel, type EventView, type ItemView } from '../core/item-view.js';
import { businessCountdown, localTime, money, relativeTime } from '../text/format.js';
import { sanitizeLine, sanitizeText } from '../text/sanitize.js';
import { displayWidth, truncate, wrap } from '../text/width.js';
import type { ItemDetailData } from './console-api.js';
import type { OutboxEntry } from '../mail/outbox.js';
import { slaStateAt } from './rows.js';
import type { Theme } from './theme.js';

type Paint = (s: string) => string;

class Lines {
  readonly out: string[] = [];
  constructor(readonly width: number) {}

  /** One line, cut to the width. */
  line(text: string, paint?: Paint): void {
    const t = truncate(text, this.width);
    this.out.push(paint ? paint(t) : t);
  }

  /**
   * Text wrapped to the width after `prefix`. Continuation lines are indented as far, keeping only the
   * prefix's bars (│ ┊): a label ("Open: ", "│ Why: ") is said once, not on every line.
   */
  para(prefix: string, text: string, paint?: Paint, prefixPaint?: Paint): void {
    const room = Math.max(8, this.width - displayWidth(prefix));
    const after = continuation(prefix);
    wrap(text, room).forEach((l, i) => {
      const p = i === 0 ? prefix : after;
      this.out.push((prefixPaint ? prefixPaint(p) : p) + (paint ? paint(l) : l));
    });
  }

  blank(): void {
    this.out.push('');
  }

  rule(title: string, theme: Theme): void {
    const head = `── ${title} `;
    this.out.push(theme.dim(head + '─'.repeat(Math.max(0, this.width - head.length))));
  }
}

/** A customer's email, company and phone on one line, sanitized (customer-written). */
export function contactText(cu: { email?: string | null; company?: string | null; phone?: string | null }): string {
  return [cu.email ? `<${sanitizeLine(cu.email)}>` : '', cu.company ? sanitizeLine(cu.company) : '', cu.phone ? sanitizeLine(cu.phone) : '']
    .filter(Boolean)
    .join(' · ');
}
/** The prefix of a paragraph's later lines: its bars kept, everything else blank, as wide. */
function continuation(prefix: string): string {
  return [...prefix].map((ch) => (ch === '│' || ch === '┊' ? ch : ' '.repeat(displayWidth(ch)))).join('');
}

function badge(role: string, theme: Theme): string {
  return role === 'service' ? theme.svc : theme.sup;
}

/** Relative time, or '' for a missing or broken timestamp (snapshots are stored JSON). */
function ago(iso: string | null | undefined, now: Date): string {
  return iso && Number.isFinite(Date.parse(iso)) ? relativeTime(iso, now) : '';
}

/** " with macro refund-sent" for a message a macro wrote. */
const viaMacro = (e: EventView) => (typeof e.data?.macro === 'string' ? ` with macro ${sanitizeLine(e.data.macro)}` : '');

function eventHeading(e: EventView, now: Date): { mark: string; text: string; kind: 'customer' | 'reply' | 'note' | 'other' } {
  const who = sanitizeLine(authorLabel(e.author));
  const when = ago(e.createdAt, now) ? `${localTime(e.createdAt)} · ${ago(e.createdAt, now)}` : '';
  const fromCustomer = e.author.type === 'customer';
  switch (e.type) {
    case 'message':
      return { mark: '←', text: `${who} wrote · ${when}`, kind: 'customer' };
    case 'created':
      if (typeof e.data?.escalatedFrom === 'number') {
        // Made by an escalation: its text is the reason, which the hand-off card shows (once).
        return { mark: '⇢', text: `${who} escalated this from service #${e.data.escalatedFrom} · ${when}`, kind: 'other' };
      }
      return fromCustomer
        ? { mark: '←', text: `${who} wrote · ${when}`, kind: 'customer' }
        : { mark: '→', text: `${who} opened the item · ${when}`, kind: e.body ? 'reply' : 'other' };
    case 'reply':
      return { mark: '→', text: `${who} replied${viaMacro(e)} · ${when}`, kind: 'reply' };
    case 'note':
      return { mark: '✎', text: `${who} internal note${viaMacro(e)} · ${when}`, kind: 'note' };
    case 'return': {
      const summary = typeof e.data?.summary === 'string' ? sanitizeLine(e.data.summary) : 'returned from support';
      return { mark: '↩', text: `${summary} · ${ago(e.createdAt, now)}`, kind: 'other' };
    }
    default:
      return { mark: '·', text: `${who} ${sanitizeLine(describeEvent(e))} · ${ago(e.createdAt, now)}`, kind: 'other' };
  }
}

/** A reply's delivery state under its heading: queued, sent, retrying with the server's words, failed, uncertain. */
function deliveryLine(l: Lines, d: OutboxEntry, indent: string, now: Date, theme: Theme): void {
  const to = d.recipient ? ` to ${sanitizeLine(d.recipient)}` : '';
  const why = d.lastError ? `: ${sanitizeLine(d.lastError)}` : '';
  switch (d.state) {
    case 'sent':
      l.line(`${indent}    ✉ sent${to} ${ago(d.sentAt, now)}`, theme.ok);
      return;
    case 'queued':
      l.line(`${indent}    ✉ queued${to} (the mail daemon sends it)`, theme.dim);
      return;
    case 'sending':
      l.line(`${indent}    ✉ sending${to}…`, theme.dim);
      return;
    case 'retry':
      l.line(
        `${indent}    ✉ retrying${to} (attempt ${d.attempts + 1}, ${d.nextAttemptAt ? localTime(d.nextAttemptAt) : 'soon'})${why}`,
        theme.warn,
      );
      return;
    case 'failed':
      l.line(`${indent}    ✉ NOT DELIVERED${to}${why} · D sends it again`, theme.bad);
      return;
    case 'uncertain':
      l.line(
        `${indent}    ✉ UNCERTAIN${to}: the server may have it${why.replace(/^: /, ' (') + (why ? ')' : '')} · D sends it again`,
        theme.bad,
      );
      return;
    case 'cancelled':
      l.line(`${indent}    ✉ cancelled: not sent`, theme.dim);
      return;
  }
}

function thread(l: Lines, events: EventView[], now: Date, theme: Theme, indent = '', deliveries?: Map<string, OutboxEntry>): void {
  for (const e of events) {
    const h = eventHeading(e, now);
    const paint = h.kind === 'customer' ? theme.customer : h.kind === 'reply' ? theme.reply : h.kind === 'note' ? theme.note : theme.dim;
    const returned = e.type === 'return';
    l.line(`${indent}${h.mark} ${h.text}`, returned ? theme.ok : h.kind === 'other' ? theme.dim : (s) => theme.bold(paint(s)));
    const delivery = e.type === 'reply' && e.messageId ? deliveries?.get(e.messageId) : undefined;
    if (delivery) deliveryLine(l, delivery, indent, now, theme);
    // A return's note is already in its summary line; on the support item, the escalation's reason is
    // the hand-off card's "Why:" and is not drawn again. Elsewhere a reason is internal: note style.
    const supportSide = (e.type === 'escalate' && e.data?.from !== undefined) || (e.type === 'created' && h.mark === '⇢');
    if (!e.body || returned || supportSide) continue;
    const internal = h.kind === 'note' || e.type === 'escalate' || e.type === 'handback';
    const prefix = indent + (internal ? '  ┊ ' : '    ');
    l.para(
      prefix,
      sanitizeText(e.body)
        .replace(/\n{3,}/g, '\n\n')
        .trimEnd(),
      internal ? theme.note : undefined,
      internal ? theme.note : undefined,
    );
  }
}

function slaLine(item: ItemView, now: Date): string {
  const due = item.sla.nextDueAt;
  if (!due && item.sla.business?.paused) return 'SLA paused: waiting on the customer';
  if (!due) return item.sla.state === 'none' ? 'no SLA target' : `SLA ${item.sla.state}`;
  const state = slaStateAt(due, now);
  const what = item.sla.firstResponseDueAt === due && !item.firstResponseAt ? 'first response' : 'resolution';
  // Business hours: "first response due in 3h 12m business · Mon 10:12".
  const business = businessCountdown(item.sla.business, now);
  const paused = item.sla.business?.paused ? ' · resolution paused' : '';
  if (business) return (state === 'breached' ? `SLA breached: ${what} ${business}` : `${what} due in ${business}`) + paused;
  return (
    (state === 'breached' ? `SLA breached: ${what} was due ${relativeTime(due, now)}` : `${what} due ${relativeTime(due, now)}`) + paused
  );
}

function handoffCard(l: Lines, esc: Escalation, snap: ContextSnapshot | null, source: ItemView | undefined, now: Date, theme: Theme): void {
  const bar = theme.warn('│ ');
  l.out.push(
    theme.handoff(' HAND-OFF ') +
      ' ' +
      truncate(
        `from service #${esc.sourceItemId}${source ? ` (now ${source.status})` : ''} · escalated by @${sanitizeLine(esc.escalatedBy)} ${relativeTime(esc.escalatedAt, now)} · l opens it`,
        Math.max(0, l.width - 11),
      ),
  );
  l.para('│ Why: ', sanitizeLine(esc.reason), theme.bold, theme.warn);
  if (!snap) {
    l.line('│ (no context snapshot)', theme.dim);
    return;
  }
  // A snapshot is stored JSON: read it defensively (older or hand-made ones may lack fields).
  const cu = snap.customer;
  if (cu) {
    const contact = contactText(cu);
    l.out.push(bar + truncate(`Customer: ${sanitizeLine(cu.name)} ${contact}`, l.width - 2));
    const last = snap.lastOrders?.[0];
    const value =
      typeof cu.lifetimeRevenue === 'number'
        ? `${money(cu.lifetimeRevenue, cu.currency)} over ${cu.orderCount ?? '?'} order${cu.orderCount === 1 ? '' : 's'}`
        : 'not recorded';
    l.out.push(
      bar +
        truncate(
          `Value: ${value}${last ? ` · last ${money(last.amount, last.currency)} ${relativeTime(last.orderedAt, now)}` : ''}`,
          l.width - 2,
        ),
    );
  }
  const itemList = (xs: ContextSnapshot['openItems'] = []) =>
    xs
      .slice(0, 4)
      .map((i) => `#${i.id} ${i.role === 'service' ? 'SVC' : 'SUP'} ${i.status} “${sanitizeLine(i.subject)}”`)
      .join('; ');
  if (snap.openItems?.length)
    l.para(
      '│ Open then: ',
      itemList(snap.openItems) + (snap.openItems.length > 4 ? ` (+${snap.openItems.length - 4})` : ''),
      undefined,
      theme.warn,
    );
  if (snap.recentItems?.length)
    l.para(
      '│ Recent: ',
      itemList(snap.recentItems) + (snap.recentItems.length > 4 ? ` (+${snap.recentItems.length - 4})` : ''),
      undefined,
      theme.warn,
    );
  const scores = (snap.surveys ?? []).slice(0, 4).map((s) => `${s.kind.toUpperCase()} ${s.score} ${relativeTime(s.createdAt, now)}`);
  if (scores.length) l.out.push(bar + truncate(`Scores: ${scores.join(' · ')}`, l.width - 2));
  const sourceThread = (snap.source?.thread ?? []).map((e) => ({ ...e, author: e.author ?? { type: 'system' as const } }));
  l.out.push(bar + theme.dim(truncate(`Source thread (${sourceThread.length} events, frozen at escalation):`, l.width - 2)));
  const inner = new Lines(l.width - 2);
  thread(inner, sourceThread, now, theme, ' ');
  for (const line of inner.out) l.out.push(bar + line);
  l.line('└' + '─'.repeat(Math.max(0, l.width - 1)), theme.warn);
}

function escalationState(l: Lines, data: ItemDetailData, now: Date, theme: Theme): void {
  const latest = data.asSource[0];
  if (!latest) return;
  const support = data.linked.get(latest.supportItemId);
  if (latest.state === 'open') {
    const holder = support?.assignee ? `@${sanitizeLine(support.assignee)} holds it` : 'not yet assigned';
    l.para(
      '⇢ ',
      `At support as #${latest.supportItemId} (${support?.status ?? 'open'}, ${holder}) since ${relativeTime(latest.escalatedAt, now)} · l opens it · why: ${sanitizeLine(latest.reason)}`,
      theme.warn,
      theme.warn,
    );
  } else {
    const back = latest.returnedAt && latest.returnedAt >= data.item.updatedAt;
    const said =
      latest.state === 'resolved'
        ? 'support resolved'
        : latest.state === 'closed'
          ? 'support closed it without resolving'
          : 'support handed it back';
    const text = `${back ? 'Back from support' : 'Was escalated'} (#${latest.supportItemId}, ${latest.returnedAt ? relativeTime(latest.returnedAt, now) : ''}): ${said}${latest.returnNote ? ': ' + sanitizeLine(latest.returnNote) : ''}`;
    l.para('↩ ', text, back ? theme.ok : theme.dim, back ? theme.ok : theme.dim);
  }
}

function customerCard(l: Lines, data: ItemDetailData, now: Date, theme: Theme): void {
  const h = data.history;
  if (!h) return;
  l.blank();
  l.rule('Customer', theme);
  const cu = h.customer;
  const contact = contactText(cu);
  l.line(`${sanitizeLine(cu.name)} ${contact}`, theme.bold);
  const last = h.orders[0];
  l.line(
    `Lifetime ${money(h.lifetimeRevenue, h.currency)} over ${h.orderCount} order${h.orderCount === 1 ? '' : 's'}${last ? ` · last ${money(last.amount, last.currency)} ${relativeTime(last.orderedAt, now)}` : ''}`,
  );
  const others = h.items.filter((i) => i.id !== data.item.id && i.status !== 'resolved' && i.status !== 'closed');
  if (others.length) {
    l.para(
      'Open: ',
      others
        .slice(0, 6)
        .map((i) => `#${i.id} ${i.role === 'service' ? 'SVC' : 'SUP'} ${i.status} “${sanitizeLine(i.subject)}”`)
        .join('; ') + (others.length > 6 ? ` (+${others.length - 6})` : ''),
    );
  } else {
    l.line('No other open items', theme.dim);
  }
  const scores = [
    h.lastCsat ? `last CSAT ${h.lastCsat.score}/5 ${relativeTime(h.lastCsat.createdAt, now)}` : '',
    h.lastNps ? `last NPS ${h.lastNps.score}/10 ${relativeTime(h.lastNps.createdAt, now)}` : '',
  ].filter(Boolean);
  l.line(scores.length ? scores.join(' · ') : 'No survey answers yet', scores.length ? undefined : theme.dim);
  if (cu.notes) l.para('Notes: ', sanitizeLine(cu.notes), theme.dim);
}

/** Which rules acted on the item, and the learned suggestion with the key that accepts it. */
function whyLines(l: Lines, data: ItemDetailData, theme: Theme): void {
  for (const r of data.rules ?? []) {
    l.para('⚙ ', `Rule “${sanitizeLine(r.name)}” (v${r.revision}): ${r.actions.map(sanitizeLine).join('; ')}`, theme.dim, theme.dim);
  }
  const s = data.suggestion;
  if (!s?.role || !s.kind) return;
  const pct = (x: number) => `${Math.round(x * 100)}%`;
  const same = s.role.label === data.item.role && s.kind.label === data.item.kind && (!s.agent || data.item.assignee);
  const agent = s.agent ? ` · @${sanitizeLine(s.agent.label)} ${pct(s.agent.confidence)}` : '';
  l.line(
    `Suggested ${s.role.label} ${pct(s.role.confidence)} · ${s.kind.label} ${pct(s.kind.confidence)}${agent}${same ? '' : ' · y accepts'}`,
    same ? theme.dim : theme.warn,
  );
}

export function detailLines(data: ItemDetailData, width: number, now: Date, theme: Theme): string[] {
  const l = new Lines(Math.max(20, width));
  const item = data.item;
  const title = `#${item.id} ${sanitizeLine(item.subject)}`;
  for (const t of wrap(title, l.width)) l.out.push(theme.bold(t));
  const status = item.status + (item.status === 'snoozed' && item.snoozedUntil ? ` until ${localTime(item.snoozedUntil)}` : '');
  l.out.push(
    badge(item.role, theme) +
      ' ' +
      truncate(`${item.kind} · ${item.direction} via ${item.channel} · `, l.width - 4) +
      theme.priority(item.priority, item.priority) +
      ` · ${status}`,
  );
  const customer = item.customer
    ? `${sanitizeLine(item.customer.name)}${item.customer.email ? ` <${sanitizeLine(item.customer.email)}>` : ''}`
    : '—';
  l.line(`Customer ${customer} · assignee ${item.assignee ? '@' + sanitizeLine(item.assignee) : 'nobody'}`);
  if (item.tags.length) l.line(`Tags ${item.tags.map((t) => '#' + sanitizeLine(t)).join(' ')}`);
  const sla = slaLine(item, now);
  const slaPaint = theme.sla(slaStateAt(item.sla.nextDueAt, now), sla);
  const meta = `Created ${relativeTime(item.createdAt, now)} · updated ${relativeTime(item.updatedAt, now)} · v${item.version}`;
  if (displayWidth(meta) + 3 + displayWidth(sla) <= l.width) {
    l.out.push(meta + ' · ' + slaPaint);
  } else {
    l.line(meta);
    l.out.push(theme.sla(slaStateAt(item.sla.nextDueAt, now), truncate(sla, l.width)));
  }
  if (item.reopenCount) l.line(`Reopened ${item.reopenCount}×`, theme.dim);
  whyLines(l, data, theme);
  if (data.asSupport) {
    l.blank();
    handoffCard(l, data.asSupport, data.snapshot, data.linked.get(data.asSupport.sourceItemId), now, theme);
  }
  escalationState(l, data, now, theme);
  customerCard(l, data, now, theme);
  l.blank();
  l.rule(`Thread (${data.events.length} event${data.events.length === 1 ? '' : 's'})`, theme);
  thread(l, data.events, now, theme, '', data.deliveries);
  return l.out;
}
