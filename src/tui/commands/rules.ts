// The rules view's commands (R): move, switch a rule on or off, reorder, test it against the inbox's
// current item; and y, which accepts an item's suggested role, kind and agent.
import { sanitizeLine } from '../../text/sanitize.js';
import type { CommandContext, Handler } from './context.js';
import { currentItem } from './context.js';
import { explainError } from '../explain.js';

const inRules =
  (f: Handler): Handler =>
  (c, arg) => {
    if (c.view !== 'rules') return c.status.say('That works in the rules view: R (or :rules) opens it.', 'info');
    return f(c, arg);
  };

async function reorder(c: CommandContext, delta: -1 | 1): Promise<void> {
  const rule = c.rules.selected();
  if (!rule) return;
  await c.api.moveRuleBy(rule.id, delta);
  await c.rules.reload(rule.id);
  const moved = c.rules.selected();
  c.status.say(`Rule “${sanitizeLine(rule.name)}” now runs ${moved?.position ?? '?'} in the order.`, 'ok');
}

export const rules: Record<string, Handler> = {
  'view.rules': (c) => c.setView(c.view === 'rules' ? 'list' : 'rules'),
  'rules.back': (c) => c.setView('list'),
  'rules.down': inRules((c) => c.rules.move(1)),
  'rules.up': inRules((c) => c.rules.move(-1)),
  'rules.toggle': inRules(async (c) => {
    const rule = c.rules.selected();
    if (!rule) return c.status.say('No rules yet: `tandem rule add` or `tandem rule import FILE`.', 'info');
    const { rule: saved } = await c.api.setRuleEnabled(rule.id, !rule.enabled);
    await c.rules.reload(rule.id);
    c.status.say(`Rule “${sanitizeLine(saved.name)}” is ${saved.enabled ? 'on' : 'off'}.`, 'ok');
  }),
  'rules.moveUp': inRules((c) => reorder(c, -1)),
  'rules.moveDown': inRules((c) => reorder(c, 1)),
  'rules.test': inRules(async (c) => {
    const rule = c.rules.selected();
    const item = c.inbox.current;
    if (!rule) return c.status.say('No rules to test.', 'info');
    if (!item) return c.status.say('No item to test against: pick one in the inbox first.', 'info');
    try {
      const report = await c.api.testRule(rule.id, item.id);
      c.rules.setTest({ report, subject: item.subject });
      const r = report.rules[0]!;
      c.status.say(
        `#${item.id}: “${sanitizeLine(rule.name)}” ${r.matched ? (r.refused ? 'matches, but would be refused' : 'matches') : 'does not match'}; nothing was written.`,
        r.matched ? 'ok' : 'info',
      );
    } catch (e) {
      c.status.say(explainError(e, c.api.now()), 'error');
    }
  }),
  'item.accept': async (c) => {
    const item = currentItem(c);
    if (!item) return;
    const r = await c.api.acceptSuggestion(item.id, { expectedVersion: item.version });
    await c.refresh();
    c.status.say(
      r.changed
        ? `#${item.id} is now ${r.item.role} · ${r.item.kind}${r.item.assignee ? ` · @${r.item.assignee}` : ''} (suggestion accepted).`
        : `#${item.id} already is what was suggested.`,
      'ok',
    );
  },
};
