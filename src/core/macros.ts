// Macros: a reply (or internal note) template plus actions (status, priority, tags, assignee), saved
// by name and applied to an item as one change. Saving checks the template; applying fills it in.
import type { Selectable } from 'kysely';
import type { Db } from '../store/store.js';
import type { MacroTable } from '../store/schema.js';
import { findAgent } from './agents.js';
import type { Ctx } from './context.js';
import { conflict, invalid, notFound } from './errors.js';
import { normaliseTag, requireBody } from './items.js';
import { checkTemplate } from './macro-template.js';
import { PRIORITIES, ROLES, parseEnum, type Priority, type Role, type Status } from './vocabulary.js';

export const MACRO_KINDS = ['reply', 'note'] as const;
export type MacroKind = (typeof MACRO_KINDS)[number];

/** Statuses a macro may set (snoozing and escalating have their own commands). */
export const MACRO_STATUSES = ['open', 'pending', 'resolved', 'closed'] as const;

export interface MacroActions {
  status?: (typeof MACRO_STATUSES)[number];
  priority?: Priority;
  /** Tags to add. */
  tags?: string[];
  /** 'me' (whoever applies it), 'nobody' (unassign), or an agent's handle. */
  assign?: string;
}

export interface Macro {
  id: number;
  name: string;
  kind: MacroKind;
  body: string;
  actions: MacroActions;
  /** The role of the items it is for; null = both. */
  role: Role | null;
  createdAt: string;
  updatedAt: string;
}

export function toMacro(r: Selectable<MacroTable>): Macro {
  return {
    id: r.id,
    name: r.name,
    kind: r.kind,
    body: r.body,
    actions: JSON.parse(r.actions) as MacroActions,
    role: r.role,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

/** A macro's name: 1-40 letters, digits, '-', '_' or '.', stored lower-case (typed at the CLI and in the picker). */
export function normaliseMacroName(name: string): string {
  const n = (name ?? '').trim().toLowerCase();
  if (!/^[\p{L}\p{N}][\p{L}\p{N}_\-.]{0,39}$/u.test(n)) {
    throw invalid(`macro name ${JSON.stringify(name)} must be 1-40 letters, digits, '-', '_' or '.' (no spaces), e.g. refund-sent`);
  }
  return n;
}

/** What the CLI and the import give: `set` holds "status=pending", "priority=high". */
export interface MacroInput {
  name: string;
  body: string;
  kind?: string;
  set?: string[];
  tags?: string[];
  assign?: string | null;
  role?: string | null;
}

/** Parse `--set key=value` pairs into actions (on top of `base`). */
export function parseSetPairs(pairs: string[], base: MacroActions = {}): MacroActions {
  const actions: MacroActions = { ...base };
  for (const pair of pairs) {
    const m = /^\s*([a-z_]+)\s*=\s*(.*?)\s*$/i.exec(pair);
    if (!m) throw invalid(`--set takes KEY=VALUE, e.g. --set status=pending (got ${JSON.stringify(pair)})`);
    const key = m[1]!.toLowerCase();
    const value = m[2]!;
    if (key === 'status') actions.status = parseEnum('status', MACRO_STATUSES, value);
    else if (key === 'priority') actions.priority = parseEnum('priority', PRIORITIES, value);
    else throw invalid(`--set knows status and priority (got ${JSON.stringify(key)}); tags are --tag, the assignee --assign`);
  }
  return actions;
}

async function checkAssign(db: Db, who: string): Promise<string> {
  const w = who.trim().toLowerCase().replace(/^@/, '');
  if (w === 'me' || w === 'nobody') return w;
  if (w === 'none') return 'nobody';
  return (await findAgent(db, w)).handle;
}

/** Normalise and check a whole macro; throws `invalid` (exit 5) or `not_found` (an unknown agent). */
async function checkedMacro(db: Db, input: MacroInput, base: MacroActions = {}) {
  const name = normaliseMacroName(input.name);
  const body = requireBody(input.body, 'macro text').replace(/\s+$/, '');
  checkTemplate(body);
  const kind = parseEnum('macro kind', MACRO_KINDS, input.kind ?? 'reply');
  const actions = parseSetPairs(input.set ?? [], base);
  if (input.tags?.length)
    actions.tags = [
      ...new Set([
        ...(actions.tags ?? []),
        ...input.tags
          .flatMap((t) => t.split(','))
          .filter((t) => t.trim())
          .map(normaliseTag),
      ]),
    ];
  if (input.assign) actions.assign = await checkAssign(db, input.assign);
  else if (input.assign === null) delete actions.assign;
  const role = input.role ? parseEnum('role', ROLES, input.role) : null;
  return { name, body, kind, actions: orderedActions(actions), role };
}

/** Actions in one key order, so exports of the same macro are the same bytes. */
function orderedActions(a: MacroActions): MacroActions {
  const out: MacroActions = {};
  if (a.status) out.status = a.status;
  if (a.priority) out.priority = a.priority;
  if (a.tags?.length) out.tags = [...a.tags];
  if (a.assign) out.assign = a.assign;
  return out;
}

export async function addMacro(ctx: Ctx, input: MacroInput): Promise<Macro> {
  const now = ctx.clock().toISOString();
  return ctx.store.write(async (trx) => {
    const m = await checkedMacro(trx, input);
    const row = await trx
      .insertInto('macros')
      .values({
        name: m.name,
        kind: m.kind,
        body: m.body,
        actions: JSON.stringify(m.actions),
        role: m.role,
        created_at: now,
        updated_at: now,
      })
      .onConflict((oc) => oc.column('name').doNothing())
      .returningAll()
      .executeTakeFirst();
    if (!row) throw conflict(`a macro named ${m.name} already exists; change it with \`tandem macro edit ${m.name}\``);
    return toMacro(row);
  });
}

export async function getMacro(db: Db, name: string): Promise<Macro> {
  const n = (name ?? '').trim().toLowerCase();
  const row = await db.selectFrom('macros').selectAll().where('name', '=', n).executeTakeFirst();
  if (!row) throw notFound(`no macro named ${JSON.stringify(name)} (\`tandem macro list\` shows them)`);
  return toMacro(row);
}

/** By name, in code-point order on both engines (a PostgreSQL collation would reorder '-' and '.'), so exports match. */
export async function listMacros(db: Db): Promise<Macro[]> {
  const rows = await db.selectFrom('macros').selectAll().execute();
  return rows.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)).map(toMacro);
}

export interface MacroEdit {
  rename?: string;
  body?: string;
  kind?: string;
  set?: string[];
  tags?: string[];
  /** A handle, 'me', 'nobody'; null removes the assign action. */
  assign?: string | null;
  /** A role, or 'both' for either. */
  role?: string;
  /** Drop every action first (then apply the ones given). */
  clearActions?: boolean;
}

export async function editMacro(ctx: Ctx, name: string, edit: MacroEdit): Promise<Macro> {
  const now = ctx.clock().toISOString();
  return ctx.store.write(async (trx) => {
    const old = await getMacro(trx, name);
    const base = edit.clearActions ? {} : old.actions;
    const role = edit.role === undefined ? old.role : edit.role.trim().toLowerCase() === 'both' ? null : edit.role;
    const m = await checkedMacro(
      trx,
      {
        name: edit.rename ?? old.name,
        body: edit.body ?? old.body,
        kind: edit.kind ?? old.kind,
        set: edit.set,
        tags: edit.tags,
        assign: edit.assign,
        role,
      },
      base,
    );
    if (m.name !== old.name) {
      const taken = await trx.selectFrom('macros').select('id').where('name', '=', m.name).executeTakeFirst();
      if (taken) throw conflict(`a macro named ${m.name} already exists`);
    }
    const row = await trx
      .updateTable('macros')
      .set({ name: m.name, kind: m.kind, body: m.body, actions: JSON.stringify(m.actions), role: m.role, updated_at: now })
      .where('id', '=', old.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    return toMacro(row);
  });
}

export async function removeMacro(ctx: Ctx, name: string): Promise<Macro> {
  return ctx.store.write(async (trx) => {
    const m = await getMacro(trx, name);
    await trx.deleteFrom('macros').where('id', '=', m.id).execute();
    return m;
  });
}

/** The actions as short phrases: "status pending", "priority high", "tag +refund", "assign @me". */
export function describeActions(a: MacroActions): string[] {
  const out: string[] = [];
  if (a.status) out.push(`status ${a.status}`);
  if (a.priority) out.push(`priority ${a.priority}`);
  if (a.tags?.length) out.push(`tag ${a.tags.map((t) => '+' + t).join(' ')}`);
  if (a.assign) out.push(a.assign === 'nobody' ? 'unassign' : `assign @${a.assign}`);
  return out;
}

// --- JSONL export and import ---------------------------------------------------------------------

export interface MacroRecord extends Macro {
  type: 'macro';
}

export const macroRecord = (m: Macro): MacroRecord => ({ type: 'macro', ...m });

/**
 * A macro record from an export, checked as strictly as `macro add` checks a new one (its template
 * and actions), as the row to store. The agent in an assign action is checked when it is applied,
 * since agents may come later in a file made by hand.
 */
export function macroRowFromRecord(o: Record<string, unknown>): Selectable<MacroTable> {
  const str = (k: string) => {
    if (typeof o[k] !== 'string') throw invalid(`"${k}" must be a string`);
    return o[k] as string;
  };
  const time = (k: string) => {
    const v = str(k);
    if (Number.isNaN(Date.parse(v))) throw invalid(`"${k}" is not a time`);
    return new Date(v).toISOString();
  };
  if (!Number.isInteger(o.id) || (o.id as number) < 1) throw invalid('"id" must be a whole number ≥ 1');
  const name = normaliseMacroName(str('name'));
  const body = requireBody(str('body'), 'macro text');
  checkTemplate(body);
  const kind = parseEnum('kind', MACRO_KINDS, o.kind);
  const role = o.role === null || o.role === undefined ? null : parseEnum('role', ROLES, o.role);
  const a = (o.actions ?? {}) as Record<string, unknown>;
  if (typeof a !== 'object' || a === null || Array.isArray(a)) throw invalid('"actions" must be an object');
  const actions: MacroActions = {};
  if (a.status !== undefined) actions.status = parseEnum('status', MACRO_STATUSES, a.status);
  if (a.priority !== undefined) actions.priority = parseEnum('priority', PRIORITIES, a.priority);
  if (a.tags !== undefined) {
    if (!Array.isArray(a.tags) || a.tags.some((t) => typeof t !== 'string')) throw invalid('"actions.tags" must be a list of strings');
    actions.tags = (a.tags as string[]).map(normaliseTag);
  }
  if (a.assign !== undefined) {
    if (typeof a.assign !== 'string' || !/^[a-z0-9][a-z0-9_.-]*$/.test(a.assign))
      throw invalid('"actions.assign" must be me, nobody or a handle');
    actions.assign = a.assign;
  }
  return {
    id: o.id as number,
    name,
    kind,
    body,
    actions: JSON.stringify(orderedActions(actions)),
    role,
    created_at: time('createdAt'),
    updated_at: time('updatedAt'),
  };
}

/** Statuses a reply can move to by itself (see items.reply). */
export const REPLY_STATUSES: readonly Status[] = ['open', 'pending', 'resolved'];
