// `tandem macro …` (reply/note templates with actions) and `tandem view …` (saved inbox filters).
import type { Command } from 'commander';
import { lazyAction, repeated, withJson, withVersion } from '../command-kit.js';
import type * as run from './macros.run.js';
import { withInboxFilterOptions } from './inbox.js';

// The work is in macros.run.ts, loaded only when one of these commands runs.
const load = () => import('./macros.run.js');

export function registerMacroCommands(program: Command): void {
  const macro = program.command('macro').description('reply and note templates with actions, applied as one change');

  withJson(macro.command('add'))
    .description('save a macro: a reply (or --note) template with placeholders, plus actions')
    .argument('<name>', 'a short name, e.g. refund-sent')
    .requiredOption(
      '-b, --body <text>',
      'the template ("-" reads standard input); placeholders like {{ customer.first_name | default: "there" }}',
    )
    .option('--note', 'an internal note instead of a public reply')
    .option('--set <key=value>', 'status=open|pending|resolved|closed, priority=low|normal|high|urgent (repeatable)', repeated)
    .option('-t, --tag <tag>', 'add this tag (repeatable, or comma-separated)', repeated)
    .option('-a, --assign <who>', 'assign to me (whoever applies it), nobody, or HANDLE')
    .option('-r, --role <role>', 'only for service or support items (default: both)')
    .addHelpText(
      'after',
      '\nPlaceholders: `tandem macro placeholders` lists them; give a default where a value may be missing:\n  tandem macro add thanks --body \'Hi {{ customer.first_name | default: "there" }}, thanks! {{ agent.first_name }}\' --set status=resolved',
    )
    .action(lazyAction(load, (m, deps, name: string, o: run.MacroAddFlags) => m.runMacroAdd({ ...o, name }, deps)));

  withJson(macro.command('list'))
    .description('list macros')
    .action(lazyAction(load, (m, deps) => m.runMacroList({}, deps)));

  withJson(macro.command('show'))
    .description('show a macro: its template and actions')
    .argument('<name>', 'macro name')
    .action(lazyAction(load, (m, deps, name: string) => m.runMacroShow({ name }, deps)));

  withJson(macro.command('edit'))
    .description('change a macro (only what is given changes)')
    .argument('<name>', 'macro name')
    .option('-b, --body <text>', 'new template ("-" reads standard input)')
    .option('--name <new>', 'rename it')
    .option('--note', 'make it an internal note')
    .option('--reply', 'make it a public reply')
    .option('--clear-actions', 'drop every action first (then add the ones given)')
    .option('--set <key=value>', 'status=…, priority=… (repeatable)', repeated)
    .option('-t, --tag <tag>', 'add this tag (repeatable, or comma-separated)', repeated)
    .option('-a, --assign <who>', 'me, nobody, or HANDLE')
    .option('-r, --role <role>', 'service, support, or both')
    .action(lazyAction(load, (m, deps, macro: string, o: run.MacroEditFlags) => m.runMacroEdit({ ...o, macro }, deps)));

  withJson(macro.command('remove'))
    .description('delete a macro (items it was applied to keep their history)')
    .argument('<name>', 'macro name')
    .action(lazyAction(load, (m, deps, name: string) => m.runMacroRemove({ name }, deps)));

  withJson(macro.command('preview'))
    .description('print the text a macro would send to an item, and its changes; writes nothing')
    .argument('<name>', 'macro name')
    .argument('<item>', 'item id')
    .option('--force', 'preview taking over an item someone else holds, as `apply --force` would')
    .action(
      lazyAction(load, (m, deps, name: string, id: string, o: { force?: boolean }) => m.runPreview({ name, id, force: o.force }, deps)),
    );

  withVersion(withJson(macro.command('apply')))
    .description('apply a macro to an item: the message and its actions as one change')
    .argument('<name>', 'macro name')
    .argument('<item>', 'item id')
    .option('--dry-run', 'show what would be written, and write nothing')
    .option('--force', 'take over an item assigned to someone else when the macro assigns it to you')
    .action(lazyAction(load, (m, deps, name: string, id: string, o: run.ApplyFlags) => m.runApply({ ...o, name, id }, deps)));

  withJson(macro.command('placeholders'))
    .description('list the placeholders a macro may use')
    .action(lazyAction(load, (m, deps) => m.runPlaceholders({}, deps)));

  const view = program.command('view').description('saved inbox filters (console keys 4–9, `tandem inbox --view NAME`)');

  withJson(withInboxFilterOptions(view.command('add')))
    .description('save the inbox filter and sort given by the flags as a view')
    .argument('<name>', 'a short name, e.g. vip-breached')
    .option('--replace', 'overwrite a view of the same name')
    .action(lazyAction(load, (m, deps, name: string, o: run.ViewAddFlags) => m.runViewAdd({ ...o, name }, deps)));

  withJson(view.command('list'))
    .description('saved views with how many items each shows now')
    .action(lazyAction(load, (m, deps) => m.runViewList({}, deps)));

  withJson(view.command('show'))
    .description("a view's filter, as inbox flags")
    .argument('<name>', 'view name')
    .action(lazyAction(load, (m, deps, name: string) => m.runViewShow({ name }, deps)));

  withJson(view.command('remove'))
    .description('delete a saved view')
    .argument('<name>', 'view name')
    .action(lazyAction(load, (m, deps, name: string) => m.runViewRemove({ name }, deps)));
}
