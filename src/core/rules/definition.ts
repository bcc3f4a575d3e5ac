// A rule as a team writes it (YAML or JSON) and as the engine runs it: the field catalogue, the
// operators each field takes, the actions, and the validation that turns any mistake into one clear
// `invalid` error (exit 5) before anything is saved.
import { invalid } from '../errors.js';
import { normaliseTag } from '../item-rules.js';
import { parseWhen } from '../time.js';
import { CHANNELS, DIRECTIONS, KINDS, PRIORITIES, ROLES, STATUSES } from '../vocabulary.js';
import { parseBusinessHours, type BusinessHours } from './business-hours.js';

export const TRIGGERS = ['created', 'updated', 'escalated'] as const;
export type Trigger = (typeof TRIGGERS)[number];

/** What happened to the item: the `change` field. */
const CHANGES = ['created', 'message', 'status', 'escalated'] as const;
export type ChangeKind = (typeof CHANGES)[number];

type FieldType = 'enum' | 'text' | 'tags' | 'number' | 'boolean';
interface FieldSpec {
  type: FieldType;
  values?: readonly string[];
  help: string;
}

/** Every field a condition can test. */
const FIELDS: Record<string, FieldSpec> = {
  role: { type: 'enum', values: ROLES, help: 'service | support' },
  kind: { type: 'enum', values: KINDS, help: 'the item kind' },
  channel: { type: 'enum', values: CHANNELS, help: 'email, chat, phone…' },
  direction: { type: 'enum', values: DIRECTIONS, help: 'inbound | outbound' },
  status: { type: 'enum', values: STATUSES, help: 'new, open, pending…' },
  priority: { type: 'enum', values: PRIORITIES, help: 'low | normal | high | urgent' },
  change: { type: 'enum', values: CHANGES, help: 'what happened: created, message, status, escalated' },
  assignee: { type: 'text', help: 'the assignee\'s handle ("" when nobody)' },
  subject: { type: 'text', help: 'the subject line' },
  body: { type: 'text', help: 'the latest customer message (the opening message for a new item)' },
  customer_email: { type: 'text', help: "the customer's email address" },
  customer_domain: { type: 'text', help: "the part of the customer's email after @" },
  tags: { type: 'tags', help: "the item's tags" },
  lifetime_value: { type: 'number', help: "the customer's lifetime revenue (sum of orders, currency units)" },
  open_items: { type: 'number', help: "the customer's items still open (new, open, pending, escalated), this one included" },
  hours_since_created: { type: 'number', help: 'hours since the item was created' },
  hours_since_updated: { type: 'number', help: 'hours since the item last changed' },
  business_hours: { type: 'boolean', help: 'now is inside business hours (hours: "mon-fri 09:00-17:00", tz: "Europe/Paris")' },
  suggested_role: { type: 'enum', values: ROLES, help: 'the learned suggestion (with min_confidence: 0.8)' },
  suggested_kind: { type: 'enum', values: KINDS, help: 'the learned suggestion (with min_confidence: 0.8)' },
  suggested_agent: { type: 'text', help: 'the learned suggestion: a handle (with min_confidence: 0.8)' },
};
type Field = keyof typeof FIELDS;

const OPERATORS: Record<FieldType, readonly string[]> = {
  enum: ['is', 'is_not'],
  text: ['is', 'is_not', 'contains', 'not_contains', 'matches'],
  tags: ['has', 'lacks'],
  number: ['is', 'gt', 'gte', 'lt', 'lte'],
  boolean: ['is'],
};
const ALL_OPERATORS = ['is', 'is_not', 'contains', 'not_contains', 'matches', 'has', 'lacks', 'gt', 'gte', 'lt', 'lte'] as const;
type Operator = (typeof ALL_OPERATORS)[number];

export type Leaf = {
  kind: 'leaf';
  field: Field;
  op: Operator;
  /** A list for is/is_not/has/lacks (any of); a string for text operators; a number; a boolean. */
  value: string[] | string | number | boolean;
  regex?: RegExp;
  minConfidence?: number;
  hours?: BusinessHours;
};
export type Condition = { kind: 'all'; of: Condition[] } | { kind: 'any'; of: Condition[] } | { kind: 'not'; of: Condition } | Leaf;

type SetField = 'role' | 'kind' | 'priority' | 'status';
export type Action =
  | { type: 'set'; field: SetField; value: string }
  | { type: 'assign'; mode: 'agent'; handle: string }
  | { type: 'assign'; mode: 'round-robin' | 'least-loaded'; among: string[] | null }
  | { type: 'assign'; mode: 'nobody' }
  | { type: 'tag'; tags: string[] }
  | { type: 'untag'; tags: string[] }
  | { type: 'snooze'; until: string }
  | { type: 'note'; body: string }
  | { type: 'escalate'; reason: string; to: string | null };

/** A rule as saved: the text form (`source`) and what the engine runs (`condition`, `actions`). */
export interface RuleSpec {
  name: string;
  when: Trigger;
  enabled: boolean;
  stop: boolean;
  /** The condition as written (normalised), or null for "always". */
  if: unknown;
  then: unknown[];
  condition: Condition | null;
  actions: Action[];
}

// ---------------------------------------------------------------------------------------------

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function fail(rule: string, where: string, message: string): never {
  throw invalid(`rule ${JSON.stringify(rule)}: ${where ? where + ': ' : ''}${message}; nothing was saved`);
}

/** A regex as teams write it: a leading (?i) means case-insensitive (JavaScript has no inline flags). */
export function compileRegex(pattern: string): RegExp {
  let flags = 'u';
  let body = pattern;
  const m = /^\(\?([a-z]+)\)/.exec(body);
  if (m) {
    for (const f of m[1]!) {
      if (f === 'i' || f === 'm' || f === 's') flags += f;
      else throw new Error(`unsupported inline flag (?${f})`);
    }
    body = body.slice(m[0].length);
  }
  return new RegExp(body, flags);
}

function parseLeaf(rule: string, where: string, obj: Record<string, unknown>): Leaf {
  const fieldName = obj.field;
  if (typeof fieldName !== 'string') fail(rule, where, 'a condition needs a field (or all/any/not)');
  const spec = FIELDS[fieldName];
  if (!spec) fail(rule, where, `unknown field ${JSON.stringify(fieldName)} (fields: ${Object.keys(FIELDS).join(', ')})`);
  const extras = new Set(['field']);
  if (fieldName.startsWith('suggested_')) extras.add('min_confidence');
  if (fieldName === 'business_hours') {
    extras.add('hours');
    extras.add('tz');
  }
  const ops = Object.keys(obj).filter((k) => !extras.has(k));
  const unknown = ops.filter((k) => !(ALL_OPERATORS as readonly string[]).includes(k));
  if (unknown.length)
    fail(rule, where, `unknown operator ${JSON.stringify(unknown[0])} (operators for ${fieldName}: ${OPERATORS[spec.type].join(', ')})`);
  if (ops.length !== 1) fail(rule, where, `a condition on ${fieldName} takes exactly one operator (${OPERATORS[spec.type].join(', ')})`);
  const op = ops[0] as Operator;
  if (!OPERATORS[spec.type].includes(op))
    fail(rule, where, `${fieldName} does not take ${op} (it takes ${OPERATORS[spec.type].join(', ')})`);
  const raw = obj[op];
  const leaf: Leaf = { kind: 'leaf', field: fieldName, op, value: '' };
  if (
    spec.type === 'enum' ||
    ((spec.type === 'text' || spec.type === 'tags') && (op === 'is' || op === 'is_not' || op === 'has' || op === 'lacks'))
  ) {
    const list = Array.isArray(raw) ? raw : [raw];
    if (list.length === 0 || list.some((v) => typeof v !== 'string' && !(spec.type === 'text' && v === null))) {
      fail(rule, where, `${fieldName} ${op} takes a word or a list of words`);
    }
    let values = list.map((v) => (v === null ? '' : String(v).trim()));
    if (spec.type === 'enum') {
      values = values.map((v) => v.toLowerCase().replace(/-/g, '_'));
      const bad = values.find((v) => !spec.values!.includes(v));
      if (bad !== undefined) fail(rule, where, `${fieldName} must be one of ${spec.values!.join(', ')} (got ${JSON.stringify(bad)})`);
    } else if (spec.type === 'tags') {
      values = values.map((t) => {
        try {
          return normaliseTag(t);
        } catch (e) {
          return fail(rule, where, (e as Error).message);
        }
      });
    } else {
      values = values.map((v) => v.toLowerCase().replace(/^@/, ''));
    }
    leaf.value = values;
  } else if (spec.type === 'text') {
    if (typeof raw !== 'string' || raw === '') fail(rule, where, `${fieldName} ${op} takes a non-empty text`);
    leaf.value = raw;
    if (op === 'matches') {
      try {
        leaf.regex = compileRegex(raw);
      } catch (e) {
        fail(rule, where, `bad regex ${JSON.stringify(raw)}: ${(e as Error).message.replace(/^Invalid regular expression: /, '')}`);
      }
    }
  } else if (spec.type === 'number') {
    if (typeof raw !== 'number' || !Number.isFinite(raw))
      fail(rule, where, `${fieldName} ${op} takes a number (got ${JSON.stringify(raw)})`);
    leaf.value = raw;
  } else {
    if (typeof raw !== 'boolean') fail(rule, where, `${fieldName} is takes true or false (got ${JSON.stringify(raw)})`);
    leaf.value = raw;
  }
  if (obj.min_confidence !== undefined) {
    const c = obj.min_confidence;
    if (typeof c !== 'number' || !(c >= 0 && c <= 1))
      fail(rule, where, `min_confidence is a number from 0 to 1 (got ${JSON.stringify(c)})`);
    leaf.minConfidence = c;
  }
  if (fieldName === 'business_hours') {
    try {
      leaf.hours = parseBusinessHours(
        obj.hours === undefined ? undefined : String(obj.hours),
        obj.tz === undefined ? undefined : String(obj.tz),
      );
    } catch (e) {
      fail(rule, where, (e as Error).message);
    }
  }
  return leaf;
}

function parseCondition(rule: string, where: string, raw: unknown, depth = 0): Condition {
  if (depth > 20) fail(rule, where, 'conditions nest too deep');
  if (!isObject(raw)) fail(rule, where, 'a condition is an object: { all: […] }, { any: […] }, { not: … } or { field: …, is: … }');
  const keys = Object.keys(raw);
  for (const group of ['all', 'any'] as const) {
    if (group in raw) {
      if (keys.length !== 1) fail(rule, where, `${group} stands alone in its object (found ${keys.join(', ')})`);
      const list = raw[group];
      if (!Array.isArray(list) || list.length === 0) fail(rule, where, `${group} takes a non-empty list of conditions`);
      return { kind: group, of: list.map((c, i) => parseCondition(rule, `${where}.${group}[${i}]`, c, depth + 1)) };
    }
  }
  if ('not' in raw && !('field' in raw)) {
    if (keys.length !== 1) fail(rule, where, `not stands alone in its object (found ${keys.join(', ')})`);
    return { kind: 'not', of: parseCondition(rule, `${where}.not`, raw.not, depth + 1) };
  }
  return parseLeaf(rule, where, raw);
}

const ASSIGN_MODES = ['round-robin', 'least-loaded'] as const;

function parseActions(rule: string, raw: unknown): Action[] {
  if (raw === undefined || raw === null) fail(rule, 'then', 'a rule needs at least one action');
  const list = Array.isArray(raw) ? raw : [raw];
  if (list.length === 0) fail(rule, 'then', 'a rule needs at least one action');
  const out: Action[] = [];
  list.forEach((a, i) => {
    const where = `then[${i}]`;
    if (!isObject(a)) fail(rule, where, 'an action is an object like { set: { priority: high } } or { tag: vip }');
    const keys = Object.keys(a);
    const main = keys.filter((k) => !['among', 'to'].includes(k));
    if (main.length !== 1) fail(rule, where, `one action per entry (found ${keys.join(', ') || 'nothing'})`);
    const verb = main[0]!;
    const arg = a[verb];
    const text = (what: string): string => {
      if (typeof arg !== 'string' || !arg.trim()) fail(rule, where, `${verb} takes ${what}`);
      return arg.trim();
    };
    const tags = (): string[] => {
      const items = Array.isArray(arg) ? arg : [arg];
      if (items.length === 0 || items.some((t) => typeof t !== 'string')) fail(rule, where, `${verb} takes a tag or a list of tags`);
      return items.map((t) => {
        try {
          return normaliseTag(t as string);
        } catch (e) {
          return fail(rule, where, (e as Error).message);
        }
      });
    };
    if (verb !== 'assign' && 'among' in a) fail(rule, where, 'among goes with assign: round-robin or least-loaded');
    if (verb !== 'escalate' && 'to' in a) fail(rule, where, 'to goes with escalate');
    switch (verb) {
      case 'set': {
        if (!isObject(arg) || Object.keys(arg).length === 0)
          fail(rule, where, 'set takes fields: { priority: high, role: support, kind: billing, status: pending }');
        for (const [field, value] of Object.entries(arg)) {
          const allowed: Record<string, readonly string[]> = {
            role: ROLES,
            kind: KINDS,
            priority: PRIORITIES,
            status: ['open', 'pending', 'resolved', 'closed'],
          };
          const values = allowed[field];
          if (!values) fail(rule, where, `set cannot change ${JSON.stringify(field)} (it sets role, kind, priority or status)`);
          const v = typeof value === 'string' ? value.trim().toLowerCase().replace(/-/g, '_') : '';
          if (!values.includes(v)) fail(rule, where, `set ${field} must be one of ${values.join(', ')} (got ${JSON.stringify(value)})`);
          out.push({ type: 'set', field: field as SetField, value: v });
        }
        return;
      }
      case 'assign': {
        const who = text('a handle, round-robin, least-loaded or nobody').toLowerCase().replace(/^@/, '');
        const among = a.among;
        if (among !== undefined && !(Array.isArray(among) && among.length > 0 && among.every((h) => typeof h === 'string'))) {
          fail(rule, where, 'among takes a list of agent handles');
        }
        if ((ASSIGN_MODES as readonly string[]).includes(who)) {
          out.push({
            type: 'assign',
            mode: who as 'round-robin',
            among: among ? (among as string[]).map((h) => h.trim().toLowerCase().replace(/^@/, '')) : null,
          });
        } else {
          if (among !== undefined) fail(rule, where, 'among goes with round-robin or least-loaded');
          if (who === 'nobody' || who === 'none') out.push({ type: 'assign', mode: 'nobody' });
          else if (!/^[a-z0-9][a-z0-9._-]{0,31}$/.test(who))
            fail(rule, where, `assign takes a handle, round-robin, least-loaded or nobody (got ${JSON.stringify(arg)})`);
          else out.push({ type: 'assign', mode: 'agent', handle: who });
        }
        return;
      }
      case 'tag':
        out.push({ type: 'tag', tags: tags() });
        return;
      case 'untag':
        out.push({ type: 'untag', tags: tags() });
        return;
      case 'snooze': {
        const until = text('a time: 2h, 3d, "tomorrow 9:00"');
        try {
          if (parseWhen(until, new Date(), 'future').getTime() <= Date.now()) throw new Error('not in the future');
        } catch (e) {
          fail(rule, where, `snooze ${JSON.stringify(until)}: ${(e as Error).message}`);
        }
        out.push({ type: 'snooze', until });
        return;
      }
      case 'note':
        out.push({ type: 'note', body: text('the note text') });
        return;
      case 'escalate': {
        const to = a.to;
        if (to !== undefined && (typeof to !== 'string' || !to.trim())) fail(rule, where, "escalate to takes a support agent's handle");
        out.push({
          type: 'escalate',
          reason: text('the reason (escalate: "refund over 500")'),
          to: to ? (to as string).trim().toLowerCase().replace(/^@/, '') : null,
        });
        return;
      }
      case 'macro':
        fail(
          rule,
          where,
          'a rule cannot apply a macro: a macro is a reply an agent reviews before it goes out (`tandem macro apply`); give the rule its own actions (set, assign, tag, untag, snooze, note, escalate)',
        );
        break;
      default:
        fail(rule, where, `unknown action ${JSON.stringify(verb)} (actions: set, assign, tag, untag, snooze, note, escalate)`);
    }
  });
  return out;
}

const RULE_KEYS = ['name', 'when', 'enabled', 'if', 'then', 'stop'];

/** Validate one rule as written; throws `invalid` naming the rule and the place of the mistake. */
export function parseRule(raw: unknown, index?: number): RuleSpec {
  const label = index === undefined ? 'rule' : `rule ${index + 1}`;
  if (!isObject(raw)) throw invalid(`${label}: a rule is an object with name, when, if, then; nothing was saved`);
  const name = typeof raw.name === 'string' ? raw.name.replace(/\s+/g, ' ').trim() : '';
  if (!name) throw invalid(`${label}: a rule needs a name; nothing was saved`);
  if (name.length > 100) fail(name, '', 'the name is longer than 100 characters');
  // Names are printed in every event a rule writes: no terminal control characters.
  if (/[\u0000-\u001f\u007f-\u009f]/.test(name)) throw invalid(`${label}: the name contains control characters; nothing was saved`);
  const extra = Object.keys(raw).filter((k) => !RULE_KEYS.includes(k));
  if (extra.length) fail(name, '', `unknown key ${JSON.stringify(extra[0])} (a rule has ${RULE_KEYS.join(', ')})`);
  const when = typeof raw.when === 'string' ? raw.when.trim().toLowerCase() : raw.when;
  if (!(TRIGGERS as readonly unknown[]).includes(when))
    fail(name, 'when', `must be one of ${TRIGGERS.join(', ')} (got ${JSON.stringify(raw.when)})`);
  for (const flag of ['enabled', 'stop'] as const) {
    if (raw[flag] !== undefined && typeof raw[flag] !== 'boolean') fail(name, flag, 'takes true or false');
  }
  const condition = raw.if === undefined || raw.if === null ? null : parseCondition(name, 'if', raw.if);
  const actions = parseActions(name, raw.then);
  return {
    name,
    when: when as Trigger,
    enabled: raw.enabled !== false,
    stop: raw.stop === true,
    if: raw.if ?? null,
    then: Array.isArray(raw.then) ? raw.then : [raw.then],
    condition,
    actions,
  };
}

/** The written form of a rule, keys in a stable order (for export and `rule show`). */
export function ruleText(spec: Pick<RuleSpec, 'name' | 'when' | 'enabled' | 'stop' | 'if' | 'then'>): Record<string, unknown> {
  const out: Record<string, unknown> = { name: spec.name, when: spec.when };
  if (!spec.enabled) out.enabled = false;
  if (spec.if !== null && spec.if !== undefined) out.if = spec.if;
  out.then = spec.then;
  if (spec.stop) out.stop = true;
  return out;
}

/** A condition as one readable line: `subject matches "(?i)refund"`. */
export function describeLeaf(leaf: Leaf): string {
  const v = Array.isArray(leaf.value)
    ? leaf.value.length === 1
      ? JSON.stringify(leaf.value[0])
      : `any of ${leaf.value.map((x) => JSON.stringify(x)).join(', ')}`
    : JSON.stringify(leaf.value);
  const conf = leaf.minConfidence !== undefined ? ` with confidence ≥ ${leaf.minConfidence}` : '';
  return `${leaf.field} ${leaf.op.replace('_', ' ')} ${v}${conf}`;
}

/** A whole condition on one line: `all(subject matches "(?i)refund", not(channel is "phone"))`. */
export function describeCondition(c: Condition | null): string {
  if (!c) return 'always';
  if (c.kind === 'leaf') return describeLeaf(c);
  if (c.kind === 'not') return `not(${describeCondition(c.of)})`;
  return `${c.kind}(${c.of.map(describeCondition).join(', ')})`;
}

export function describeAction(a: Action): string {
  switch (a.type) {
    case 'set':
      return `set ${a.field} ${a.value}`;
    case 'assign':
      return a.mode === 'agent'
        ? `assign @${a.handle}`
        : a.mode === 'nobody'
          ? 'unassign'
          : `assign ${a.mode}${a.among ? ` among ${a.among.map((h) => '@' + h).join(', ')}` : ''}`;
    case 'tag':
      return `tag ${a.tags.join(', ')}`;
    case 'untag':
      return `untag ${a.tags.join(', ')}`;
    case 'snooze':
      return `snooze ${a.until}`;
    case 'note':
      return `note ${JSON.stringify(a.body)}`;
    case 'escalate':
      return `escalate ${JSON.stringify(a.reason)}${a.to ? ` to @${a.to}` : ''}`;
  }
}

/** Handles a rule names (assign, among, escalate to): checked against the agents when saved. */
export function handlesIn(spec: RuleSpec): string[] {
  const out: string[] = [];
  for (const a of spec.actions) {
    if (a.type === 'assign' && a.mode === 'agent') out.push(a.handle);
    if (a.type === 'assign' && (a.mode === 'round-robin' || a.mode === 'least-loaded') && a.among) out.push(...a.among);
    if (a.type === 'escalate' && a.to) out.push(a.to);
  }
  return [...new Set(out)];
}
