// Undo the last change an agent made to an item (status, resolve, snooze, priority, assignee, tags), for
// a short while: the item's columns go back exactly as they were — so an undone resolve counts no
// reopen, and first_resolved_at, resolved_at, reopen_count and the due times, which the KPIs read, are
// as if it never happened — and the timeline tells it, each change written backwards and marked `undo`.
import type { Agent } from './agents.js';
import type { Ctx } from './context.js';
import { conflict, invalid } from './errors.js';
import { getItemView } from './item-view.js';
import { applyChange, asAgent, checkExpectedVersion, loadItemRow, type MutationResult } from './item-mutate.js';
import { UNDO_WINDOW_MS, undoEvents, type UndoToken } from './undo-token.js';

export { UNDO_WINDOW_MS, type UndoToken };

/** Put the item back as it was before the change `token` describes. Refused when too late, or when the item moved on. */
export async function undoChange(ctx: Ctx, agent: Agent, token: UndoToken): Promise<MutationResult> {
  if (token.agentId !== agent.id) throw invalid(`only the agent who made a change can undo it`);
  const clockNow = ctx.clock();
  const now = clockNow.toISOString();
  if (clockNow.getTime() - Date.parse(token.at) > UNDO_WINDOW_MS) {
    throw conflict(`the change on #${token.itemId} is more than ${UNDO_WINDOW_MS / 60_000} minutes old; change it back by hand`, {
      itemId: token.itemId,
    });
  }
  return ctx.store.write(async (trx) => {
    const row = await loadItemRow(trx, token.itemId);
    // Someone (or something: a customer's message, a snooze waking) changed it since: undo would overwrite that.
    await checkExpectedVersion(trx, row, token.version, clockNow);
    const written = await trx
      .selectFrom('events')
      .select(['type', 'author_agent_id'])
      .where('item_id', '=', token.itemId)
      .where('version', '=', token.version)
      .execute();
    const expected = token.events
      .map((e) => e.type)
      .sort()
      .join(',');
    if (
      written.some((e) => e.author_agent_id !== agent.id) ||
      written
        .map((e) => e.type)
        .sort()
        .join(',') !== expected
    ) {
      throw conflict(`item #${token.itemId}'s last change is not the one to undo; nothing was changed`, { itemId: token.itemId });
    }
    // Resolving an escalated support item told service it came back: that message cannot be unsaid here.
    const returned = await trx
      .selectFrom('escalations')
      .select('source_item_id')
      .where('support_item_id', '=', token.itemId)
      .where('returned_at', '=', token.at)
      .executeTakeFirst();
    if (returned) {
      throw conflict(
        `closing #${token.itemId} sent service #${returned.source_item_id} its answer; that cannot be undone (reopen #${token.itemId} instead)`,
        { itemId: token.itemId },
      );
    }
    const tagEvents = token.events.filter((e) => e.type === 'tag');
    await applyChange(
      trx,
      row,
      asAgent(agent),
      {
        set: { ...token.before },
        events: undoEvents(token),
        after: tagEvents.length
          ? async (t) => {
              for (const e of tagEvents) {
                const added = (e.data?.added as string[] | undefined) ?? [];
                const removed = (e.data?.removed as string[] | undefined) ?? [];
                if (added.length) await t.deleteFrom('item_tags').where('item_id', '=', token.itemId).where('tag', 'in', added).execute();
                if (removed.length)
                  await t
                    .insertInto('item_tags')
                    .values(removed.map((tag) => ({ item_id: token.itemId, tag })))
                    .execute();
              }
            }
          : undefined,
      },
      now,
    );
    return { item: await getItemView(trx, token.itemId, clockNow), changed: true };
  });
}
