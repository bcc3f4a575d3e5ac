// The `f` filter prompt's little language, and the one-line summary the header shows:
//   status:open,pending priority:high,urgent assignee:me|none|HANDLE tag:vip breached
// Shorthands: @HANDLE, #tag, mine, unassigned, status:all. Values are checked by the core's parsers.
import { TandemError } from '../core/errors.js';
import { parsePriorities, parseStatuses } from '../core/inbox.js';
import { sanitizeLine } from '../text/sanitize.js';
import type { ConsoleFilter } from './console-api.js';

export function formatFilter(f: ConsoleFilter): string {
  const parts: string[] = [];
  if (f.statuses) parts.push(`status:${f.statuses === 'all' ? 'all' : f.statuses.join(',')}`);
  if (f.priorities.length) parts.push(`priority:${f.priorities.join(',')}`);
  if (f.assignee) parts.push(`assignee:${f.assignee}`);
  if (f.tag) parts.push(`tag:${f.tag}`);
  if (f.breached) parts.push('breached');
  return parts.join(' ');
}

/** Parse the prompt's text into a filter (role, search and sort are kept); throws a message on bad input. */
export function parseFilter(text: string, base: ConsoleFilter): ConsoleFilter {
  const f: ConsoleFilter = { ...base, statuses: null, priorities: [], assignee: '', tag: '', breached: false };
  for (const token of text.trim().split(/\s+/).filter(Boolean)) {
    const lower = token.toLowerCase();
    const m = /^([a-z]+):(.*)$/.exec(lower);
    try {
      if (lower === 'breached') f.breached = true;
      else if (lower === 'mine') f.assignee = 'me';
      else if (lower === 'unassigned') f.assignee = 'none';
      else if (lower.startsWith('@') && lower.length > 1) f.assignee = lower.slice(1);
      else if (lower.startsWith('#') && lower.length > 1) f.tag = lower.slice(1);
      else if (m && ['status', 'statuses', 's'].includes(m[1]!)) f.statuses = parseStatuses(m[2]!);
      else if (m && ['priority', 'pri', 'p'].includes(m[1]!)) f.priorities = parsePriorities(m[2]!);
      else if (m && ['assignee', 'a', 'assigned'].includes(m[1]!)) f.assignee = m[2]!.replace(/^@/, '');
      else if (m && ['tag', 't'].includes(m[1]!)) f.tag = m[2]!.replace(/^#/, '');
      else throw new Error(`don't know "${token}": use status:…, priority:…, assignee:…, tag:…, breached`);
    } catch (e) {
      throw new Error(e instanceof TandemError ? e.message : (e as Error).message);
    }
  }
  return f;
}

/** The header's summary of what the list shows (role and sort are shown separately). */
export function describeFilter(f: ConsoleFilter): string {
  const parts: string[] = [];
  if (f.search) parts.push(`search “${sanitizeLine(f.search)}”`);
  if (f.statuses) parts.push(f.statuses === 'all' ? 'every status' : f.statuses.join('/'));
  if (f.priorities.length) parts.push(f.priorities.join('/'));
  if (f.assignee === 'me') parts.push('mine');
  else if (f.assignee === 'none') parts.push('unassigned');
  else if (f.assignee) parts.push('@' + sanitizeLine(f.assignee));
  if (f.tag) parts.push('#' + sanitizeLine(f.tag));
  if (f.customer) parts.push('customer ' + sanitizeLine(f.customer));
  if (f.breached) parts.push('breached');
  return parts.join(' · ');
}
