// The rules every writer of items shares: what a message body, a subject and a tag may be, and who
// may be assigned. items.ts and escalation.ts both use them (kept apart so neither imports the other).
import { agentHasRole, type Agent } from './agents.js';
import { conflict, invalid } from './errors.js';
import type { Role } from './vocabulary.js';

/** Largest message body accepted (characters). Larger texts belong in attachments. */
export const MAX_BODY_CHARS = 1_000_000;

/** A message body: never empty, never only whitespace, no NUL bytes, not absurdly large. */
export function requireBody(body: string | undefined | null, what = 'message'): string {
  const text = (body ?? '').replace(/\r\n/g, '\n');
  if (!text.trim()) throw invalid(`the ${what} is empty; nothing was written`);
  if (text.includes('\u0000')) throw invalid(`the ${what} contains NUL bytes (binary data?); nothing was written`);
  if (text.length > MAX_BODY_CHARS) {
    throw invalid(
      `the ${what} is ${text.length.toLocaleString('en-US')} characters; the limit is ${MAX_BODY_CHARS.toLocaleString('en-US')}`,
    );
  }
  return text;
}

export function normaliseSubject(subject: string | undefined | null): string {
  const s = (subject ?? '').replace(/\s+/g, ' ').trim();
  if (!s) throw invalid('an item needs a subject');
  if (s.includes('\u0000')) throw invalid('the subject contains NUL bytes');
  if (s.length > 500) throw invalid('the subject is longer than 500 characters');
  return s;
}

export function normaliseTag(tag: string): string {
  const t = tag.trim().toLowerCase().replace(/^#/, '');
  if (!/^[\p{L}\p{N}][\p{L}\p{N}_\-:/.]{0,39}$/u.test(t)) {
    throw invalid(`tag ${JSON.stringify(tag)} must be 1-40 letters, digits, '_', '-', ':', '/' or '.'`);
  }
  return t;
}

export function checkAssignable(agent: Pick<Agent, 'handle' | 'active' | 'roles'>, role: Role): void {
  if (!agent.active) throw invalid(`@${agent.handle} is deactivated and cannot be assigned`);
  if (!agentHasRole(agent, role)) {
    throw conflict(`@${agent.handle} does not work ${role} (roles: ${agent.roles}); assign a ${role} agent`);
  }
}
