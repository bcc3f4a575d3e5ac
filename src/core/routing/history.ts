// The team's own history as training data: inbound items resolved at least once (not the support
// items made by escalations, whose text is the escalation reason), with their role, kind and assignee.
import type { Db } from '../../store/store.js';
import { itemTokens, type Example } from './naive-bayes.js';

export const TARGETS = ['role', 'kind', 'agent'] as const;
export type Target = (typeof TARGETS)[number];

export interface HistoryItem {
  tokens: string[];
  role: string;
  kind: string;
  agent: string | null;
}

function eligible(db: Db) {
  return db
    .selectFrom('items as i')
    .where('i.first_resolved_at', 'is not', null)
    .where('i.direction', '=', 'inbound')
    .where((eb) => eb.not(eb.exists(eb.selectFrom('escalations as x').select('x.id').whereRef('x.support_item_id', '=', 'i.id'))));
}

/** How many items the model would learn from now (compared with a stored model's count for staleness). */
export async function countHistory(db: Db): Promise<number> {
  const r = await eligible(db)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

export async function loadHistory(db: Db): Promise<HistoryItem[]> {
  const rows = await eligible(db)
    .leftJoin('agents as a', 'a.id', 'i.assignee_id')
    .leftJoin('events as e', (j) => j.onRef('e.item_id', '=', 'i.id').on('e.type', '=', 'created'))
    .select(['i.id', 'i.role', 'i.kind', 'i.subject', 'a.handle', 'e.body'])
    .orderBy('i.id')
    .execute();
  const seen = new Set<number>();
  const out: HistoryItem[] = [];
  for (const r of rows) {
    if (seen.has(r.id)) continue; // one 'created' event per item; guard anyway
    seen.add(r.id);
    out.push({ tokens: itemTokens(r.subject, r.body), role: r.role, kind: r.kind, agent: r.handle ?? null });
  }
  return out;
}

export function examplesFor(history: HistoryItem[], target: Target): Example[] {
  const out: Example[] = [];
  for (const h of history) {
    const label = target === 'agent' ? h.agent : h[target];
    if (label) out.push({ tokens: h.tokens, label });
  }
  return out;
}
