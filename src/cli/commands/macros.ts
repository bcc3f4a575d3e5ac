// `tandem macro …` (reply/note templates with actions) and `tandem view …` (saved inbox filters).
// The macro core (and its template engine) loads only when a macro command runs.
import type { Command } from 'commander';
import type { Macro } from '../../core/macros.js';
import type { MacroOutcome } from '../../core/macro-apply.js';
import { parseItemId } from '../../core/item-view.js';
import { invalid } from '../../core/errors.js';
import { addView, getView, listViews, removeView, viewCounts, viewFilterFlags, VIEW_KEYS } from '../../core/views.js';
import { sanitizeLine, sanitizeText } from '../../text/sanitize.js';
import { withRuntime, withJson, withVersion } from '../command-kit.js';
import { parseVersion, readStdin, type Runtime } from '../runtime.js';
import { filterFromOptions, withInboxFilterOptions } from './inbox.js';

const core = {
  macros: () => import('../../core/macros.js'),
  apply: () => import('../../core/macro-apply.js'),
  template: () => import('../../core/macro-template.js'),
};

const collect = (value: string, prev: string[] = []) => [...prev, value];

async function bodyOption(body: string | undefined): Promise<string | undefined> {
  return body === '-' ? readStdin() : body;
}

function firstLine(text: string, max = 50): string {
  const line = text.split('\n').find((l) => l.trim()) ?? '';
  return line.length > max ? line.slice(0, max - 1) + '…' : line;
}

async function actionsText(m: Macro): Promise<string> {
  const { describeActions } = await core.macros();
  return describeActions(m.actions).join(', ') || '—';
}

function printOutcome(rt: Runtime, o: MacroOutcome, dryRun: boolean): void {
  if (rt.out.json) return rt.out.printJson({ ...o, dryRun });
  const changes = o.events.map((e) => e.summary).join(' · ');
  if (o.written && !rt.out.tty) return rt.out.print(String(o.item.id));
  if (o.written) {
    rt.out.print(`#${o.item.id} ${o.macro} applied (version ${o.item.version}): ${sanitizeLine(changes)}`);
    return;
  }
  const to = o.item.customer ? ` to ${sanitizeLine(o.item.customer.name)}${o.item.customer.email ? ` <${sanitizeLine(o.item.customer.email)}>` : ''}` : '';
  rt.out.print(rt.out.c.bold(`${o.kind === 'reply' ? `Reply${to}` : 'Internal note'} on #${o.item.id} (macro ${o.macro}${dryRun ? ', dry run' : ''}; nothing was written):`));
  rt.out.print('');
  rt.out.print(sanitizeText(o.text));
  rt.out.print('');
  rt.out.print(`Changes: ${sanitizeLine(changes)}`);
}

export function registerMacroCommands(program: Command): void {
  const macro = program.command('macro').description('reply and note templates with actions, applied as one change');

  withJson(macro.command('add'))
    .description('save a macro: a reply (or --note) template with placeholders, plus actions')
    .argument('<name>', 'a short name, e.g. refund-sent')
    .requiredOption('-b, --body <text>', 'the template ("-" reads standard input); placeholders like {{ customer.first_name | default: "there" }}')
    .option('--note', 'an internal note instead of a public reply')
    .option('--set <key=value>', 'status=open|pending|resolved|closed, priority=low|normal|high|urgent (repeatable)', collect)
    .option('-t, --tag <tag>', 'add this tag (repeatable, or comma-separated)', collect)
    .option('-a, --assign <who>', 'assign to me (whoever applies it), nobody, or HANDLE')
    .option('-r, --role <role>', 'only for service or support items (default: both)')
    .addHelpText('after', '\nPlaceholders: `tandem macro placeholders` lists them; give a default where a value may be missing:\n  tandem macro add thanks --body \'Hi {{ customer.first_name | default: "there" }}, thanks! {{ agent.first_name }}\' --set status=resolved')
    .action(withRuntime(async (rt, name: string, o: { body: string; note?: boolean; set?: string[]; tag?: string[]; assign?: string; role?: string }) => {
      const { addMacro } = await core.macros();
      const body = (await bodyOption(o.body))!;
      const m = await addMacro(await rt.ctx(), { name, body, kind: o.note ? 'note' : 'reply', set: o.set, tags: o.tag, assign: o.assign, role: o.role });
      if (rt.out.json) rt.out.printJson(m);
      else if (!rt.out.tty) rt.out.print(m.name);
      else rt.out.print(`Saved macro ${m.name} (${m.kind}${m.role ? `, ${m.role} items` : ''}): ${await actionsText(m)}`);
    }));

  withJson(macro.command('list'))
    .description('list macros')
    .action(withRuntime(async (rt) => {
      const { listMacros, describeActions } = await core.macros();
      const list = await listMacros((await rt.ctx()).store.db);
      if (rt.out.json) return rt.out.printJson(list);
      rt.out.table(list, [
        { header: 'NAME', value: (m) => m.name },
        { header: 'KIND', value: (m) => m.kind },
        { header: 'ROLE', value: (m) => m.role ?? 'both' },
        { header: 'ACTIONS', value: (m) => describeActions(m.actions).join(', ') || '—', max: 40 },
        { header: 'TEXT', value: (m) => firstLine(m.body), flex: true },
      ], { empty: 'No macros yet. `tandem macro add NAME --body TEXT` saves one.' });
    }));

  withJson(macro.command('show'))
    .description('show a macro: its template and actions')
    .argument('<name>', 'macro name')
    .action(withRuntime(async (rt, name: string) => {
      const { getMacro } = await core.macros();
      const { placeholdersOf } = await core.template();
      const m = await getMacro((await rt.ctx()).store.db, name);
      if (rt.out.json) return rt.out.printJson(m);
      rt.out.fields([
        ['Name', m.name], ['Kind', m.kind === 'reply' ? 'reply (public, to the customer)' : 'note (internal)'],
        ['For', m.role ? `${m.role} items` : 'service and support items'], ['Actions', await actionsText(m)],
        ['Placeholders', placeholdersOf(m.body).join(', ') || '—'],
      ]);
      rt.out.print('');
      rt.out.print(sanitizeText(m.body));
    }));

  withJson(macro.command('edit'))
    .description('change a macro (only what is given changes)')
    .argument('<name>', 'macro name')
    .option('-b, --body <text>', 'new template ("-" reads standard input)')
    .option('--name <new>', 'rename it')
    .option('--note', 'make it an internal note')
    .option('--reply', 'make it a public reply')
    .option('--clear-actions', 'drop every action first (then add the ones given)')
    .option('--set <key=value>', 'status=…, priority=… (repeatable)', collect)
    .option('-t, --tag <tag>', 'add this tag (repeatable)', collect)
    .option('-a, --assign <who>', 'me, nobody, or HANDLE')
    .option('-r, --role <role>', 'service, support, or both')
    .action(withRuntime(async (rt, name: string, o: { body?: string; name?: string; note?: boolean; reply?: boolean; clearActions?: boolean; set?: string[]; tag?: string[]; assign?: string; role?: string }) => {
      if (o.note && o.reply) throw invalid('--note and --reply contradict each other');
      const { editMacro } = await core.macros();
      const m = await editMacro(await rt.ctx(), name, {
        rename: o.name, body: await bodyOption(o.body), kind: o.note ? 'note' : o.reply ? 'reply' : undefined,
        clearActions: o.clearActions, set: o.set, tags: o.tag, assign: o.assign, role: o.role,
      });
      if (rt.out.json) rt.out.printJson(m);
      else if (!rt.out.tty) rt.out.print(m.name);
      else rt.out.print(`Macro ${m.name} saved (${m.kind}): ${await actionsText(m)}`);
    }));

  withJson(macro.command('remove'))
    .description('delete a macro (items it was applied to keep their history)')
    .argument('<name>', 'macro name')
    .action(withRuntime(async (rt, name: string) => {
      const { removeMacro } = await core.macros();
      const m = await removeMacro(await rt.ctx(), name);
      if (rt.out.json) rt.out.printJson(m);
      else rt.out.note(`Macro ${m.name} removed.`);
    }));

  withJson(macro.command('preview'))
    .description('print the text a macro would send to an item, and its changes; writes nothing')
    .argument('<name>', 'macro name').argument('<item>', 'item id')
    .action(withRuntime(async (rt, name: string, id: string) => {
      const { previewMacro } = await core.apply();
      printOutcome(rt, await previewMacro(await rt.ctx(), await rt.me(), name, parseItemId(id)), false);
    }));

  withVersion(withJson(macro.command('apply')))
    .description('apply a macro to an item: the message and its actions as one change')
    .argument('<name>', 'macro name').argument('<item>', 'item id')
    .option('--dry-run', 'show what would be written, and write nothing')
    .option('--force', 'take over an item assigned to someone else when the macro assigns it to you')
    .action(withRuntime(async (rt, name: string, id: string, o: { dryRun?: boolean; force?: boolean; ifVersion?: string }) => {
      const { applyMacro, previewMacro } = await core.apply();
      const opts = { expectedVersion: parseVersion(o.ifVersion), force: o.force };
      const ctx = await rt.ctx();
      const me = await rt.me();
      const outcome = o.dryRun ? await previewMacro(ctx, me, name, parseItemId(id), opts) : await applyMacro(ctx, me, name, parseItemId(id), opts);
      printOutcome(rt, outcome, Boolean(o.dryRun));
    }));

  withJson(macro.command('placeholders'))
    .description('list the placeholders a macro may use')
    .action(withRuntime(async (rt) => {
      const { PLACEHOLDERS } = await core.template();
      if (rt.out.json) return rt.out.printJson(PLACEHOLDERS);
      for (const [p, what] of Object.entries(PLACEHOLDERS)) rt.out.print(rt.out.tty ? `{{ ${p} }}`.padEnd(38) + what : `${p}\t${what}`);
    }));

  const view = program.command('view').description('saved inbox filters (console keys 4–9, `tandem inbox --view NAME`)');

  withJson(withInboxFilterOptions(view.command('add')))
    .description('save the inbox filter and sort given by the flags as a view')
    .argument('<name>', 'a short name, e.g. vip-breached')
    .option('--replace', 'overwrite a view of the same name')
    .action(withRuntime(async (rt, name: string, o: Record<string, any>) => {
      const v = await addView(await rt.ctx(), name, filterFromOptions(o), { replace: Boolean(o.replace) });
      if (rt.out.json) rt.out.printJson(v);
      else if (!rt.out.tty) rt.out.print(v.name);
      else rt.out.print(`Saved view ${v.name}: tandem inbox ${viewFilterFlags(v.filter)}`);
    }));

  withJson(view.command('list'))
    .description('saved views with how many items each shows now')
    .action(withRuntime(async (rt) => {
      const ctx = await rt.ctx();
      const views = await listViews(ctx.store.db);
      const counts = await viewCounts(ctx, await rt.meOrNull(), views);
      const rows = views.map((v, i) => ({ ...v, key: VIEW_KEYS[i] ?? null, count: counts[i] ?? null }));
      if (rt.out.json) return rt.out.printJson(rows);
      rt.out.table(rows, [
        { header: 'KEY', value: (r) => r.key ?? '' },
        { header: 'NAME', value: (r) => r.name },
        { header: 'COUNT', value: (r) => (r.count === null ? '?' : String(r.count)), align: 'right' },
        { header: 'FILTER', value: (r) => viewFilterFlags(r.filter), flex: true },
      ], { empty: 'No saved views yet. `tandem view add NAME --assignee me --breached` saves one.' });
    }));

  withJson(view.command('show'))
    .description('a view\'s filter, as inbox flags')
    .argument('<name>', 'view name')
    .action(withRuntime(async (rt, name: string) => {
      const v = await getView((await rt.ctx()).store.db, name);
      if (rt.out.json) return rt.out.printJson(v);
      rt.out.print(`tandem inbox ${viewFilterFlags(v.filter)}`);
    }));

  withJson(view.command('remove'))
    .description('delete a saved view')
    .argument('<name>', 'view name')
    .action(withRuntime(async (rt, name: string) => {
      const v = await removeView(await rt.ctx(), name);
      if (rt.out.json) rt.out.printJson(v);
      else rt.out.note(`View ${v.name} removed.`);
    }));
}
