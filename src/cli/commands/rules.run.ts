// `tandem rule …`: add, edit, order, enable, remove, import, export, test and replay rules.
import fs from 'node:fs';
import { invalid, usage } from '../../core/errors.js';
import { parseItemId } from '../../core/item-view.js';
import { ruleText } from '../../core/rules/definition.js';
import { formatOf, parseInlineValue, parseRuleText, stringifyRules, type RuleFormat } from '../../core/rules/rule-file.js';
import {
  addRule,
  editRule,
  exportRules,
  findRule,
  importRules,
  listRules,
  moveRule,
  removeRule,
  ruleRevisions,
  setRuleEnabled,
  type MoveTarget,
  type StoredRule,
} from '../../core/rules/rule-store.js';
import { replayRules, testRules, type RuleTestReport } from '../../core/rules/rule-test.js';
import { sanitizeLine, sanitizeText } from '../../text/sanitize.js';
import type { Deps } from '../runtime.js';

/** The JSON shape of a rule (documented in docs/rules-and-macros.md). */
export function ruleJson(r: StoredRule) {
  return {
    id: r.id,
    name: r.name,
    when: r.when,
    position: r.position,
    enabled: r.enabled,
    revision: r.revision,
    stop: r.spec.stop,
    if: r.spec.if ?? null,
    then: r.spec.then,
    firedCount: r.firedCount,
    lastFiredAt: r.lastFiredAt,
    savedBy: r.savedBy,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
  };
}

async function readFileArg(rt: Deps, file: string): Promise<{ text: string; name: string | null }> {
  if (file === '-') return { text: await rt.readStdin(), name: null };
  try {
    return { text: fs.readFileSync(file, 'utf8'), name: file };
  } catch (e) {
    throw invalid(`cannot read ${file}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`);
  }
}

function parseFormat(text: string | undefined): RuleFormat | undefined {
  if (text === undefined) return undefined;
  const f = text.toLowerCase();
  if (f === 'yaml' || f === 'yml') return 'yaml';
  if (f === 'json') return 'json';
  throw invalid(`--format takes yaml or json (got ${JSON.stringify(text)})`);
}

interface RuleFlags {
  file?: string;
  name?: string;
  when?: string;
  if?: string;
  then?: string;
  stop?: boolean;
  disabled?: boolean;
  before?: string;
  format?: string;
}

/** The rule (or the changed parts of it) from --file or from the flags. */
async function ruleFromFlags(rt: Deps, o: RuleFlags): Promise<{ raw: Record<string, unknown>; whole: boolean }> {
  if (o.file) {
    if (o.name || o.when || o.if || o.then) throw usage('give the rule either as --file, or with --name/--when/--if/--then, not both');
    const { text, name } = await readFileArg(rt, o.file);
    let data = await parseRuleText(text, parseFormat(o.format) ?? formatOf(name, text));
    if (Array.isArray(data)) {
      if (data.length !== 1)
        throw invalid(`the file holds ${data.length} rules; \`tandem rule import\` reads a list, \`rule add\` one rule`);
      data = data[0];
    }
    if (typeof data !== 'object' || data === null) throw invalid('a rule file holds a rule: name, when, if, then; nothing was saved');
    return { raw: data as Record<string, unknown>, whole: true };
  }
  const raw: Record<string, unknown> = {};
  if (o.name !== undefined) raw.name = o.name;
  if (o.when !== undefined) raw.when = o.when;
  if (o.if !== undefined) raw.if = o.if === '' || o.if === 'always' ? null : await parseInlineValue(o.if, '--if');
  if (o.then !== undefined) raw.then = await parseInlineValue(o.then, '--then');
  if (o.stop !== undefined) raw.stop = o.stop;
  if (o.disabled) raw.enabled = false;
  return { raw, whole: false };
}

function printRule(rt: Deps, r: StoredRule): void {
  const c = rt.out.c;
  rt.out.print(
    c.bold(`Rule #${r.id} ${sanitizeLine(JSON.stringify(r.name))}`) +
      c.dim(` (v${r.revision}, position ${r.position}${r.enabled ? '' : ', disabled'})`),
  );
  rt.out.fields([
    ['When', r.when],
    ['Runs', `${r.firedCount}${r.lastFiredAt ? `, last ${r.lastFiredAt}` : ''}`],
    ['Saved by', r.savedBy ? '@' + r.savedBy : null],
  ]);
}

function ruleChanged(rt: Deps, r: StoredRule, sentence: string, changed = true): void {
  if (rt.out.json) return rt.out.printJson(ruleJson(r));
  if (!rt.out.tty) return rt.out.print(String(r.id));
  rt.out.print(
    changed
      ? `Rule #${r.id} ${sanitizeLine(JSON.stringify(r.name))} ${sentence} (v${r.revision})`
      : `Rule #${r.id} unchanged: ${sentence} already`,
  );
}

function printTest(rt: Deps, report: RuleTestReport): void {
  const c = rt.out.c;
  const mark = (ok: boolean) => (ok ? c.green('✓ yes') : c.red('✗ no'));
  const shown = (v: unknown) =>
    sanitizeLine(Array.isArray(v) ? `[${v.join(', ')}]` : v === null || v === undefined ? '—' : JSON.stringify(v));
  if (report.rules.length === 0) rt.out.print(`No enabled ${report.when} rules to test.`);
  for (const r of report.rules) {
    rt.out.print(
      c.bold(
        `Rule #${r.id} ${sanitizeLine(JSON.stringify(r.name))} (v${r.revision}, ${r.when}${r.enabled ? '' : ', disabled'}) on item #${report.itemId}`,
      ),
    );
    for (const t of r.conditions) {
      const value =
        'value' in t
          ? `  value ${shown(t.value)}${t.confidence !== undefined ? `, confidence ${t.confidence === null ? '—' : t.confidence}` : ''}`
          : '';
      rt.out.print(`  ${'  '.repeat(t.depth)}${sanitizeLine(t.label)}${value}  → ${mark(t.result)}`);
    }
    if (!r.matched) rt.out.print(c.dim('  does not match: no actions'));
    else if (r.refused)
      rt.out.print(
        c.yellow(
          `  matches, but ${sanitizeLine(r.refused.action)} would be refused: ${sanitizeLine(r.refused.reason)}; the rule would change nothing`,
        ),
      );
    else if (r.actions.length === 0) rt.out.print('  matches; its actions would change nothing (already so)');
    else {
      rt.out.print('  matches; it would:');
      for (const a of r.actions) rt.out.print(`    - ${sanitizeLine(a)}`);
    }
    if (r.stops) rt.out.print(c.dim('  stop: the rules after it would not run'));
  }
  if (report.stoppedBefore.length)
    rt.out.print(c.dim(`Not evaluated (after a stop): ${report.stoppedBefore.map((n) => sanitizeLine(n)).join(', ')}`));
  const b = report.before;
  const a = report.after;
  rt.out.print(
    report.unchanged
      ? c.dim(
          `Nothing was written: item #${report.itemId} at version ${b.itemVersion} with ${b.itemEvents} events before and after; ${b.events} events and ${b.items} items in the database before and after.`,
        )
      : c.red(
          `The database changed during the test (another process wrote): version ${b.itemVersion} → ${a.itemVersion}, events ${b.events} → ${a.events}.`,
        ),
  );
}

/** The rule's YAML through the agent's editor; null when the text came back unchanged. */
async function editInEditor(rt: Deps, ref: string): Promise<Record<string, unknown> | null> {
  const { editorCommand, runExternalEditor, NO_TERMINAL } = await import('../../tui/editor.js');
  const command = editorCommand(rt.env);
  if (!command) throw usage('set $VISUAL or $EDITOR to edit a rule there, or say what changes: --if, --then, --file…');
  const current = await findRule((await rt.ctx()).store.db, ref);
  const initial = await stringifyRules(ruleText(current.spec), 'yaml');
  const r = runExternalEditor(command, initial, `rule-${current.id}.yaml`, NO_TERMINAL);
  if (!r.ok) throw invalid(`${r.error ?? 'the editor failed'}; nothing was saved`);
  if (r.text.trim() === initial.trim()) {
    rt.out.note(`Rule #${current.id} unchanged.`);
    return null;
  }
  const data = await parseRuleText(r.text, 'yaml', 'the edited rule');
  if (typeof data !== 'object' || data === null || Array.isArray(data))
    throw invalid('the edited text is not one rule (name, when, if, then); nothing was saved');
  return data as Record<string, unknown>;
}

function sanitizeTextBlock(text: string): string {
  return sanitizeText(text.trimEnd());
}

export type ListOptions = Record<string, never>;

export async function runList(_o: ListOptions, rt: Deps): Promise<void> {
  const rules = await listRules((await rt.ctx()).store.db);
  if (rt.out.json) return rt.out.printJson(rules.map(ruleJson));
  rt.out.table(
    rules,
    [
      { header: 'POS', value: (r) => String(r.position), align: 'right' },
      { header: 'ID', value: (r) => String(r.id), align: 'right' },
      { header: 'NAME', value: (r) => r.name, flex: true, max: 40 },
      { header: 'WHEN', value: (r) => r.when },
      { header: 'ON', value: (r) => (r.enabled ? 'on' : 'off'), color: (r, t, c) => (r.enabled ? c.green(t) : c.dim(t)) },
      { header: 'REV', value: (r) => 'v' + r.revision },
      { header: 'STOP', value: (r) => (r.spec.stop ? 'stop' : '') },
      { header: 'RUNS', value: (r) => String(r.firedCount), align: 'right' },
    ],
    { headers: true, empty: 'No rules yet. Add one with `tandem rule add` or `tandem rule import FILE`.' },
  );
}

export type ShowFlags = { revision?: string };
export type ShowOptions = ShowFlags & { ref: string };

export async function runShow(o: ShowOptions, rt: Deps): Promise<void> {
  const { ref } = o;
  const db = (await rt.ctx()).store.db;
  const r = await findRule(db, ref);
  const revisions = await ruleRevisions(db, r.id);
  if (o.revision !== undefined) {
    const rev = revisions.find((v) => String(v.revision) === o.revision!.replace(/^v/, ''));
    if (!rev)
      throw invalid(`rule #${r.id} has revisions ${revisions.map((v) => 'v' + v.revision).join(', ')} (got ${JSON.stringify(o.revision)})`);
    if (rt.out.json) return rt.out.printJson(rev);
    rt.out.print(rt.out.c.dim(`# rule #${r.id}, v${rev.revision}, saved ${rev.savedAt}${rev.savedBy ? ' by @' + rev.savedBy : ''}`));
    return rt.out.print(sanitizeTextBlock(await stringifyRules([rev.text], 'yaml')));
  }
  if (rt.out.json) return rt.out.printJson({ ...ruleJson(r), revisions: revisions.map(({ text: _t, ...v }) => v) });
  printRule(rt, r);
  rt.out.print('');
  rt.out.print(sanitizeTextBlock(await stringifyRules([ruleText(r.spec)], 'yaml')));
  rt.out.print(
    rt.out.c.dim(`Revisions: ${revisions.map((v) => `v${v.revision} ${v.savedAt}${v.savedBy ? ' @' + v.savedBy : ''}`).join('; ')}`),
  );
}

export type AddOptions = RuleFlags;

export async function runAdd(o: AddOptions, rt: Deps): Promise<void> {
  const { raw } = await ruleFromFlags(rt, o);
  const r = await addRule(await rt.ctx(), await rt.meOrNull(), raw, { before: o.before });
  ruleChanged(rt, r, 'added');
}

export type EditFlags = RuleFlags & { editor?: boolean };
export type EditOptions = EditFlags & { ref: string };

export async function runEdit(o: EditOptions, rt: Deps): Promise<void> {
  const { ref } = o;
  const flagsGiven = Boolean(o.file || o.name || o.when || o.if || o.then || o.stop !== undefined);
  if (o.editor || !flagsGiven) {
    if (flagsGiven) throw usage('--editor edits the whole rule; give it alone');
    const edited = await editInEditor(rt, ref);
    if (!edited) return;
    const { rule: r, changed } = await editRule(await rt.ctx(), await rt.meOrNull(), ref, edited, { replace: true });
    return ruleChanged(rt, r, changed ? 'saved' : 'the same', changed);
  }
  const { raw, whole } = await ruleFromFlags(rt, o);
  if (Object.keys(raw).length === 0) throw usage('say what changes: --file, --name, --when, --if, --then or --stop/--no-stop');
  const { rule: r, changed } = await editRule(await rt.ctx(), await rt.meOrNull(), ref, raw, { replace: whole });
  ruleChanged(rt, r, changed ? 'saved' : 'the same', changed);
}

export type MoveFlags = { before?: string; after?: string; first?: boolean; last?: boolean };
export type MoveOptions = MoveFlags & { ref: string };

export async function runMove(o: MoveOptions, rt: Deps): Promise<void> {
  const { ref } = o;
  const given = [o.before !== undefined, o.after !== undefined, Boolean(o.first), Boolean(o.last)].filter(Boolean).length;
  if (given !== 1) throw usage('say where: --before RULE, --after RULE, --first or --last');
  const to: MoveTarget =
    o.before !== undefined ? { before: o.before } : o.after !== undefined ? { after: o.after } : o.first ? { first: true } : { last: true };
  const rules = await moveRule(await rt.ctx(), ref, to);
  if (rt.out.json) return rt.out.printJson(rules.map(ruleJson));
  if (!rt.out.tty) return rt.out.print(rules.map((r) => r.id).join('\n'));
  rt.out.print(`Order: ${rules.map((r) => `${r.position}. ${sanitizeLine(r.name)}`).join('  ')}`);
}

export interface EnableOptions {
  ref: string;
  enabled: boolean;
}

/** `rule enable` and `rule disable`. */
export async function runEnable(o: EnableOptions, rt: Deps): Promise<void> {
  const { ref, enabled } = o;
  const { rule: r, changed } = await setRuleEnabled(await rt.ctx(), ref, enabled);
  ruleChanged(rt, r, enabled ? 'enabled' : 'disabled', changed);
}

export type RemoveFlags = { yes?: boolean };
export type RemoveOptions = RemoveFlags & { ref: string };

export async function runRemove(o: RemoveOptions, rt: Deps): Promise<void> {
  const { ref } = o;
  if (!o.yes) throw usage(`removing a rule cannot be undone; add --yes (or \`tandem rule disable ${ref}\` to switch it off)`);
  const r = await removeRule(await rt.ctx(), ref);
  if (rt.out.json) return rt.out.printJson(ruleJson(r));
  if (!rt.out.tty) return rt.out.print(String(r.id));
  rt.out.print(`Removed rule #${r.id} ${sanitizeLine(JSON.stringify(r.name))}`);
}

export type ImportFlags = { replace?: boolean; format?: string };
export type ImportOptions = ImportFlags & { file: string };

export async function runImport(o: ImportOptions, rt: Deps): Promise<void> {
  const { file } = o;
  const { text, name } = await readFileArg(rt, file);
  const data = await parseRuleText(text, parseFormat(o.format) ?? formatOf(name, text));
  const r = await importRules(await rt.ctx(), await rt.meOrNull(), data, { replace: o.replace });
  if (rt.out.json) return rt.out.printJson(r);
  const parts = [`${r.added.length} added`, `${r.updated.length} updated`, `${r.unchanged.length} unchanged`];
  if (o.replace) parts.push(`${r.removed.length} removed`);
  rt.out.note(`Imported rules: ${parts.join(', ')}.`);
}

export type ExportFlags = { format?: string; json?: boolean };
export type ExportOptions = ExportFlags & { file: string | undefined };

export async function runExport(o: ExportOptions, rt: Deps): Promise<void> {
  const { file } = o;
  const format: RuleFormat = o.json ? 'json' : (parseFormat(o.format) ?? (file ? formatOf(file, '') : 'yaml'));
  const text = await stringifyRules(await exportRules((await rt.ctx()).store.db), format);
  if (!file) return void rt.io.stdout.write(text);
  fs.writeFileSync(file, text);
  rt.out.note(`Wrote ${file}`);
}

export type TestFlags = { item: string; all?: boolean; when?: string };
export type TestOptions = TestFlags & { ref: string | undefined };

export async function runTest(o: TestOptions, rt: Deps): Promise<void> {
  const { ref } = o;
  const report = await testRules(await rt.ctx(), { itemId: parseItemId(o.item), rule: ref, all: o.all, when: o.when });
  if (rt.out.json) return rt.out.printJson(report);
  printTest(rt, report);
}

export type ReplayFlags = { since: string };
export type ReplayOptions = ReplayFlags & { ref: string | undefined };

export async function runReplay(o: ReplayOptions, rt: Deps): Promise<void> {
  const { ref } = o;
  const report = await replayRules(await rt.ctx(), { since: o.since, rule: ref });
  if (rt.out.json) return rt.out.printJson(report);
  rt.out.note(`${report.items} item(s) created since ${report.since}:`);
  rt.out.table(
    report.rules,
    [
      { header: 'ID', value: (r) => String(r.id), align: 'right' },
      { header: 'NAME', value: (r) => r.name, flex: true, max: 40 },
      { header: 'WHEN', value: (r) => r.when },
      { header: 'ON', value: (r) => (r.enabled ? 'on' : 'off') },
      { header: 'MATCHED', value: (r) => String(r.matched), align: 'right' },
      { header: 'SHARE', value: (r) => (report.items ? `${Math.round((100 * r.matched) / report.items)}%` : '—'), align: 'right' },
      { header: 'EXAMPLES', value: (r) => r.examples.map((id) => '#' + id).join(' ') },
    ],
    { headers: true, empty: 'No rules yet.' },
  );
}
