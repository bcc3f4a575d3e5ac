// Saving and reading rules: add, edit (a new revision), order, enable, remove, import and export.
// Every rule is validated before anything is written; every revision is kept, so the revision an
// event names can always be read again.
import type { Selectable } from 'kysely';
import type { Db } from '../../store/store.js';
import type { RuleTable } from '../../store/schema.js';
import type { Agent } from '../agents.js';
import type { Ctx } from '../context.js';
import { conflict, invalid, notFound } from '../errors.js';
import { handlesIn, parseRule, ruleText, type RuleSpec, type Trigger } from './definition.js';

export interface StoredRule {
  id: number;
  name: string;
  when: Trigger;
  position: number;
  enabled: boolean;
  revision: number;
  spec: RuleSpec;
  firedCount: number;
  lastFiredAt: string | null;
  lastAssigneeId: number | null;
  savedBy: string | null;
  createdAt: string;
  updatedAt: string;
}

type Row = Selectable<RuleTable> & { saved_by: string | null };

function toStored(r: Row): StoredRule {
  const spec = parseRule({ ...(JSON.parse(r.definition) as object), enabled: r.enabled === 1 });
  return {
    id: r.id,
    name: r.name,
    when: r.trigger,
    position: r.position,
    enabled: r.enabled === 1,
    revision: r.revision,
    spec,
    firedCount: r.fired_count,
    lastFiredAt: r.last_fired_at,
    lastAssigneeId: r.last_assignee_id,
    savedBy: r.saved_by,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

function ruleQuery(db: Db) {
  return db
    .selectFrom('rules as r')
    .leftJoin('rule_revisions as v', (j) => j.onRef('v.rule_id', '=', 'r.id').onRef('v.revision', '=', 'r.revision'))
    .selectAll('r')
    .select('v.saved_by');
}

/** The enabled rules of one trigger, in order (the engine's one read when nothing matches). */
export async function loadEnabledRules(db: Db, trigger: Trigger): Promise<StoredRule[]> {
  const rows = await ruleQuery(db)
    .where('r.trigger', '=', trigger)
    .where('r.enabled', '=', 1)
    .orderBy('r.position')
    .orderBy('r.id')
    .execute();
  return rows.map(toStored);
}

export async function listRules(db: Db): Promise<StoredRule[]> {
  return (await ruleQuery(db).orderBy('r.position').orderBy('r.id').execute()).map(toStored);
}

/** A rule by id (`3`, `#3`) or by name (any case). */
export async function findRule(db: Db, ref: string): Promise<StoredRule> {
  const text = ref.trim();
  const byId = /^#?\d+$/.test(text);
  const id = byId ? Number(text.replace('#', '')) : 0;
  // Past the integer column's range no rule has that id (PostgreSQL would refuse the comparison).
  if (byId && id > 2_147_483_647) throw notFound(`no rule ${JSON.stringify(text)} (see \`tandem rule list\`)`);
  const rows = await ruleQuery(db)
    .where(byId ? 'r.id' : 'r.name', '=', byId ? id : text)
    .execute();
  if (rows.length === 0 && !byId) {
    const all = (await ruleQuery(db).execute()).filter((r) => r.name.toLowerCase() === text.toLowerCase());
    if (all.length === 1) return toStored(all[0]!);
  }
  if (rows.length === 0) throw notFound(`no rule ${JSON.stringify(text)} (see \`tandem rule list\`)`);
  return toStored(rows[0]!);
}

export interface RuleRevision {
  revision: number;
  name: string;
  when: Trigger;
  text: Record<string, unknown>;
  savedBy: string | null;
  savedAt: string;
}

export async function ruleRevisions(db: Db, ruleId: number): Promise<RuleRevision[]> {
  const rows = await db.selectFrom('rule_revisions').selectAll().where('rule_id', '=', ruleId).orderBy('revision').execute();
  return rows.map((r) => ({
    revision: r.revision,
    name: r.name,
    when: r.trigger,
    text: JSON.parse(r.definition) as Record<string, unknown>,
    savedBy: r.saved_by,
    savedAt: r.saved_at,
  }));
}

async function checkHandles(db: Db, spec: RuleSpec): Promise<void> {
  const handles = handlesIn(spec);
  if (handles.length === 0) return;
  const found = new Set((await db.selectFrom('agents').select('handle').where('handle', 'in', handles).execute()).map((a) => a.handle));
  const missing = handles.find((h) => !found.has(h));
  if (missing) throw invalid(`rule ${JSON.stringify(spec.name)}: no agent @${missing}; nothing was saved`);
}

/** The stored text: what was written, without the enabled flag (a column of its own). */
function storedText(spec: RuleSpec): string {
  const { enabled: _enabled, ...text } = ruleText({ ...spec, enabled: true });
  return JSON.stringify(text);
}

async function renumber(trx: Db, orderedIds: number[]): Promise<void> {
  for (const [i, id] of orderedIds.entries())
    await trx
      .updateTable('rules')
      .set({ position: i + 1 })
      .where('id', '=', id)
      .execute();
}

async function orderedIds(trx: Db): Promise<number[]> {
  return (await trx.selectFrom('rules').select('id').orderBy('position').orderBy('id').execute()).map((r) => r.id);
}

async function insertRule(trx: Db, spec: RuleSpec, by: Agent | null, now: string): Promise<number> {
  const last = await trx
    .selectFrom('rules')
    .select((eb) => eb.fn.max('position').as('p'))
    .executeTakeFirst();
  const row = await trx
    .insertInto('rules')
    .values({
      name: spec.name,
      trigger: spec.when,
      position: Number(last?.p ?? 0) + 1,
      enabled: spec.enabled ? 1 : 0,
      revision: 1,
      definition: storedText(spec),
      fired_count: 0,
      last_fired_at: null,
      last_assignee_id: null,
      created_at: now,
      updated_at: now,
    })
    .onConflict((oc) => oc.column('name').doNothing())
    .returning('id')
    .executeTakeFirst();
  if (!row) throw conflict(`a rule named ${JSON.stringify(spec.name)} already exists; edit it with \`tandem rule edit\``);
  await trx
    .insertInto('rule_revisions')
    .values({
      rule_id: row.id,
      revision: 1,
      name: spec.name,
      trigger: spec.when,
      definition: storedText(spec),
      saved_by: by?.handle ?? null,
      saved_at: now,
    })
    .execute();
  return row.id;
}

/** Save a changed definition as the next revision (nothing when it did not change). */
async function reviseRule(trx: Db, current: StoredRule, spec: RuleSpec, by: Agent | null, now: string): Promise<boolean> {
  const text = storedText(spec);
  const enabled = spec.enabled ? 1 : 0;
  if (text === storedText(current.spec) && enabled === (current.enabled ? 1 : 0)) return false;
  if (text === storedText(current.spec)) {
    await trx.updateTable('rules').set({ enabled, updated_at: now }).where('id', '=', current.id).execute();
    return true;
  }
  if (spec.name !== current.name) {
    const clash = await trx.selectFrom('rules').select('id').where('name', '=', spec.name).where('id', '!=', current.id).executeTakeFirst();
    if (clash) throw conflict(`a rule named ${JSON.stringify(spec.name)} already exists (#${clash.id})`);
  }
  const revision = current.revision + 1;
  await trx
    .updateTable('rules')
    .set({ name: spec.name, trigger: spec.when, definition: text, enabled, revision, updated_at: now })
    .where('id', '=', current.id)
    .where('revision', '=', current.revision)
    .execute();
  await trx
    .insertInto('rule_revisions')
    .values({
      rule_id: current.id,
      revision,
      name: spec.name,
      trigger: spec.when,
      definition: text,
      saved_by: by?.handle ?? null,
      saved_at: now,
    })
    .execute();
  return true;
}

export async function addRule(ctx: Ctx, by: Agent | null, raw: unknown, opts: { before?: string } = {}): Promise<StoredRule> {
  const spec = parseRule(raw);
  const now = ctx.clock().toISOString();
  return ctx.store.write(async (trx) => {
    await checkHandles(trx, spec);
    const before = opts.before ? await findRule(trx, opts.before) : null;
    const id = await insertRule(trx, spec, by, now);
    if (before) {
      const ids = (await orderedIds(trx)).filter((x) => x !== id);
      ids.splice(ids.indexOf(before.id), 0, id);
      await renumber(trx, ids);
    }
    return findRule(trx, String(id));
  });
}

/**
 * Edit a rule: `patch` holds the parts that change (name, when, if, then, stop, enabled); with
 * `replace`, it is the whole new rule. A changed definition is a new revision.
 */
export async function editRule(
  ctx: Ctx,
  by: Agent | null,
  ref: string,
  patch: Record<string, unknown>,
  opts: { replace?: boolean } = {},
): Promise<{ rule: StoredRule; changed: boolean }> {
  const now = ctx.clock().toISOString();
  return ctx.store.write(async (trx) => {
    const current = await findRule(trx, ref);
    const base = ruleText(current.spec);
    const merged: Record<string, unknown> = opts.replace ? { ...patch } : { ...base, ...patch };
    if (opts.replace && merged.name === undefined) merged.name = current.name;
    if (merged.if === null) delete merged.if;
    const spec = parseRule(merged);
    await checkHandles(trx, spec);
    const changed = await reviseRule(trx, current, spec, by, now);
    return { rule: await findRule(trx, String(current.id)), changed };
  });
}

export async function setRuleEnabled(ctx: Ctx, ref: string, enabled: boolean): Promise<{ rule: StoredRule; changed: boolean }> {
  const now = ctx.clock().toISOString();
  return ctx.store.write(async (trx) => {
    const current = await findRule(trx, ref);
    if (current.enabled === enabled) return { rule: current, changed: false };
    await trx
      .updateTable('rules')
      .set({ enabled: enabled ? 1 : 0, updated_at: now })
      .where('id', '=', current.id)
      .execute();
    return { rule: await findRule(trx, String(current.id)), changed: true };
  });
}

export type MoveTarget = { before: string } | { after: string } | { first: true } | { last: true };

export async function moveRule(ctx: Ctx, ref: string, to: MoveTarget): Promise<StoredRule[]> {
  return ctx.store.write(async (trx) => {
    const rule = await findRule(trx, ref);
    const ids = (await orderedIds(trx)).filter((x) => x !== rule.id);
    if ('first' in to) ids.unshift(rule.id);
    else if ('last' in to) ids.push(rule.id);
    else {
      const anchorRef = 'before' in to ? to.before : to.after;
      const anchor = await findRule(trx, anchorRef);
      if (anchor.id === rule.id) throw invalid(`cannot move rule #${rule.id} relative to itself`);
      ids.splice(ids.indexOf(anchor.id) + ('before' in to ? 0 : 1), 0, rule.id);
    }
    await renumber(trx, ids);
    return listRules(trx);
  });
}

export async function removeRule(ctx: Ctx, ref: string): Promise<StoredRule> {
  return ctx.store.write(async (trx) => {
    const rule = await findRule(trx, ref);
    // Its revisions stay: events on items still name this rule's revisions.
    await trx.deleteFrom('rules').where('id', '=', rule.id).execute();
    await renumber(trx, await orderedIds(trx));
    return rule;
  });
}

export interface ImportResult {
  added: string[];
  updated: string[];
  unchanged: string[];
  removed: string[];
}

/**
 * Import a rule file: every rule is validated first (one bad rule: nothing is written). Rules are
 * matched by name: new ones are added, changed ones get a new revision. The file's order becomes
 * the rules' order, ahead of rules the file does not name; `replace` removes those.
 */
export async function importRules(ctx: Ctx, by: Agent | null, list: unknown, opts: { replace?: boolean } = {}): Promise<ImportResult> {
  if (!Array.isArray(list)) throw invalid('a rule file is a list of rules (YAML: "- name: …"; JSON: [ … ]); nothing was saved');
  const specs = list.map((r, i) => parseRule(r, i));
  const seen = new Set<string>();
  for (const s of specs) {
    if (seen.has(s.name.toLowerCase())) throw invalid(`rule ${JSON.stringify(s.name)} appears twice in the file; nothing was saved`);
    seen.add(s.name.toLowerCase());
  }
  const now = ctx.clock().toISOString();
  return ctx.store.write(async (trx) => {
    for (const s of specs) await checkHandles(trx, s);
    const existing = await listRules(trx);
    const byName = new Map(existing.map((r) => [r.name.toLowerCase(), r]));
    const result: ImportResult = { added: [], updated: [], unchanged: [], removed: [] };
    const fileIds: number[] = [];
    for (const spec of specs) {
      const current = byName.get(spec.name.toLowerCase());
      if (current) {
        const changed = await reviseRule(trx, current, spec, by, now);
        (changed ? result.updated : result.unchanged).push(spec.name);
        fileIds.push(current.id);
      } else {
        fileIds.push(await insertRule(trx, spec, by, now));
        result.added.push(spec.name);
      }
    }
    const others = existing.filter((r) => !fileIds.includes(r.id));
    if (opts.replace) {
      for (const r of others) {
        await trx.deleteFrom('rules').where('id', '=', r.id).execute();
        result.removed.push(r.name);
      }
      await renumber(trx, fileIds);
    } else {
      await renumber(trx, [...fileIds, ...others.map((r) => r.id)]);
    }
    return result;
  });
}

/** Every rule in order, in the written form (what `rule import` reads back). */
export async function exportRules(db: Db): Promise<Record<string, unknown>[]> {
  return (await listRules(db)).map((r) => ruleText(r.spec));
}
