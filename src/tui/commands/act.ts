// Acting on the current item, or on the selection for a p s t x: every call carries the version
// the agent saw, so a change someone made meanwhile is refused and explained instead of overwritten.
import { agentHasRole } from '../../core/agents.js';
import { TandemError } from '../../core/errors.js';
import type { ItemView } from '../../core/item-view.js';
import { PRIORITIES } from '../../core/vocabulary.js';
import { localTime } from '../../text/format.js';
import { sanitizeLine } from '../../text/sanitize.js';
import type { PickerOption } from '../hooks/use-modal.js';
import type { CommandContext, Handler } from './context.js';
import { act, actOnSelection, currentItem, plural } from './context.js';

const v = (item: ItemView) => ({ expectedVersion: item.version });

/** The item to act on, or a message saying why there is none. */
function target(c: CommandContext): ItemView | null {
  const item = currentItem(c);
  if (!item) c.status.say('No item here: the list is empty.', 'info');
  return item;
}

const selecting = (c: CommandContext) => c.inbox.state.selection.size > 0;

async function agentOptions(c: CommandContext, roles: string[]): Promise<PickerOption[]> {
  const agents = await c.api.agents();
  const fits = agents.filter((a) => roles.every((r) => agentHasRole(a, r as 'service' | 'support')));
  const others = agents.filter((a) => !fits.includes(a));
  const option = (a: (typeof agents)[number]) => ({
    value: a.handle,
    label: `@${a.handle}${a.id === c.api.me.id ? ' (me)' : ''}`,
    detail: `${sanitizeLine(a.name)} · ${a.roles === 'both' ? 'service + support' : a.roles}`,
  });
  return [{ value: null, label: 'nobody', detail: 'unassign' }, ...fits.map(option), ...others.map((a) => ({ ...option(a), detail: option(a).detail + ' · other role' }))];
}

const PRIORITY_CHOICES = PRIORITIES.map((p) => ({ key: p[0]!, label: p, value: p }));
const STATUS_CHOICES = [
  { key: 'o', label: 'open', value: 'open' },
  { key: 'p', label: 'pending', value: 'pending' },
  { key: 'r', label: 'resolved', value: 'resolved' },
  { key: 'c', label: 'closed', value: 'closed' },
];

function parseTagChange(text: string): { add: string[]; remove: string[] } {
  const add: string[] = [];
  const remove: string[] = [];
  for (const word of text.split(/[\s,]+/).filter(Boolean)) {
    if (word.startsWith('-')) remove.push(word.slice(1));
    else add.push(word.replace(/^\+/, ''));
  }
  return { add, remove };
}

async function writeAndSend(c: CommandContext, kind: 'reply' | 'note', arg?: string): Promise<void> {
  const item = target(c);
  if (!item) return;
  const key = `${kind}:${item.id}`;
  const again = kind === 'reply' ? 'r' : 'n';
  let text: string;
  if (arg !== undefined) {
    text = arg;
  } else {
    const r = await c.writeText(kind, item, c.drafts.get(key) ?? '');
    if (!r.sent) {
      if (r.text.trim()) {
        c.drafts.set(key, r.text);
        c.status.say(`${r.reason ? r.reason[0]!.toUpperCase() + r.reason.slice(1) : `${kind === 'reply' ? 'Reply' : 'Note'} not sent`}; your text is kept: ${again} opens it again.`, r.reason ? 'error' : 'info');
      } else {
        c.drafts.delete(key);
        c.status.say(`${kind === 'reply' ? 'Reply' : 'Note'} cancelled.`, 'info');
      }
      return;
    }
    text = r.text;
  }
  if (!text.trim()) {
    c.drafts.delete(key);
    c.status.say(`${kind === 'reply' ? 'Reply' : 'Note'} cancelled: the text is empty.`, 'info');
    return;
  }
  await act(c, async () => {
    const r = kind === 'reply' ? await c.api.reply(item.id, text, v(item)) : await c.api.note(item.id, text, v(item));
    c.drafts.delete(key);
    return kind === 'reply' ? `Reply sent on #${item.id} (${r.item.status}).` : `Internal note added to #${item.id}.`;
  }, { draft: { key, text, again } });
}

async function assignTo(c: CommandContext, picked: string | null, item: ItemView): Promise<void> {
  await act(c, async () => {
    const r = await c.api.assign(item.id, picked, v(item));
    if (!r.changed) return `#${item.id} was already ${picked ? 'assigned to @' + picked : 'unassigned'}.`;
    return picked ? `#${item.id} assigned to @${picked}.` : `#${item.id} unassigned.`;
  });
}

export const actions: Record<string, Handler> = {
  'item.select': async (c) => {
    if (!c.inbox.current) return;
    c.inbox.toggleSelect();
    await c.inbox.move(1);
  },

  'item.assign': async (c, arg) => {
    if (selecting(c)) {
      const sel = c.inbox.state.selection;
      const handle = arg !== undefined ? arg.trim().replace(/^@/, '') : (await c.modal.pick(`Assign ${plural(sel.size, 'selected item')} to`, await agentOptions(c, [])))?.value;
      if (handle === undefined) return;
      const to = handle === 'none' || handle === '' ? null : handle;
      await actOnSelection(c, `Assign ${plural(sel.size, 'selected item')} to ${to ? '@' + to : 'nobody'}?`, 'Assigned', (id, version) => c.api.assign(id, to, { expectedVersion: version }));
      return;
    }
    const item = target(c);
    if (!item) return;
    if (arg !== undefined) {
      const h = arg.trim().replace(/^@/, '');
      return assignTo(c, h === 'none' || h === '' ? null : h, item);
    }
    const picked = await c.modal.pick(`Assign #${item.id} (${item.role}) to`, await agentOptions(c, [item.role]));
    if (!picked) return;
    await assignTo(c, picked.value, item);
  },

  'item.take': async (c) => {
    const item = target(c);
    if (!item) return;
    try {
      const r = await c.api.take(item.id, v(item));
      c.status.say(r.changed ? `You took #${item.id}.` : `#${item.id} is already yours.`, 'ok');
    } catch (e) {
      const holder = e instanceof TandemError ? e.detail?.assignee : undefined;
      if (e instanceof TandemError && e.kind === 'conflict' && typeof holder === 'string') {
        // Collision detection: taking over someone's item is a deliberate second step.
        if (await c.modal.confirm(`#${item.id} is assigned to @${holder}. Take it over?`)) {
          await act(c, async () => {
            await c.api.take(item.id, { ...v(item), force: true });
            return `You took #${item.id} over from @${holder}.`;
          });
          return;
        }
        c.status.say(`#${item.id} stays with @${holder}.`, 'info');
      } else {
        await act(c, () => Promise.reject(e));
        return;
      }
    }
    await c.refresh();
  },

  'item.priority': async (c, arg) => {
    const item = selecting(c) ? null : target(c);
    if (!selecting(c) && !item) return;
    const p = arg?.trim().toLowerCase() || (await c.modal.choose(item ? `Priority for #${item.id}` : `Priority for ${plural(c.inbox.state.selection.size, 'selected item')}`, PRIORITY_CHOICES, item?.priority));
    if (!p) return;
    if (!item) {
      return actOnSelection(c, `Set priority ${p} on ${plural(c.inbox.state.selection.size, 'selected item')}?`, `Priority ${p} on`, (id, version) => c.api.setPriority(id, p, { expectedVersion: version }));
    }
    await act(c, async () => {
      const r = await c.api.setPriority(item.id, p, v(item));
      return r.changed ? `#${item.id} priority ${r.item.priority} (SLA due times follow).` : `#${item.id} is already ${p}.`;
    });
  },

  'item.status': async (c, arg) => {
    const item = selecting(c) ? null : target(c);
    if (!selecting(c) && !item) return;
    const s = arg?.trim().toLowerCase() || (await c.modal.choose(item ? `Status for #${item.id}` : `Status for ${plural(c.inbox.state.selection.size, 'selected item')}`, STATUS_CHOICES, item?.status));
    if (!s) return;
    if (!item) {
      return actOnSelection(c, `Set status ${s} on ${plural(c.inbox.state.selection.size, 'selected item')}?`, `Status ${s} on`, (id, version) => c.api.setStatus(id, s, { expectedVersion: version }));
    }
    await act(c, async () => {
      const r = await c.api.setStatus(item.id, s, v(item));
      return r.changed ? `#${item.id} is ${r.item.status}.` : `#${item.id} is already ${s}.`;
    });
  },

  'item.tag': async (c, arg) => {
    const item = selecting(c) ? null : target(c);
    if (!selecting(c) && !item) return;
    const text = arg ?? (await c.modal.ask({
      label: item ? `Tags for #${item.id}: ` : `Tags for ${plural(c.inbox.state.selection.size, 'selected item')}: `,
      hint: `${item?.tags.length ? `Now: ${item.tags.map((t) => '#' + sanitizeLine(t)).join(' ')} · ` : ''}words add a tag, -word removes it`,
      validate: (t) => (t.trim() ? null : 'name a tag to add, or -tag to remove'),
    }));
    if (text === null || !text.trim()) return;
    const change = parseTagChange(text);
    if (!item) {
      return actOnSelection(c, `Change tags (${text.trim()}) on ${plural(c.inbox.state.selection.size, 'selected item')}?`, 'Tagged', (id, version) => c.api.changeTags(id, change, { expectedVersion: version }));
    }
    await act(c, async () => {
      const r = await c.api.changeTags(item.id, change, v(item));
      return r.changed ? `#${item.id} tags: ${r.item.tags.map((t) => '#' + t).join(' ') || '(none)'}.` : `#${item.id} tags unchanged.`;
    });
  },

  'item.snooze': async (c, arg) => {
    const item = target(c);
    if (!item) return;
    const when = arg ?? (await c.modal.ask({
      label: `Snooze #${item.id} until: `,
      hint: 'e.g. 2h · 3d · tomorrow 9:00 · monday 9am · 2026-12-01 09:00',
      validate: (t) => {
        try {
          const d = c.api.checkWhen(t);
          return d.getTime() > c.api.now().getTime() ? null : 'that time is not in the future';
        } catch (e) {
          return (e as Error).message;
        }
      },
    }));
    if (when === null || !when.trim()) return;
    await act(c, async () => {
      const r = await c.api.snooze(item.id, when, v(item));
      return `#${item.id} snoozed until ${localTime(r.item.snoozedUntil)}; it comes back by itself.`;
    }, { reload: { follow: [c.inbox.nextId(), item.id] } });
  },

  'item.reply': (c, arg) => writeAndSend(c, 'reply', arg),
  'item.note': (c, arg) => writeAndSend(c, 'note', arg),

  'item.resolve': async (c) => {
    if (selecting(c)) {
      const n = c.inbox.state.selection.size;
      return actOnSelection(c, `Resolve ${plural(n, 'selected item')}?`, 'Resolved', (id, version) => c.api.resolve(id, { expectedVersion: version }));
    }
    const item = target(c);
    if (!item) return;
    // "Resolve and go to the next": the cursor lands on the row after this one.
    const next = c.view === 'list' || c.inbox.current?.id === item.id ? c.inbox.nextId() : undefined;
    const ok = await act(c, async () => {
      const r = await c.api.resolve(item.id, v(item));
      return r.changed ? `#${item.id} resolved.${next ? ` Next: #${next}.` : ''}` : `#${item.id} was already resolved.`;
    }, { reload: { follow: next ? [next] : [item.id] } });
    if (ok) c.showItem(null);
  },
};
