// Where escalated service items are, for a window of inbox rows: one query for the whole window.
// "At support" while the escalation is open; "back from support" once it returned, until someone acts
// on the service item again (any change bumps updated_at past the return).
import type { Db } from '../store/store.js';
import type { ItemView } from './item-view.js';

export type EscalationMark =
  | { kind: 'at_support'; supportItemId: number; holder: string | null; supportStatus: string; escalatedAt: string }
  | { kind: 'back'; supportItemId: number; outcome: 'resolved' | 'closed' | 'handed_back'; note: string | null; returnedAt: string };

/** The latest escalation of each service item in `items` that has one worth showing. */
export async function escalationMarks(db: Db, items: Pick<ItemView, 'id' | 'role' | 'updatedAt'>[]): Promise<Map<number, EscalationMark>> {
  const marks = new Map<number, EscalationMark>();
  const service = items.filter((i) => i.role === 'service');
  if (service.length === 0) return marks;
  const rows = await db
    .selectFrom('escalations as x')
    .innerJoin('items as s', 's.id', 'x.support_item_id')
    .leftJoin('agents as h', 'h.id', 's.assignee_id')
    .select([
      'x.source_item_id',
      'x.support_item_id',
      'x.state',
      'x.escalated_at',
      'x.returned_at',
      'x.return_note',
      's.status as support_status',
      'h.handle as holder',
    ])
    .where(
      'x.source_item_id',
      'in',
      service.map((i) => i.id),
    )
    .orderBy('x.id', 'desc')
    .execute();
  const updatedAt = new Map(service.map((i) => [i.id, i.updatedAt]));
  const seen = new Set<number>();
  for (const r of rows) {
    if (seen.has(r.source_item_id)) continue; // newest escalation only
    seen.add(r.source_item_id);
    if (r.state === 'open') {
      marks.set(r.source_item_id, {
        kind: 'at_support',
        supportItemId: r.support_item_id,
        holder: r.holder ?? null,
        supportStatus: r.support_status,
        escalatedAt: r.escalated_at,
      });
    } else if (r.returned_at && r.returned_at >= (updatedAt.get(r.source_item_id) ?? '')) {
      marks.set(r.source_item_id, {
        kind: 'back',
        supportItemId: r.support_item_id,
        outcome: r.state as 'resolved' | 'closed' | 'handed_back',
        note: r.return_note,
        returnedAt: r.returned_at,
      });
    }
  }
  return marks;
}
