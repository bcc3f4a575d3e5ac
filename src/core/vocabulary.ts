// The words of docs/concepts.md ("Words") as closed sets, with a parser that turns bad input into a clear error.
import { invalid } from './errors.js';

export const ROLES = ['service', 'support'] as const;
export type Role = (typeof ROLES)[number];

export const AGENT_ROLES = ['service', 'support', 'both'] as const;
export type AgentRoles = (typeof AGENT_ROLES)[number];

export const KINDS = [
  'question',
  'onboarding',
  'follow_up',
  'renewal',
  'feedback',
  'bug',
  'access',
  'billing',
  'delivery',
  'complaint',
  'other',
] as const;
export type Kind = (typeof KINDS)[number];

export const CHANNELS = ['email', 'chat', 'phone', 'whatsapp', 'sms', 'social', 'web', 'in_person', 'internal'] as const;
export type Channel = (typeof CHANNELS)[number];

export const DIRECTIONS = ['inbound', 'outbound'] as const;
export type Direction = (typeof DIRECTIONS)[number];

export const STATUSES = ['new', 'open', 'pending', 'snoozed', 'escalated', 'resolved', 'closed'] as const;
export type Status = (typeof STATUSES)[number];

export const PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;
export type Priority = (typeof PRIORITIES)[number];

export const SURVEY_KINDS = ['csat', 'nps'] as const;
export type SurveyKind = (typeof SURVEY_KINDS)[number];

export const EVENT_TYPES = [
  'created',
  'message',
  'reply',
  'note',
  'status',
  'priority',
  'assign',
  'tag',
  'snooze',
  'escalate',
  'handback',
  'return',
  'survey',
  'delivery',
  'sla',
  // Rules and routing: a role or kind change, and a rule's own log line (a refusal, a stopped loop).
  'role',
  'kind',
  'rule',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

export const AUTHOR_TYPES = ['agent', 'customer', 'system'] as const;
export type AuthorType = (typeof AUTHOR_TYPES)[number];

export function priorityRank(p: Priority): number {
  return PRIORITIES.indexOf(p);
}

/** Parse one value of a closed set, or throw an `invalid` error naming the choices. */
export function parseEnum<T extends string>(what: string, allowed: readonly T[], value: unknown): T {
  const text = typeof value === 'string' ? value.trim().toLowerCase().replace(/-/g, '_') : value;
  if (typeof text === 'string' && (allowed as readonly string[]).includes(text)) return text as T;
  throw invalid(`${what} must be one of ${allowed.join(', ')} (got ${JSON.stringify(value)})`);
}

/** Which role an item kind belongs to by default. */
export function defaultRoleForKind(kind: Kind): Role {
  return ['bug', 'access', 'billing', 'delivery', 'complaint'].includes(kind) ? 'support' : 'service';
}
