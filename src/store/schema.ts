// Table types for Kysely: the shape of the database as the core sees it.
import type { Generated, GeneratedAlways } from 'kysely';
import type {
  AgentRoles, AuthorType, Channel, Direction, Kind, Priority, Role, Status, SurveyKind,
} from '../core/vocabulary.js';

/** An escalation's state (migration 0001's check constraint). */
export type EscalationState = 'open' | 'resolved' | 'closed' | 'handed_back';

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
  reopen_count: number;
  agent_reply_count: number;
  version: number;
  external_id: string | null;
}

export interface ItemTagTable {
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
  customer_id: number;
  item_id: number | null;
  created_at: string;
}

export interface SlaPolicyTable {
  role: Role;
  priority: Priority;
  first_response_minutes: number;
  resolution_minutes: number;
  updated_at: string;
}

export type DraftKind = 'reply' | 'note';

/** An agent's unsent reply or note on an item (0004): one per item, agent and kind. */
export interface DraftTable {
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
  sla_policies: SlaPolicyTable;
  drafts: DraftTable;
}
