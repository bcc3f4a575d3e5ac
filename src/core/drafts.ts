// Unsent drafts: an agent's half-written reply or note on an item, kept in the database so it survives
// a refused send, a crash or quitting. One per item, agent and kind (a unique constraint, written with
// onConflict). A draft is not an item event: it changes nothing on the item until it is sent, and the
// send (a reply or note event) removes it in the same transaction.
import type { Db } from '../store/store.js';
import type { DraftKind } from '../store/schema.js';
import type { Agent } from './agents.js';
import type { Ctx } from './context.js';
import { invalid, notFound } from './errors.js';
import type { MutationResult } from './item-mutate.js';
import { MAX_BODY_CHARS, note, reply } from './items.js';

export type { DraftKind };

export interface Draft {
  itemId: number;
  kind: DraftKind;
  body: string;
  updatedAt: string;
}

/** Keep `body` as the agent's draft of this kind on the item (replacing an older one). Empty text removes it. */
export async function saveDraft(ctx: Ctx, agent: Agent, itemId: number, kind: DraftKind, body: string): Promise<Draft | null> {
  const text = body.replace(/\r\n/g, '\n');
  if (!text.trim()) {
    await deleteDraft(ctx, agent, itemId, kind);
    return null;
  }
  if (text.includes('\u0000')) throw invalid('the draft contains NUL bytes; it was not kept');
  if (text.length > MAX_BODY_CHARS) throw invalid(`the draft is longer than ${MAX_BODY_CHARS.toLocaleString('en-US')} characters`);
  const now = ctx.clock().toISOString();
  await ctx.store.write(async (trx) => {
    const item = await trx.selectFrom('items').select('id').where('id', '=', itemId).executeTakeFirst();
    if (!item) throw notFound(`no item #${itemId}`);
    await trx
      .insertInto('drafts')
      .values({ item_id: itemId, agent_id: agent.id, kind, body: text, created_at: now, updated_at: now })
      .onConflict((oc) => oc.columns(['item_id', 'agent_id', 'kind']).doUpdateSet({ body: text, updated_at: now }))
      .execute();
  });
  return { itemId, kind, body: text, updatedAt: now };
}

export async function getDraft(ctx: Ctx, agent: Agent, itemId: number, kind: DraftKind): Promise<Draft | null> {
  const row = await ctx.store.db
    .selectFrom('drafts')
    .select(['item_id', 'kind', 'body', 'updated_at'])
    .where('item_id', '=', itemId)
    .where('agent_id', '=', agent.id)
    .where('kind', '=', kind)
    .executeTakeFirst();
  return row ? { itemId: row.item_id, kind: row.kind, body: row.body, updatedAt: row.updated_at } : null;
}

export async function deleteDraft(ctx: Ctx, agent: Agent, itemId: number, kind: DraftKind): Promise<void> {
  await ctx.store.write((trx) => removeDraft(trx, itemId, agent.id, kind));
}

/** Inside a write transaction: the draft that was just sent goes. */
async function removeDraft(trx: Db, itemId: number, agentId: number, kind: DraftKind): Promise<void> {
  await trx.deleteFrom('drafts').where('item_id', '=', itemId).where('agent_id', '=', agentId).where('kind', '=', kind).execute();
}

/** The agent's drafts, newest first. */
export async function listDrafts(ctx: Ctx, agent: Agent): Promise<Draft[]> {
  const rows = await ctx.store.db
    .selectFrom('drafts')
    .select(['item_id', 'kind', 'body', 'updated_at'])
    .where('agent_id', '=', agent.id)
    .orderBy('updated_at', 'desc')
    .orderBy('id', 'desc')
    .execute();
  return rows.map((r) => ({ itemId: r.item_id, kind: r.kind, body: r.body, updatedAt: r.updated_at }));
}

/** Which of these items the agent has a draft on (for the list's mark). */
export async function itemsWithDrafts(db: Db, agent: Agent, itemIds: number[]): Promise<Set<number>> {
  if (itemIds.length === 0) return new Set();
  const rows = await db
    .selectFrom('drafts')
    .select('item_id')
    .distinct()
    .where('agent_id', '=', agent.id)
    .where('item_id', 'in', itemIds)
    .execute();
  return new Set(rows.map((r) => r.item_id));
}

export interface SendOptions {
  expectedVersion?: number;
  /** A reply may set the status in the same change (send + pending, send + resolved). */
  status?: 'pending' | 'resolved';
  /** The text sent is not the draft (a one-off from the command line): leave the draft alone. */
  keepDraft?: boolean;
}

/**
 * Send a reply or note and remove the agent's draft of it in the same transaction: if the send is
 * refused (a conflict, a closed item), the draft stays exactly as it was.
 */
export async function sendWithDraft(
  ctx: Ctx,
  agent: Agent,
  itemId: number,
  kind: DraftKind,
  text: string,
  opts: SendOptions = {},
): Promise<MutationResult> {
  const withinWrite = opts.keepDraft ? undefined : (trx: Db) => removeDraft(trx, itemId, agent.id, kind);
  if (kind === 'note') {
    if (opts.status) throw invalid('a note cannot change the status; reply, or set the status on its own');
    return note(ctx, agent, itemId, text, { expectedVersion: opts.expectedVersion, withinWrite });
  }
  return reply(ctx, agent, itemId, text, { expectedVersion: opts.expectedVersion, status: opts.status, withinWrite });
}
