// `tandem rule …`: add, edit, order, enable, remove, import, export, test and replay rules.
import type { Command } from 'commander';
import { lazyAction, withJson } from '../command-kit.js';
import type * as run from './rules.run.js';

// The work is in rules.run.ts, loaded only when one of these commands runs.
const load = () => import('./rules.run.js');

export function registerRuleCommands(program: Command): void {
  const rule = program.command('rule').description('rules: when an item is created, updated or escalated, matching rules act, in order');

  withJson(rule.command('list'))
    .description('list the rules in the order they run')
    .action(lazyAction(load, (m, deps) => m.runList({}, deps)));

  withJson(rule.command('show'))
    .description('show a rule as YAML (or --json), with its revisions')
    .argument('<rule>', 'rule id or name')
    .option('--revision <n>', 'show an earlier revision')
    .action(lazyAction(load, (m, deps, ref: string, o: run.ShowFlags) => m.runShow({ ...o, ref }, deps)));

  const ruleFlags = (cmd: Command) =>
    cmd
      .option('-f, --file <file>', 'the rule as YAML or JSON ("-" reads standard input)')
      .option('--name <name>', "the rule's name")
      .option('--when <when>', 'created | updated | escalated')
      .option('--if <condition>', 'condition, YAML or JSON: "{ field: subject, matches: \'(?i)refund\' }" ("always" for none)')
      .option('--then <actions>', 'actions, YAML or JSON: "[ { set: { priority: high } }, { tag: billing } ]"')
      .option('--format <format>', 'yaml | json (default: from the file name)');

  withJson(ruleFlags(rule.command('add')))
    .description('add a rule (at the end of the order, or --before another)')
    .option('--stop', 'when it matches, the rules after it do not run')
    .option('--disabled', 'save it switched off')
    .option('--before <rule>', 'run it just before this rule')
    .action(lazyAction(load, (m, deps, o: run.AddOptions) => m.runAdd(o, deps)));

  withJson(ruleFlags(rule.command('edit')))
    .description('change a rule (the parts given, or the whole rule in $VISUAL/$EDITOR); a changed rule gets a new revision')
    .argument('<rule>', 'rule id or name')
    .option('--stop', 'when it matches, the rules after it do not run')
    .option('--no-stop', 'the rules after it run too')
    .option('-e, --editor', 'edit the rule as YAML in $VISUAL or $EDITOR (the default when no other option is given)')
    .action(lazyAction(load, (m, deps, ref: string, o: run.EditFlags) => m.runEdit({ ...o, ref }, deps)));

  withJson(rule.command('move'))
    .description('change the order rules run in')
    .argument('<rule>', 'rule id or name')
    .option('--before <rule>', 'just before this rule')
    .option('--after <rule>', 'just after this rule')
    .option('--first', 'first of all')
    .option('--last', 'last of all')
    .action(lazyAction(load, (m, deps, ref: string, o: run.MoveFlags) => m.runMove({ ...o, ref }, deps)));

  for (const [name, enabled] of [
    ['enable', true],
    ['disable', false],
  ] as const) {
    withJson(rule.command(name))
      .description(enabled ? 'switch a rule on' : 'switch a rule off (kept, with its place in the order)')
      .argument('<rule>', 'rule id or name')
      .action(lazyAction(load, (m, deps, ref: string) => m.runEnable({ ref, enabled }, deps)));
  }

  withJson(rule.command('remove'))
    .description('delete a rule (events it wrote keep its name and revision)')
    .argument('<rule>', 'rule id or name')
    .option('--yes', 'really delete it')
    .action(lazyAction(load, (m, deps, ref: string, o: run.RemoveFlags) => m.runRemove({ ...o, ref }, deps)));

  withJson(rule.command('import'))
    .description("read rules from a YAML or JSON file: same names are updated, new ones added, the file's order kept")
    .argument('<file>', 'the rule file ("-" reads standard input)')
    .option('--replace', 'also remove the rules the file does not name')
    .option('--format <format>', 'yaml | json (default: from the file name)')
    .action(lazyAction(load, (m, deps, file: string, o: run.ImportFlags) => m.runImport({ ...o, file }, deps)));

  rule
    .command('export')
    .description('write every rule, in order, as YAML (or JSON) that `rule import` reads back')
    .argument('[file]', 'write to this file instead of standard output')
    .option('--format <format>', 'yaml | json (default: from the file name, else yaml)')
    .option('--json', 'JSON instead of YAML')
    .action(lazyAction(load, (m, deps, file: string | undefined, o: run.ExportFlags) => m.runExport({ ...o, file }, deps)));

  withJson(rule.command('test'))
    .description("show how rules would act on an item (each condition's value and result, the actions); writes nothing")
    .argument('[rule]', 'rule id or name (or --all)')
    .requiredOption('-i, --item <id>', 'the item to test against')
    .option('--all', 'every enabled rule of a trigger, in order, each seeing what the ones before did')
    .option('--when <when>', 'with --all: created | updated | escalated', 'created')
    .action(lazyAction(load, (m, deps, ref: string | undefined, o: run.TestFlags) => m.runTest({ ...o, ref }, deps)));

  withJson(rule.command('replay'))
    .description('count the past items each rule would have matched (created rules: the item as it was created); writes nothing')
    .argument('[rule]', 'only this rule')
    .option('--since <when>', 'items created since, e.g. 30d, 2026-01-01', '30d')
    .action(lazyAction(load, (m, deps, ref: string | undefined, o: run.ReplayFlags) => m.runReplay({ ...o, ref }, deps)));
}
