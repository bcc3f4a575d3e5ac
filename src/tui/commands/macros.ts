// Console commands for macros (`m`, `:macro NAME`, `::` in the inline editor) and saved views
// (keys 4–9, `:view NAME`). Applying goes through the core as one change with the version seen.
import type { ItemView } from '../../core/item-view.js';
import { sanitizeLine } from '../../text/sanitize.js';
import type { ConsoleApi } from '../console-api.js';
import { describeFilter } from '../filter-text.js';
import type { ModalController } from '../hooks/use-modal.js';
import { applyMacro, describeMacroActions, listMacros, previewMacro, viewTabs, type ViewTab } from '../macros-api.js';
import type { MacroChoice, MacroPickerSpec } from '../views/macro-picker.js';
import type { CommandContext, Handler } from './context.js';
import { actOnSelection, currentItem, plural, runAction } from './context.js';
import { explainError } from '../explain.js';

async function choices(api: ConsoleApi, role: string | null): Promise<MacroChoice[]> {
  const macros = await listMacros(api);
  return Promise.all(
    macros.map(async (m) => ({
      name: m.name,
      kind: m.kind,
      actions: (await describeMacroActions(m)).join(', '),
      firstLine: m.body.split('\n').find((l) => l.trim()) ?? '',
      fits: !m.role || !role || m.role === role,
    })),
  );
}

function pickerSpec(api: ConsoleApi, item: ItemView, macros: MacroChoice[], mode: MacroPickerSpec['mode'], title: string): MacroPickerSpec {
  return {
    title,
    macros,
    mode,
    preview: async (name) => {
      const o = await previewMacro(api, name, item.id);
      return { text: o.text, changes: o.events.map((e) => e.summary).join(' · ') };
    },
  };
}

/** For `::` in the inline editor: pick a macro and return its text filled in for the item. */
export function macroTextPicker(api: ConsoleApi, modal: ModalController) {
  return async (kind: 'reply' | 'note', item: ItemView): Promise<string | null> => {
    const macros = await choices(api, item.role);
    const what = kind === 'reply' ? 'reply' : 'note';
    const picked = await modal.pickMacro(
      pickerSpec(
        api,
        item,
        macros,
        'insert',
        `Insert a macro's text into the ${what} to #${item.id} (its actions are not applied; m applies them)`,
      ),
    );
    return picked?.text ?? null;
  };
}

function summary(events: { summary: string }[]): string {
  return events.map((e) => e.summary).join(' · ');
}

async function applyToSelection(c: CommandContext, name: string): Promise<void> {
  const n = c.inbox.state.selection.size;
  await actOnSelection(c, `Apply macro ${name} to ${plural(n, 'selected item')}?`, `Applied ${name} to`, (id, version) =>
    applyMacro(c.api, name, id, { expectedVersion: version }),
  );
}

async function applyOne(c: CommandContext, item: ItemView, name: string, body?: string, draftKey?: string): Promise<void> {
  const kind: 'reply' | 'note' = draftKey?.startsWith('note:') ? 'note' : 'reply';
  await runAction(
    c,
    async () => {
      try {
        const o = await applyMacro(c.api, name, item.id, { expectedVersion: item.version, body });
        if (draftKey) c.drafts.delete(draftKey);
        return `Macro ${o.macro} applied to #${item.id}: ${summary(o.events)} (version ${o.item.version}).`;
      } catch (e) {
        // A refused change keeps the edited text as the item's reply (or note) draft, in the database
        // like any draft: r (n) opens it again, and it survives quitting.
        if (body !== undefined && draftKey) await c.api.saveDraft(item.id, kind, body).catch(() => undefined);
        throw e;
      }
    },
    body !== undefined && draftKey ? { draft: { key: draftKey, text: body, again: kind === 'note' ? 'n' : 'r', stored: true } } : {},
  );
}

const macroCommand: Handler = async (c, arg) => {
  const selecting = c.inbox.state.selection.size > 0;
  const item = selecting ? null : currentItem(c);
  if (!selecting && !item) return c.status.say('No item here: the list is empty.', 'info');
  if (arg?.trim()) {
    const name = arg.trim();
    return selecting ? applyToSelection(c, name) : applyOne(c, item!, name);
  }
  const firstSelected = selecting ? [...c.inbox.state.selection.keys()][0]! : item!.id;
  const previewed = item ?? (await c.api.item(firstSelected));
  const macros = await choices(c.api, selecting ? null : previewed.role);
  const title = selecting
    ? `Apply a macro to ${plural(c.inbox.state.selection.size, 'selected item')} (preview: #${previewed.id})`
    : `Apply a macro to #${previewed.id} ${sanitizeLine(previewed.subject)}${previewed.customer ? ` · ${sanitizeLine(previewed.customer.name)}` : ''}`;
  const picked = await c.modal.pickMacro(pickerSpec(c.api, previewed, macros, 'apply', title));
  if (!picked) return;
  if (selecting) {
    if (picked.how !== 'apply')
      return c.status.say("With a selection, Enter applies the macro to each item; Tab edits one item's text.", 'info');
    return applyToSelection(c, picked.name);
  }
  if (picked.how === 'apply') return applyOne(c, item!, picked.name);
  // Tab: the filled-in text in the editor ($EDITOR or inline) first; sending applies the macro with it.
  const kind = macros.find((m) => m.name === picked.name)?.kind ?? 'reply';
  const draftKey = `${kind}:${item!.id}`;
  const r = await c.writeText(kind, item!, picked.text ?? '');
  // Only a text the agent finished goes out (the console's rule: a failed, unchanged or empty edit sends nothing).
  if (r.how !== 'done') {
    if (r.text.trim()) {
      c.drafts.set(draftKey, r.text);
      c.status.say(
        `Macro ${picked.name} not applied; your text is kept: ${kind === 'reply' ? 'r' : 'n'} opens it again (without the macro's actions).`,
        r.how === 'failed' ? 'error' : 'info',
      );
    } else {
      c.status.say(`Macro ${picked.name} not applied.`, 'info');
    }
    return;
  }
  await applyOne(c, item!, picked.name, r.text, draftKey);
};

async function showView(c: CommandContext, tab: ViewTab): Promise<void> {
  try {
    await c.inbox.setFilter(tab.filter);
    c.showItem(null);
    const d = describeFilter(tab.filter);
    c.status.say(
      `View ${tab.name}: ${[tab.filter.role === 'all' ? 'both roles' : tab.filter.role, d, `sort ${tab.filter.sort}`].filter(Boolean).join(' · ')}.`,
      'info',
    );
  } catch (e) {
    c.status.say(`View ${tab.name}: ${explainError(e, c.api.now())}`, 'error');
  }
}

const byKey =
  (key: string): Handler =>
  async (c) => {
    const tabs = await viewTabs(c.api, 'none');
    const tab = tabs.find((t) => t.key === key);
    if (tab) return showView(c, tab);
    c.status.say(
      tabs.length
        ? `No saved view on ${key}; views are on ${tabs
            .filter((t) => t.key)
            .map((t) => `${t.key} ${t.name}`)
            .join(', ')}.`
        : 'No saved views yet: `tandem view add NAME --assignee me --breached` (any inbox flags) saves one for keys 4–9.',
      'info',
    );
  };

const viewCommand: Handler = async (c, arg) => {
  const tabs = await viewTabs(c.api, arg ? 'none' : 'all');
  if (tabs.length === 0) return c.status.say('No saved views yet: `tandem view add NAME` with any inbox flags saves one.', 'info');
  if (arg?.trim()) {
    const word = arg.trim().toLowerCase();
    const exact = tabs.find((t) => t.name === word);
    const prefixed = tabs.filter((t) => t.name.startsWith(word));
    const tab = exact ?? (prefixed.length === 1 ? prefixed[0] : undefined);
    if (tab) return showView(c, tab);
    return c.status.say(
      prefixed.length
        ? `"${word}" could be ${prefixed.map((t) => t.name).join(', ')}.`
        : `No view "${word}"; views: ${tabs.map((t) => t.name).join(', ')}.`,
      'error',
    );
  }
  const picked = await c.modal.pick(
    'Show a saved view',
    tabs.map((t) => ({
      value: t.name,
      label: `${t.key ? t.key + ' ' : ''}${t.name}`,
      detail: `${t.count ?? '?'} items · ${describeFilter(t.filter) || 'all open work'}`,
    })),
  );
  const tab = picked && tabs.find((t) => t.name === picked.value);
  if (tab) await showView(c, tab);
};

/** Names Tab completes after `:macro ` and `:view ` in the command line. */
export async function commandArgNames(c: CommandContext): Promise<Record<string, string[]>> {
  try {
    const [macros, views] = await Promise.all([listMacros(c.api), viewTabs(c.api, 'none')]);
    return { macro: macros.map((m) => m.name), view: views.map((v) => v.name) };
  } catch {
    return {};
  }
}

export const macroCommands: Record<string, Handler> = {
  'item.macro': macroCommand,
  'view.saved': viewCommand,
  'view.key4': byKey('4'),
  'view.key5': byKey('5'),
  'view.key6': byKey('6'),
  'view.key7': byKey('7'),
  'view.key8': byKey('8'),
  'view.key9': byKey('9'),
};
