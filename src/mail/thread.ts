// Which item an incoming mail belongs to, in this order: In-Reply-To/References naming a known
// Message-ID; Tandem's own Message-ID pattern; an `[#123]` subject tag, only when the sender is that
// item's customer (anyone can type a tag; only the customer may use it to join a conversation).
import type { Db } from '../store/store.js';
import { itemOfTandemMessageId } from './compose.js';

export type ThreadHow = 'references' | 'tandem-id' | 'subject-tag';

export async function findThread(
  db: Db,
  refs: string[],
  subject: string,
  fromAddress: string,
): Promise<{ itemId: number; how: ThreadHow } | null> {
  if (refs.length) {
    const rows = await db.selectFrom('events').select(['item_id', 'message_id']).where('message_id', 'in', refs.slice(0, 100)).execute();
    for (const id of refs) {
      const hit = rows.find((r) => r.message_id === id);
      if (hit) return { itemId: hit.item_id, how: 'references' };
    }
    for (const id of refs) {
      const itemId = itemOfTandemMessageId(id);
      if (itemId === null) continue;
      const item = await db.selectFrom('items').select('id').where('id', '=', itemId).executeTakeFirst();
      if (item) return { itemId, how: 'tandem-id' };
    }
  }
  for (const m of subject.matchAll(/\[#(\d{1,15})\]/g)) {
    const itemId = Number(m[1]);
    const item = await db
      .selectFrom('items as i')
      .innerJoin('customers as c', 'c.id', 'i.customer_id')
      .select(['i.id', 'c.email'])
      .where('i.id', '=', itemId)
      .executeTakeFirst();
    if (item?.email && item.email.toLowerCase() === fromAddress.toLowerCase()) return { itemId, how: 'subject-tag' };
  }
  return null;
}
