// The console end to end: the built binary in a real terminal (tmux) on a temporary database.
// Every change made on screen is confirmed with `tandem item show ID --json` from another process.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeCtx } from '../../src/core/context.js';
import * as items from '../../src/core/items.js';
import { addAgent, type Agent } from '../../src/core/agents.js';
import { openStore } from '../../src/store/open.js';
import { BIN, runJson, runTandem } from '../helpers/cli.js';
import { tempDir } from '../helpers/core.js';
import { TmuxSession, hasTmux, sh } from '../helpers/tmux.js';
import { newDatabase } from '../helpers/store-target.js';

let dir: string;
let db: string;
let ids: Record<string, number>;
let term: TmuxSession | undefined;

async function seed(extra?: (ctx: ReturnType<typeof makeCtx>, sam: Agent) => Promise<void>) {
  const store = await openStore(db);
  const ctx = makeCtx(store);
  const sam = await addAgent(ctx, { handle: 'sam', name: 'Sam Rivera', roles: 'both' });
  await addAgent(ctx, { handle: 'ana', name: 'Ana Costa', roles: 'service' });
  await addAgent(ctx, { handle: 'cleo', name: 'Cleo Martin', roles: 'support' });
  const mk = async (subject: string, kind: string, priority = 'normal', body = 'Hello') =>
    (await items.createItem(ctx, sam, { subject, kind, priority, body, customer: 'jo@example.com' })).id;
  ids = {
    crash: await mk('App crashes on upload', 'bug', 'urgent'),
    refund: await mk('Refund has not arrived', 'billing', 'high', 'Where is my refund?'),
    seats: await mk('Do you sell team seats?', 'question'),
    renewal: await mk('Renewal options for next year', 'renewal', 'low'),
  };
  await extra?.(ctx, sam);
  await store.close();
}

/** Run the console as a user would, with a shell line before and after it to check the terminal. */
function open(env: Record<string, string> = {}) {
  const vars = Object.entries(env)
    .map(([k, v]) => `${k}=${sh(v)}`)
    .join(' ');
  const consoleCmd = `env -u CI -u NO_COLOR -u EDITOR -u VISUAL ${vars} ${sh(process.execPath)} ${sh(BIN)} --db ${sh(db)} --as sam`;
  term = new TmuxSession(`bash --noprofile --norc -c ${sh(`echo BEFORE; ${consoleCmd}; echo "AFTER exit=$?"; sleep 120`)}`);
  return term;
}

const show = (id: number) => runJson(['item', 'show', String(id)], { db });

describe.skipIf(!hasTmux)('the console in a real terminal', () => {
  beforeEach(async () => {
    dir = tempDir('tandem-e2e-');
    db = await newDatabase('tandem');
  });
  afterEach(() => {
    term?.kill();
    term = undefined;
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('opens on the alternate screen, moves, filters by role and searches', async () => {
    await seed();
    const t = open();
    let s = await t.waitFor('breached');
    expect(s).not.toContain('BEFORE'); // the alternate screen hides the shell
    expect(s).toMatch(/TANDEM\s+@sam Sam Rivera · service \+ support/);
    expect(t.cursorLine(s)).toContain('App crashes on upload');
    t.keys('j');
    s = await t.waitFor('2/4');
    expect(t.cursorLine(s)).toContain('Refund has not arrived');
    t.keys('Down');
    s = await t.waitFor('3/4');
    t.keys('3');
    s = await t.waitFor('[3 Support]');
    expect(s).not.toContain('team seats');
    expect(s).toContain('App crashes on upload');
    t.keys('1', '/');
    await t.waitFor('Search:');
    t.type('refund');
    t.keys('Enter');
    s = await t.waitFor('search “refund”');
    expect(s).toContain('Refund has not arrived');
    expect(s).not.toContain('App crashes on upload');
  });

  it('assigns through the picker', async () => {
    await seed();
    const t = open();
    await t.waitFor('breached');
    t.keys('j', 'a');
    await t.waitFor('Assign #2 (support) to');
    t.type('cleo');
    await t.waitFor((s) => t.cursorLine(s).includes('@cleo'));
    t.keys('Enter');
    await t.waitFor('#2 assigned to @cleo.');
    expect((await show(ids.refund!)).assignee).toBe('cleo');
  });

  it('replies through $EDITOR and comes back to an intact screen', async () => {
    await seed();
    const editor = path.join(dir, 'editor.sh');
    // Types at the top, as one does; the quoted message below the scissors line is left as it is.
    fs.writeFileSync(editor, '#!/bin/sh\n{ printf "Thanks, the refund is on its way.\\n"; cat "$1"; } > "$1.new" && mv "$1.new" "$1"\n', {
      mode: 0o755,
    });
    const t = open({ EDITOR: editor });
    await t.waitFor('breached');
    t.keys('j', 'r');
    await t.waitFor('Review: reply to #2');
    t.keys('y');
    const s = await t.waitFor('Reply sent on #2');
    expect(s).toMatch(/^TANDEM/);
    expect(s).toContain('App crashes on upload');
    const item = await show(ids.refund!);
    expect(item.events.at(-2)).toMatchObject({ type: 'reply', body: 'Thanks, the refund is on its way.', author: { handle: 'sam' } });
    expect(item.status).toBe('open');
  });

  it('sends nothing when $EDITOR exits non-zero or leaves the file unchanged; the draft outlives quitting', async () => {
    await seed();
    // A fake editor: the first run writes half a reply and fails (vim's :cq), later runs change nothing (:q!).
    const editor = path.join(dir, 'editor.sh');
    const runs = path.join(dir, 'runs');
    fs.writeFileSync(
      editor,
      `#!/bin/sh\necho run >> ${sh(runs)}\nif [ "$(wc -l < ${sh(runs)})" -eq 1 ]; then printf "Half a reply" > "$1"; exit 1; fi\nexit 0\n`,
      { mode: 0o755 },
    );
    const replies = async () => (await show(ids.refund!)).events.filter((e: { type: string }) => e.type === 'reply').length;
    let t = open({ EDITOR: editor });
    await t.waitFor('breached');
    t.keys('j', 'r');
    await t.waitFor('The editor exited with status 1: nothing was sent. Your text is kept as a draft: r opens it.');
    await t.waitFor((s) => t.cursorLine(s).includes('✎ Refund has not arrived'));
    // r shows the draft for review; e runs the editor on it, which leaves it as it was.
    t.keys('r');
    await t.waitFor('Review: reply to #2');
    t.keys('e');
    const s = await t.waitFor('Nothing was sent: the text was left unchanged. Your draft is kept: r opens it.');
    expect(s).toMatch(/^TANDEM/);
    expect(await replies()).toBe(0);
    // Quitting with the draft asks first; n stays, y quits.
    t.keys('q');
    await t.waitFor('You have 1 unsent draft (#2 reply); they stay saved for next time. Quit anyway? [y/N]');
    t.keys('n');
    await t.waitFor('Not quitting.');
    t.keys('q');
    await t.waitFor('Quit anyway? [y/N]');
    t.keys('y');
    await t.waitFor('AFTER exit=0');
    term?.kill();
    // The draft is still there in a new console, and y sends it from the review.
    t = open({ EDITOR: editor });
    await t.waitFor('✎ Refund has not arrived');
    t.keys('j', 'r');
    const review = await t.waitFor('Review: reply to #2');
    expect(review).toContain('Half a reply');
    t.keys('y');
    await t.waitFor('Reply sent on #2 (open).');
    expect((await show(ids.refund!)).events.at(-2)).toMatchObject({ type: 'reply', body: 'Half a reply' });
  });

  it('takes a paste as text in the reply editor, never as keys', async () => {
    await seed();
    const t = open();
    await t.waitFor('breached');
    t.paste('xxq'); // in the list: no resolve, no quit
    t.keys('j');
    await t.waitFor((s) => t.cursorLine(s).includes('Refund has not arrived'));
    t.keys('r');
    await t.waitFor('Ctrl-D done');
    t.paste('First line\nSecond line');
    await t.waitFor('Second line');
    t.keys('C-d');
    const s = await t.waitFor('Review: reply to #2');
    expect(s).toMatch(/^ {2}First line\n {2}Second line$/m);
    t.keys('y');
    await t.waitFor('Reply sent on #2');
    expect((await show(ids.refund!)).events.at(-2)).toMatchObject({ type: 'reply', body: 'First line\nSecond line' });
    expect((await show(ids.crash!)).status).toBe('new');
  });

  it('resolves with x and lands on the next item', async () => {
    await seed();
    const t = open();
    await t.waitFor('breached');
    t.keys('x');
    // The message, then the reloaded list with the cursor on the next item.
    const s = await t.waitFor(
      (screen) => screen.includes(`#${ids.crash} resolved. Next: #${ids.refund}.`) && !screen.includes('App crashes on upload'),
    );
    expect(t.cursorLine(s)).toContain('Refund has not arrived');
    expect(s).not.toContain('App crashes on upload');
    expect((await show(ids.crash!)).status).toBe('resolved');
  });

  it('shows a change made by the CLI in another process within a second or two', async () => {
    await seed();
    const t = open();
    await t.waitFor('breached');
    const r = await runTandem(['item', 'priority', String(ids.renewal), 'urgent'], { db, as: 'ana' });
    expect(r.code).toBe(0);
    const s = await t.waitFor(/urgent\s+new\s+Renewal options/, 5000);
    expect(t.cursorLine(s)).toContain('App crashes on upload'); // the cursor stayed where it was
  });

  it('shows an escalation made in another terminal, and its return', async () => {
    await seed();
    const t = open();
    await t.waitFor('breached');
    t.keys('2');
    await t.waitFor('[2 Service]');
    const r = await runJson(['escalate', String(ids.seats), '--reason', 'Seat limit bug', '--to', 'cleo'], { db, as: 'ana' });
    const supportId = r.support.id as number;
    await t.waitFor(`→SUP #${supportId} @cleo`, 5000);
    const done = await runTandem(['item', 'status', String(supportId), 'resolved'], { db, as: 'cleo' });
    expect(done.code).toBe(0);
    const s = await t.waitFor('↩ back from support', 5000);
    expect(s).toMatch(/open\s+↩ back from support Do you sell team seats\?/);
  });

  it('shows a subject full of escape sequences harmlessly', async () => {
    await seed(async (ctx, sam) => {
      await items.createItem(ctx, sam, {
        subject: 'Evil \u001b[2J\u001b]0;title\u0007\u001b]52;c;aGVsbG8=\u0007 subject end',
        customer: 'eve@example.com',
        kind: 'bug',
        priority: 'urgent',
      });
    });
    const t = open();
    const s = await t.waitFor('subject end');
    expect(s).toMatch(/Evil\s+subject end/);
    expect(s.split('\n')[0]).toMatch(/^TANDEM/); // nothing cleared the screen
    expect(s).toContain('App crashes on upload');
    expect(t.title()).not.toBe('title');
    expect(t.buffers()).toBe(''); // OSC 52 never reached the clipboard
  });

  it('q restores the terminal: the shell lines around it, no alternate screen left', async () => {
    await seed();
    const t = open();
    await t.waitFor('breached');
    t.keys('q');
    const s = await t.waitFor('AFTER exit=0');
    expect(s).toContain('BEFORE');
    expect(s).not.toContain('TANDEM');
  });

  it('Ctrl-C restores the terminal too', async () => {
    await seed();
    const t = open();
    await t.waitFor('breached');
    t.keys('Enter');
    await t.waitFor('── Thread');
    t.keys('C-c');
    const s = await t.waitFor('AFTER exit=0');
    expect(s).toContain('BEFORE');
    expect(s).not.toContain('Thread');
  });

  it('escalates with e, then shows the hand-off card on the support item', async () => {
    await seed();
    const t = open();
    await t.waitFor('breached');
    t.keys('2');
    await t.waitFor((s) => t.cursorLine(s).includes('Do you sell team seats?'));
    t.keys('e');
    await t.waitFor(`Escalate #${ids.seats} to support — why?`);
    t.type('Seat limit errors on their account');
    t.keys('Enter');
    await t.waitFor(`Who at support takes #${ids.seats}?`);
    t.type('cleo');
    t.keys('Enter');
    const s = await t.waitFor(/Escalated #\d+ to support as #(\d+) \(@cleo\)/);
    const supportId = Number(/as #(\d+)/.exec(s)![1]);
    await t.waitFor(`→SUP #${supportId} @cleo`);
    t.keys('l');
    const card = await t.waitFor('HAND-OFF');
    expect(card).toContain(`#${supportId} Do you sell team seats?`);
    expect(card).toMatch(/│ Why: Seat limit errors on their account/);
    expect((await show(ids.seats!)).status).toBe('escalated');
    const support = await show(supportId);
    expect(support.escalation.escalatedFrom).toMatchObject({ sourceItemId: ids.seats, reason: 'Seat limit errors on their account' });
    expect(support.assignee).toBe('cleo');
  });
});
