// Macros end to end: a macro saved with the CLI, applied from the console's picker in a real terminal
// (tmux) on the built binary, confirmed from another process with `tandem item show --json`.
import fs from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BIN, runJson, runTandem } from '../helpers/cli.js';
import { tempDir } from '../helpers/core.js';
import { newDatabase } from '../helpers/store-target.js';
import { TmuxSession, hasTmux, sh } from '../helpers/tmux.js';

let dir: string;
let db: string;
let term: TmuxSession | undefined;

describe.skipIf(!hasTmux)('macros in a real terminal', () => {
  beforeEach(async () => {
    dir = tempDir('tandem-e2e-');
    db = await newDatabase('tandem');
  });
  afterEach(() => {
    term?.kill();
    term = undefined;
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('m opens the picker with the filled-in preview; Enter writes the reply and the actions as one change', async () => {
    const run = (args: string[], input?: string) => runTandem(args, { db, as: 'sam', input });
    expect((await runTandem(['init', '--handle', 'sam', '--name', 'Sam Rivera'], { db })).code).toBe(0);
    const item = await runJson(
      [
        'item',
        'add',
        '--subject',
        'Refund has not arrived',
        '--customer',
        'jo@example.com',
        '--name',
        'Jo Park',
        '--kind',
        'billing',
        '--body',
        'Where is my refund?',
      ],
      { db, as: 'sam' },
    );
    expect(
      (
        await run(
          [
            'macro',
            'add',
            'refund-sent',
            '--body',
            '-',
            '--set',
            'status=pending',
            '--set',
            'priority=high',
            '--tag',
            'refund',
            '--assign',
            'me',
          ],
          'Hi {{ customer.first_name | default: "there" }},\nthe refund for #{{ item.id }} is on its way.\n{{ agent.first_name }}\n',
        )
      ).code,
    ).toBe(0);
    await run(['view', 'add', 'waiting', '--status', 'pending']);

    const consoleCmd = `env -u CI -u NO_COLOR -u EDITOR -u VISUAL ${sh(process.execPath)} ${sh(BIN)} --db ${sh(db)} --as sam`;
    term = new TmuxSession(`bash --noprofile --norc -c ${sh(`${consoleCmd}; echo "AFTER exit=$?"; sleep 120`)}`);
    const t = term;
    let s = await t.waitFor(/4 waiting 0/);
    expect(t.cursorLine(s)).toContain('Refund has not arrived');
    t.keys('m');
    await t.waitFor('Apply a macro to #');
    t.type('refund');
    s = await t.waitFor('Hi Jo,');
    expect(s).toContain(`the refund for #${item.id} is on its way.`);
    expect(s).toMatch(/status new → pending · priority normal → high · assignee none → @sam · tags \+refund/);
    t.keys('Enter');
    s = await t.waitFor(`Macro refund-sent applied to #${item.id}`);
    // The header's view count follows: the item is now pending.
    await t.waitFor(/4 waiting 1/);

    const shown = await runJson(['item', 'show', String(item.id)], { db });
    expect(shown).toMatchObject({ status: 'pending', priority: 'high', assignee: 'sam', tags: ['refund'], version: 2 });
    const change = shown.events.filter((e: any) => e.version === 2);
    expect(change.map((e: any) => e.type)).toEqual(['reply', 'status', 'priority', 'assign', 'tag']);
    expect(change[0].body).toBe(`Hi Jo,\nthe refund for #${item.id} is on its way.\nSam`);

    t.keys('q');
    await t.waitFor('AFTER exit=0');
  });
});
