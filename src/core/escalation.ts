// Escalation with context: a service item handed to support with a frozen snapshot of everything
// support needs, and the loop back to service when support is done (resolved, closed or handed back).
import type { Db } from '../store/store.js';
import { findAgent, type Agent } from './agents.js';
import type { Ctx } from './context.js';
import { toCustomer, toOrder, type Customer, type Order } from './customers.js';
import { conflict, invalid, notFound } from './errors.js';
import { getItemView, itemEvents, type EventView, type ItemView } from './item-view.js';
import { applyChange, asAgent, checkExpectedVersion, loadItemRow, type ItemRow } from './item-mutate.js';
import { policyRules } from './sla.js';
import { newItemRecord } from './new-item.js';
import { policyLookup, transactionItemWriter } from './item-writers.js';
import { PRIORITIES, parseEnum, priorityRank, type Kind, KINDS, type Priority } from './vocabulary.js';
import { requireBody } from './item-rules.js';
import { fireRules } from './rules/hook.js';
import { forgetKpiDays } from './kpi-days.js';

export interface ContextSnapshot {
  schema: 1;
  escalatedAt: string;
  escalatedBy: { handle: string; name: string };
  reason: string;
  customer: (Customer & { lifetimeRevenue: number; orderCount: number; currency: string | null }) | null;
  lastOrders: Order[];
  openItems: SnapshotItem[];
  recentItems: SnapshotItem[];
  surveys: { kind: string; score: number; comment: string | null; createdAt: string; itemId: number | null }[];
  source: ItemView & { thread: EventView[] };
}

interface SnapshotItem {
  id: number;
  role: string;
  kind: string;
  subject: string;
  status: string;
  priority: string;
  createdAt: string;
}

export interface Escalation {
  id: number;
  sourceItemId: number;
  supportItemId: number;
  reason: string;
  escalatedBy: string;
  escalatedAt: string;
  state: 'open' | 'resolved' | 'closed' | 'handed_back';
  returnedAt: string | null;
  returnNote: string | null;
}

const RECENT_DAYS = 90;

async function buildSnapshot(trx: Db, source: ItemRow, agent: Agent, reason: string, now: Date): Promise<ContextSnapshot> {
  const nowIso = now.toISOString();
  let customer: ContextSnapshot['customer'] = null;
  let lastOrders: Order[] = [];
  let openItems: SnapshotItem[] = [];
  let recentItems: SnapshotItem[] = [];
  let surveys: ContextSnapshot['surveys'] = [];
  if (source.customer_id) {
    const c = await trx.selectFrom('customers').selectAll().where('id', '=', source.customer_id).executeTakeFirstOrThrow();
    const totals = await trx
      .selectFrom('orders')
      .where('customer_id', '=', c.id)
      .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.coalesce(eb.fn.sum<number>('amount_cents'), eb.val(0)).as('cents')])
      .executeTakeFirstOrThrow();
    const orders = await trx
      .selectFrom('orders')
      .selectAll()
      .where('customer_id', '=', c.id)
      .orderBy('ordered_at', 'desc')
      .orderBy('id', 'desc')
      .limit(5)
      .execute();
    lastOrders = orders.map(toOrder);
    customer = {
      ...toCustomer(c),
      lifetimeRevenue: Number(totals.cents) / 100,
      orderCount: Number(totals.n),
      currency: orders[0]?.currency ?? null,
    };
    const toSnap = (r: {
      id: number;
      role: string;
      kind: string;
      subject: string;
      status: string;
      priority: string;
      created_at: string;
    }): SnapshotItem => ({
      id: r.id,
      role: r.role,
      kind: r.kind,
      subject: r.subject,
      status: r.status,
      priority: r.priority,
      createdAt: r.created_at,
    });
    const cols = ['id', 'role', 'kind', 'subject', 'status', 'priority', 'created_at'] as const;
    openItems = (
      await trx
        .selectFrom('items')
        .select(cols)
        .where('customer_id', '=', c.id)
        .where('status', 'not in', ['resolved', 'closed'])
        .where('id', '!=', source.id)
        .orderBy('created_at', 'desc')
        .limit(20)
        .execute()
    ).map(toSnap);
    const since = new Date(now.getTime() - RECENT_DAYS * 86_400_000).toISOString();
    recentItems = (
      await trx
        .selectFrom('items')
        .select(cols)
        .where('customer_id', '=', c.id)
        .where('status', 'in', ['resolved', 'closed'])
        .where('created_at', '>=', since)
        .orderBy('created_at', 'desc')
        .limit(20)
        .execute()
    ).map(toSnap);
    surveys = (
      await trx.selectFrom('surveys').selectAll().where('customer_id', '=', c.id).orderBy('created_at', 'desc').limit(10).execute()
    ).map((s) => ({ kind: s.kind, score: s.score, comment: s.comment, createdAt: s.created_at, itemId: s.item_id }));
  }
  const sourceView = await getItemView(trx, source.id, now);
  return {
    schema: 1,
    escalatedAt: nowIso,
    escalatedBy: { handle: agent.handle, name: agent.name },
    reason,
    customer,
    lastOrders,
    openItems,
    recentItems,
    surveys,
    source: { ...sourceView, thread: await itemEvents(trx, source.id) },
  };
}

export interface EscalateInput {
  reason: string;
  to?: string | null;
  priority?: string | null;
  kind?: string | null;
  expectedVersion?: number;
}

export interface EscalateResult {
  escalation: Escalation;
  source: ItemView;
  support: ItemView;
}

/** Escalate a service item to support, in one transaction (docs/concepts.md, "Escalation and hand-back"). */
export async function escalate(ctx: Ctx, agent: Agent, sourceId: number, input: EscalateInput): Promise<EscalateResult> {
  const reason = requireBody(input.reason, 'escalation reason').trim();
  const wantedPriority = input.priority ? parseEnum('priority', PRIORITIES, input.priority) : null;
  const kind: Kind = input.kind ? parseEnum('kind', KINDS, input.kind) : 'other';
  const clockNow = ctx.clock();
  return ctx.store.write(async (trx) => {
    const source = await loadItemRow(trx, sourceId);
    await checkExpectedVersion(trx, source, input.expectedVersion, clockNow);
    const ids = await escalateWithin(trx, agent, source, { reason, priority: wantedPriority, kind, to: input.to ?? null }, clockNow);
    return {
      escalation: await getEscalation(trx, ids.escalationId),
      source: await getItemView(trx, source.id, clockNow),
      support: await getItemView(trx, ids.supportId, clockNow),
    };
  });
}

/**
 * The escalation itself, inside the caller's write transaction (the `escalate` command, or a rule's
 * escalate action, whose events carry `eventData` naming the rule).
 */
export async function escalateWithin(
  trx: Db,
  agent: Agent,
  source: ItemRow,
  input: { reason: string; priority?: Priority | null; kind?: Kind; to: Agent | string | null },
  clockNow: Date,
  eventData: Record<string, unknown> = {},
): Promise<{ supportId: number; escalationId: number }> {
  const { reason } = input;
  const kind = input.kind ?? 'other';
  const now = clockNow.toISOString();
  if (source.role !== 'service') throw conflict(`item #${source.id} is a support item; only service items are escalated`);
  if (source.status === 'escalated') {
    const open = await trx
      .selectFrom('escalations')
      .select('support_item_id')
      .where('source_item_id', '=', source.id)
      .where('state', '=', 'open')
      .executeTakeFirst();
    throw conflict(`item #${source.id} is already escalated${open ? ` (support item #${open.support_item_id})` : ''}`);
  }
  if (source.status === 'resolved' || source.status === 'closed') {
    throw conflict(`item #${source.id} is ${source.status}; reopen it before escalating`);
  }
  const sourcePriority = source.priority;
  const wantedPriority = input.priority ?? null;
  if (wantedPriority && priorityRank(wantedPriority) < priorityRank(sourcePriority)) {
    throw invalid(`the support item's priority must be at least the source's (${sourcePriority})`);
  }
  const priority = wantedPriority ?? sourcePriority;
  const assignee = typeof input.to === 'string' ? await findAgent(trx, input.to) : input.to;
  // The support item is a new item like any other (new-item.ts): it keeps the source's subject,
  // customer, channel and tags, and support owes the customer a response from the moment of escalation.
  const tags = (await trx.selectFrom('item_tags').select('tag').where('item_id', '=', source.id).execute()).map((t) => t.tag);
  const record = newItemRecord(
    {
      subject: source.subject,
      body: reason,
      bodyName: 'escalation reason',
      role: 'support',
      kind,
      channel: source.channel,
      direction: 'inbound',
      priority,
      assignee,
      customerId: source.customer_id,
      tags,
      createdAt: now,
      createdBy: agent.handle,
      openedBy: { type: 'agent', agentId: agent.id },
      eventData: { escalatedFrom: source.id, ...eventData },
      history: [
        {
          type: 'escalate',
          at: now,
          author: { type: 'agent', agentId: agent.id },
          body: reason,
          data: { from: source.id, by: agent.handle, ...eventData },
          sameChange: true,
        },
      ],
    },
    policyLookup(await policyRules(trx)),
  );

  const snapshot = await buildSnapshot(trx, source, agent, reason, clockNow);
  // It has no external id, so nothing can already hold it.
  const supportId = (await transactionItemWriter(trx).create(record))!;
  // KPI day rollups: the source's creation day now counts it as escalated (the writer forgot the new item's days).
  await forgetKpiDays(trx, [source.created_at]);

  const inserted = await trx
    .insertInto('escalations')
    .values({
      source_item_id: source.id,
      support_item_id: supportId,
      reason,
      escalated_by: agent.id,
      escalated_at: now,
      snapshot: JSON.stringify(snapshot),
      state: 'open',
      returned_at: null,
      return_note: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();

  await applyChange(
    trx,
    source,
    asAgent(agent),
    {
      set: { status: 'escalated', snoozed_until: null },
      events: [
        {
          type: 'escalate',
          body: reason,
          data: { to: supportId, escalationId: inserted.id, assignee: assignee?.handle ?? null, ...eventData },
        },
        { type: 'status', data: { from: source.status, to: 'escalated', ...eventData } },
      ],
    },
    now,
  );
  // Rules for escalations run on the new support item, in this transaction.
  await fireRules(trx, 'escalated', supportId, { change: 'escalated', actor: asAgent(agent), now: clockNow });
  return { supportId, escalationId: inserted.id };
}

type EscalationRow = {
  id: number;
  source_item_id: number;
  support_item_id: number;
  reason: string;
  escalated_at: string;
  state: string;
  returned_at: string | null;
  return_note: string | null;
  handle: string;
};

function toEscalation(r: EscalationRow): Escalation {
  return {
    id: r.id,
    sourceItemId: r.source_item_id,
    supportItemId: r.support_item_id,
    reason: r.reason,
    escalatedBy: r.handle,
    escalatedAt: r.escalated_at,
    state: r.state as Escalation['state'],
    returnedAt: r.returned_at,
    returnNote: r.return_note,
  };
}

function escalationQuery(db: Db) {
  return db
    .selectFrom('escalations as x')
    .innerJoin('agents as a', 'a.id', 'x.escalated_by')
    .select([
      'x.id',
      'x.source_item_id',
      'x.support_item_id',
      'x.reason',
      'x.escalated_at',
      'x.state',
      'x.returned_at',
      'x.return_note',
      'a.handle',
    ]);
}

async function getEscalation(db: Db, id: number): Promise<Escalation> {
  const r = await escalationQuery(db).where('x.id', '=', id).executeTakeFirst();
  if (!r) throw notFound(`no escalation ${id}`);
  return toEscalation(r);
}

/** Escalations touching an item, either as source or as support item, newest first. */
export async function escalationsOfItem(db: Db, itemId: number): Promise<{ asSource: Escalation[]; asSupport: Escalation | null }> {
  const rows = await escalationQuery(db)
    .where((eb) => eb.or([eb('x.source_item_id', '=', itemId), eb('x.support_item_id', '=', itemId)]))
    .orderBy('x.id', 'desc')
    .execute();
  const all = rows.map(toEscalation);
  return { asSource: all.filter((e) => e.sourceItemId === itemId), asSupport: all.find((e) => e.supportItemId === itemId) ?? null };
}

export async function getSnapshot(db: Db, supportItemId: number): Promise<ContextSnapshot | null> {
  const r = await db.selectFrom('escalations').select('snapshot').where('support_item_id', '=', supportItemId).executeTakeFirst();
  return r ? (JSON.parse(r.snapshot) as ContextSnapshot) : null;
}

export interface EscalationListing extends Escalation {
  subject: string;
  supportStatus: string;
  holder: string | null;
  ageSeconds: number;
}

export async function listEscalations(ctx: Ctx, opts: { open?: boolean; limit?: number } = {}): Promise<EscalationListing[]> {
  const now = ctx.clock();
  let q = escalationQuery(ctx.store.db)
    .innerJoin('items as s', 's.id', 'x.support_item_id')
    .leftJoin('agents as h', 'h.id', 's.assignee_id')
    .select(['s.subject', 's.status as support_status', 'h.handle as holder'])
    .orderBy('x.escalated_at', 'desc')
    .orderBy('x.id', 'desc')
    .limit(opts.limit ?? 200);
  if (opts.open) q = q.where('x.state', '=', 'open');
  const rows = await q.execute();
  return rows.map((r) => ({
    ...toEscalation(r),
    subject: r.subject,
    supportStatus: r.support_status,
    holder: r.holder,
    ageSeconds: Math.round((now.getTime() - Date.parse(r.escalated_at)) / 1000),
  }));
}

/**
 * Called inside the transaction that resolves or closes any item. When it is the support side of
 * an open escalation, the service source comes back to open with support's note.
 */
export async function returnSourceIfEscalated(
  trx: Db,
  support: ItemRow,
  outcome: 'resolved' | 'closed' | 'handed_back',
  noteText: string | null,
  agent: Agent,
  now: string,
): Promise<void> {
  const esc = await trx
    .selectFrom('escalations')
    .selectAll()
    .where('support_item_id', '=', support.id)
    .where('state', '=', 'open')
    .executeTakeFirst();
  if (!esc) return;
  let note = noteText;
  if (!note) {
    const last = await trx
      .selectFrom('events')
      .select('body')
      .where('item_id', '=', support.id)
      .where('type', 'in', ['reply', 'note'])
      .where('body', 'is not', null)
      .orderBy('id', 'desc')
      .limit(1)
      .executeTakeFirst();
    note = last?.body ?? null;
  }
  await trx.updateTable('escalations').set({ state: outcome, returned_at: now, return_note: note }).where('id', '=', esc.id).execute();
  const source = await loadItemRow(trx, esc.source_item_id);
  if (source.status !== 'escalated') return; // someone already dealt with it
  const said =
    outcome === 'resolved' ? 'support resolved' : outcome === 'closed' ? 'support closed without resolving' : 'support handed back';
  await applyChange(
    trx,
    source,
    asAgent(agent),
    {
      set: { status: 'open' },
      events: [
        { type: 'return', body: note, data: { supportItemId: support.id, outcome, summary: note ? `${said}: ${note}` : said } },
        { type: 'status', data: { from: 'escalated', to: 'open' } },
      ],
    },
    now,
  );
}

/** Support returns an escalated item without resolving it: the support item closes, the source reopens. */
export async function handback(
  ctx: Ctx,
  agent: Agent,
  supportId: number,
  reasonText: string,
  opts: { expectedVersion?: number } = {},
): Promise<EscalateResult> {
  const reason = requireBody(reasonText, 'hand-back reason').trim();
  const clockNow = ctx.clock();
  const now = clockNow.toISOString();
  return ctx.store.write(async (trx) => {
    const support = await loadItemRow(trx, supportId);
    await checkExpectedVersion(trx, support, opts.expectedVersion, clockNow);
    const esc = await trx.selectFrom('escalations').select(['id', 'state']).where('support_item_id', '=', support.id).executeTakeFirst();
    if (!esc) throw conflict(`item #${support.id} did not come from an escalation; there is nothing to hand back`);
    if (esc.state !== 'open') throw conflict(`item #${support.id} was already returned to service (${esc.state.replace('_', ' ')})`);
    await applyChange(
      trx,
      support,
      asAgent(agent),
      {
        set: { status: 'closed', closed_at: now, snoozed_until: null },
        events: [
          { type: 'handback', body: reason },
          { type: 'status', data: { from: support.status, to: 'closed' } },
        ],
        after: (t) => returnSourceIfEscalated(t, support, 'handed_back', reason, agent, now),
      },
      now,
    );
    const e = await getEscalation(trx, esc.id);
    return {
      escalation: e,
      source: await getItemView(trx, e.sourceItemId, clockNow),
      support: await getItemView(trx, support.id, clockNow),
    };
  });
}
