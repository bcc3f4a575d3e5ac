// The record shapes of Tandem's JSONL export (one JSON object per line, told apart by `type`), and
// the conversions between them and table rows. Documented in docs/data-formats.md (JSONL export); version 1.
import type { Selectable } from 'kysely';
import { toAgent, type Agent } from '../core/agents.js';
import type {
  AgentTable,
  CustomerTable,
  EscalationTable,
  EventTable,
  ItemTable,
  OrderTable,
  SlaPolicyTable,
  SurveyTable,
} from '../store/schema.js';

export const JSONL_FORMAT = 'tandem-jsonl';
export const JSONL_VERSION = 1;

export interface HeaderRecord {
  type: 'tandem';
  format: typeof JSONL_FORMAT;
  version: number;
  schema: string;
  since: string | null;
}
export interface SlaPolicyRecord {
  type: 'sla_policy';
  role: string;
  priority: string;
  firstResponseMinutes: number;
  resolutionMinutes: number;
  updatedAt: string;
}
/** An agent as `tandem agent list --json` shows it, marked. */
export interface AgentRecord extends Agent {
  type: 'agent';
}
export interface CustomerRecord {
  type: 'customer';
  id: number;
  name: string;
  email: string | null;
  phone: string | null;
  company: string | null;
  notes: string | null;
  createdAt: string;
  updatedAt: string;
}
export interface OrderRecord {
  type: 'order';
  id: number;
  customerId: number;
  amountCents: number;
  currency: string;
  orderedAt: string;
  reference: string | null;
  createdAt: string;
}
export interface EventRecord {
  id: number;
  version: number;
  type: string;
  author: 'agent' | 'customer' | 'system';
  agentId: number | null;
  customerId: number | null;
  body: string | null;
  data: Record<string, unknown> | null;
  createdAt: string;
  messageId: string | null;
}
export interface ItemRecord {
  type: 'item';
  id: number;
  role: string;
  kind: string;
  subject: string;
  customerId: number | null;
  channel: string;
  direction: string;
  status: string;
  priority: string;
  assigneeId: number | null;
  createdAt: string;
  updatedAt: string;
  firstCustomerMessageAt: string | null;
  firstResponseAt: string | null;
  firstResolvedAt: string | null;
  resolvedAt: string | null;
  closedAt: string | null;
  snoozedUntil: string | null;
  firstResponseDueAt: string | null;
  resolutionDueAt: string | null;
  resolutionDueExplicit: boolean;
  reopenCount: number;
  agentReplyCount: number;
  version: number;
  externalId: string | null;
  tags: string[];
  events: EventRecord[];
}
export interface EscalationRecord {
  type: 'escalation';
  id: number;
  sourceItemId: number;
  supportItemId: number;
  reason: string;
  escalatedBy: number;
  escalatedAt: string;
  snapshot: unknown;
  state: string;
  returnedAt: string | null;
  returnNote: string | null;
}
export interface SurveyRecord {
  type: 'survey';
  id: number;
  kind: string;
  score: number;
  comment: string | null;
  customerId: number | null;
  externalId: string | null;
  itemId: number | null;
  createdAt: string;
}

// --- rows → records (export) ------------------------------------------------------------------

export const slaPolicyRecord = (r: Selectable<SlaPolicyTable>): SlaPolicyRecord => ({
  type: 'sla_policy',
  role: r.role,
  priority: r.priority,
  firstResponseMinutes: r.first_response_minutes,
  resolutionMinutes: r.resolution_minutes,
  updatedAt: r.updated_at,
});

export const agentRecord = (r: Selectable<AgentTable>): AgentRecord => ({ type: 'agent', ...toAgent(r) });

export const customerRecord = (r: Selectable<CustomerTable>): CustomerRecord => ({
  type: 'customer',
  id: r.id,
  name: r.name,
  email: r.email,
  phone: r.phone,
  company: r.company,
  notes: r.notes,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

export const orderRecord = (r: Selectable<OrderTable>): OrderRecord => ({
  type: 'order',
  id: r.id,
  customerId: r.customer_id,
  amountCents: r.amount_cents,
  currency: r.currency,
  orderedAt: r.ordered_at,
  reference: r.reference,
  createdAt: r.created_at,
});

export const eventRecord = (r: Selectable<EventTable>): EventRecord => ({
  id: r.id,
  version: r.version,
  type: r.type,
  author: r.author_type as EventRecord['author'],
  agentId: r.author_agent_id,
  customerId: r.author_customer_id,
  body: r.body,
  data: r.data === null ? null : (JSON.parse(r.data) as Record<string, unknown>),
  createdAt: r.created_at,
  messageId: r.message_id,
});

export const itemRecord = (r: Selectable<ItemTable>, tags: string[], events: EventRecord[]): ItemRecord => ({
  type: 'item',
  id: r.id,
  role: r.role,
  kind: r.kind,
  subject: r.subject,
  customerId: r.customer_id,
  channel: r.channel,
  direction: r.direction,
  status: r.status,
  priority: r.priority,
  assigneeId: r.assignee_id,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  firstCustomerMessageAt: r.first_customer_message_at,
  firstResponseAt: r.first_response_at,
  firstResolvedAt: r.first_resolved_at,
  resolvedAt: r.resolved_at,
  closedAt: r.closed_at,
  snoozedUntil: r.snoozed_until,
  firstResponseDueAt: r.first_response_due_at,
  resolutionDueAt: r.resolution_due_at,
  resolutionDueExplicit: r.resolution_due_explicit === 1,
  reopenCount: r.reopen_count,
  agentReplyCount: r.agent_reply_count,
  version: r.version,
  externalId: r.external_id,
  tags,
  events,
});

export const escalationRecord = (r: Selectable<EscalationTable>): EscalationRecord => ({
  type: 'escalation',
  id: r.id,
  sourceItemId: r.source_item_id,
  supportItemId: r.support_item_id,
  reason: r.reason,
  escalatedBy: r.escalated_by,
  escalatedAt: r.escalated_at,
  snapshot: JSON.parse(r.snapshot) as unknown,
  state: r.state,
  returnedAt: r.returned_at,
  returnNote: r.return_note,
});

export const surveyRecord = (r: Selectable<SurveyTable>): SurveyRecord => ({
  type: 'survey',
  id: r.id,
  kind: r.kind,
  score: r.score,
  comment: r.comment,
  customerId: r.customer_id,
  itemId: r.item_id,
  createdAt: r.created_at,
  externalId: r.external_id ?? null,
});
