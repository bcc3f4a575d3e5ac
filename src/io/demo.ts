// A deterministic, realistic demo data set: agents of both roles, customers with orders, 90 days of
// service and support items with replies, notes, resolutions, reopenings, surveys, snoozes, SLA
// breaches and escalations. Each item is a new item by the core's rules (new-item.ts) with a simulated
// timeline, written through the store's bulk loader so 1,000,000 items take minutes.
import type { LoadCtx } from '../core/context.js';
import { conflict, invalid } from '../core/errors.js';
import { listPolicies, type SlaPolicy } from '../core/sla.js';
import { BulkItemWriter, policyLookup } from '../core/item-writers.js';
import { newItemRecord, type AssigneeAgent, type EventAuthor, type NewItemEvent, type TimelineEntry } from '../core/new-item.js';
import type { BulkWriter } from '../store/store.js';
import type { Channel, EventType, Kind, Priority, Role, Status } from '../core/vocabulary.js';

export interface DemoOptions {
  items: number;
  seed: number;
  /** The demo's "now": items span the 90 days before it. */
  now: Date;
  onProgress?: (done: number, total: number) => void;
}

export interface DemoSummary {
  agents: number;
  customers: number;
  orders: number;
  items: number;
  events: number;
  surveys: number;
  escalations: number;
}

/** mulberry32: small, fast, deterministic. */
function rng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1)),
    pick: <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)]!,
    chance: (p: number) => next() < p,
    weighted: <T>(pairs: readonly [T, number][]): T => {
      let r = next() * pairs.reduce((s, [, w]) => s + w, 0);
      for (const [v, w] of pairs) if ((r -= w) < 0) return v;
      return pairs[pairs.length - 1]![0];
    },
  };
}

const DEMO_AGENTS = [
  { handle: 'sam', name: 'Sam Rivera', roles: 'both', email: 'sam@tandem.example' },
  { handle: 'ana', name: 'Ana Costa', roles: 'service', email: 'ana@tandem.example' },
  { handle: 'ben', name: 'Ben Okafor', roles: 'service', email: 'ben@tandem.example' },
  { handle: 'cleo', name: 'Cleo Martin', roles: 'support', email: 'cleo@tandem.example' },
  { handle: 'dev', name: 'Dev Patel', roles: 'support', email: 'dev@tandem.example' },
  { handle: 'eli', name: 'Eli Novak', roles: 'support', email: 'eli@tandem.example' },
] as const;

const FIRST = [
  'Olivia',
  'Liam',
  'Emma',
  'Noah',
  'Amelia',
  'Oliver',
  'Sofia',
  'Elijah',
  'Mia',
  'Lucas',
  'Aiko',
  'Mateo',
  'Zara',
  'Hugo',
  'Ines',
  'Kofi',
  'Lena',
  'Ravi',
  'Yuki',
  'Nora',
  'Omar',
  'Freya',
  'Jonas',
  'Priya',
];
const LAST = [
  'Smith',
  'Garcia',
  'Kim',
  'Müller',
  'Rossi',
  'Dubois',
  'Nakamura',
  'Silva',
  'Kowalski',
  'Johnson',
  'Ahmed',
  'Larsen',
  'Haddad',
  'Novak',
  'Chen',
  'Okoro',
  'Fischer',
  'Moreau',
];
const COMPANIES = [
  'Acme Bakery',
  'Northwind Studio',
  'Blue Fern Dental',
  'Kite & Key',
  'Harbor Yoga',
  'Pixel Forge',
  'Maple Logistics',
  'Sunday Roasters',
  null,
  null,
  null,
];

const SUPPORT_TOPICS: Record<string, string[]> = {
  bug: [
    'Export button does nothing',
    'App crashes when I upload a photo',
    'Totals are wrong on the invoice page',
    'Sync stopped after the update',
  ],
  access: ['Cannot log in after password reset', 'Two-factor code never arrives', 'Locked out of my account', 'Invite link has expired'],
  billing: ['Charged twice this month', 'Refund has not arrived', 'Wrong VAT on my invoice', 'Card declined but money taken'],
  delivery: ['Parcel marked delivered but not here', 'Order stuck in transit for a week', 'Wrong item in the box', 'Damaged on arrival'],
  complaint: ['Very disappointed with the new version', 'Support took too long last time', 'Quality has gone down'],
};
const SERVICE_TOPICS: Record<string, string[]> = {
  question: ['Does the Pro plan include team seats?', 'Can I pay yearly?', 'Do you ship to Norway?', 'Which model fits a small office?'],
  onboarding: ['Welcome aboard: onboarding check-in', 'How is the first week going?', 'Setting up your team workspace'],
  follow_up: ['Following up on your recent order', 'Checking in after your support case', 'How is the new grinder working?'],
  renewal: ['Your annual plan renews next month', 'Renewal options for your team', 'Upgrade offer before renewal'],
  feedback: ['Tell us how we did', 'Quick question about your experience'],
};
const CUSTOMER_LINES = [
  'Hi, I hope you can help. {topic}. I tried again this morning and it is the same.',
  'Hello team, {topic}. This is urgent for us because we have a launch on Friday.',
  '{topic}. Order reference {ref}. Thanks in advance!',
  'Good morning, quick one: {topic}. Let me know what you need from me.',
];
const AGENT_LINES = [
  'Thanks for reaching out! I am looking into this now and will get back to you shortly.',
  'Sorry about the trouble. Could you send a screenshot and the time it happened?',
  'Good news: this is fixed on our side. Could you try again and let me know?',
  'I have gone ahead and sorted this out for you. Anything else I can help with?',
];
const NOTES = [
  'Customer is on the legacy plan; check pricing before offering anything.',
  'Reproduced on staging. Linked to the sync bug from last week.',
  'VIP account, keep an eye on this one.',
  'Asked finance to confirm the refund date.',
];

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/**
 * True once a database holds customers or items: the demo writes only into one without them. Agents
 * alone (the one `tandem init` made) are kept, so `tandem init && tandem demo` works.
 */
export async function holdsData(ctx: LoadCtx): Promise<boolean> {
  const [customer] = await ctx.store.db.selectFrom('customers').select('id').limit(1).execute();
  const [item] = await ctx.store.db.selectFrom('items').select('id').limit(1).execute();
  return Boolean(customer || item);
}

export async function writeDemo(ctx: LoadCtx, options: DemoOptions): Promise<DemoSummary> {
  const total = options.items;
  if (!Number.isInteger(total) || total < 0 || total > 5_000_000) throw invalid('--items must be a whole number from 0 to 5000000');
  if (await holdsData(ctx)) {
    throw conflict(`${ctx.store.location} already holds data; write the demo into a new database (--db PATH)`);
  }
  const rules = await listPolicies(ctx);
  const policies = new Map<string, SlaPolicy>(rules.map((p) => [`${p.role}:${p.priority}`, p]));
  const policyOf = policyLookup(rules);
  const r = rng(options.seed);
  const now = options.now.getTime();
  const iso = (t: number) => new Date(t).toISOString();
  const summary: DemoSummary = { agents: 0, customers: 0, orders: 0, items: 0, events: 0, surveys: 0, escalations: 0 };

  // Agents, customers and orders in one transaction.
  const agentIds = new Map<string, number>();
  /** The demo's agents as the assignment rule sees them (an agent `init` made keeps its own roles). */
  const agents = new Map<string, AssigneeAgent>();
  const customers: { id: number; name: string; email: string; company: string | null; revenueCents: number; orderCount: number }[] = [];
  const nCustomers = Math.max(12, Math.min(200_000, Math.round(total / 6)));
  await ctx.store.bulk.load(async (w) => {
    for (const a of DEMO_AGENTS) {
      // An agent of the same handle (made by `tandem init`) plays that demo part. Nothing is queued
      // yet in this load, so the transaction sees every agent there is.
      const existing = await w.db.selectFrom('agents').select(['id', 'roles', 'active']).where('handle', '=', a.handle).executeTakeFirst();
      if (existing) {
        agentIds.set(a.handle, existing.id);
        agents.set(a.handle, { id: existing.id, handle: a.handle, roles: existing.roles, active: existing.active === 1 });
        continue;
      }
      const id = w.nextId('agents');
      w.insert('agents', { id, ...a, active: 1, created_at: iso(now - 120 * DAY) });
      agentIds.set(a.handle, id);
      agents.set(a.handle, { id, handle: a.handle, roles: a.roles, active: true });
      summary.agents++;
    }
    for (let i = 0; i < nCustomers; i++) {
      const first = r.pick(FIRST);
      const last = r.pick(LAST);
      const name = `${first} ${last}`;
      const email = `${first}.${last}.${i + 1}@example.com`.toLowerCase().replace(/ü/g, 'u');
      const company = r.pick(COMPANIES);
      const createdAt = now - r.int(100, 700) * DAY;
      const id = w.nextId('customers');
      w.insert('customers', {
        id,
        name,
        email,
        phone: r.chance(0.4) ? `+1 555 ${String(1000 + (i % 9000))}` : null,
        company,
        notes: null,
        created_at: iso(createdAt),
        updated_at: iso(createdAt),
      });
      const orders = r.weighted<number>([
        [0, 25],
        [1, 35],
        [2, 20],
        [3, 10],
        [5, 7],
        [8, 3],
      ]);
      const customer = { id, name, email, company, revenueCents: 0, orderCount: orders };
      customers.push(customer);
      for (let k = 0; k < orders; k++) {
        const amountCents = r.int(15, 600) * 100 + r.pick([0, 50, 99]);
        customer.revenueCents += amountCents;
        w.insert('orders', {
          id: w.nextId('orders'),
          customer_id: id,
          amount_cents: amountCents,
          currency: 'USD',
          ordered_at: iso(now - r.int(0, 400) * DAY - r.int(0, 23) * HOUR),
          reference: `ORD-${10000 + summary.orders}`,
          created_at: iso(now),
        });
        summary.orders++;
      }
      await w.checkpoint();
    }
    summary.customers = nCustomers;
  });

  const handleOf = new Map([...agentIds].map(([h, id]) => [id, h]));
  const serviceAgents = ['sam', 'ana', 'ben'];
  const supportAgents = ['sam', 'cleo', 'dev', 'eli'];
  // One transaction for all items: the demo is all or nothing, and the store builds the indexes once.
  await ctx.store.bulk.load(async (w) => {
    const items = new BulkItemWriter(w);
    for (let n = 0; n < total; n++) {
      writeOneItem(w, items, n);
      await w.checkpoint();
      if ((n + 1) % 10_000 === 0 || n + 1 === total) options.onProgress?.(n + 1, total);
    }
  });
  return summary;

  function writeOneItem(w: BulkWriter, items: BulkItemWriter, n: number): void {
    const role: Role = r.chance(0.55) ? 'support' : 'service';
    const topics = role === 'support' ? SUPPORT_TOPICS : SERVICE_TOPICS;
    const kind = r.pick(Object.keys(topics)) as Kind;
    const topic = r.pick(topics[kind]!);
    const outbound = role === 'service' && ['onboarding', 'follow_up', 'renewal', 'feedback'].includes(kind);
    const customer = customers[Math.floor(r.next() ** 1.3 * customers.length)]!;
    const priority: Priority = r.weighted<Priority>([
      ['low', 15],
      ['normal', 55],
      ['high', 22],
      ['urgent', 8],
    ]);
    const channel = r.pick<Channel>(
      outbound
        ? ['phone', 'email', 'whatsapp', 'sms']
        : role === 'support'
          ? ['email', 'chat', 'web', 'phone']
          : ['email', 'chat', 'phone', 'in_person'],
    );
    // Spread over 90 days, denser towards now, with the last few hours always busy.
    const createdAt = n % 25 === 0 ? now - r.int(5, 8 * 60) * 60_000 : now - Math.floor(r.next() ** 1.15 * 90 * DAY);
    const pool = role === 'support' ? supportAgents : serviceAgents;
    const assigneeHandle = now - createdAt < 20 * 60_000 && r.chance(0.6) ? null : r.pick(pool);
    const assigneeId = assigneeHandle ? agentIds.get(assigneeHandle)! : null;
    const policy = policies.get(`${role}:${priority}`)!;
    const firstCustomerAt = outbound ? createdAt + r.int(1, 72) * HOUR : createdAt;
    const ref = `ORD-${10000 + r.int(0, Math.max(1, summary.orders))}`;
    const customerText = r.pick(CUSTOMER_LINES).replace('{topic}', topic).replace('{ref}', ref);

    const events: DemoEvent[] = [];
    const agentId = assigneeId ?? agentIds.get('sam')!;
    events.push({
      type: 'created',
      at: createdAt,
      author: outbound ? 'agent' : 'customer',
      agent: outbound ? agentId : null,
      body: outbound
        ? `Hi ${customer.name.split(' ')[0]}, ${topic.toLowerCase()}. ${r.pick(['Reply any time.', 'Happy to help with anything.', 'Let us know how it goes.'])}`
        : customerText,
    });

    // How this item's life goes, decided up front, then cut at "now".
    const speed = priority === 'urgent' ? 0.3 : priority === 'high' ? 0.6 : 1;
    const late = r.chance(0.12); // some miss their SLA
    const frMinutes = Math.max(
      2,
      Math.round((late ? policy.firstResponseMinutes * (1.2 + r.next()) : policy.firstResponseMinutes * r.next() * 0.8) * 1),
    );
    const replies = r.weighted<number>([
      [1, 55],
      [2, 30],
      [3, 15],
    ]);
    let t = outbound ? firstCustomerAt : createdAt;
    let firstResponseAt: number | null = null;
    let agentReplies = 0;
    let lastAt = createdAt;
    if (outbound && t <= now) {
      events.push({
        type: 'message',
        at: t,
        author: 'customer',
        body: r.pick([
          'Thanks for checking in! All good so far.',
          'Actually I do have a question about the invoice.',
          'Could we talk next week?',
        ]),
      });
    }
    for (let k = 0; k < replies; k++) {
      t += k === 0 ? frMinutes * 60_000 : r.int(1, 30) * HOUR * speed;
      if (t > now) break;
      if (assigneeHandle || k > 0) {
        events.push({ type: 'reply', at: t, author: 'agent', agent: agentId, body: r.pick(AGENT_LINES) });
        agentReplies++;
        if (firstResponseAt === null && t >= firstCustomerAt) firstResponseAt = t;
        lastAt = t;
      }
      if (r.chance(0.25)) events.push({ type: 'note', at: t + 60_000, author: 'agent', agent: agentId, body: r.pick(NOTES) });
      if (k < replies - 1) {
        t += r.int(1, 20) * HOUR;
        if (t > now) break;
        events.push({
          type: 'message',
          at: t,
          author: 'customer',
          body: r.pick(['Thanks, that helped a bit but not fully.', 'Still seeing it, sorry!', 'Here is the screenshot you asked for.']),
        });
        lastAt = t;
      }
    }
    const resolveAt = lastAt + (late ? policy.resolutionMinutes * 60_000 * (0.8 + r.next()) : r.int(10, 600) * 60_000 * speed);
    // The simulation's own view of where the item got to (it decides the later draws); the row itself
    // is the core's reading of the timeline.
    let status: Status = 'open';
    let resolvedAt: number | null = null;
    let firstResolvedAt: number | null = null;
    let closedAt: number | null = null;
    let snoozedUntil: number | null = null;
    if (assigneeHandle && agentReplies > 0 && resolveAt <= now && !(now - createdAt < 2 * DAY && r.chance(0.5))) {
      status = 'resolved';
      resolvedAt = firstResolvedAt = resolveAt;
      events.push({ type: 'status', at: resolveAt, author: 'agent', agent: agentId, data: { from: 'open', to: 'resolved' } });
      // Some come back: the customer writes again and the item reopens.
      const reopenAt = resolveAt + r.int(2, 72) * HOUR;
      if (r.chance(0.07) && reopenAt <= now) {
        events.push({ type: 'message', at: reopenAt, author: 'customer', body: 'Sorry, it is happening again since this morning.' });
        events.push({ type: 'status', at: reopenAt, author: 'customer', data: { from: 'resolved', to: 'open', reopen: true } });
        status = 'open';
        resolvedAt = null;
        const again = reopenAt + r.int(1, 24) * HOUR;
        if (again <= now) {
          events.push({
            type: 'reply',
            at: again,
            author: 'agent',
            agent: agentId,
            body: 'Fixed for good this time, thanks for your patience.',
          });
          agentReplies++;
          events.push({ type: 'status', at: again, author: 'agent', agent: agentId, data: { from: 'open', to: 'resolved' } });
          status = 'resolved';
          resolvedAt = again;
        }
      }
      if (status === 'resolved' && resolvedAt! + 4 * DAY <= now) {
        closedAt = resolvedAt! + 4 * DAY;
        events.push({
          type: 'status',
          at: closedAt,
          author: 'system',
          data: { from: 'resolved', to: 'closed', reason: 'closed 4 days after resolution' },
        });
        status = 'closed';
      }
    } else if (!assigneeHandle && agentReplies === 0) {
      status = 'new';
    } else if (events.at(-1)?.type === 'reply' && r.chance(0.5)) {
      status = 'pending';
      events.push({ type: 'status', at: lastAt + 1000, author: 'agent', agent: agentId, data: { from: 'open', to: 'pending' } });
    } else if (r.chance(0.08)) {
      status = 'snoozed';
      snoozedUntil = now + r.int(1, 72) * HOUR;
      events.push({ type: 'snooze', at: lastAt + 1000, author: 'agent', agent: agentId, data: { until: iso(snoozedUntil) } });
      events.push({ type: 'status', at: lastAt + 1000, author: 'agent', agent: agentId, data: { from: 'open', to: 'snoozed' } });
    }

    events.sort((a, b) => a.at - b.at);
    const itemId = w.nextId('items');
    // Decided now, written after the item: a tag, a survey, an escalation (same draws, same order).
    const tag = r.chance(0.12) ? r.pick(['vip', 'refund', 'bug-1432', 'churn-risk', 'onboarding', 'press']) : null;
    let survey: { kind: 'csat' | 'nps'; score: number; comment: string | null; created_at: string } | null = null;
    if (firstResolvedAt && firstResolvedAt + HOUR <= now) {
      if (role === 'support' && r.chance(0.35)) {
        const score = r.weighted<number>([
          [5, 45],
          [4, 25],
          [3, 12],
          [2, 8],
          [1, 10],
        ]);
        survey = { kind: 'csat', score, comment: score <= 2 ? 'Took far too long.' : null, created_at: iso(firstResolvedAt + HOUR) };
      } else if (role === 'service' && r.chance(0.25)) {
        const score = r.weighted<number>([
          [10, 25],
          [9, 22],
          [8, 18],
          [7, 12],
          [6, 8],
          [5, 5],
          [3, 5],
          [1, 5],
        ]);
        survey = { kind: 'nps', score, comment: null, created_at: iso(firstResolvedAt + HOUR) };
      }
    }
    // A few service questions turn out to be problems and go to support with their context.
    const escalation =
      role === 'service' && !outbound && assigneeHandle && (status === 'open' || status === 'pending') && r.chance(0.5)
        ? planEscalation(itemId, assigneeHandle, Math.max(...events.map((e) => e.at)))
        : null;
    // The item's life after its creation, as the core reads a timeline (new-item.ts): the row follows it.
    const author = (e: DemoEvent): EventAuthor =>
      e.author === 'agent'
        ? { type: 'agent', agentId: e.agent ?? agentId }
        : e.author === 'customer'
          ? { type: 'customer', customerId: customer.id }
          : { type: 'system' };
    const history: TimelineEntry[] = [];
    for (let i = 1; i < events.length; i++) {
      const e = events[i]!;
      history.push({ type: e.type, at: iso(e.at), author: author(e), body: e.body ?? null, data: e.data ?? null });
    }
    const supportId = escalation ? w.nextId('items') : 0;
    if (escalation) {
      // The source's own timeline records the escalation and the return, as `tandem escalate` would.
      const by: EventAuthor = { type: 'agent', agentId: agentIds.get(escalation.byHandle)! };
      history.push(
        { type: 'escalate', at: iso(escalation.at), author: by, body: escalation.reason, data: { to: supportId } },
        { type: 'status', at: iso(escalation.at), author: by, data: { from: status, to: 'escalated' }, sameChange: true },
      );
      if (escalation.done) {
        const holder: EventAuthor = { type: 'agent', agentId: agentIds.get(escalation.holder)! };
        const at = iso(escalation.at + escalation.resolveAfter);
        history.push(
          {
            type: 'return',
            at,
            author: holder,
            body: RETURN_NOTE,
            data: { supportItemId: supportId, outcome: 'resolved', summary: `support resolved: ${RETURN_NOTE}` },
          },
          { type: 'status', at, author: holder, data: { from: 'escalated', to: 'open' }, sameChange: true },
        );
      }
    }
    const record = newItemRecord(
      {
        subject: topic,
        body: events[0]!.body,
        role,
        kind,
        channel,
        direction: outbound ? 'outbound' : 'inbound',
        priority,
        assignee: assigneeHandle ? agents.get(assigneeHandle) : null,
        importedAssignee: assigneeHandle,
        customerId: customer.id,
        tags: tag ? [tag] : [],
        createdAt: iso(createdAt),
        createdBy: 'demo',
        creatorAgentId: agentId,
        history,
      },
      policyOf,
      { keepUnassignable: true },
    );
    items.add(record, itemId);
    summary.items++;
    summary.events += record.events.length;
    if (survey) {
      w.insert('surveys', { id: w.nextId('surveys'), ...survey, customer_id: customer.id, item_id: itemId });
      summary.surveys++;
    }
    if (escalation) writeEscalation(w, items, escalation, supportId, { subject: topic, priority, channel }, customer, record.events);
  }

  /** Whether and how a service item goes to support: every random draw. */
  function planEscalation(sourceId: number, byHandle: string, lastEventAt: number) {
    const at = lastEventAt + 30 * 60_000;
    if (at > now) return null;
    const reason = r.pick([
      'Customer reports a billing error we cannot fix from service.',
      'Looks like a bug in the export; needs support.',
      'Login problem after the plan change.',
    ]);
    const holder = r.pick(['cleo', 'dev', 'eli']);
    const resolveAfter = r.int(2, 72) * HOUR;
    const done = at + resolveAfter <= now;
    const kind = r.pick<Kind>(['bug', 'billing', 'access']);
    return { sourceId, byHandle, at, reason, holder, resolveAfter, done, kind };
  }

  /** The support item of an escalation (a new item through the core path), and the escalation with its snapshot. */
  function writeEscalation(
    w: BulkWriter,
    items: BulkItemWriter,
    plan: NonNullable<ReturnType<typeof planEscalation>>,
    supportId: number,
    source: { subject: string; priority: Priority; channel: Channel },
    customer: { id: number; name: string; email: string; company: string | null; revenueCents: number; orderCount: number },
    sourceEvents: readonly NewItemEvent[],
  ): void {
    const { sourceId, byHandle, at, reason, holder, resolveAfter, done, kind } = plan;
    const by = agentIds.get(byHandle)!;
    const holderAuthor: EventAuthor = { type: 'agent', agentId: agentIds.get(holder)! };
    const supportResolvedAt = done ? at + resolveAfter : null;
    const history: TimelineEntry[] = [
      {
        type: 'escalate',
        at: iso(at),
        author: { type: 'agent', agentId: by },
        body: reason,
        data: { from: sourceId, by: byHandle },
        sameChange: true,
      },
    ];
    if (done) {
      history.push(
        { type: 'reply', at: iso(at + HOUR), author: holderAuthor, body: 'We found the cause and fixed it on our side.' },
        { type: 'status', at: iso(supportResolvedAt!), author: holderAuthor, data: { from: 'open', to: 'resolved' } },
      );
    }
    const record = newItemRecord(
      {
        subject: source.subject,
        body: reason,
        role: 'support',
        kind,
        channel: source.channel,
        direction: 'inbound',
        priority: source.priority,
        assignee: agents.get(holder),
        importedAssignee: holder,
        customerId: customer.id,
        createdAt: iso(at),
        createdBy: byHandle,
        openedBy: { type: 'agent', agentId: by },
        eventData: { escalatedFrom: sourceId },
        history,
      },
      policyOf,
      { keepUnassignable: true },
    );
    items.add(record, supportId);
    summary.items++;
    summary.events += record.events.length;
    const escalatedAt = iso(at);
    const snapshot = {
      schema: 1,
      escalatedAt,
      escalatedBy: { handle: byHandle, name: byHandle },
      reason,
      customer: {
        id: customer.id,
        name: customer.name,
        email: customer.email,
        company: customer.company,
        lifetimeRevenue: customer.revenueCents / 100,
        orderCount: customer.orderCount,
        currency: 'USD',
      },
      lastOrders: [],
      openItems: [],
      recentItems: [],
      surveys: [],
      source: {
        id: sourceId,
        subject: source.subject,
        thread: sourceEvents
          .filter((e) => e.created_at < escalatedAt)
          .map((e) => ({
            version: e.version,
            type: e.type,
            author:
              e.author_type === 'agent'
                ? { type: 'agent', handle: handleOf.get(e.author_agent_id!) ?? byHandle }
                : e.author_type === 'customer'
                  ? { type: 'customer', name: customer.name, customerId: customer.id }
                  : { type: 'system' },
            body: e.body ?? null,
            data: e.data ? JSON.parse(e.data) : null,
            createdAt: e.created_at,
            messageId: null,
          })),
      },
    };
    w.insert('escalations', {
      id: w.nextId('escalations'),
      source_item_id: sourceId,
      support_item_id: supportId,
      reason,
      escalated_by: by,
      escalated_at: escalatedAt,
      snapshot: JSON.stringify(snapshot),
      state: done ? 'resolved' : 'open',
      returned_at: supportResolvedAt ? iso(supportResolvedAt) : null,
      return_note: done ? RETURN_NOTE : null,
    });
    summary.escalations++;
  }
}

/** What support says when it hands a demo escalation back resolved. */
const RETURN_NOTE = 'Refunded the duplicate charge and fixed the account.';

/** One event of a demo item's simulated life (times in milliseconds; authors by role). */
interface DemoEvent {
  type: EventType;
  at: number;
  author: 'agent' | 'customer' | 'system';
  agent?: number | null;
  body?: string | null;
  data?: Record<string, unknown>;
}
