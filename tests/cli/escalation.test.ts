// Escalation through the binary: escalate, show both links and the snapshot, resolve, hand back, refusals.
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runJson, runTandem } from '../helpers/cli-inproc.js';
import { tempDir } from '../helpers/core.js';
import { newDatabase } from '../helpers/store-target.js';

let dir: string;
let db: string;
const run = (args: string[], as = 'ana', input?: string) => runTandem(args, { db, as, input });
const json = (args: string[], as = 'ana', input?: string) => runJson(args, { db, as, input });

beforeAll(async () => {
  dir = tempDir();
  db = await newDatabase('e');
  expect((await runTandem(['init', '--handle', 'ana'], { db })).code).toBe(0);
  await runJson(['agent', 'add', 'cleo', '--roles', 'support'], { db, as: 'ana' });
  await runJson(['agent', 'add', 'ben', '--roles', 'service'], { db, as: 'ana' });
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('escalation through the CLI', () => {
  it('escalates with context, shows the link both ways, and loops back when support resolves', async () => {
    const src = await json([
      'item',
      'add',
      '--subject',
      'Invoice shows wrong plan',
      '--customer',
      'jo@example.com',
      '--kind',
      'question',
      '--body',
      'My invoice says Pro but I have Starter',
    ]);
    await json(['item', 'note', String(src.id), 'internal: billing bug suspected']);
    const esc = await json(
      ['escalate', String(src.id), '--reason', '-', '--to', 'cleo', '--priority', 'high'],
      'ana',
      'Billing shows the wrong plan',
    );
    expect(esc.source).toMatchObject({ id: src.id, status: 'escalated' });
    expect(esc.support).toMatchObject({ role: 'support', assignee: 'cleo', priority: 'high' });
    const supportId = String(esc.support.id);

    const shown = await json(['item', 'show', supportId], 'cleo');
    expect(shown.escalation.escalatedFrom).toMatchObject({
      sourceItemId: src.id,
      reason: 'Billing shows the wrong plan',
      escalatedBy: 'ana',
      state: 'open',
    });
    const snap = shown.escalation.escalatedFrom.snapshot;
    expect(snap.customer.email).toBe('jo@example.com');
    expect(snap.source.thread.map((e: any) => e.body)).toContain('internal: billing bug suspected');
    const sourceShown = await json(['item', 'show', String(src.id)]);
    expect(sourceShown.escalation.escalatedTo.map((e: any) => e.supportItemId)).toEqual([esc.support.id]);

    const human = await run(['item', 'show', supportId], 'cleo');
    expect(human.stdout).toMatch(/HAND-OFF/);
    expect(human.stdout).toMatch(/Reason: Billing shows the wrong plan/);

    const open = await json(['escalations', '--open']);
    expect(open.map((e: any) => [e.sourceItemId, e.holder, e.state])).toEqual([[src.id, 'cleo', 'open']]);

    await json(['item', 'resolve', supportId, '--note', 'Fixed the plan and refunded'], 'cleo');
    const back = await json(['item', 'show', String(src.id)]);
    expect(back.status).toBe('open');
    expect(back.events.at(-2)).toMatchObject({ type: 'return', body: 'Fixed the plan and refunded', data: { outcome: 'resolved' } });
    expect(await json(['escalations', '--open'])).toEqual([]);
  });

  it('hands back, and refuses with exit 4 what the rules refuse', async () => {
    const src = await json(['item', 'add', '--subject', 'Question', '--customer', 'kim@example.com', '--kind', 'question']);
    const esc = await json(['escalate', String(src.id), '--reason', 'maybe a bug']);
    const again = await run(['escalate', String(src.id), '--reason', 'again']);
    expect(again.code).toBe(4);
    expect(again.stderr).toMatch(/already escalated/);
    const wrongRole = await run(['escalate', String(esc.support.id), '--reason', 'x']);
    expect(wrongRole.code).toBe(4);
    const wrongAssignee = await run(['item', 'assign', String(esc.support.id), 'ben'], 'cleo');
    expect(wrongAssignee.code).toBe(4);
    expect(wrongAssignee.stderr).toMatch(/@ben does not work support/);
    const hb = await json(['handback', String(esc.support.id), '--reason', 'Not a support issue'], 'cleo');
    expect(hb.source.status).toBe('open');
    expect(hb.support.status).toBe('closed');
    const twice = await run(['handback', String(esc.support.id), '--reason', 'x'], 'cleo');
    expect(twice.code).toBe(4);
    const missing = await run(['escalate', '424242', '--reason', 'x']);
    expect(missing.code).toBe(3);
    const noReason = await run(['escalate', String(src.id)]);
    expect(noReason.code).toBe(2);
  });
});
