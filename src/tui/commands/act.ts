// Acting on the current item, or on the selection for a p s t x: every call carries the version
// the agent saw, so a change someone made meanwhile is refused and explained instead of overwritten.
import { agentHasRole } from '../../core/agents.js';
import { TandemError } from '../../core/errors.js';
import type { ItemView } from '../../core/item-view.js';
import { PRIORITIES } from '../../core/vocabulary.js';
import { localTime } from '../../text/format.js';
import { sanitizeLine } from '../../text/sanitize.js';
import type { DraftKind } from '../../core/drafts.js';
import type { Quote } from '../editor.js';
import type { PickerOption } from '../hooks/use-modal.js';
import type { CommandContext, Handler } from './context.js';
import { explainError } from '../explain.js';
import { actOnSelection, currentItem, plural, runAction, undoTokens } from './context.js';

const v = (item: ItemView) => ({ expectedVersion: item.version });

const UNDO_HINT = ' U undoes.';

/** This action is the one U undoes now (when the core says it can be undone). */
function remember(c: CommandContext, label: string, result: unknown): void {
  const tokens = undoTokens([result]);
  if (tokens.length) c.rememberUndo(label, tokens);
}

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
  return [
    { value: null, label: 'nobody', detail: 'unassign' },
    ...fits.map(option),
    ...others.map((a) => ({ ...option(a), detail: option(a).detail + ' · other role' })),
  ];
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

const KIND_WORD = { reply: 'Reply', note: 'Note' } as const;

/** "#3 Subject · Jo Park <jo@example.com>": what a reply or note is about, for the review's title. */
function about(kind: DraftKind, item: ItemView): string {
  const who = item.customer
    ? ` · ${sanitizeLine(item.customer.name)}${item.customer.email ? ` <${sanitizeLine(item.customer.email)}>` : ''}`
    : '';
  return `${kind === 'reply' ? 'reply to' : 'internal note on'} #${item.id} ${sanitizeLine(item.subject)}${kind === 'reply' ? who : ''}`;
}

/**
 * r and n: write (or take up a draft), review, then send. Nothing leaves without the review's one key;
 * every unsent text is a draft in the database (it survives a refusal, a crash, quitting).
 */
async function writeAndSend(c: CommandContext, kind: DraftKind, arg?: string): Promise<void> {
  const item = target(c);
  if (!item) return;
  const again = kind === 'reply' ? 'r' : 'n';
  const Word = KIND_WORD[kind];
  const saved = (await c.api.draft(item.id, kind))?.body ?? null;
  // A text given on the command line, or a draft taken up, goes straight to the review (e edits it).
  let text = arg ?? saved ?? '';
  let write = arg === undefined && saved === null;
  // Whether the text under review is my stored draft: a text from the command line is not, and sending
  // or discarding it leaves a draft I already had alone.
  let isDraft = arg === undefined;
  if (arg !== undefined && saved === null && arg.trim()) {
    // Nothing stored yet: the command line's text becomes the draft, so a refused send keeps it.
    await c.api.saveDraft(item.id, kind, arg);
    isDraft = true;
  }
  let quote: Quote | null | undefined;
  for (;;) {
    if (write) {
      // The customer's last message stays in view while writing (quoted in $EDITOR, never sent).
      quote ??= await c.api.lastCustomerMessage(item.id).then(
        (m) => (m ? { heading: `${sanitizeLine(m.author)} wrote on ${localTime(m.at)}`, body: m.body } : null),
        () => null,
      );
      const w = await c.writeText(kind, item, text, quote);
      if (w.how === 'failed') {
        if (w.text.trim() && w.text !== saved) await c.api.saveDraft(item.id, kind, w.text);
        await c.refresh();
        return c.status.say(
          `${capital(w.reason)}: nothing was sent.${w.text.trim() ? ` Your text is kept as a draft: ${again} opens it.` : ''}`,
          'error',
        );
      }
      if (w.how === 'unchanged') {
        c.status.say(
          `Nothing was sent: the text was left unchanged.${saved !== null ? ` Your draft is kept: ${again} opens it.` : ''}`,
          'info',
        );
        return;
      }
      if (w.how === 'empty') {
        c.status.say(
          `Nothing was sent: the text is empty.${saved !== null ? ` Your earlier draft is kept: ${again}, then d discards it.` : ''}`,
          'info',
        );
        return;
      }
      text = w.text;
      await c.api.saveDraft(item.id, kind, text);
      isDraft = true;
      if (w.how === 'kept') {
        await c.refresh();
        return c.status.say(`${Word} not sent; your draft is kept: ${again} opens it again.`, 'info');
      }
    } else if (!text.trim()) {
      c.status.say(`Nothing was sent: the text is empty.`, 'info');
      return;
    }
    const choice = await c.modal.review({ kind, title: about(kind, item), text });
    if (choice === 'edit') {
      write = true;
      continue;
    }
    if (choice === 'discard') {
      if (isDraft) await c.api.deleteDraft(item.id, kind);
      await c.refresh();
      return c.status.say(`${Word} discarded: nothing was sent.`, 'info');
    }
    if (choice === 'keep') {
      await c.api.saveDraft(item.id, kind, text);
      await c.refresh();
      return c.status.say(`${Word} kept as a draft (✎ in the list): ${again} opens it again.`, 'info');
    }
    const status = choice === 'pending' ? 'pending' : choice === 'resolved' ? 'resolved' : undefined;
    await runAction(
      c,
      async () => {
        const r = await c.api.send(item.id, kind, text, { expectedVersion: item.version, status, keepDraft: !isDraft });
        return kind === 'reply' ? `Reply sent on #${item.id} (${r.item.status}).` : `Internal note added to #${item.id}.`;
      },
      isDraft ? { draft: { key: `${kind}:${item.id}`, text, again, stored: true } } : {},
    );
    return;
  }
}

function capital(s: string): string {
  return s ? s[0]!.toUpperCase() + s.slice(1) : s;
}

async function assignTo(c: CommandContext, picked: string | null, item: ItemView): Promise<void> {
  await runAction(c, async () => {
    const r = await c.api.assign(item.id, picked, v(item));
    remember(c, `assign #${item.id}`, r);
    if (!r.changed) return `#${item.id} was already ${picked ? 'assigned to @' + picked : 'unassigned'}.`;
    return (picked ? `#${item.id} assigned to @${picked}.` : `#${item.id} unassigned.`) + UNDO_HINT;
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
      const handle =
        arg !== undefined
          ? arg.trim().replace(/^@/, '')
          : (await c.modal.pick(`Assign ${plural(sel.size, 'selected item')} to`, await agentOptions(c, [])))?.value;
      if (handle === undefined) return;
      const to = handle === 'none' || handle === '' ? null : handle;
      await actOnSelection(c, `Assign ${plural(sel.size, 'selected item')} to ${to ? '@' + to : 'nobody'}?`, 'Assigned', (id, version) =>
        c.api.assign(id, to, { expectedVersion: version }),
      );
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
      remember(c, `take #${item.id}`, r);
      // Said after the reload, with the row that shows it (as runAction does).
      await c.refresh();
      return c.status.say(r.changed ? `You took #${item.id}.${UNDO_HINT}` : `#${item.id} is already yours.`, 'ok');
    } catch (e) {
      const holder = e instanceof TandemError ? e.detail?.assignee : undefined;
      if (e instanceof TandemError && e.kind === 'conflict' && typeof holder === 'string') {
        // Collision detection: taking over someone's item is a deliberate second step.
        if (await c.modal.confirm(`#${item.id} is assigned to @${holder}. Take it over?`)) {
          await runAction(c, async () => {
            remember(c, `take #${item.id}`, await c.api.take(item.id, { ...v(item), force: true }));
            return `You took #${item.id} over from @${holder}.${UNDO_HINT}`;
          });
          return;
        }
        c.status.say(`#${item.id} stays with @${holder}.`, 'info');
      } else {
        await runAction(c, () => Promise.reject(e));
        return;
      }
    }
    await c.refresh();
  },

  'item.priority': async (c, arg) => {
    const item = selecting(c) ? null : target(c);
    if (!selecting(c) && !item) return;
    const p =
      arg?.trim().toLowerCase() ||
      (await c.modal.choose(
        item ? `Priority for #${item.id}` : `Priority for ${plural(c.inbox.state.selection.size, 'selected item')}`,
        PRIORITY_CHOICES,
        item?.priority,
      ));
    if (!p) return;
    if (!item) {
      return actOnSelection(
        c,
        `Set priority ${p} on ${plural(c.inbox.state.selection.size, 'selected item')}?`,
        `Priority ${p} on`,
        (id, version) => c.api.setPriority(id, p, { expectedVersion: version }),
      );
    }
    await runAction(c, async () => {
      const r = await c.api.setPriority(item.id, p, v(item));
      remember(c, `priority on #${item.id}`, r);
      return r.changed ? `#${item.id} priority ${r.item.priority} (SLA due times follow).${UNDO_HINT}` : `#${item.id} is already ${p}.`;
    });
  },

  'item.status': async (c, arg) => {
    const item = selecting(c) ? null : target(c);
    if (!selecting(c) && !item) return;
    const s =
      arg?.trim().toLowerCase() ||
      (await c.modal.choose(
        item ? `Status for #${item.id}` : `Status for ${plural(c.inbox.state.selection.size, 'selected item')}`,
        STATUS_CHOICES,
        item?.status,
      ));
    if (!s) return;
    if (!item) {
      return actOnSelection(
        c,
        `Set status ${s} on ${plural(c.inbox.state.selection.size, 'selected item')}?`,
        `Status ${s} on`,
        (id, version) => c.api.setStatus(id, s, { expectedVersion: version }),
      );
    }
    await runAction(c, async () => {
      const r = await c.api.setStatus(item.id, s, v(item));
      remember(c, `status on #${item.id}`, r);
      return r.changed ? `#${item.id} is ${r.item.status}.${UNDO_HINT}` : `#${item.id} is already ${s}.`;
    });
  },

  'item.tag': async (c, arg) => {
    const item = selecting(c) ? null : target(c);
    if (!selecting(c) && !item) return;
    const text =
      arg ??
      (await c.modal.ask({
        label: item ? `Tags for #${item.id}: ` : `Tags for ${plural(c.inbox.state.selection.size, 'selected item')}: `,
        hint: `${item?.tags.length ? `Now: ${item.tags.map((t) => '#' + sanitizeLine(t)).join(' ')} · ` : ''}words add a tag, -word removes it`,
        validate: (t) => (t.trim() ? null : 'name a tag to add, or -tag to remove'),
      }));
    if (text === null || !text.trim()) return;
    const change = parseTagChange(text);
    if (!item) {
      return actOnSelection(
        c,
        `Change tags (${text.trim()}) on ${plural(c.inbox.state.selection.size, 'selected item')}?`,
        'Tagged',
        (id, version) => c.api.changeTags(id, change, { expectedVersion: version }),
      );
    }
    await runAction(c, async () => {
      const r = await c.api.changeTags(item.id, change, v(item));
      remember(c, `tags on #${item.id}`, r);
      return r.changed
        ? `#${item.id} tags: ${r.item.tags.map((t) => '#' + t).join(' ') || '(none)'}.${UNDO_HINT}`
        : `#${item.id} tags unchanged.`;
    });
  },

  'item.snooze': async (c, arg) => {
    const item = target(c);
    if (!item) return;
    const when =
      arg ??
      (await c.modal.ask({
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
    await runAction(
      c,
      async () => {
        const r = await c.api.snooze(item.id, when, v(item));
        remember(c, `snooze #${item.id}`, r);
        return `#${item.id} snoozed until ${localTime(r.item.snoozedUntil)}; it comes back by itself.${UNDO_HINT}`;
      },
      { reload: { follow: [c.inbox.nextId(), item.id] } },
    );
  },

  'item.reply': (c, arg) => writeAndSend(c, 'reply', arg),
  'item.note': (c, arg) => writeAndSend(c, 'note', arg),

  'item.undo': async (c) => {
    const last = c.takeUndo();
    if (!last)
      return c.status.say(
        'Nothing to undo: U undoes your last resolve, snooze, assignment, status, priority or tags, for 2 minutes.',
        'info',
      );
    const done: number[] = [];
    const refused: string[] = [];
    for (const token of last.tokens) {
      try {
        await c.api.undo(token);
        done.push(token.itemId);
      } catch (e) {
        refused.push(explainError(e, c.api.now()));
      }
    }
    const what = done.length === 1 ? `#${done[0]}` : plural(done.length, 'item');
    await c.refresh({ follow: [last.tokens[0]?.itemId] });
    if (refused.length === 0) c.status.say(`Undone: ${last.label} (${what} as before).`, 'ok');
    else c.status.say(`${done.length ? `Undone on ${what}; ` : ''}not undone: ${refused.slice(0, 2).join(' · ')}`, 'warn');
  },

  'item.resolve': async (c) => {
    if (selecting(c)) {
      const n = c.inbox.state.selection.size;
      return actOnSelection(c, `Resolve ${plural(n, 'selected item')}?`, 'Resolved', (id, version) =>
        c.api.resolve(id, { expectedVersion: version }),
      );
    }
    const item = target(c);
    if (!item) return;
    // A support item made by an escalation goes back to service with what support found: ask for it.
    let note: string | null = null;
    const from =
      item.role === 'support' && item.status !== 'resolved' && item.status !== 'closed' ? await c.api.escalatedFrom(item.id) : null;
    if (from && from.state === 'open') {
      note = await c.modal.ask({
        label: `Resolve #${item.id} — note for service #${from.sourceItemId}: `,
        initial: c.drafts.get(`resolve:${item.id}`) ?? '',
        hint: 'What support found or did: service reads it when the item comes back, to close the loop · Esc cancels',
        validate: (t) => (t.trim() ? null : 'say what service should tell the customer'),
      });
      if (note === null) return c.status.say(`#${item.id} not resolved.`, 'info');
    }
    // "Resolve and go to the next": the cursor lands on the row after this one.
    const next = c.view === 'list' || c.inbox.current?.id === item.id ? c.inbox.nextId() : undefined;
    const ok = await runAction(
      c,
      async () => {
        const r = await c.api.resolve(item.id, { ...v(item), note });
        c.drafts.delete(`resolve:${item.id}`);
        if (from && r.changed)
          return `#${item.id} resolved; service #${from.sourceItemId} is back with your note.${next ? ` Next: #${next}.` : ''}`;
        remember(c, `resolve #${item.id}`, r);
        return r.changed
          ? `#${item.id} resolved.${next ? ` Next: #${next}.` : ''}${r.undo ? UNDO_HINT : ''}`
          : `#${item.id} was already resolved.`;
      },
      { reload: { follow: next ? [next] : [item.id] }, ...(note ? { draft: { key: `resolve:${item.id}`, text: note, again: 'x' } } : {}) },
    );
    if (ok) c.showItem(null);
  },
};
