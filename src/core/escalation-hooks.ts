// The seam between item status changes and escalation: when an item is done, its escalation (if any) returns.
import type { Db } from '../store/store.js';
import type { Agent } from './agents.js';
import type { ItemRow } from './item-mutate.js';
import { returnSourceIfEscalated } from './escalation.js';

export async function onItemDone(
  trx: Db,
  row: ItemRow,
  how: 'resolved' | 'closed',
  note: string | null,
  agent: Agent,
  now: string,
): Promise<void> {
  if (row.role !== 'support') return;
  await returnSourceIfEscalated(trx, row, how, note, agent, now);
}
