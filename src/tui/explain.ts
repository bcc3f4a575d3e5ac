// Telling the agent what happened, in the status bar's words: an error (a conflict as who changed what),
// and the changes someone else made to the item being read. Used by commands and hooks alike.
import { TandemError } from '../core/errors.js';
import { describeEvent } from '../core/item-mutate.js';
import { authorLabel, type EventView } from '../core/item-view.js';
import { relativeTime } from '../text/format.js';
import { sanitizeLine } from '../text/sanitize.js';
import type { ActivityEvent } from '../core/activity.js';
import type { ItemDetailData } from './console-api.js';

/** A conflict told as who changed what (from the core's detail), else the error's own words. */
export function explainError(e: unknown, now: Date): string {
  if (!(e instanceof TandemError)) return `Unexpected error: ${(e as Error)?.message ?? String(e)}`;
  const changes = e.detail?.changes as EventView[] | undefined;
  if (e.kind === 'conflict' && changes?.length) {
    const byAuthor = new Map<string, string[]>();
    for (const ch of changes) {
      const who = sanitizeLine(authorLabel(ch.author));
      byAuthor.set(who, [...(byAuthor.get(who) ?? []), sanitizeLine(describeEvent(ch))]);
    }
    const last = changes[changes.length - 1]!;
    const who = [...byAuthor].map(([a, what]) => `${a}: ${what.join(', ')}`).join('; ');
    return `#${String(e.detail?.itemId ?? '?')} changed while you were looking (${relativeTime(last.createdAt, now)}) — ${who}. Nothing was written; it is reloaded.`;
  }
  return sanitizeLine(e.message);
}

/** "#42 changed: @ana priority normal → high" when an item being read was changed by someone else. */
export function changedElsewhere(before: ItemDetailData, after: ItemDetailData, me: string): string | null {
  if (before.item.id !== after.item.id || after.item.version <= before.item.version) return null;
  const news = after.events.filter((e) => e.version > before.item.version && !(e.author.type === 'agent' && e.author.handle === me));
  if (news.length === 0) return null;
  const what = news
    .slice(-3)
    .map((e) => `${sanitizeLine(authorLabel(e.author))} ${e.type === 'message' ? 'wrote' : sanitizeLine(describeEvent(e))}`)
    .join('; ');
  return `#${after.item.id} changed meanwhile: ${what}.`;
}

/**
 * Others' changes, told in one status line: the latest first ("@ana: #3007 priority normal → high"),
 * then how many more. `where` says where an item is in the list (a new row above the window says so).
 */
export function announce(events: ActivityEvent[], where: (itemId: number) => string): string | null {
  const last = events.at(-1);
  if (!last) return null;
  const who = sanitizeLine(authorLabel(last.author));
  const what = last.type === 'message' ? 'wrote' : last.type === 'created' ? 'new item' : sanitizeLine(describeEvent(last));
  const more = events.length > 1 ? ` (+${events.length - 1} more change${events.length > 2 ? 's' : ''})` : '';
  return `${who}: #${last.itemId} ${what}${where(last.itemId)}${more}.`;
}
