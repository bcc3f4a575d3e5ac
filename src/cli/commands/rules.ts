// `tandem rule …`: add, edit, order, enable, remove, import, export, test and replay rules.
import fs from 'node:fs';
import type { Command } from 'commander';
import { invalid, usage } from '../../core/errors.js';
import { parseItemId } from '../../core/item-view.js';
import { ruleText } from '../../core/rules/definition.js';
import { formatOf, parseInlineValue, parseRuleText, stringifyRules, type RuleFormat } from '../../core/rules/rule-file.js';
import {
  addRule, editRule, exportRules, findRule, importRules, listRules, moveRule, removeRule, ruleRevisions, setRuleEnabled,
  type MoveTarget, type StoredRule,
} from '../../core/rules/rule-store.js';
import { replayRules, testRules, type RuleTestReport } from '../../core/rules/rule-test.js';
import { sanitizeLine, sanitizeText } from '../../text/sanitize.js';
import { withRuntime, withJson } from '../command-kit.js';
import { readStdin, type Runtime } from '../runtime.js';

/** The JSON shape of a rule (documented in docs/rules-and-macros.md). */
export function ruleJson(r: StoredRule) {
  return {
    id: r.id, name: r.name, when: r.when, position: r.position, enabled: r.enabled, revision: r.revision, stop: r.spec.stop,
    if: r.spec.if ?? null, then: r.spec.then, firedCount: r.firedCount, lastFiredAt: r.lastFiredAt, savedBy: r.savedBy,
    createdAt: r.createdAt, updatedAt: r.updatedAt,
  };
}

async function readFileArg(file: string): Promise<{ text: string; name: string | null }> {
  if (file === '-') return { text: await readStdin(), name: null };
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

interface RuleFlags { file?: string; name?: string; when?: string; if?: string; then?: string; stop?: boolean; disabled?: boolean; before?: string; format?: string }

/** The rule (or the changed parts of it) from --file or from the flags. */
async function ruleFromFlags(o: RuleFlags): Promise<{ raw: Record<string, unknown>; whole: boolean }> {
  if (o.file) {
    if (o.name || o.when || o.if || o.then) throw usage('give the rule either as --file, or with --name/--when/--if/--then, not both');
    const { text, name } = await readFileArg(o.file);
    let data = await parseRuleText(text, parseFormat(o.format) ?? formatOf(name, text));
    if (Array.isArray(data)) {
      if (data.length !== 1) throw invalid(`the file holds ${data.length} rules; \`tandem rule import\` reads a list, \`rule add\` one rule`);
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

function printRule(rt: Runtime, r: StoredRule): void {
  const c = rt.out.c;
  rt.out.print(c.bold(`Rule #${r.id} ${sanitizeLine(JSON.stringify(r.name))}`) + c.dim(` (v${r.revision}, position ${r.position}${r.enabled ? '' : ', disabled'})`));
  rt.out.fields([
    ['When', r.when],
    ['Runs', `${r.firedCount}${r.lastFiredAt ? `, last ${r.lastFiredAt}` : ''}`],
    ['Saved by', r.savedBy ? '@' + r.savedBy : null],
  ]);
}

function ruleChanged(rt: Runtime, r: StoredRule, sentence: string, changed = true): void {
  if (rt.out.json) return rt.out.printJson(ruleJson(r));
  if (!rt.out.tty) return rt.out.print(String(r.id));
  rt.out.print(changed ? `Rule #${r.id} ${sanitizeLine(JSON.stringify(r.name))} ${sentence} (v${r.revision})` : `Rule #${r.id} unchanged: ${sentence} already`);
}

function printTest(rt: Runtime, report: RuleTestReport): void {
  const c = rt.out.c;
  const mark = (ok: boolean) => (ok ? c.green('✓ yes') : c.red('✗ no'));
  const shown = (v: unknown) => sanitizeLine(Array.isArray(v) ? `[${v.join(', ')}]` : v === null || v === undefined ? '—' : JSON.stringify(v));
  if (report.rules.length === 0) rt.out.print(`No enabled ${report.when} rules to test.`);
  for (const r of report.rules) {
    rt.out.print(c.bold(`Rule #${r.id} ${sanitizeLine(JSON.stringify(r.name))} (v${r.revision}, ${r.when}${r.enabled ? '' : ', disabled'}) on item #${report.itemId}`));
    for (const t of r.conditions) {
      const value = 'value' in t ? `  value ${shown(t.value)}${t.confidence !== undefined ? `, confidence ${t.confidence === null ? '—' : t.confidence}` : ''}` : '';
      rt.out.print(`  ${'  '.repeat(t.depth)}${sanitizeLine(t.label)}${value}  → ${mark(t.result)}`);
    }
    if (!r.matched) rt.out.print(c.dim('  does not match: no actions'));
    else if (r.refused) rt.out.print(c.yellow(`  matches, but ${sanitizeLine(r.refused.action)} would be refused: ${sanitizeLine(r.refused.reason)}; the rule would change nothing`));
    else if (r.actions.length === 0) rt.out.print('  matches; its actions would change nothing (already so)');
    else {
      rt.out.print('  matches; it would:');
      for (const a of r.actions) rt.out.print(`    - ${sanitizeLine(a)}`);
    }
    if (r.stops) rt.out.print(c.dim('  stop: the rules after it would not run'));
  }
  if (report.stoppedBefore.length) rt.out.print(c.dim(`Not evaluated (after a stop): ${report.stoppedBefore.map((n) => sanitizeLine(n)).join(', ')}`));
  const b = report.before;
  const a = report.after;
  rt.out.print(report.unchanged
    ? c.dim(`Nothing was written: item #${report.itemId} at version ${b.itemVersion} with ${b.itemEvents} events before and after; ${b.events} events and ${b.items} items in the database before and after.`)
    : c.red(`The database changed during the test (another process wrote): version ${b.itemVersion} → ${a.itemVersion}, events ${b.events} → ${a.events}.`));
}

export function registerRuleCommands(program: Command): void {
  const rule = program.command('rule').description('rules: when an item is created, updated or escalated, matching rules act, in order');

  withJson(rule.command('list'))
    .description('list the rules in the order they run')
    .action(withRuntime(async (rt) => {
      const rules = await listRules((await rt.ctx()).store.db);
      if (rt.out.json) return rt.out.printJson(rules.map(ruleJson));
      rt.out.table(rules, [
        { header: 'POS', value: (r) => String(r.position), align: 'right' },
        { header: 'ID', value: (r) => String(r.id), align: 'right' },
        { header: 'NAME', value: (r) => r.name, flex: true, max: 40 },
        { header: 'WHEN', value: (r) => r.when },
        { header: 'ON', value: (r) => (r.enabled ? 'on' : 'off'), color: (r, t, c) => (r.enabled ? c.green(t) : c.dim(t)) },
        { header: 'REV', value: (r) => 'v' + r.revision },
        { header: 'STOP', value: (r) => (r.spec.stop ? 'stop' : '') },
        { header: 'RUNS', value: (r) => String(r.firedCount), align: 'right' },
      ], { headers: true, empty: 'No rules yet. Add one with `tandem rule add` or `tandem rule import FILE`.' });
    }));

  withJson(rule.command('show'))
    .description('show a rule as YAML (or --json), with its revisions')
    .argument('<rule>', 'rule id or name')
    .option('--revision <n>', 'show an earlier revision')
    .action(withRuntime(async (rt, ref: string, o: { revision?: string }) => {
      const db = (await rt.ctx()).store.db;
      const r = await findRule(db, ref);
      const revisions = await ruleRevisions(db, r.id);
      if (o.revision !== undefined) {
        const rev = revisions.find((v) => String(v.revision) === o.revision!.replace(/^v/, ''));
        if (!rev) throw invalid(`rule #${r.id} has revisions ${revisions.map((v) => 'v' + v.revision).join(', ')} (got ${JSON.stringify(o.revision)})`);
        if (rt.out.json) return rt.out.printJson(rev);
        rt.out.print(rt.out.c.dim(`# rule #${r.id}, v${rev.revision}, saved ${rev.savedAt}${rev.savedBy ? ' by @' + rev.savedBy : ''}`));
        return rt.out.print(sanitizeTextBlock(await stringifyRules([rev.text], 'yaml')));
      }
      if (rt.out.json) return rt.out.printJson({ ...ruleJson(r), revisions: revisions.map(({ text: _t, ...v }) => v) });
      printRule(rt, r);
      rt.out.print('');
      rt.out.print(sanitizeTextBlock(await stringifyRules([ruleText(r.spec)], 'yaml')));
      rt.out.print(rt.out.c.dim(`Revisions: ${revisions.map((v) => `v${v.revision} ${v.savedAt}${v.savedBy ? ' @' + v.savedBy : ''}`).join('; ')}`));
    }));

  const ruleFlags = (cmd: Command) => cmd
    .option('-f, --file <file>', 'the rule as YAML or JSON ("-" reads standard input)')
    .option('--name <name>', 'the rule\'s name')
    .option('--when <when>', 'created | updated | escalated')
    .option('--if <condition>', 'condition, YAML or JSON: "{ field: subject, matches: \'(?i)refund\' }" ("always" for none)')
    .option('--then <actions>', 'actions, YAML or JSON: "[ { set: { priority: high } }, { tag: billing } ]"')
    .option('--format <format>', 'yaml | json (default: from the file name)');

  withJson(ruleFlags(rule.command('add')))
    .description('add a rule (at the end of the order, or --before another)')
    .option('--stop', 'when it matches, the rules after it do not run')
    .option('--disabled', 'save it switched off')
    .option('--before <rule>', 'run it just before this rule')
    .action(withRuntime(async (rt, o: RuleFlags) => {
      const { raw } = await ruleFromFlags(o);
      const r = await addRule(await rt.ctx(), await rt.meOrNull(), raw, { before: o.before });
      ruleChanged(rt, r, 'added');
    }));

  withJson(ruleFlags(rule.command('edit')))
    .description('change a rule (the parts given, or the whole rule in $VISUAL/$EDITOR); a changed rule gets a new revision')
    .argument('<rule>', 'rule id or name')
    .option('--stop', 'when it matches, the rules after it do not run')
    .option('--no-stop', 'the rules after it run too')
    .option('-e, --editor', 'edit the rule as YAML in $VISUAL or $EDITOR (the default when no other option is given)')
    .action(withRuntime(async (rt, ref: string, o: RuleFlags & { editor?: boolean }) => {
      const flagsGiven = Boolean(o.file || o.name || o.when || o.if || o.then || o.stop !== undefined);
      if (o.editor || !flagsGiven) {
        if (flagsGiven) throw usage('--editor edits the whole rule; give it alone');
        const edited = await editInEditor(rt, ref);
        if (!edited) return;
        const { rule: r, changed } = await editRule(await rt.ctx(), await rt.meOrNull(), ref, edited, { replace: true });
        return ruleChanged(rt, r, changed ? 'saved' : 'the same', changed);
      }
      const { raw, whole } = await ruleFromFlags(o);
      if (Object.keys(raw).length === 0) throw usage('say what changes: --file, --name, --when, --if, --then or --stop/--no-stop');
      const { rule: r, changed } = await editRule(await rt.ctx(), await rt.meOrNull(), ref, raw, { replace: whole });
      ruleChanged(rt, r, changed ? 'saved' : 'the same', changed);
    }));

  withJson(rule.command('move'))
    .description('change the order rules run in')
    .argument('<rule>', 'rule id or name')
    .option('--before <rule>', 'just before this rule')
    .option('--after <rule>', 'just after this rule')
    .option('--first', 'first of all')
    .option('--last', 'last of all')
    .action(withRuntime(async (rt, ref: string, o: { before?: string; after?: string; first?: boolean; last?: boolean }) => {
      const given = [o.before !== undefined, o.after !== undefined, Boolean(o.first), Boolean(o.last)].filter(Boolean).length;
      if (given !== 1) throw usage('say where: --before RULE, --after RULE, --first or --last');
      const to: MoveTarget = o.before !== undefined ? { before: o.before } : o.after !== undefined ? { after: o.after } : o.first ? { first: true } : { last: true };
      const rules = await moveRule(await rt.ctx(), ref, to);
      if (rt.out.json) return rt.out.printJson(rules.map(ruleJson));
      if (!rt.out.tty) return rt.out.print(rules.map((r) => r.id).join('\n'));
      rt.out.print(`Order: ${rules.map((r) => `${r.position}. ${sanitizeLine(r.name)}`).join('  ')}`);
    }));

  for (const [name, enabled] of [['enable', true], ['disable', false]] as const) {
    withJson(rule.command(name))
      .description(enabled ? 'switch a rule on' : 'switch a rule off (kept, with its place in the order)')
      .argument('<rule>', 'rule id or name')
      .action(withRuntime(async (rt, ref: string) => {
        const { rule: r, changed } = await setRuleEnabled(await rt.ctx(), ref, enabled);
        ruleChanged(rt, r, enabled ? 'enabled' : 'disabled', changed);
      }));
  }

  withJson(rule.command('remove'))
    .description('delete a rule (events it wrote keep its name and revision)')
    .argument('<rule>', 'rule id or name')
    .option('--yes', 'really delete it')
    .action(withRuntime(async (rt, ref: string, o: { yes?: boolean }) => {
      if (!o.yes) throw usage(`removing a rule cannot be undone; add --yes (or \`tandem rule disable ${ref}\` to switch it off)`);
      const r = await removeRule(await rt.ctx(), ref);
      if (rt.out.json) return rt.out.printJson(ruleJson(r));
      if (!rt.out.tty) return rt.out.print(String(r.id));
      rt.out.print(`Removed rule #${r.id} ${sanitizeLine(JSON.stringify(r.name))}`);
    }));

  withJson(rule.command('import'))
    .description('read rules from a YAML or JSON file: same names are updated, new ones added, the file\'s order kept')
    .argument('<file>', 'the rule file ("-" reads standard input)')
    .option('--replace', 'also remove the rules the file does not name')
    .option('--format <format>', 'yaml | json (default: from the file name)')
    .action(withRuntime(async (rt, file: string, o: { replace?: boolean; format?: string }) => {
      const { text, name } = await readFileArg(file);
      const data = await parseRuleText(text, parseFormat(o.format) ?? formatOf(name, text));
      const r = await importRules(await rt.ctx(), await rt.meOrNull(), data, { replace: o.replace });
      if (rt.out.json) return rt.out.printJson(r);
      const parts = [`${r.added.length} added`, `${r.updated.length} updated`, `${r.unchanged.length} unchanged`];
      if (o.replace) parts.push(`${r.removed.length} removed`);
      rt.out.note(`Imported rules: ${parts.join(', ')}.`);
    }));

  rule.command('export')
    .description('write every rule, in order, as YAML (or JSON) that `rule import` reads back')
    .argument('[file]', 'write to this file instead of standard output')
    .option('--format <format>', 'yaml | json (default: from the file name, else yaml)')
    .option('--json', 'JSON instead of YAML')
    .action(withRuntime(async (rt, file: string | undefined, o: { format?: string; json?: boolean }) => {
      const format: RuleFormat = o.json ? 'json' : parseFormat(o.format) ?? (file ? formatOf(file, '') : 'yaml');
      const text = await stringifyRules(await exportRules((await rt.ctx()).store.db), format);
      if (!file) return void process.stdout.write(text);
      fs.writeFileSync(file, text);
      rt.out.note(`Wrote ${file}`);
    }));

  withJson(rule.command('test'))
    .description('show how rules would act on an item (each condition\'s value and result, the actions); writes nothing')
    .argument('[rule]', 'rule id or name (or --all)')
    .requiredOption('-i, --item <id>', 'the item to test against')
    .option('--all', 'every enabled rule of a trigger, in order, each seeing what the ones before did')
    .option('--when <when>', 'with --all: created | updated | escalated', 'created')
    .action(withRuntime(async (rt, ref: string | undefined, o: { item: string; all?: boolean; when?: string }) => {
      const report = await testRules(await rt.ctx(), { itemId: parseItemId(o.item), rule: ref, all: o.all, when: o.when });
      if (rt.out.json) return rt.out.printJson(report);
      printTest(rt, report);
    }));

  withJson(rule.command('replay'))
    .description('count the past items each rule would have matched (created rules: the item as it was created); writes nothing')
    .argument('[rule]', 'only this rule')
    .option('--since <when>', 'items created since, e.g. 30d, 2026-01-01', '30d')
    .action(withRuntime(async (rt, ref: string | undefined, o: { since: string }) => {
      const report = await replayRules(await rt.ctx(), { since: o.since, rule: ref });
      if (rt.out.json) return rt.out.printJson(report);
      rt.out.note(`${report.items} item(s) created since ${report.since}:`);
      rt.out.table(report.rules, [
        { header: 'ID', value: (r) => String(r.id), align: 'right' },
        { header: 'NAME', value: (r) => r.name, flex: true, max: 40 },
        { header: 'WHEN', value: (r) => r.when },
        { header: 'ON', value: (r) => (r.enabled ? 'on' : 'off') },
        { header: 'MATCHED', value: (r) => String(r.matched), align: 'right' },
        { header: 'SHARE', value: (r) => (report.items ? `${Math.round((100 * r.matched) / report.items)}%` : '—'), align: 'right' },
        { header: 'EXAMPLES', value: (r) => r.examples.map((id) => '#' + id).join(' ') },
      ], { headers: true, empty: 'No rules yet.' });
    }));
}

/** The rule's YAML through the agent's editor; null when the text came back unchanged. */
async function editInEditor(rt: Runtime, ref: string): Promise<Record<string, unknown> | null> {
  const { editorCommand, runExternalEditor, NO_TERMINAL } = await import('../../tui/editor.js');
  const command = editorCommand(process.env);
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
  if (typeof data !== 'object' || data === null || Array.isArray(data)) throw invalid('the edited text is not one rule (name, when, if, then); nothing was saved');
  return data as Record<string, unknown>;
}

function sanitizeTextBlock(text: string): string {
  return sanitizeText(text.trimEnd());
}
