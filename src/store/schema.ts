// Table types for Kysely: the shape of the database as the core sees it.
import type { Generated, GeneratedAlways } from 'kysely';
import type { AgentRoles, AuthorType, Channel, Direction, Kind, Priority, Role, Status, SurveyKind } from '../core/vocabulary.js';

/** An escalation's state (migration 0001's check constraint). */
type EscalationState = 'open' | 'resolved' | 'closed' | 'handed_back';

export interface AgentTable {
  id: Generated<number>;
  handle: string;
  name: string;
  email: string | null;
  roles: AgentRoles;
  active: number; // 1 | 0
  created_at: string;
}

export interface CustomerTable {
  id: Generated<number>;
  name: string;
  email: string | null;
  phone: string | null;
  company: string | null;
  notes: string | null;
  created_at: string;
  updated_at: string;
}

export interface OrderTable {
  id: Generated<number>;
  customer_id: number;
  amount_cents: number;
  currency: string;
  ordered_at: string;
  reference: string | null;
  created_at: string;
}

export interface ItemTable {
  id: Generated<number>;
  role: Role;
  kind: Kind;
  subject: string;
  customer_id: number | null;
  channel: Channel;
  direction: Direction;
  status: Status;
  priority: Priority;
  assignee_id: number | null;
  created_at: string;
  updated_at: string;
  first_customer_message_at: string | null;
  first_response_at: string | null;
  first_resolved_at: string | null;
  resolved_at: string | null;
  closed_at: string | null;
  snoozed_until: string | null;
  first_response_due_at: string | null;
  resolution_due_at: string | null;
  /** 1 when the resolution due time was given by hand (a follow-up's due date): priority changes keep it. */
  resolution_due_explicit: number;
  /** Earliest unmet due time (first response, else resolution); indexed for sorting and --breached. */
  next_due_at: string | null;
  /** Generated: 1 when status is new, open, pending or escalated. */
  open_work: GeneratedAlways<number>;
  /** Generated: next_due_at, with undated items sorting last. */
  due_sort: GeneratedAlways<string>;
  /** Generated (0003): whole seconds from the customer's first message to the first response. */
  first_response_secs: GeneratedAlways<number | null>;
  /** Generated (0003): whole seconds from creation to the first resolution. */
  resolution_secs: GeneratedAlways<number | null>;
  /** (0006) Business seconds from the first customer message to the first response, when the policy has a calendar. */
  first_response_business_secs: number | null;
  /** (0006) Business seconds from creation to the first resolution (pauses left out when the policy pauses), with a calendar. */
  resolution_business_secs: number | null;
  reopen_count: number;
  agent_reply_count: number;
  version: number;
  external_id: string | null;
}

interface ItemTagTable {
  item_id: number;
  tag: string;
}

export interface EventTable {
  id: Generated<number>;
  item_id: number;
  /** The item's version after this event. */
  version: number;
  type: string;
  author_type: AuthorType;
  author_agent_id: number | null;
  author_customer_id: number | null;
  body: string | null;
  /** JSON object: the change (from/to), flags, attachments... */
  data: string | null;
  created_at: string;
  message_id: string | null;
}

export interface EscalationTable {
  id: Generated<number>;
  source_item_id: number;
  support_item_id: number;
  reason: string;
  escalated_by: number;
  escalated_at: string;
  /** Frozen JSON context snapshot: never updated. */
  snapshot: string;
  state: EscalationState;
  returned_at: string | null;
  return_note: string | null;
}

export interface SurveyTable {
  id: Generated<number>;
  kind: SurveyKind;
  score: number;
  comment: string | null;
  /** Null for an anonymous answer (an imported row that links to nobody). */
  customer_id: number | null;
  item_id: number | null;
  created_at: string;
  /** The answer's id in the survey tool's export (or one derived from the row): re-imports add nothing. */
  external_id: Generated<string | null>;
}

/** A KPI day rollup (migration 0010, src/core/kpi-days.ts): one family's counts and durations of one whole UTC day. */
interface KpiDayTable {
  day: string;
  family: string;
  /** JSON: [[assignee ('' = none), {count: n, …}, length of its list], …]. */
  groups: string;
  /** The groups' lists of whole numbers (durations in seconds, customer ids), in group order, little-endian int32. */
  numbers: Uint8Array | null;
}

export interface SlaPolicyTable {
  role: Role;
  priority: Priority;
  first_response_minutes: number;
  resolution_minutes: number;
  updated_at: string;
  /** (0006) Count business time in this calendar; null = wall-clock time. */
  calendar_id: number | null;
  /** (0006) 1 = time in pending and snoozed does not count toward resolution. */
  pause_when_waiting: Generated<number>;
}

interface CalendarTable {
  id: Generated<number>;
  name: string;
  tz: string;
  /** JSON array of HoursRule (src/core/business-time.ts). */
  hours: string;
  created_at: string;
  updated_at: string;
}

interface CalendarHolidayTable {
  calendar_id: number;
  /** Local date YYYY-MM-DD in the calendar's zone. */
  date: string;
}

export interface MacroTable {
  id: Generated<number>;
  /** Lower-case, unique. */
  name: string;
  kind: 'reply' | 'note';
  /** Liquid template (checked when saved). */
  body: string;
  /** JSON: {"status"?, "priority"?, "tags"?, "assign"?}. */
  actions: string;
  role: 'service' | 'support' | null;
  created_at: string;
  updated_at: string;
}

export interface SavedViewTable {
  id: Generated<number>;
  /** Lower-case, unique. */
  name: string;
  /** JSON: the inbox filter and sort (see core/views.ts). */
  filter: string;
  created_at: string;
  updated_at: string;
}

type RuleTrigger = 'created' | 'updated' | 'escalated';

export interface RuleTable {
  id: Generated<number>;
  name: string;
  trigger: RuleTrigger;
  position: number;
  enabled: number; // 1 | 0
  revision: number;
  /** JSON: the validated rule (if, then, stop). */
  definition: string;
  fired_count: number;
  last_fired_at: string | null;
  last_assignee_id: number | null;
  created_at: string;
  updated_at: string;
}

interface RuleRevisionTable {
  id: Generated<number>;
  rule_id: number;
  revision: number;
  name: string;
  trigger: RuleTrigger;
  definition: string;
  saved_by: string | null;
  saved_at: string;
}

interface RouteModelTable {
  id: Generated<number>;
  target: 'role' | 'kind' | 'agent';
  trained_at: string;
  examples: number;
  /** JSON: a naive Bayes model (see src/core/routing/naive-bayes.ts). */
  model: string;
}

type MailboxRole = 'service' | 'support';

export interface MailboxTable {
  id: Generated<number>;
  name: string;
  address: string;
  role: MailboxRole;
  from_name: string | null;
  /** imaps://user@host:port/folder, never with a password. */
  imap_url: string;
  /** smtps://user@host:port, never with a password. */
  smtp_url: string;
  /** A command that prints the password (run each time it is needed). */
  password_cmd: string | null;
  /** The name of an environment variable holding the password. */
  password_env: string | null;
  /** 1 when plain imap:// or smtp:// to a non-loopback host was allowed explicitly. */
  insecure: number;
  created_at: string;
  updated_at: string;
}

interface MailCursorTable {
  mailbox_id: number;
  folder: string;
  /** Decimal text: UIDVALIDITY is an unsigned 32-bit number. */
  uidvalidity: string;
  /** Decimal text: the highest UID applied under this UIDVALIDITY. */
  last_uid: string;
  updated_at: string;
}

export type MailMessageState = 'applied' | 'duplicate' | 'skipped' | 'failed';

interface MailMessageTable {
  id: Generated<number>;
  mailbox_id: number | null;
  folder: string;
  uidvalidity: string;
  uid: string;
  /** The Message-ID, or a hash of the raw bytes for mail without one: unique. */
  message_id: string;
  subject: string | null;
  from_address: string | null;
  /** The raw message, base64. */
  raw: string;
  size: number;
  state: MailMessageState;
  /** What it became: item, message, reply, note (machine mail on a thread). */
  outcome: string | null;
  error: string | null;
  item_id: number | null;
  fetched_at: string;
}

export type OutboxState = 'queued' | 'sending' | 'retry' | 'sent' | 'failed' | 'uncertain' | 'cancelled';

export interface OutboxTable {
  id: Generated<number>;
  item_id: number;
  channel: string;
  mailbox_id: number | null;
  author_agent_id: number | null;
  message_id: string;
  recipient: string | null;
  sender: string | null;
  subject: string | null;
  body: string;
  /** The built mail, base64 (email only). */
  raw: string | null;
  state: OutboxState;
  attempts: number;
  next_attempt_at: string | null;
  last_error: string | null;
  lease_until: string | null;
  created_at: string;
  updated_at: string;
  sent_at: string | null;
}

export type DraftKind = 'reply' | 'note';

/** An agent's unsent reply or note on an item (0004): one per item, agent and kind. */
interface DraftTable {
  id: Generated<number>;
  item_id: number;
  agent_id: number;
  kind: DraftKind;
  body: string;
  created_at: string;
  updated_at: string;
}

export interface Database {
  agents: AgentTable;
  customers: CustomerTable;
  orders: OrderTable;
  items: ItemTable;
  item_tags: ItemTagTable;
  events: EventTable;
  escalations: EscalationTable;
  surveys: SurveyTable;
  kpi_days: KpiDayTable;
  sla_policies: SlaPolicyTable;
  mailboxes: MailboxTable;
  mail_cursors: MailCursorTable;
  mail_messages: MailMessageTable;
  outbox: OutboxTable;
  calendars: CalendarTable;
  calendar_holidays: CalendarHolidayTable;
  macros: MacroTable;
  saved_views: SavedViewTable;
  rules: RuleTable;
  rule_revisions: RuleRevisionTable;
  route_models: RouteModelTable;
  drafts: DraftTable;
}
