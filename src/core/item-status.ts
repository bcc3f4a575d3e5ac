// An item's statuses: which moves are allowed by hand, the refusal that says why not, and what a move
// changes on the row.
import { conflict, invalid } from './errors.js';
import type { Change, ItemRow, NewEvent } from './item-mutate.js';
import type { Status } from './vocabulary.js';

// Status rules (docs/concepts.md, "Statuses"): new -> open -> pending / snoozed -> resolved -> closed; escalated is
// entered and left only through escalation.

const TRANSITIONS: Record<Status, readonly Status[]> = {
  new: ['open', 'pending', 'resolved', 'closed'],
  open: ['pending', 'resolved', 'closed'],
  pending: ['open', 'resolved', 'closed'],
  snoozed: ['open', 'pending', 'resolved', 'closed'],
  escalated: [],
  resolved: ['open', 'closed'],
  closed: ['open'],
};

export function canTransition(from: Status, to: Status): boolean {
  return TRANSITIONS[from].includes(to);
}

export function refuseTransition(row: ItemRow, to: Status): never {
  const from = row.status as Status;
  if (from === 'escalated') {
    throw conflict(`item #${row.id} is escalated to support; it comes back when support resolves it or hands it back`);
  }
  if (to === 'escalated') throw conflict(`use \`tandem escalate ${row.id}\` to escalate an item`);
  if (to === 'snoozed') throw invalid(`use \`tandem item snooze ${row.id} UNTIL\` to snooze an item`);
  if (to === 'new') throw conflict(`item #${row.id} cannot go back to new`);
  const allowed = TRANSITIONS[from];
  throw conflict(`item #${row.id} is ${from}; it can go to ${allowed.length ? allowed.join(', ') : 'no other status by hand'}, not ${to}`);
}

/** The change that adds and removes these tags (already known to change something), with its event. */
export function tagChange(itemId: number, added: string[], removed: string[]): Change {
  return {
    set: {},
    events: [{ type: 'tag', data: { added, removed } }],
    after: async (t) => {
      if (added.length)
        await t
          .insertInto('item_tags')
          .values(added.map((tag) => ({ item_id: itemId, tag })))
          .execute();
      if (removed.length) await t.deleteFrom('item_tags').where('item_id', '=', itemId).where('tag', 'in', removed).execute();
    },
  };
}

/** The row fields and events for moving to `to` (assumes the transition is allowed). */
export function statusChange(row: ItemRow, to: Status, now: string, extra: NewEvent[] = []): Change {
  const set: Change['set'] = { status: to };
  const from = row.status as Status;
  if (from === 'snoozed' || to !== 'snoozed') set.snoozed_until = null;
  const events: NewEvent[] = [{ type: 'status', data: { from, to } }];
  if (to === 'resolved') {
    set.resolved_at = now;
    if (!row.first_resolved_at) set.first_resolved_at = now;
  }
  if (to === 'closed') set.closed_at = now;
  if (to === 'open' && (from === 'resolved' || from === 'closed')) {
    set.reopen_count = row.reopen_count + 1;
    set.resolved_at = null;
    set.closed_at = null;
    events[0]!.data = { from, to, reopen: true };
  }
  return { set, events: [...events, ...extra] };
}
