// How helpdesk CSV columns become item fields: the column names and value checks each field is found
// by (csv-detect.ts does the finding), and the value maps for status, priority and channel.
import { CHANNELS, PRIORITIES, type Channel, type Priority } from '../core/vocabulary.js';
import { parseCsvDate } from './csv-dates.js';
import { detectColumns, looksLikeEmail, looksLikePlace, squash, type Detection, type FieldSpec } from './csv-detect.js';
import type { CsvRow } from './csv-table.js';

export { parsePairs, squash } from './csv-detect.js';

const CSV_FIELDS = [
  'externalId',
  'subject',
  'body',
  'status',
  'priority',
  'requesterName',
  'requesterEmail',
  'createdAt',
  'updatedAt',
  'resolvedAt',
  'tags',
  'assignee',
  'kind',
  'channel',
] as const;
export type CsvField = (typeof CSV_FIELDS)[number];

/** Where each field is found: names from Zendesk, Freshdesk, Help Scout, Jira Service Management,
 * Zammad and osTicket exports and public complaint datasets (CFPB), and what its values look like. */
export function itemFieldSpecs(opts: { dateFormat?: string; statusOverrides?: Map<string, string> } = {}): FieldSpec<CsvField>[] {
  const isDate = (v: string) => {
    try {
      parseCsvDate(v, 'date', opts.dateFormat);
      return true;
    } catch {
      return false;
    }
  };
  const date = { test: isDate, what: 'dates', minShare: 0.6, exactToo: false };
  const isStatus = (v: string) => {
    const k = squash(v);
    return Boolean(opts.statusOverrides?.has(k) || DEFAULT_STATUS_MAP[k]);
  };
  return [
    {
      field: 'externalId',
      about: "the ticket's id in the old system (re-imports are idempotent by it)",
      names: [
        'id',
        'ticket id',
        'ticket',
        'ticket number',
        'ticket #',
        'ticket no',
        'number',
        '#',
        'external id',
        'conversation id',
        'complaint id',
        'case id',
        'case number',
        'issue key',
        'key',
        'issue id',
        'request id',
        'reference',
      ],
      contains: ['id', '#', 'number', 'key', 'ref'],
      excludes: [
        'phone',
        'zip',
        'postal',
        'order',
        'invoice',
        'account',
        'tracking',
        'customer',
        'user',
        'requester',
        'contact',
        'agent',
        'assignee',
        'group',
        'org',
        'company',
        'product',
        'parent',
        'email',
        'identified',
        'valid',
        'paid',
        'provid',
        'consent',
      ],
      check: { test: (v) => v.trim().length <= 64 && !/\s{2,}/.test(v), what: 'ids', minShare: 0.95, exactToo: false },
    },
    {
      field: 'subject',
      about: "the item's subject",
      names: ['subject', 'title', 'summary', 'issue', 'topic', 'headline', 'short description'],
      contains: ['subject', 'title', 'summary'],
    },
    {
      field: 'body',
      about: "the customer's opening message",
      names: ['description', 'body', 'message', 'comment', 'content', 'first message', 'text', 'consumer complaint narrative', 'details'],
      contains: ['description', 'narrative', 'body', 'message', 'details'],
    },
    {
      field: 'status',
      about: "the ticket's status (map unusual ones with --status-map)",
      names: ['status', 'ticket status', 'case status', 'current status', 'state'],
      contains: ['status', 'state'],
      excludes: ['financial', 'payment', 'fulfillment', 'consent', 'estate', 'statement'],
      // "State" in a complaints file is where the customer lives: only statuses make it a status.
      check: { test: (v) => isStatus(v) || !looksLikePlace(v), what: 'statuses', minShare: 0.5, exactToo: true },
    },
    {
      field: 'priority',
      about: 'low, normal, high or urgent (map others with --priority-map)',
      names: ['priority', 'urgency', 'ticket priority'],
    },
    {
      field: 'requesterName',
      about: "the customer's name",
      names: [
        'requester',
        'requester name',
        'contact',
        'contact name',
        'customer',
        'customer name',
        'full name',
        'name',
        'from name',
        'reporter',
        'submitter',
        'user',
        'from',
      ],
      contains: ['requester', 'customer', 'contact', 'reporter', 'submitter'],
      excludes: ['email', 'id', 'mail', 'phone', 'response', 'consent', 'disputed', 'narrative'],
    },
    {
      field: 'requesterEmail',
      about: "the customer's email (no email and no name: the unknown requester, or --customer)",
      names: [
        'requester email',
        'email',
        'contact email',
        'customer email',
        'from',
        'from email',
        'e-mail',
        'reporter email',
        'user email',
      ],
      contains: ['email', 'mail'],
      check: { test: looksLikeEmail, what: 'email addresses', minShare: 0.5, exactToo: true },
    },
    {
      field: 'createdAt',
      about: 'when the ticket was opened',
      names: [
        'created at',
        'created',
        'created time',
        'created date',
        'date created',
        'creation date',
        'submitted',
        'opened',
        'date',
        'date received',
        'created (utc)',
        'opened at',
        'submitted at',
        'created on',
      ],
      contains: ['created', 'received', 'submitted', 'opened', 'reported', 'raised', 'logged', 'creation'],
      excludes: ['by'],
      check: date,
    },
    {
      field: 'updatedAt',
      about: 'the last change',
      names: [
        'updated at',
        'updated',
        'updated time',
        'last updated',
        'last updated time',
        'last update time',
        'last modified',
        'modified',
      ],
      contains: ['updated', 'modified', 'lastactivity', 'changed'],
      excludes: ['by'],
      check: date,
    },
    {
      field: 'resolvedAt',
      about: 'when it was solved',
      names: [
        'resolved at',
        'resolved',
        'resolved time',
        'solved at',
        'solved',
        'solved time',
        'closed at',
        'closed time',
        'closed',
        'resolution date',
        'date closed',
      ],
      contains: ['resolved', 'solved', 'closed', 'resolution'],
      excludes: ['by'],
      check: { ...date, exactToo: true, minShare: 0.5 },
    },
    { field: 'tags', about: 'tags, separated by commas or spaces', names: ['tags', 'tag', 'labels', 'label'] },
    {
      field: 'assignee',
      about: 'the agent (matched by handle, email or name)',
      names: ['assignee', 'assigned to', 'agent', 'owner', 'assignee name', 'assignee email', 'agent assigned'],
      contains: ['assignee', 'assigned', 'owner'],
      excludes: ['team', 'group', 'date', 'time', 'department'],
    },
    {
      field: 'kind',
      about: 'the ticket type (problem, question…)',
      names: ['type', 'ticket type', 'kind', 'category', 'issue type', 'request type'],
      // Help Scout's "Type" says email, chat or phone: a channel, not a kind.
      check: { test: (v) => !(CHANNELS as readonly string[]).includes(squash(v)), what: 'ticket types', minShare: 0.5, exactToo: true },
    },
    {
      field: 'channel',
      about: 'where it came from (email, web, phone…)',
      names: ['via', 'source', 'channel', 'medium', 'submitted via', 'origin', 'type'],
    },
  ];
}

/** Helpdesk statuses → Tandem's. */
export const DEFAULT_STATUS_MAP: Record<string, string> = {
  new: 'new',
  open: 'open',
  pending: 'pending',
  hold: 'pending',
  onhold: 'pending',
  waiting: 'pending',
  waitingoncustomer: 'pending',
  waitingonthirdparty: 'pending',
  awaitingreply: 'pending',
  solved: 'resolved',
  resolved: 'resolved',
  done: 'resolved',
  closed: 'closed',
  archived: 'closed',
  active: 'open',
  // Jira Service Management, Zammad, osTicket, Help Scout.
  todo: 'open',
  inprogress: 'open',
  waitingforsupport: 'open',
  waitingforcustomer: 'pending',
  reopened: 'open',
  pendingreminder: 'pending',
  pendingclose: 'pending',
  merged: 'closed',
  cancelled: 'closed',
  canceled: 'closed',
  spam: 'closed',
  deleted: 'closed',
  completed: 'resolved',
};

/** Helpdesk priorities (words and Freshdesk's 1-4) → Tandem's. */
const DEFAULT_PRIORITY_MAP: Record<string, Priority> = {
  low: 'low',
  normal: 'normal',
  medium: 'normal',
  high: 'high',
  urgent: 'urgent',
  critical: 'urgent',
  '1': 'low',
  '2': 'normal',
  '3': 'high',
  '4': 'urgent',
  p1: 'urgent',
  p2: 'high',
  p3: 'normal',
  p4: 'low',
  '': 'normal',
  // Jira's five levels and Zammad's numbered ones.
  highest: 'urgent',
  lowest: 'low',
  blocker: 'urgent',
  major: 'high',
  minor: 'low',
  trivial: 'low',
  '1low': 'low',
  '2normal': 'normal',
  '3high': 'high',
  emergency: 'urgent',
};

export const ITEM_REQUIRED: CsvField[][] = [['subject'], ['createdAt']];

/** Which column feeds each item field: --map, known names, telling words, and the values. */
export function detectItemColumns(
  header: string[],
  rows: CsvRow[],
  opts: { map?: string[]; dateFormat?: string; statusOverrides?: Map<string, string> },
): Detection<CsvField> {
  return detectColumns(
    itemFieldSpecs(opts),
    header,
    rows,
    opts.map,
    ITEM_REQUIRED.map((fields) => ({ fields })),
  );
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
