// How helpdesk CSV columns become item fields: default column names (Zendesk, Freshdesk, Help Scout
// exports), --map overrides, and the value maps for status, priority and channel.
import { usage } from '../core/errors.js';
import { CHANNELS, PRIORITIES, type Channel, type Priority } from '../core/vocabulary.js';

export const CSV_FIELDS = [
  'externalId', 'subject', 'body', 'status', 'priority', 'requesterName', 'requesterEmail',
  'createdAt', 'updatedAt', 'resolvedAt', 'tags', 'assignee', 'kind', 'channel',
] as const;
export type CsvField = (typeof CSV_FIELDS)[number];

/** Column names each field is found under by default (compared without case, spaces or punctuation). */
export const DEFAULT_COLUMNS: Record<CsvField, string[]> = {
  externalId: ['id', 'ticket id', 'ticket', 'ticket number', 'ticket #', 'number', '#', 'external id', 'conversation id'],
  subject: ['subject', 'title', 'summary'],
  body: ['description', 'body', 'message', 'comment', 'content', 'first message', 'text'],
  status: ['status', 'state'],
  priority: ['priority', 'urgency'],
  requesterName: ['requester', 'requester name', 'contact', 'contact name', 'customer', 'customer name', 'full name', 'name', 'from name'],
  requesterEmail: ['requester email', 'email', 'contact email', 'customer email', 'from', 'from email', 'e-mail'],
  createdAt: ['created at', 'created', 'created time', 'created date', 'date created', 'creation date', 'submitted', 'opened', 'date'],
  updatedAt: ['updated at', 'updated', 'updated time', 'last updated', 'last updated time', 'last update time', 'last modified', 'modified'],
  resolvedAt: ['resolved at', 'resolved', 'resolved time', 'solved at', 'solved', 'solved time', 'closed at', 'closed time', 'closed'],
  tags: ['tags', 'tag', 'labels', 'label'],
  assignee: ['assignee', 'assigned to', 'agent', 'owner', 'assignee name', 'assignee email'],
  kind: ['type', 'ticket type', 'kind', 'category'],
  channel: ['via', 'source', 'channel', 'medium'],
};

/** Helpdesk statuses → Tandem's. */
export const DEFAULT_STATUS_MAP: Record<string, string> = {
  new: 'new', open: 'open', pending: 'pending', hold: 'pending', onhold: 'pending', waiting: 'pending',
  waitingoncustomer: 'pending', waitingonthirdparty: 'pending', awaitingreply: 'pending',
  solved: 'resolved', resolved: 'resolved', done: 'resolved', closed: 'closed', archived: 'closed', active: 'open',
};

/** Helpdesk priorities (words and Freshdesk's 1-4) → Tandem's. */
export const DEFAULT_PRIORITY_MAP: Record<string, Priority> = {
  low: 'low', normal: 'normal', medium: 'normal', high: 'high', urgent: 'urgent', critical: 'urgent',
  '1': 'low', '2': 'normal', '3': 'high', '4': 'urgent', p1: 'urgent', p2: 'high', p3: 'normal', p4: 'low', '': 'normal',
};

export const squash = (s: string) => s.toLowerCase().replace(/[^\p{L}\p{N}#]+/gu, '');

/** Parse repeated `key=value` options (also comma-separated) into a map with squashed keys. */
export function parsePairs(option: string, values: string[] | undefined, squashKeys = true): Map<string, string> {
  const map = new Map<string, string>();
  for (const v of values ?? []) {
    for (const pair of v.split(',')) {
      if (!pair.trim()) continue;
      const eq = pair.indexOf('=');
      if (eq <= 0) throw usage(`${option} takes NAME=VALUE pairs (got ${JSON.stringify(pair)})`);
      const key = pair.slice(0, eq).trim();
      map.set(squashKeys ? squash(key) : key, pair.slice(eq + 1).trim());
    }
  }
  return map;
}

/** Which column index holds each field, from --map (field=Column) or the defaults. */
export function mapColumns(header: string[], maps: string[] | undefined): Map<CsvField, number> {
  const byName = new Map<string, number>();
  header.forEach((h, i) => {
    const k = squash(h);
    if (!byName.has(k)) byName.set(k, i);
  });
  const fieldBySquash = new Map(CSV_FIELDS.map((f) => [squash(f), f]));
  const result = new Map<CsvField, number>();
  for (const [fieldKey, column] of parsePairs('--map', maps)) {
    const field = fieldBySquash.get(fieldKey);
    if (!field) throw usage(`--map: unknown field ${JSON.stringify(fieldKey)} (fields: ${CSV_FIELDS.join(', ')})`);
    const index = byName.get(squash(column));
    if (index === undefined) throw usage(`--map ${field}=${column}: the file has no column ${JSON.stringify(column)} (columns: ${header.join(', ')})`);
    result.set(field, index);
  }
  const taken = new Set(result.values());
  for (const field of CSV_FIELDS) {
    if (result.has(field)) continue;
    for (const name of DEFAULT_COLUMNS[field]) {
      const index = byName.get(squash(name));
      if (index !== undefined && !taken.has(index)) {
        result.set(field, index);
        taken.add(index);
        break;
      }
    }
  }
  for (const required of ['subject', 'createdAt'] as const) {
    if (!result.has(required)) {
      throw usage(`no column for ${required} (columns: ${header.join(', ')}); name it with --map ${required}=COLUMN`);
    }
  }
  if (!result.has('requesterEmail') && !result.has('requesterName')) {
    throw usage(`no column for the requester (columns: ${header.join(', ')}); name it with --map requesterEmail=COLUMN`);
  }
  return result;
}

/** A channel from a "Via"/"Source" cell ("Mail", "Web Form", "Phone call", "Twitter"…). */
export function guessChannel(text: string | undefined): Channel {
  const t = (text ?? '').toLowerCase();
  if ((CHANNELS as readonly string[]).includes(t)) return t as Channel;
  if (/mail/.test(t)) return 'email';
  if (/whats/.test(t)) return 'whatsapp';
  if (/sms|text/.test(t)) return 'sms';
  if (/chat|messag/.test(t)) return 'chat';
  if (/phone|voice|call/.test(t)) return 'phone';
  if (/twitter|facebook|instagram|social/.test(t)) return 'social';
  if (/web|form|portal|widget|api/.test(t)) return 'web';
  return 'email';
}

export function priorityFrom(text: string | undefined, overrides: Map<string, string>): Priority | null {
  const key = squash(text ?? '');
  const v = overrides.get(key) ?? DEFAULT_PRIORITY_MAP[key];
  return v && (PRIORITIES as readonly string[]).includes(v) ? (v as Priority) : null;
}
