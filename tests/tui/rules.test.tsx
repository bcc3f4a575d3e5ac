// Rules and suggestions in the console: the detail says which rules acted (and which were refused),
// the rules view lists, switches, reorders and tests rules, and y accepts a suggestion.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { getItemView } from '../../src/core/item-view.js';
import * as items from '../../src/core/items.js';
import { makeCtx } from '../../src/core/context.js';
import { importRules, listRules, setRuleEnabled } from '../../src/core/rules/rule-store.js';
import { openStore } from '../../src/store/open.js';
import type { Store } from '../../src/store/store.js';
import { trainModels } from '../../src/core/routing/suggest.js';
import { renderConsole, type Harness } from './harness.js';
import { seededInbox, type Inbox } from './fixtures.js';

let inbox: Inbox;
let ui: Harness | undefined;
let other: Store | undefined;

beforeEach(async () => {
  inbox = await seededInbox();
});
afterEach(async () => {
  ui?.unmount();
  ui = undefined;
  await other?.close();
  other = undefined;
  await inbox.env.close();
});

async function cursorTo(h: Harness, text: string) {
  if (!h.cursorLine().includes(text)) await h.press('g');
  for (let i = 0; i < 20 && !h.cursorLine().includes(text); i++) await h.press('j');
  expect(h.cursorLine()).toContain(text);
}

const RULES = [
  {
    name: 'vat to billing',
    when: 'created',
    if: { field: 'subject', matches: '(?i)\\bvat\\b' },
    then: [{ set: { priority: 'high' } }, { tag: 'tax' }],
  },
  {
    name: 'escalate pending support',
    when: 'updated',
    if: {
      all: [
        { field: 'status', is: 'pending' },
        { field: 'kind', is: 'bug' },
      ],
    },
    then: [{ escalate: 'needs engineering' }],
  },
  { name: 'urgent crashes', when: 'created', if: { field: 'subject', contains: 'crash' }, then: [{ set: { priority: 'urgent' } }] },
];

describe('rules in the console', () => {
  it("the detail shows which rules acted on the item, and a refusal from an agent's change", async () => {
    await importRules(inbox.env.ctx, inbox.sam, RULES);
    const v = await items.createItem(inbox.env.ctx, inbox.sam, {
      subject: 'VAT number missing',
      customer: 'lee@example.com',
      kind: 'question',
    });
    ui = await renderConsole(inbox.env, inbox.sam, { columns: 160, rows: 40 });
    await cursorTo(ui, 'VAT number missing');
    await ui.press('enter');
    let f = await ui.waitFor('Rule “vat to billing” (v1)');
    expect(f).toContain('Rule “vat to billing” (v1): priority normal → high; tags +tax');
    expect(f).toMatch(/system rule "vat to billing" \(v1\): priority normal → high/);
    expect((await getItemView(inbox.env.store.db, v.id, inbox.env.clock.now())).priority).toBe('high');

    // An agent sets a support bug to pending in the console: the updated rule tries to escalate it,
    // which the status rules refuse (only service items are escalated). The agent's change stands.
    await ui.press('esc');
    await cursorTo(ui, 'App crashes');
    await ui.press('s');
    await ui.waitFor(/\[p\]ending/);
    await ui.press('p');
    await ui.waitFor(/#\d+ status pending|pending/);
    await ui.press('enter');
    f = await ui.waitFor('escalate pending support');
    expect(f).toContain('Rule “escalate pending support” (v1): escalate "needs engineering"');
    expect(f).toContain(`refused: item #${inbox.ids.crash} is a support item; only service items are escalated`);
    expect((await getItemView(inbox.env.store.db, inbox.ids.crash, inbox.env.clock.now())).status).toBe('pending');
  });

  it('the rules view lists rules, switches one off, reorders, and tests one against the current item without writing', async () => {
    await importRules(inbox.env.ctx, inbox.sam, RULES);
    ui = await renderConsole(inbox.env, inbox.sam, { columns: 140, rows: 40 });
    await cursorTo(ui, 'Wrong VAT on my invoice');
    const before = await getItemView(inbox.env.store.db, inbox.ids.invoice, inbox.env.clock.now());
    await ui.press('R');
    let f = await ui.waitFor('Rules (3)');
    expect(f).toMatch(/› 1\.\s+\[on\]\s+vat to billing\s+created/);
    expect(f).toMatch(/3\.\s+\[on\]\s+urgent crashes/);
    expect(f).toContain('When created, if subject matches "(?i)\\\\bvat\\\\b"');
    expect(f).toContain('then set priority high; tag tax');

    await ui.press('t');
    f = await ui.waitFor('Test on #' + inbox.ids.invoice);
    expect(f).toContain('✓ subject matches "(?i)\\\\bvat\\\\b"  = "Wrong VAT on my invoice"');
    expect(f).toContain('→ would priority low → high');
    expect(f).toContain('→ would tags +tax');
    expect(f).toContain(`Nothing was written (item at v${before.version} before and after).`);
    const after = await getItemView(inbox.env.store.db, inbox.ids.invoice, inbox.env.clock.now());
    expect(after).toEqual(before);

    await ui.press('space');
    f = await ui.waitFor('Rule “vat to billing” is off.');
    expect(f).toMatch(/1\.\s+\[off\]\s+vat to billing/);
    expect((await listRules(inbox.env.store.db)).map((r) => [r.name, r.enabled])[0]).toEqual(['vat to billing', false]);

    await ui.press('J');
    await ui.waitFor('now runs 2 in the order');
    expect((await listRules(inbox.env.store.db)).map((r) => r.name)).toEqual([
      'escalate pending support',
      'vat to billing',
      'urgent crashes',
    ]);
    await ui.press('j', 't');
    f = await ui.waitFor(/Test on #\d+[\s\S]*Does not match: no actions\./);
    expect(f).toContain('✗ subject contains "crash"  = "Wrong VAT on my invoice"');

    await ui.press('?');
    f = await ui.waitFor('Switch the rule on or off');
    expect(f).toContain("Test the rule against the inbox's current item");
    await ui.press('esc');
    await ui.press('esc');
    await ui.waitFor(/Wrong VAT on my invoice/);
  });
});

describe('the rules view, live', () => {
  it('shows a rule switched off by another process while the view is open', async () => {
    await importRules(inbox.env.ctx, inbox.sam, RULES);
    other = await openStore(inbox.env.dbPath);
    ui = await renderConsole(inbox.env, inbox.sam, { columns: 140, rows: 40, pollMs: 50 });
    await ui.waitFor(/Wrong VAT on my invoice/);
    await ui.press('R');
    let f = await ui.waitFor('Rules (3)');
    expect(f).toMatch(/3\.\s+\[on\]\s+urgent crashes/);
    // Another terminal switches the third rule off: the open view follows without a key press.
    await setRuleEnabled(makeCtx(other), 'urgent crashes', false);
    f = await ui.waitFor((fr) => /3\.\s+\[off\]\s+urgent crashes/.test(fr), 8000);
    expect(f).toMatch(/1\.\s+\[on\]\s+vat to billing/);
  });
});

describe('suggestions in the console', () => {
  it('shows the suggested role, kind and agent on a new item, and y accepts it', async () => {
    // History: resolved billing questions handled by cleo, onboarding ones by ana.
    for (let i = 0; i < 12; i++) {
      const billing = i % 2 === 0;
      const v = await items.createItem(inbox.env.ctx, inbox.sam, {
        subject: billing ? 'refund for a double charge' : 'help setting up the workspace',
        body: billing ? 'my card was charged twice, please refund' : 'how do I get started with setup',
        customer: `h${i}@example.com`,
        kind: billing ? 'billing' : 'onboarding',
        assignee: billing ? 'cleo' : 'ana',
      });
      await items.resolve(inbox.env.ctx, inbox.sam, v.id);
    }
    await trainModels(inbox.env.ctx);
    const v = await items.createItem(inbox.env.ctx, inbox.sam, {
      subject: 'charged twice on my card',
      customer: 'new@example.com',
      kind: 'question',
    });
    ui = await renderConsole(inbox.env, inbox.sam, { columns: 160, rows: 40 });
    await cursorTo(ui, 'charged twice on my card');
    await ui.press('enter');
    const f = await ui.waitFor('y accepts');
    expect(f).toMatch(/Suggested support \d+% · billing \d+% · @cleo \d+% · y accepts/);
    await ui.press('y');
    await ui.waitFor(`#${v.id} is now support · billing · @cleo (suggestion accepted).`);
    const after = await getItemView(inbox.env.store.db, v.id, inbox.env.clock.now());
    expect(after).toMatchObject({ role: 'support', kind: 'billing', assignee: 'cleo' });
  });
});
