// The outbox: every public reply bound for a real channel waits here until it is delivered. A reply is
// queued in the same transaction that writes it (so it is never lost), built once (so every attempt
// sends the same bytes), and moves queued → sending → sent, or retry / failed / uncertain. Nothing
// leaves `uncertain` without an agent; agents' decisions and final failures are events on the item.
import type { Selectable } from 'kysely';
import type { Agent } from '../core/agents.js';
import type { Ctx } from '../core/context.js';
import { conflict, invalid, notFound } from '../core/errors.js';
import { applyChange, asAgent, loadItemRow, SYSTEM, type Actor, type ItemRow } from '../core/item-mutate.js';
import { parseEnum } from '../core/vocabulary.js';
import type { OutboxState, OutboxTable } from '../store/schema.js';
import type { Db } from '../store/store.js';
import { toMailbox } from './mailboxes.js';

export const OUTBOX_STATES = ['queued', 'sending', 'retry', 'sent', 'failed', 'uncertain', 'cancelled'] as const;
/** Channels whose replies scripts deliver (`tandem outbox --channel sms --follow`). */
export const SCRIPT_CHANNELS = ['sms', 'whatsapp', 'chat', 'social'] as const;
/** How long a sender may hold a reply in `sending` before it counts as lost mid-send (uncertain). */
export const SENDING_LEASE_MS = 10 * 60_000;
/** Attempts before a temporary failure becomes a permanent one. */
export const MAX_ATTEMPTS = 12;

export interface OutboxEntry {
  id: number;
  itemId: number;
  channel: string;
  mailbox: string | null;
  author: string | null;
  messageId: string;
  recipient: string | null;
  subject: string | null;
  body: string;
  state: OutboxState;
  attempts: number;
  nextAttemptAt: string | null;
  lastError: string | null;
  createdAt: string;
  updatedAt: string;
  sentAt: string | null;
}

type OutboxRow = Selectable<OutboxTable>;

function selectEntries(db: Db) {
  return db
    .selectFrom('outbox as o')
    .leftJoin('mailboxes as m', 'm.id', 'o.mailbox_id')
    .leftJoin('agents as a', 'a.id', 'o.author_agent_id')
    .selectAll('o')
    .select(['m.name as mailbox_name', 'a.handle as author_handle']);
}

type EntryRow = OutboxRow & { mailbox_name: string | null; author_handle: string | null };

function toEntry(r: EntryRow): OutboxEntry {
  return {
    id: r.id,
    itemId: r.item_id,
    channel: r.channel,
    mailbox: r.mailbox_name,
    author: r.author_handle,
    messageId: r.message_id,
    recipient: r.recipient,
    subject: r.subject,
    body: r.body,
    state: r.state,
    attempts: r.attempts,
    nextAttemptAt: r.next_attempt_at,
    lastError: r.last_error,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    sentAt: r.sent_at,
  };
}

// ---------------------------------------------------------------------------------------------
// Queueing (called from the core's reply path, inside its transaction)

/** Which mailbox answers an item: the one its mail came through, else one of its role, else the first. */
async function mailboxFor(trx: Db, row: ItemRow) {
  const via = await trx
    .selectFrom('mail_messages as mm')
    .innerJoin('mailboxes as m', 'm.id', 'mm.mailbox_id')
    .selectAll('m')
    .where('mm.item_id', '=', row.id)
    .orderBy('mm.id', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (via) return toMailbox(via);
  const all = await trx.selectFrom('mailboxes').selectAll().orderBy('id').execute();
  const pick = all.find((m) => m.role === row.role) ?? all[0];
  return pick ? toMailbox(pick) : null;
}

/**
 * Queue a public reply when its item's channel is one Tandem delivers on: email through a mailbox,
 * or a script channel. Returns the reply's Message-ID (null when nothing is queued: no mailbox yet,
 * or a channel such as phone that nobody delivers). Runs inside the reply's write transaction.
 */
export async function queueReply(trx: Db, row: ItemRow, agent: Agent, text: string, now: string): Promise<string | null> {
  const scriptChannel = (SCRIPT_CHANNELS as readonly string[]).includes(row.channel);
  if (row.channel !== 'email' && !scriptChannel) return null;
  const mailbox = row.channel === 'email' ? await mailboxFor(trx, row) : null;
  if (row.channel === 'email' && !mailbox) return null;
  const customer = row.customer_id
    ? await trx.selectFrom('customers').select(['name', 'email', 'phone']).where('id', '=', row.customer_id).executeTakeFirst()
    : undefined;
  const base = {
    item_id: row.id,
    channel: row.channel,
    mailbox_id: mailbox?.id ?? null,
    author_agent_id: agent.id,
    body: text,
    attempts: 0,
    next_attempt_at: now,
    last_error: null as string | null,
    lease_until: null,
    created_at: now,
    updated_at: now,
    sent_at: null,
  };
  if (!mailbox) {
    const messageId = `<tandem.${row.id}.${Buffer.from(crypto.getRandomValues(new Uint8Array(8))).toString('hex')}@${row.channel}.outbox>`;
    const recipient = customer?.phone ?? customer?.email ?? null;
    await trx
      .insertInto('outbox')
      .values({ ...base, message_id: messageId, recipient, sender: null, subject: row.subject, raw: null, state: 'queued' })
      .execute();
    return messageId;
  }
  const { buildReplyMail, newMessageId, replySubject } = await import('./compose.js');
  const messageId = newMessageId(row.id, mailbox.address);
  const subject = replySubject(row.subject, row.id);
  if (!customer?.email) {
    // Kept and shown as failed rather than silently not sent.
    await trx
      .insertInto('outbox')
      .values({
        ...base,
        message_id: messageId,
        recipient: null,
        sender: mailbox.address,
        subject,
        raw: null,
        state: 'failed',
        last_error: 'the customer has no email address',
        next_attempt_at: null,
      })
      .execute();
    return messageId;
  }
  const thread = await trx
    .selectFrom('events')
    .select(['message_id', 'author_type'])
    .where('item_id', '=', row.id)
    .where('message_id', 'is not', null)
    .orderBy('id')
    .execute();
  const lastFromCustomer = thread.filter((e) => e.author_type === 'customer').at(-1)?.message_id ?? null;
  const references = thread
    .map((e) => e.message_id!)
    .filter((id) => /^<[^<>\s]+>$/.test(id))
    .slice(-20);
  const raw = await buildReplyMail({
    from: { name: mailbox.fromName ?? agent.name, address: mailbox.address },
    to: { name: customer.name, address: customer.email },
    replyTo: mailbox.address,
    subject,
    text,
    messageId,
    inReplyTo: lastFromCustomer,
    references,
    date: new Date(now),
    itemId: row.id,
  });
  await trx
    .insertInto('outbox')
    .values({
      ...base,
      message_id: messageId,
      recipient: customer.email,
      sender: mailbox.address,
      subject,
      raw: raw.toString('base64'),
      state: 'queued',
    })
    .execute();
  return messageId;
}

// ---------------------------------------------------------------------------------------------
// Reading

export interface OutboxFilter {
  state?: string;
  channel?: string;
  itemId?: number;
  afterId?: number;
  limit?: number;
}

export async function listOutbox(db: Db, f: OutboxFilter = {}): Promise<OutboxEntry[]> {
  let q = selectEntries(db);
  if (f.state) q = q.where('o.state', '=', parseEnum('--state', OUTBOX_STATES, f.state));
  if (f.channel) q = q.where('o.channel', '=', f.channel.trim().toLowerCase());
  if (f.itemId !== undefined) q = q.where('o.item_id', '=', f.itemId);
  if (f.afterId !== undefined) q = q.where('o.id', '>', f.afterId);
  const rows = await q
    .orderBy('o.id', f.afterId !== undefined ? 'asc' : 'desc')
    .limit(f.limit ?? 200)
    .execute();
  return rows.map((r) => toEntry(r as EntryRow));
}

export async function getOutboxEntry(db: Db, id: number): Promise<OutboxEntry> {
  const row = await selectEntries(db).where('o.id', '=', id).executeTakeFirst();
  if (!row) throw notFound(`no outbox entry ${id} (see tandem outbox)`);
  return toEntry(row as EntryRow);
}

/** An item's deliveries by the reply's Message-ID: what the console shows under each reply. */
export async function deliveriesOfItem(db: Db, itemId: number): Promise<Map<string, OutboxEntry>> {
  const rows = await selectEntries(db).where('o.item_id', '=', itemId).orderBy('o.id').execute();
  return new Map(rows.map((r) => [r.message_id, toEntry(r as EntryRow)]));
}

/** Deliveries an agent must look at: failed and uncertain. */
export async function deliveryProblemCount(db: Db): Promise<number> {
  return (await deliveryProblems(db)).count;
}

/** How many deliveries failed or are uncertain, and the newest few of their items. */
export async function deliveryProblems(db: Db): Promise<{ count: number; itemIds: number[] }> {
  // One round trip (the console asks on every refresh; on PostgreSQL each query is a pool connection):
  // the window count is taken before the limit, so it is the total.
  const rows = await db
    .selectFrom('outbox')
    .select((eb) => ['item_id', eb.fn.countAll<number>().over().as('n')])
    .where('state', 'in', ['failed', 'uncertain'])
    .orderBy('id', 'desc')
    .limit(20)
    .execute();
  return { count: Number(rows[0]?.n ?? 0), itemIds: [...new Set(rows.map((i) => i.item_id))].slice(0, 3) };
}

export function parseOutboxId(text: string | number): number {
  const m = /^(\d+)$/.exec(String(text).trim());
  if (!m || !Number.isSafeInteger(Number(m[1])) || Number(m[1]) <= 0)
    throw notFound(`no outbox entry ${JSON.stringify(String(text))} (outbox ids are numbers)`);
  return Number(m[1]);
}

// ---------------------------------------------------------------------------------------------
// Changing state

/** A delivery event on the item: what happened to which reply, and who decided. */
async function deliveryEvent(trx: Db, itemId: number, actor: Actor, data: Record<string, unknown>, now: string): Promise<void> {
  const row = await loadItemRow(trx, itemId);
  await applyChange(trx, row, actor, { set: {}, events: [{ type: 'delivery', data }] }, now);
}

async function lockedEntry(trx: Db, id: number): Promise<OutboxRow> {
  const row = await trx.selectFrom('outbox').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound(`no outbox entry ${id} (see tandem outbox)`);
  return row;
}

/** An agent says: send it again (failed, uncertain, or waiting to retry: now). */
export async function retryOutbox(ctx: Ctx, agent: Agent, id: number): Promise<OutboxEntry> {
  const now = ctx.clock().toISOString();
  await ctx.store.write(async (trx) => {
    const row = await lockedEntry(trx, id);
    if (!['failed', 'uncertain', 'retry', 'cancelled'].includes(row.state)) {
      throw conflict(`outbox entry ${id} is ${row.state}; only failed, uncertain, retrying or cancelled replies can be retried`);
    }
    if (row.channel === 'email' && !row.raw) throw conflict(`outbox entry ${id} cannot be sent: ${row.last_error ?? 'it has no mail'}`);
    await trx
      .updateTable('outbox')
      .set({ state: 'queued', next_attempt_at: now, lease_until: null, updated_at: now })
      .where('id', '=', id)
      .execute();
    await deliveryEvent(trx, row.item_id, asAgent(agent), { outbox: id, state: 'queued', action: 'retry', from: row.state }, now);
  });
  return getOutboxEntry(ctx.store.db, id);
}

export async function cancelOutbox(ctx: Ctx, agent: Agent, id: number): Promise<OutboxEntry> {
  const now = ctx.clock().toISOString();
  await ctx.store.write(async (trx) => {
    const row = await lockedEntry(trx, id);
    if (row.state === 'sent' || row.state === 'cancelled') throw conflict(`outbox entry ${id} is already ${row.state}`);
    if (row.state === 'sending') throw conflict(`outbox entry ${id} is being sent right now; wait for the outcome`);
    await trx.updateTable('outbox').set({ state: 'cancelled', next_attempt_at: null, updated_at: now }).where('id', '=', id).execute();
    await deliveryEvent(trx, row.item_id, asAgent(agent), { outbox: id, state: 'cancelled', action: 'cancel', from: row.state }, now);
  });
  return getOutboxEntry(ctx.store.db, id);
}

/** A script reports the outcome of a reply it delivered (or tried to). */
export async function ackOutbox(ctx: Ctx, agent: Agent, id: number, failedReason?: string | null): Promise<OutboxEntry> {
  const now = ctx.clock().toISOString();
  const reason = failedReason?.trim() ?? null;
  if (failedReason !== undefined && failedReason !== null && !reason) throw invalid('--failed needs a reason');
  await ctx.store.write(async (trx) => {
    const row = await lockedEntry(trx, id);
    if (!['queued', 'sending', 'retry', 'uncertain'].includes(row.state))
      throw conflict(`outbox entry ${id} is ${row.state}; nothing to acknowledge`);
    if (reason) {
      await trx
        .updateTable('outbox')
        .set({
          state: 'failed',
          last_error: reason.slice(0, 500),
          attempts: row.attempts + 1,
          lease_until: null,
          next_attempt_at: null,
          updated_at: now,
        })
        .where('id', '=', id)
        .execute();
      await deliveryEvent(trx, row.item_id, asAgent(agent), { outbox: id, state: 'failed', reason: reason.slice(0, 500) }, now);
    } else {
      await trx
        .updateTable('outbox')
        .set({ state: 'sent', sent_at: now, attempts: row.attempts + 1, lease_until: null, next_attempt_at: null, updated_at: now })
        .where('id', '=', id)
        .execute();
    }
  });
  return getOutboxEntry(ctx.store.db, id);
}

/**
 * Take due replies of a channel for sending: queued ones, and retries whose time has come (all
 * retries with `ignoreBackoff`). Each becomes `sending` under a lease, so two senders never take the same.
 */
export async function claimDue(
  ctx: Ctx,
  channel: string,
  opts: { ignoreBackoff?: boolean; limit?: number; exclude?: number[] } = {},
): Promise<OutboxRow[]> {
  const now = ctx.clock();
  const nowText = now.toISOString();
  const lease = new Date(now.getTime() + SENDING_LEASE_MS).toISOString();
  return ctx.store.write(async (trx) => {
    let q = trx.selectFrom('outbox').selectAll().where('channel', '=', channel);
    q = opts.ignoreBackoff
      ? q.where('state', 'in', ['queued', 'retry'])
      : q.where((eb) => eb.or([eb('state', '=', 'queued'), eb.and([eb('state', '=', 'retry'), eb('next_attempt_at', '<=', nowText)])]));
    if (opts.exclude?.length) q = q.where('id', 'not in', opts.exclude);
    const rows = await q
      .orderBy('id')
      .limit(opts.limit ?? 50)
      .execute();
    if (rows.length === 0) return [];
    // The claim is conditional (only rows still queued or retrying become sending) and is committed
    // before anything is sent: a second sender, or this function run again by PostgreSQL after a
    // serialization failure, can never hand the same reply to SMTP twice. Only rows this update
    // actually changed are returned.
    const claimed = await trx
      .updateTable('outbox')
      .set({ state: 'sending', lease_until: lease, updated_at: nowText })
      .where(
        'id',
        'in',
        rows.map((r) => r.id),
      )
      .where('state', 'in', ['queued', 'retry'])
      .returning('id')
      .execute();
    const ids = new Set(claimed.map((c) => c.id));
    return rows.filter((r) => ids.has(r.id)).map((r) => ({ ...r, state: 'sending' as const, lease_until: lease }));
  });
}

export type DeliveryOutcome =
  | { kind: 'sent'; response: string }
  | { kind: 'retry'; error: string }
  | { kind: 'failed'; error: string }
  | { kind: 'uncertain'; error: string };

/** Backoff after the n-th failed attempt: 1 min, 5 min, 15 min, 1 h, then every 4 h. */
export function backoffMs(attempt: number): number {
  const steps = [60_000, 5 * 60_000, 15 * 60_000, 60 * 60_000];
  return steps[attempt - 1] ?? 4 * 60 * 60_000;
}

export async function recordOutcome(ctx: Ctx, id: number, outcome: DeliveryOutcome): Promise<OutboxState> {
  const now = ctx.clock();
  const nowText = now.toISOString();
  return ctx.store.write(async (trx) => {
    const row = await lockedEntry(trx, id);
    // Someone cancelled or retried it meanwhile: their word stands, except that a sent mail was sent.
    if (row.state !== 'sending' && outcome.kind !== 'sent') return row.state;
    const attempts = row.attempts + 1;
    let state: OutboxState = outcome.kind;
    let error = outcome.kind === 'sent' ? null : outcome.error.slice(0, 500);
    if (state === 'retry' && attempts >= MAX_ATTEMPTS) {
      state = 'failed';
      error = `gave up after ${attempts} attempts; last: ${error}`;
    }
    await trx
      .updateTable('outbox')
      .set({
        state,
        attempts,
        last_error: error,
        lease_until: null,
        updated_at: nowText,
        next_attempt_at: state === 'retry' ? new Date(now.getTime() + backoffMs(attempts)).toISOString() : null,
        ...(state === 'sent' ? { sent_at: nowText } : {}),
      })
      .where('id', '=', id)
      .execute();
    if (state === 'failed' || state === 'uncertain') {
      await deliveryEvent(trx, row.item_id, SYSTEM, { outbox: id, state, reason: error }, nowText);
    }
    return state;
  });
}

/** Replies left in `sending` by a sender that died: the server may have them, so an agent decides. */
export async function recoverStaleSending(ctx: Ctx): Promise<number> {
  const nowText = ctx.clock().toISOString();
  const stale = await ctx.store.db
    .selectFrom('outbox')
    .select('id')
    .where('state', '=', 'sending')
    .where('lease_until', '<', nowText)
    .limit(1)
    .execute();
  if (stale.length === 0) return 0;
  return ctx.store.write(async (trx) => {
    const rows = await trx.selectFrom('outbox').selectAll().where('state', '=', 'sending').where('lease_until', '<', nowText).execute();
    const reason = 'the sender stopped while sending; the server may have taken it';
    for (const r of rows) {
      await trx
        .updateTable('outbox')
        .set({ state: 'uncertain', last_error: reason, lease_until: null, updated_at: nowText })
        .where('id', '=', r.id)
        .execute();
      await deliveryEvent(trx, r.item_id, SYSTEM, { outbox: r.id, state: 'uncertain', reason }, nowText);
    }
    return rows.length;
  });
}

/**
 * `tandem outbox --channel C --follow`: take each queued reply of a script channel as it comes (it
 * becomes `sending`) and hand it over, until aborted; replies taken but never acknowledged become
 * uncertain after the lease, like any sender that died.
 */
export async function followChannel(
  ctx: Ctx,
  channel: string,
  signal: AbortSignal,
  onEntry: (e: OutboxEntry) => void,
  everyMs = 1000,
): Promise<void> {
  const c = channel.trim().toLowerCase();
  if (c === 'email') throw invalid('email is delivered by `tandem mail send` or `tandem mail run`, not followed by a script');
  while (!signal.aborted) {
    await recoverStaleSending(ctx);
    for (const row of await claimDue(ctx, c)) onEntry(await getOutboxEntry(ctx.store.db, row.id));
    await new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(t);
        signal.removeEventListener('abort', done);
        resolve();
      };
      const t = setTimeout(done, everyMs);
      signal.addEventListener('abort', done, { once: true });
    });
  }
}
