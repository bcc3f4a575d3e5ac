// Rules through the binary: every condition, every action, order, stop, the depth limit, the
// refusals (at save and at run time), test, replay, import and export.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runJson, runTandem } from '../helpers/cli-inproc.js';
import { tempDir } from '../helpers/core.js';
import { newDatabase } from '../helpers/store-target.js';

let dir: string;
let db: string;
const run = (args: string[], input?: string) => runTandem(args, { db, as: 'sam', input });
const json = (args: string[], input?: string) => runJson(args, { db, as: 'sam', input });
const file = (name: string, text: string) => {
  const p = path.join(dir, name);
  fs.writeFileSync(p, text);
  return p;
};
const tagsOf = async (id: number): Promise<string[]> => (await json(['item', 'show', String(id)])).tags;

beforeAll(async () => {
  dir = tempDir();
  db = await newDatabase('rules');
  expect((await runTandem(['init', '--handle', 'sam'], { db })).code).toBe(0);
  for (const [h, roles] of [
    ['bo', 'support'],
    ['cy', 'support'],
    ['ana', 'service'],
  ]) {
    expect((await run(['agent', 'add', h!, '--roles', roles!])).code).toBe(0);
  }
  await json(['customer', 'add', '--name', 'Jo', '--email', 'jo@bigco.com']);
  await json(['order', 'add', '--customer', 'jo@bigco.com', '--amount', '1200']);
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** One rule per condition, each adding its own tag when it matches: the item's tags say which matched. */
const CONDITIONS: [string, string][] = [
  ['role', '{ field: role, is: support }'],
  ['kind', '{ field: kind, is: [billing, bug] }'],
  ['channel', '{ field: channel, is: chat }'],
  ['direction', '{ field: direction, is: inbound }'],
  ['status', '{ field: status, is: new }'],
  ['priority', '{ field: priority, is_not: low }'],
  ['subject-contains', '{ field: subject, contains: CHARGED }'],
  ['subject-matches', '{ field: subject, matches: "(?i)^refund\\\\b" }'],
  ['body-contains', '{ field: body, contains: "order 1234" }'],
  ['body-matches', '{ field: body, matches: "\\\\border \\\\d{4}\\\\b" }'],
  ['email', '{ field: customer_email, is: jo@bigco.com }'],
  ['domain', '{ field: customer_domain, is: bigco.com }'],
  ['tags', '{ field: tags, has: vip }'],
  ['ltv', '{ field: lifetime_value, gte: 1000 }'],
  ['open-items', '{ field: open_items, is: 1 }'],
  ['hours-created', '{ field: hours_since_created, lt: 1 }'],
  ['hours-updated', '{ field: hours_since_updated, lte: 0.5 }'],
  [
    'always-hours',
    '{ any: [ { field: business_hours, is: true, hours: "mon-sun 00:00-24:00", tz: "Europe/Paris" }, { field: business_hours, is: true } ] }',
  ],
  ['change', '{ field: change, is: created }'],
  ['assignee', '{ field: assignee, is: "" }'],
  ['not', '{ not: { field: channel, is: phone } }'],
  ['all-any', '{ all: [ { field: role, is: support }, { any: [ { field: channel, is: sms }, { field: tags, has: vip } ] } ] }'],
];
// The same fields, each set so it does not match this item.
const MISSES: [string, string][] = [
  ['x-role', '{ field: role, is: service }'],
  ['x-kind', '{ field: kind, is: question }'],
  ['x-channel', '{ field: channel, is: email }'],
  ['x-subject', '{ field: subject, matches: "^charged" }'],
  ['x-body', '{ field: body, not_contains: "order" }'],
  ['x-domain', '{ field: customer_domain, is: other.org }'],
  ['x-tags', '{ field: tags, lacks: vip }'],
  ['x-ltv', '{ field: lifetime_value, gt: 5000 }'],
  ['x-open', '{ field: open_items, gte: 2 }'],
  ['x-hours', '{ field: hours_since_created, gt: 2 }'],
  ['x-outside', '{ field: business_hours, is: false, hours: "mon-sun 00:00-24:00" }'],
  ['x-change', '{ field: change, is: message }'],
  ['x-suggested', '{ field: suggested_role, is: support, min_confidence: 0.8 }'],
];

function conditionFile(): string {
  const rules = [...CONDITIONS, ...MISSES].map(
    ([name, cond]) => `- name: c ${name}\n  when: created\n  if: ${cond}\n  then: [ { tag: ${name} } ]`,
  );
  return rules.join('\n') + '\n';
}

describe('rule conditions through the CLI', () => {
  it('tests every field with its operators when an item is created, and only the matching rules act', async () => {
    const imported = await json(['rule', 'import', file('conditions.yaml', conditionFile())]);
    expect(imported.added).toHaveLength(CONDITIONS.length + MISSES.length);
    const item = await json([
      'item',
      'add',
      '--subject',
      'Refund: charged twice',
      '--customer',
      'jo@bigco.com',
      '--kind',
      'billing',
      '--channel',
      'chat',
      '--tag',
      'vip',
      '--body',
      'For order 1234 I was charged twice',
    ]);
    const tags = await tagsOf(item.id);
    for (const [name] of CONDITIONS) expect(tags, `condition ${name}`).toContain(name);
    for (const [name] of MISSES) expect(tags, `condition ${name}`).not.toContain(name);
    // Every action names its rule and revision.
    const shown = await json(['item', 'show', String(item.id)]);
    const tagEvent = shown.events.find((e: any) => e.type === 'tag' && e.data.added.includes('domain'));
    expect(tagEvent.data.rule).toMatchObject({ name: 'c domain', revision: 1 });
    expect(shown.rules.map((r: any) => r.name)).toContain('c domain');
    const human = await run(['item', 'show', String(item.id)]);
    expect(human.stdout).toContain('rule "c domain" (v1): tags +domain');
    expect((await run(['rule', 'import', file('none.yaml', '[]'), '--replace'])).code).toBe(0);
    expect(await json(['rule', 'list'])).toEqual([]);
  });

  it("rule test shows each condition's value and result and writes nothing", async () => {
    await json([
      'rule',
      'import',
      file(
        't.yaml',
        `- name: refunds to billing
  when: created
  if: { all: [ { field: subject, matches: "(?i)refund|charged twice" }, { field: role, is: support } ] }
  then: [ { set: { priority: high } }, { tag: billing }, { assign: least-loaded } ]
  stop: true
- name: after stop
  when: created
  then: [ { tag: never } ]
`,
      ),
      '--replace',
    ]);
    await json(['rule', 'disable', 'refunds to billing']);
    const item = await json(['item', 'add', '--subject', 'I want a REFUND', '--customer', 'kim@example.com', '--kind', 'billing']);
    await json(['rule', 'enable', 'refunds to billing']);
    const before = await json(['item', 'show', String(item.id)]);
    const report = await json(['rule', 'test', '--all', '--item', String(item.id)]);
    expect(report.unchanged).toBe(true);
    const [r] = report.rules;
    expect(r.matched).toBe(true);
    expect(r.conditions.map((c: any) => [c.label, c.value, c.result])).toEqual([
      ['all', undefined, true],
      ['subject matches "(?i)refund|charged twice"', 'I want a REFUND', true],
      ['role is "support"', 'support', true],
    ]);
    expect(r.actions).toEqual(['priority normal → high', 'tags +billing', 'assignee none → @bo (least-loaded); status new → open']);
    expect(report.stoppedBefore).toEqual(['after stop']);
    const human = await run(['rule', 'test', 'refunds to billing', '--item', String(item.id)]);
    expect(human.stdout).toMatch(/subject matches "\(\?i\)refund\|charged twice"\s+value "I want a REFUND"\s+→ ✓ yes/);
    expect(human.stdout).toMatch(/Nothing was written: item #\d+ at version 2/);
    const after = await json(['item', 'show', String(item.id)]);
    expect(after.version).toBe(before.version);
    expect(after.events).toEqual(before.events);
    expect((await json(['rule', 'show', 'refunds to billing'])).firedCount).toBe(0);
  });
});

describe('rule actions through the CLI', () => {
  it('sets role, kind and priority, assigns, tags, untags, notes, each an event naming the rule', async () => {
    await json([
      'rule',
      'import',
      file(
        'a.yaml',
        `- name: route
  when: created
  if: { field: subject, contains: invoice }
  then:
    - set: { role: support, kind: billing, priority: urgent }
    - assign: cy
    - tag: [billing, finance]
    - untag: inbox
    - note: "Routed by rule: invoices go to billing"
`,
      ),
      '--replace',
    ]);
    const item = await json(['item', 'add', '--subject', 'Invoice wrong', '--customer', 'a@x.org', '--kind', 'question', '--tag', 'inbox']);
    expect(item).toMatchObject({
      role: 'support',
      kind: 'billing',
      priority: 'urgent',
      assignee: 'cy',
      status: 'open',
      tags: ['billing', 'finance'],
    });
    const shown = await json(['item', 'show', String(item.id)]);
    const byRule = shown.events.filter((e: any) => e.data?.rule?.name === 'route');
    expect(byRule.map((e: any) => e.type)).toEqual(['role', 'kind', 'priority', 'assign', 'status', 'tag', 'tag', 'note']);
    expect(byRule.every((e: any) => e.author.type === 'system' && e.data.rule.revision === 1)).toBe(true);
    expect(byRule.at(-1).body).toBe('Routed by rule: invoices go to billing');
    // SLA due times follow the new role and priority (support urgent: 1 h first response by default).
    expect(Date.parse(shown.sla.firstResponseDueAt) - Date.parse(shown.createdAt)).toBe(60 * 60_000);
    const human = await run(['item', 'show', String(item.id)]);
    expect(human.stdout).toContain('rule "route" (v1): priority normal → urgent');
    expect(human.stdout).toContain('rule "route" (v1): role service → support');
  });

  it('round-robin takes turns, least-loaded picks whoever has least open work', async () => {
    await json([
      'rule',
      'import',
      file(
        'rr.yaml',
        `- name: rr
  when: created
  if: { field: subject, contains: rr }
  then: [ { assign: round-robin } ]
- name: ll
  when: created
  if: { field: subject, contains: ll }
  then: [ { assign: least-loaded, among: [bo, cy] } ]
`,
      ),
      '--replace',
    ]);
    const picks: string[] = [];
    for (let i = 0; i < 4; i++)
      picks.push((await json(['item', 'add', '--subject', `rr ${i}`, '--customer', 'r@x.org', '--kind', 'bug'])).assignee);
    // Support agents in handle order: bo, cy, sam (both roles) — then round again.
    expect(picks).toEqual(['bo', 'cy', 'sam', 'bo']);
    // Give bo two more open items than cy: least-loaded must then pick cy.
    const open = async (h: string) => Number((await run(['inbox', '--assignee', h, '--count'])).stdout.trim());
    for (let i = 0; i < 2; i++)
      await json(['item', 'add', '--subject', `extra ${i}`, '--customer', 'r@x.org', '--kind', 'bug', '--assign', 'bo']);
    expect(await open('bo')).toBeGreaterThan(await open('cy'));
    const ll = await json(['item', 'add', '--subject', 'll', '--customer', 'r@x.org', '--kind', 'bug']);
    expect(ll.assignee).toBe('cy');
    const cyBefore = await open('cy');
    const ll2 = await json(['item', 'add', '--subject', 'll again', '--customer', 'r@x.org', '--kind', 'bug']);
    expect(ll2.assignee).toBe(cyBefore < (await open('bo')) ? 'cy' : 'bo');
  });

  it('snoozes, escalates with a reason, and runs escalated rules on the new support item', async () => {
    await json([
      'rule',
      'import',
      file(
        'esc.yaml',
        `- name: escalate outages
  when: created
  if: { all: [ { field: role, is: service }, { field: body, matches: "(?i)outage|down" } ] }
  then: [ { escalate: "customer reports an outage" } ]
- name: escalations are urgent
  when: escalated
  then: [ { set: { priority: urgent } }, { assign: bo } ]
- name: snooze later
  when: created
  if: { field: subject, contains: later }
  then: [ { snooze: 2h } ]
`,
      ),
      '--replace',
    ]);
    const src = await json([
      'item',
      'add',
      '--subject',
      'Site',
      '--customer',
      'e@x.org',
      '--kind',
      'question',
      '--body',
      'Your site is down',
    ]);
    expect(src.status).toBe('escalated');
    const shown = await json(['item', 'show', String(src.id)]);
    const supportId = shown.escalation.escalatedTo[0].supportItemId;
    expect(shown.escalation.escalatedTo[0]).toMatchObject({ reason: 'customer reports an outage', escalatedBy: 'sam' });
    expect(shown.events.find((e: any) => e.type === 'escalate').data.rule.name).toBe('escalate outages');
    const support = await json(['item', 'show', String(supportId)]);
    expect(support).toMatchObject({ role: 'support', priority: 'urgent', assignee: 'bo' });
    expect(support.rules.map((r: any) => r.name)).toEqual(['escalate outages', 'escalations are urgent']);

    const later = await json(['item', 'add', '--subject', 'call me later', '--customer', 'e@x.org', '--kind', 'question']);
    expect(later.status).toBe('snoozed');
    expect(Date.parse(later.snoozedUntil) - Date.parse(later.createdAt)).toBe(2 * 3600_000);
  });

  it('refuses at run time what the status rules forbid: a rule event says why, the item is still saved', async () => {
    await json([
      'rule',
      'import',
      file(
        'bad.yaml',
        `- name: escalate support
  when: created
  if: { field: role, is: support }
  then: [ { tag: tried }, { escalate: "wrong" } ]
- name: snooze resolved
  when: updated
  if: { field: status, is: resolved }
  then: [ { snooze: 1d } ]
- name: assign service agent to support
  when: created
  if: { field: subject, contains: ana }
  then: [ { assign: ana } ]
`,
      ),
      '--replace',
    ]);
    const item = await json(['item', 'add', '--subject', 'Bug for ana', '--customer', 'f@x.org', '--kind', 'bug']);
    expect(item).toMatchObject({ status: 'new', assignee: null, tags: [] }); // neither rule changed anything
    const shown = await json(['item', 'show', String(item.id)]);
    const refusals = shown.events.filter((e: any) => e.type === 'rule').map((e: any) => [e.data.rule.name, e.data.refused]);
    expect(refusals).toEqual([
      ['escalate support', `item #${item.id} is a support item; only service items are escalated`],
      ['assign service agent to support', '@ana does not work support (roles: service); assign a support agent'],
    ]);
    const resolved = await json(['item', 'resolve', String(item.id)]);
    expect(resolved.status).toBe('resolved');
    const human = await run(['item', 'show', String(item.id)]);
    expect(human.stdout).toContain(
      `rule "snooze resolved" (v1): snooze 1d refused: item #${item.id} is resolved and cannot be snoozed; the rule changed nothing`,
    );
  });
});

describe('every creation path runs created rules', () => {
  it('ingest and email import run them', async () => {
    await json([
      'rule',
      'import',
      file(
        'paths.yaml',
        `- name: mark new
  when: created
  then: [ { tag: seen-by-rules } ]
`,
      ),
      '--replace',
    ]);
    const line = JSON.stringify({ type: 'item', subject: 'From a webhook', customer: 'hook@example.org', body: 'hello' });
    const ing = await run(['ingest'], line + '\n');
    expect(ing.code).toBe(0);
    const id = Number(/#(\d+)/.exec(ing.stdout)![1]);
    expect(await tagsOf(id)).toEqual(['seen-by-rules']);
    const eml = path.resolve('tests/fixtures/email/01-question.eml');
    const imp = await run(['import', '--format', 'eml', eml]);
    expect(imp.code).toBe(0);
    const mail = (await json(['inbox', '--search', 'Export'])) as any[];
    expect(mail).toHaveLength(1);
    expect(mail[0].tags).toEqual(['seen-by-rules']);
  });
});

describe('order, stop and loops', () => {
  it('runs rules in their order, move --before changes it, stop ends the pass, a rule runs once per change', async () => {
    await json([
      'rule',
      'import',
      file(
        'o.yaml',
        `- name: low
  when: created
  then: [ { set: { priority: low } } ]
- name: high
  when: created
  then: [ { set: { priority: high } } ]
`,
      ),
      '--replace',
    ]);
    expect((await json(['item', 'add', '--subject', 'o1', '--customer', 'o@x.org'])).priority).toBe('high');
    const moved = await json(['rule', 'move', 'high', '--before', 'low']);
    expect(moved.map((r: any) => r.name)).toEqual(['high', 'low']);
    expect((await json(['item', 'add', '--subject', 'o2', '--customer', 'o@x.org'])).priority).toBe('low');
    await json(['rule', 'edit', 'high', '--stop']);
    const o3 = await json(['item', 'add', '--subject', 'o3', '--customer', 'o@x.org']);
    expect(o3.priority).toBe('high');
    const shown = await json(['item', 'show', String(o3.id)]);
    expect(shown.rules).toEqual([expect.objectContaining({ name: 'high', revision: 2 })]);
    expect((await json(['rule', 'show', 'high'])).revisions.map((v: any) => v.revision)).toEqual([1, 2]);
  });

  it('edits a rule in $EDITOR as YAML: a new revision; a bad edit is refused and nothing is saved', async () => {
    await json([
      'rule',
      'import',
      file('ed.yaml', '- { name: edme, when: created, then: [ { set: { priority: high } } ] }\n'),
      '--replace',
    ]);
    const editor = file('editor.sh', '#!/bin/sh\nsed -i "s/high/urgent/" "$1"\n');
    fs.chmodSync(editor, 0o755);
    const r = await runTandem(['rule', 'edit', 'edme', '--json'], { db, as: 'sam', env: { EDITOR: editor } });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ revision: 2, then: [{ set: { priority: 'urgent' } }] });
    const bad = file('bad-editor.sh', '#!/bin/sh\nsed -i "s/urgent/soon/" "$1"\n');
    fs.chmodSync(bad, 0o755);
    const b = await runTandem(['rule', 'edit', 'edme'], { db, as: 'sam', env: { EDITOR: bad } });
    expect([b.code, b.stderr]).toEqual([
      5,
      expect.stringMatching(/set priority must be one of low, normal, high, urgent \(got "soon"\); nothing was saved/),
    ]);
    expect((await json(['rule', 'show', 'edme'])).revision).toBe(2);
    const none = await runTandem(['rule', 'edit', 'edme'], { db, as: 'sam', env: { EDITOR: '', VISUAL: '' } });
    expect(none.code).toBe(2);
  });

  it('stops a loop of rule-made changes at the depth limit and logs it on the item', async () => {
    // Each rule's change is what the next one waits for, and each sits before the one that enables
    // it, so every step needs a new level: a at depth 1, b at 2, c at 3, d would be 4.
    await json([
      'rule',
      'import',
      file(
        'loop.yaml',
        `- { name: d, when: updated, if: { all: [ { field: status, is: pending }, { field: priority, is: low } ] }, then: [ { set: { status: open } } ] }
- { name: c, when: updated, if: { all: [ { field: status, is: open }, { field: priority, is: urgent } ] }, then: [ { set: { priority: low, status: pending } } ] }
- { name: b, when: updated, if: { all: [ { field: status, is: pending }, { field: priority, is: high } ] }, then: [ { set: { priority: urgent, status: open } } ] }
- { name: a, when: updated, if: { all: [ { field: status, is: open }, { field: priority, is: normal } ] }, then: [ { set: { priority: high, status: pending } } ] }
`,
      ),
      '--replace',
    ]);
    const item = await json(['item', 'add', '--subject', 'loop', '--customer', 'l@x.org']);
    const r = await json(['item', 'status', String(item.id), 'open']);
    const shown = await json(['item', 'show', String(r.id)]);
    const statusByRule = shown.events.filter((e: any) => e.type === 'status' && e.data.rule).map((e: any) => e.data.rule.name);
    expect(statusByRule).toEqual(['a', 'b', 'c']); // depth 1, 2, 3
    const stopped = shown.events.filter((e: any) => e.type === 'rule');
    expect(stopped.map((e: any) => [e.data.rule.name, e.data.skipped])).toEqual([['d', 'depth']]);
    expect([shown.status, shown.priority]).toEqual(['pending', 'low']);
    const human = await run(['item', 'show', String(item.id)]);
    expect(human.stdout).toContain(
      'rule "d" (v1): not run: rules already changed this item 3 levels deep (limit 3); the loop stopped here',
    );
  });

  it('runs each rule at most once per change, even when its own change would trigger it again', async () => {
    await json([
      'rule',
      'import',
      file(
        'once.yaml',
        `- { name: x, when: updated, if: { field: status, is: open }, then: [ { set: { status: pending } }, { note: "x ran" } ] }
- { name: y, when: updated, if: { field: status, is: pending }, then: [ { set: { status: open } } ] }
`,
      ),
      '--replace',
    ]);
    const item = await json(['item', 'add', '--subject', 'once', '--customer', 'l@x.org']);
    const r = await json(['item', 'status', String(item.id), 'open']);
    const shown = await json(['item', 'show', String(r.id)]);
    expect(shown.events.filter((e: any) => e.data?.rule).map((e: any) => `${e.data.rule.name}:${e.type}`)).toEqual([
      'x:status',
      'x:note',
      'y:status',
    ]);
    expect(shown.status).toBe('open');
    expect((await json(['rule', 'list'])).map((x: any) => [x.name, x.firedCount])).toEqual([
      ['x', 1],
      ['y', 1],
    ]);
  });

  it('runs updated rules on a customer message', async () => {
    await json([
      'rule',
      'import',
      file(
        'msg.yaml',
        `- name: angry
  when: updated
  if: { all: [ { field: change, is: message }, { field: body, matches: "(?i)angry|furious" } ] }
  then: [ { set: { priority: urgent } } ]
`,
      ),
      '--replace',
    ]);
    const item = await json(['item', 'add', '--subject', 'hello', '--customer', 'm@x.org']);
    const r = await json(['item', 'message', String(item.id), 'I am furious about this']);
    expect(r.priority).toBe('urgent');
  });
});

describe('validation: a bad rule is a clear error, exit 5, and nothing is written', () => {
  it('refuses bad regex, unknown field, unknown operator, unknown action, bad values and unknown agents', async () => {
    await json(['rule', 'import', file('keep.yaml', '- { name: keep, when: created, then: [ { tag: kept } ] }\n'), '--replace']);
    const cases: [string[], RegExp][] = [
      [['--if', '{ field: subject, matches: "(unclosed" }'], /rule "x": if: bad regex "\(unclosed".*nothing was saved/],
      [['--if', '{ field: subjet, contains: a }'], /unknown field "subjet" \(fields: role, kind/],
      [['--if', '{ field: subject, is_about: a }'], /unknown operator "is_about"/],
      [['--if', '{ field: priority, gt: 2 }'], /priority does not take gt/],
      [['--if', '{ field: priority, is: hgh }'], /priority must be one of low, normal, high, urgent \(got "hgh"\)/],
      [['--then', '[ { frobnicate: yes } ]'], /unknown action "frobnicate"/],
      [['--then', '[ { set: { status: escalated } } ]'], /set status must be one of open, pending, resolved, closed/],
      [['--then', '[ { assign: nobodyhere } ]'], /no agent @nobodyhere/],
      [['--then', '[ { snooze: "whenever" } ]'], /snooze "whenever"/],
      [['--then', '[ { macro: welcome } ]'], /a rule cannot apply a macro.*tandem macro apply/],
      [['--when', 'deleted'], /when: must be one of created, updated, escalated/],
    ];
    for (const [flags, message] of cases) {
      const args = ['rule', 'add', '--name', 'x', '--when', 'created', '--then', '[ { tag: t } ]'];
      for (let i = 0; i < flags.length; i += 2) {
        const at = args.indexOf(flags[i]!);
        if (at >= 0) args.splice(at, 2);
        args.push(flags[i]!, flags[i + 1]!);
      }
      const r = await run(args);
      expect([r.code, r.stderr], flags.join(' ')).toEqual([5, expect.stringMatching(message)]);
    }
    // A file with one bad rule among good ones writes none of them.
    const r = await run([
      'rule',
      'import',
      file(
        'mixed.yaml',
        `- { name: good, when: created, then: [ { tag: a } ] }
- { name: bad, when: created, if: { field: body, matches: "[z-a]" }, then: [ { tag: b } ] }
`,
      ),
    ]);
    expect(r.code).toBe(5);
    expect(r.stderr).toMatch(/rule "bad": if: bad regex/);
    expect((await run(['rule', 'import', file('broken.yaml', '- name: [unclosed\n')])).code).toBe(5);
    expect((await json(['rule', 'list'])).map((x: any) => x.name)).toEqual(['keep']);
    // Same name twice is a conflict.
    expect((await run(['rule', 'add', '--name', 'keep', '--when', 'created', '--then', '{ tag: t }'])).code).toBe(4);
    expect((await run(['rule', 'remove', 'keep'])).code).toBe(2);
    expect((await run(['rule', 'show', 'nope'])).code).toBe(3);
    // An id past the integer range is simply not there (on PostgreSQL too, where the column is 32-bit).
    const huge = await run(['rule', 'show', '99999999999']);
    expect(huge.code).toBe(3);
    expect(huge.stderr).toMatch(/no rule "99999999999"/);
  });
});

describe('import, export and replay', () => {
  it('exports YAML and JSON that import reads back unchanged, and replays past items', async () => {
    const yaml = `- name: refunds to billing
  when: created
  if:
    all:
      - field: subject
        matches: (?i)refund|charged twice
      - field: role
        is: support
  then:
    - set:
        priority: high
    - tag: billing
    - assign: least-loaded
  stop: true
- name: quiet
  when: updated
  enabled: false
  then:
    - tag: quiet
`;
    await json(['rule', 'import', file('rt.yaml', yaml), '--replace']);
    const exported = await run(['rule', 'export']);
    expect(exported.stdout).toBe(yaml);
    const shown = await run(['rule', 'show', 'quiet']);
    expect(shown.stdout).toContain('- name: quiet\n  when: updated\n  enabled: false\n  then:\n    - tag: quiet\n');
    const asJson = JSON.parse((await run(['rule', 'export', '--json'])).stdout);
    expect(asJson[1]).toEqual({ name: 'quiet', when: 'updated', enabled: false, then: [{ tag: 'quiet' }] });
    const again = await json(['rule', 'import', '-', '--format', 'json'], JSON.stringify(asJson));
    expect(again).toMatchObject({ added: [], updated: [], unchanged: ['refunds to billing', 'quiet'] });

    // Replay: items made from now on, while the rule is off (so nothing acted on them).
    await json(['rule', 'disable', 'refunds to billing']);
    // In-process runs are quick: let a second pass so the items made above fall before --since.
    await new Promise((r) => setTimeout(r, 1100));
    const since = new Date(Date.now() - 1000).toISOString();
    const a = await json(['item', 'add', '--subject', 'Refund for order 7', '--customer', 'rp@x.org', '--kind', 'billing']);
    const b = await json(['item', 'add', '--subject', 'charged twice again', '--customer', 'rp@x.org', '--kind', 'bug']);
    await json(['item', 'add', '--subject', 'refund question', '--customer', 'rp@x.org', '--kind', 'question']); // service: no match
    await json(['item', 'add', '--subject', 'Login broken', '--customer', 'rp@x.org', '--kind', 'access']);
    const replay = await json(['rule', 'replay', '--since', since]);
    expect(replay.items).toBe(4);
    expect(replay.rules.find((r: any) => r.name === 'refunds to billing')).toMatchObject({
      matched: 2,
      examples: [a.id, b.id],
      enabled: false,
    });
    expect((await json(['item', 'show', String(a.id)])).priority).toBe('normal'); // replay wrote nothing
  });
});

describe('moving the database', () => {
  it('db copy carries the rules with their ids, order, runs and revisions; a rule added on the copy gets a new id', async () => {
    const before = await json(['rule', 'list']);
    expect(before.length).toBeGreaterThan(1);
    const edited = before.find((r: any) => r.revision > 1) ?? before[0];
    const target = await newDatabase('rules_copy');
    const r = await runTandem(['db', 'copy', '--to', target, '--json'], { db, as: 'sam' });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).added.rule).toBe(before.length);
    expect(await runJson(['rule', 'list'], { db: target, as: 'sam' })).toEqual(before);
    const shown = await runJson(['rule', 'show', String(edited.id)], { db: target, as: 'sam' });
    expect(shown.revisions).toEqual((await json(['rule', 'show', String(edited.id)])).revisions);
    const added = await runJson(['rule', 'add', '--name', 'after the copy', '--when', 'created', '--then', '{ tag: copied }'], {
      db: target,
      as: 'sam',
    });
    expect(added.id).toBeGreaterThan(Math.max(...before.map((x: any) => x.id)));
  });
});
