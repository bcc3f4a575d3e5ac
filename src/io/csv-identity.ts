// Ids for CSV rows that carry none (items, survey answers, messages): derived from what identifies the
// row, plus how often that content came before in the file, so distinct rows never merge and a
// re-import of the same file finds every row again.
import { createHash } from 'node:crypto';

/**
 * An id for a row without one, from what identifies the ticket, plus how often that content came
 * before in the file: two identical complaints are two items, and a re-import finds both again.
 */
export function fallbackExternalId(parts: string[], occurrences: Map<string, number>): string {
  const hash = createHash('sha256').update(parts.join('\u0000')).digest('hex').slice(0, 20);
  const n = (occurrences.get(hash) ?? 0) + 1;
  occurrences.set(hash, n);
  return n === 1 ? `csv-${hash}` : `csv-${hash}-${n}`;
}
