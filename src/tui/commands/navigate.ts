// Moving: the list cursor, opening and leaving the detail, scrolling it, jumping to linked items.
import { parseItemId } from '../../core/item-view.js';
import type { CommandContext, Handler } from './context.js';
import { explainError } from '../explain.js';
import { currentItem, openItem } from './context.js';

const listMove =
  (f: (c: CommandContext) => Promise<void>): Handler =>
  async (c) => {
    c.showItem(null);
    await f(c);
  };

const page = (c: CommandContext) => Math.max(1, c.inbox.state.pageSize - 1);

export const navigate: Record<string, Handler> = {
  'list.down': listMove((c) => c.inbox.move(1)),
  'list.up': listMove((c) => c.inbox.move(-1)),
  'list.top': listMove((c) => c.inbox.goTo(0)),
  'list.bottom': listMove((c) => c.inbox.goTo(Number.MAX_SAFE_INTEGER)),
  'list.pageDown': listMove((c) => c.inbox.move(page(c))),
  'list.pageUp': listMove((c) => c.inbox.move(-page(c))),

  'list.open': (c) => {
    if (!c.inbox.current) return c.status.say('Nothing to open: the list is empty.', 'info');
    c.showItem(null);
    c.setView('detail');
  },

  'view.back': (c) => {
    if (c.view === 'detail') {
      c.showItem(null);
      c.setView('list');
      return;
    }
    if (c.inbox.state.selection.size) {
      c.inbox.deselect('all');
      c.status.say('Selection cleared.', 'info');
    }
  },

  'view.pane': (c) => {
    if (c.view === 'detail') {
      c.showItem(null);
      c.setView('list');
    } else if (c.inbox.current) {
      c.setView('detail');
    }
  },

  'detail.down': (c) => c.detail.scrollBy(1),
  'detail.up': (c) => c.detail.scrollBy(-1),
  'detail.top': (c) => c.detail.scrollTo(0),
  'detail.bottom': (c) => c.detail.scrollTo(Number.MAX_SAFE_INTEGER),
  'detail.pageDown': (c) => c.detail.scrollBy(Math.max(1, c.detail.height - 2)),
  'detail.pageUp': (c) => c.detail.scrollBy(-Math.max(1, c.detail.height - 2)),
  'detail.next': listMove((c) => c.inbox.move(1)),
  'detail.prev': listMove((c) => c.inbox.move(-1)),

  'item.linked': async (c) => {
    const item = currentItem(c);
    if (!item) return;
    const d =
      c.detail.data?.item.id === item.id && c.detail.data.item.version === item.version ? c.detail.data : await c.api.itemDetail(item.id);
    const target = d.asSupport?.sourceItemId ?? d.asSource[0]?.supportItemId;
    if (!target) return c.status.say(`#${item.id} has no linked item (it was not escalated, nor made by an escalation).`, 'info');
    await openItem(c, target);
    c.status.say(
      `#${target}: ${d.asSupport ? 'the service item this was escalated from' : 'the support item made from this one'} · l goes back, Esc to the list`,
      'info',
    );
  },

  'item.customer': async (c) => {
    const item = currentItem(c);
    if (!item) return;
    if (!item.customer) return c.status.say(`#${item.id} has no customer (an internal item).`, 'info');
    const history = await c.api.customerHistory(item.customer.id);
    const open = await c.modal.customer(history, c.api.now());
    if (open !== null) await openItem(c, open);
  },

  'item.goto': async (c, arg) => {
    const text = arg ?? (await c.modal.ask({ label: 'Open item #', hint: 'An item id; it opens whatever the filter shows.' }));
    if (text === null || !text.trim()) return;
    try {
      const id = parseItemId(text);
      await c.api.item(id);
      await openItem(c, id);
    } catch (e) {
      c.status.say(explainError(e, c.api.now()), 'error');
    }
  },
};
