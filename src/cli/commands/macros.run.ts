// `tandem macro …` (reply/note templates with actions) and `tandem view …` (saved inbox filters).
// The macro core (and its template engine) loads only when a macro command runs.
import type { Macro } from '../../core/macros.js';
import type { MacroOutcome } from '../../core/macro-apply.js';
import { parseItemId } from '../../core/item-view.js';
import { invalid } from '../../core/errors.js';
import { addView, getView, listViews, removeView, viewCounts, viewFilterFlags, VIEW_KEYS } from '../../core/views.js';
import { sanitizeLine, sanitizeText } from '../../text/sanitize.js';
import { parseVersion } from '../runtime.js';
import { filterFromOptions, type InboxFilterFlags } from './inbox.run.js';
import type { Deps } from '../runtime.js';

const core = {
  macros: () => import('../../core/macros.js'),
  apply: () => import('../../core/macro-apply.js'),
  template: () => import('../../core/macro-template.js'),
};

async function bodyOption(rt: Deps, body: string | undefined): Promise<string | undefined> {
  return body === '-' ? rt.readStdin() : body;
}

function firstLine(text: string, max = 50): string {
  const line = text.split('\n').find((l) => l.trim()) ?? '';
  return line.length > max ? line.slice(0, max - 1) + '…' : line;
}

async function actionsText(m: Macro): Promise<string> {
  const { describeActions } = await core.macros();
  return describeActions(m.actions).join(', ') || '—';
}

function printOutcome(rt: Deps, o: MacroOutcome, dryRun: boolean): void {
  if (rt.out.json) return rt.out.printJson({ ...o, dryRun });
  const changes = o.events.map((e) => e.summary).join(' · ');
  if (o.written && !rt.out.tty) return rt.out.print(String(o.item.id));
  if (o.written) {
    rt.out.print(`#${o.item.id} ${o.macro} applied (version ${o.item.version}): ${sanitizeLine(changes)}`);
    return;
  }
  const to = o.item.customer
    ? ` to ${sanitizeLine(o.item.customer.name)}${o.item.customer.email ? ` <${sanitizeLine(o.item.customer.email)}>` : ''}`
    : '';
  rt.out.print(
    rt.out.c.bold(
      `${o.kind === 'reply' ? `Reply${to}` : 'Internal note'} on #${o.item.id} (macro ${o.macro}${dryRun ? ', dry run' : ''}; nothing was written):`,
    ),
  );
  rt.out.print('');
  rt.out.print(sanitizeText(o.text));
  rt.out.print('');
  rt.out.print(`Changes: ${sanitizeLine(changes)}`);
}

export type MacroAddFlags = { body: string; note?: boolean; set?: string[]; tag?: string[]; assign?: string; role?: string };
export type MacroAddOptions = MacroAddFlags & { name: string };

export async function runMacroAdd(o: MacroAddOptions, rt: Deps): Promise<void> {
  const { name } = o;
  const { addMacro } = await core.macros();
  const body = (await bodyOption(rt, o.body))!;
  const m = await addMacro(await rt.ctx(), {
    name,
    body,
    kind: o.note ? 'note' : 'reply',
    set: o.set,
    tags: o.tag,
    assign: o.assign,
    role: o.role,
  });
  if (rt.out.json) rt.out.printJson(m);
  else if (!rt.out.tty) rt.out.print(m.name);
  else rt.out.print(`Saved macro ${m.name} (${m.kind}${m.role ? `, ${m.role} items` : ''}): ${await actionsText(m)}`);
}

export type MacroListOptions = Record<string, never>;

export async function runMacroList(_o: MacroListOptions, rt: Deps): Promise<void> {
  const { listMacros, describeActions } = await core.macros();
  const list = await listMacros((await rt.ctx()).store.db);
  if (rt.out.json) return rt.out.printJson(list);
  rt.out.table(
    list,
    [
      { header: 'NAME', value: (m) => m.name },
      { header: 'KIND', value: (m) => m.kind },
      { header: 'ROLE', value: (m) => m.role ?? 'both' },
      { header: 'ACTIONS', value: (m) => describeActions(m.actions).join(', ') || '—', max: 40 },
      { header: 'TEXT', value: (m) => firstLine(m.body), flex: true },
    ],
    { empty: 'No macros yet. `tandem macro add NAME --body TEXT` saves one.' },
  );
}

export interface MacroShowOptions {
  name: string;
}

export async function runMacroShow(o: MacroShowOptions, rt: Deps): Promise<void> {
  const { name } = o;
  const { getMacro } = await core.macros();
  const { placeholdersOf } = await core.template();
  const m = await getMacro((await rt.ctx()).store.db, name);
  if (rt.out.json) return rt.out.printJson(m);
  rt.out.fields([
    ['Name', m.name],
    ['Kind', m.kind === 'reply' ? 'reply (public, to the customer)' : 'note (internal)'],
    ['For', m.role ? `${m.role} items` : 'service and support items'],
    ['Actions', await actionsText(m)],
    ['Placeholders', placeholdersOf(m.body).join(', ') || '—'],
  ]);
  rt.out.print('');
  rt.out.print(sanitizeText(m.body));
}

export type MacroEditFlags = {
  body?: string;
  name?: string;
  note?: boolean;
  reply?: boolean;
  clearActions?: boolean;
  set?: string[];
  tag?: string[];
  assign?: string;
  role?: string;
};
/** `macro` is the macro edited; `name`, when given, its new name (--name). */
export type MacroEditOptions = MacroEditFlags & { macro: string };

export async function runMacroEdit(o: MacroEditOptions, rt: Deps): Promise<void> {
  const { macro } = o;
  if (o.note && o.reply) throw invalid('--note and --reply contradict each other');
  const { editMacro } = await core.macros();
  const m = await editMacro(await rt.ctx(), macro, {
    rename: o.name,
    body: await bodyOption(rt, o.body),
    kind: o.note ? 'note' : o.reply ? 'reply' : undefined,
    clearActions: o.clearActions,
    set: o.set,
    tags: o.tag,
    assign: o.assign,
    role: o.role,
  });
  if (rt.out.json) rt.out.printJson(m);
  else if (!rt.out.tty) rt.out.print(m.name);
  else rt.out.print(`Macro ${m.name} saved (${m.kind}): ${await actionsText(m)}`);
}

export interface MacroRemoveOptions {
  name: string;
}

export async function runMacroRemove(o: MacroRemoveOptions, rt: Deps): Promise<void> {
  const { name } = o;
  const { removeMacro } = await core.macros();
  const m = await removeMacro(await rt.ctx(), name);
  if (rt.out.json) rt.out.printJson(m);
  else rt.out.note(`Macro ${m.name} removed.`);
}

export interface PreviewOptions {
  name: string;
  id: string;
  force?: boolean | undefined;
}

export async function runPreview(o: PreviewOptions, rt: Deps): Promise<void> {
  const { name, id } = o;
  const { previewMacro } = await core.apply();
  printOutcome(rt, await previewMacro(await rt.ctx(), await rt.me(), name, parseItemId(id), { force: o.force }), false);
}

export type ApplyFlags = { dryRun?: boolean; force?: boolean; ifVersion?: string };
export type ApplyOptions = ApplyFlags & { name: string; id: string };

export async function runApply(o: ApplyOptions, rt: Deps): Promise<void> {
  const { name, id } = o;
  const { applyMacro, previewMacro } = await core.apply();
  const opts = { expectedVersion: parseVersion(o.ifVersion), force: o.force };
  const ctx = await rt.ctx();
  const me = await rt.me();
  const outcome = o.dryRun
    ? await previewMacro(ctx, me, name, parseItemId(id), opts)
    : await applyMacro(ctx, me, name, parseItemId(id), opts);
  printOutcome(rt, outcome, Boolean(o.dryRun));
}

export type PlaceholdersOptions = Record<string, never>;

export async function runPlaceholders(_o: PlaceholdersOptions, rt: Deps): Promise<void> {
  const { PLACEHOLDERS } = await core.template();
  if (rt.out.json) return rt.out.printJson(PLACEHOLDERS);
  for (const [p, what] of Object.entries(PLACEHOLDERS)) rt.out.print(rt.out.tty ? `{{ ${p} }}`.padEnd(38) + what : `${p}\t${what}`);
}

export type ViewAddFlags = InboxFilterFlags & { replace?: boolean };
export type ViewAddOptions = ViewAddFlags & { name: string };

export async function runViewAdd(o: ViewAddOptions, rt: Deps): Promise<void> {
  const { name } = o;
  const v = await addView(await rt.ctx(), name, filterFromOptions(o), { replace: Boolean(o.replace) });
  if (rt.out.json) rt.out.printJson(v);
  else if (!rt.out.tty) rt.out.print(v.name);
  else rt.out.print(`Saved view ${v.name}: tandem inbox ${viewFilterFlags(v.filter)}`);
}

export type ViewListOptions = Record<string, never>;

export async function runViewList(_o: ViewListOptions, rt: Deps): Promise<void> {
  const ctx = await rt.ctx();
  const views = await listViews(ctx.store.db);
  const counts = await viewCounts(ctx, await rt.meOrNull(), views);
  const rows = views.map((v, i) => ({ ...v, key: VIEW_KEYS[i] ?? null, count: counts[i] ?? null }));
  if (rt.out.json) return rt.out.printJson(rows);
  rt.out.table(
    rows,
    [
      { header: 'KEY', value: (r) => r.key ?? '' },
      { header: 'NAME', value: (r) => r.name },
      { header: 'COUNT', value: (r) => (r.count === null ? '?' : String(r.count)), align: 'right' },
      { header: 'FILTER', value: (r) => viewFilterFlags(r.filter), flex: true },
    ],
    { empty: 'No saved views yet. `tandem view add NAME --assignee me --breached` saves one.' },
  );
}

export interface ViewShowOptions {
  name: string;
}

export async function runViewShow(o: ViewShowOptions, rt: Deps): Promise<void> {
  const { name } = o;
  const v = await getView((await rt.ctx()).store.db, name);
  if (rt.out.json) return rt.out.printJson(v);
  rt.out.print(`tandem inbox ${viewFilterFlags(v.filter)}`);
}

export interface ViewRemoveOptions {
  name: string;
}

export async function runViewRemove(o: ViewRemoveOptions, rt: Deps): Promise<void> {
  const { name } = o;
  const v = await removeView(await rt.ctx(), name);
  if (rt.out.json) rt.out.printJson(v);
  else rt.out.note(`View ${v.name} removed.`);
}
