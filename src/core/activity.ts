// What happened lately across the inbox, for "someone changed this" announcements: the events after
// one the reader has seen, by anyone but the reader. One indexed range read on the events' ids.
import type { Db } from '../store/store.js';
import { selectEvents, toEventView, type EventView } from './item-view.js';

export type ActivityEvent = EventView & { itemId: number };

/** The id of the newest event (0 when there is none): where "after" starts. */
export async function lastEventId(db: Db): Promise<number> {
  const r = await db
    .selectFrom('events')
    .select((eb) => eb.fn.max('id').as('id'))
    .executeTakeFirst();
  return Number(r?.id ?? 0);
}

/** The latest `limit` events after `afterId`, oldest first, leaving out those `excludeAgentId` wrote. */
export async function eventsAfter(
  db: Db,
  afterId: number,
  opts: { excludeAgentId?: number; limit?: number } = {},
): Promise<ActivityEvent[]> {
  let q = selectEvents(db).where('e.id', '>', afterId);
  if (opts.excludeAgentId !== undefined) {
    const me = opts.excludeAgentId;
    q = q.where((eb) => eb.or([eb('e.author_agent_id', 'is', null), eb('e.author_agent_id', '!=', me)]));
  }
  const rows = await q
    .orderBy('e.id', 'desc')
    .limit(opts.limit ?? 50)
    .execute();
  return rows.reverse().map((r) => ({ ...toEventView(r), itemId: r.item_id }));
}
