// The footer and body inputs rendered alone (as ink-ui tests its components): Prompt, Choice,
// AgentPicker and the Review step, each under a real key router, keys in, answers out.
import { render } from 'ink-testing-library';
import type { ReactElement } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { KeyRouterContext, useKeyRouter } from '../../src/tui/hooks/use-key-router.js';
import type { Modal, ReviewChoice } from '../../src/tui/hooks/use-modal.js';
import { makeTheme } from '../../src/tui/theme.js';
import { AgentPicker } from '../../src/tui/views/agent-picker.js';
import { Choice } from '../../src/tui/views/choice.js';
import { Prompt } from '../../src/tui/views/prompt.js';
import { Review } from '../../src/tui/views/review.js';
import { settle } from './harness.js';

const theme = makeTheme(0);
let ui: ReturnType<typeof render> | undefined;
afterEach(() => {
  ui?.unmount();
  ui = undefined;
});

/** Render one modal under a key router that gives it the keys until it answers. */
function Host({ open, children }: { open: { seq: number | null }; children: ReactElement }) {
  const keys = useKeyRouter({ route: () => open.seq, fallback: () => undefined });
  return <KeyRouterContext.Provider value={keys}>{children}</KeyRouterContext.Provider>;
}

async function show<T>(make: (resolve: (v: T) => void) => { modal: Modal; element: (m: Modal) => ReactElement }) {
  const answers: T[] = [];
  const open = { seq: 1 as number | null };
  const { modal, element } = make((v) => {
    answers.push(v);
    open.seq = null;
  });
  modal.seq = 1;
  ui?.unmount();
  ui = render(<Host open={open}>{element(modal)}</Host>);
  await settle();
  return {
    answers,
    frame: () => ui!.lastFrame() ?? '',
    async press(...keys: string[]) {
      for (const k of keys) {
        ui!.stdin.write(k);
        await settle();
      }
    },
  };
}

describe('Prompt', () => {
  const prompt = (spec: Partial<Extract<Modal, { kind: 'prompt' }>> = {}) =>
    show<string | null>((resolve) => ({
      modal: { kind: 'prompt', label: 'Tags: ', resolve, ...spec } as Modal,
      element: (m) => <Prompt modal={m as Extract<Modal, { kind: 'prompt' }>} width={60} theme={theme} />,
    }));

  it('edits a line, keeps itself open on a refused value, and answers on Enter', async () => {
    const p = await prompt({ validate: (t) => (t.includes('!') ? 'no bangs' : null), hint: 'words add a tag' });
    expect(p.frame()).toContain('words add a tag');
    await p.press('v', 'i', 'p', '!', '\r');
    expect(p.frame()).toContain('✗ no bangs');
    expect(p.answers).toEqual([]);
    await p.press('\u007f', '\r');
    expect(p.answers).toEqual(['vip']);
  });

  it('handles a burst key by key: two Backspaces delete two characters, text then Enter answers once', async () => {
    const p = await prompt();
    await p.press('late!!', '\u007f\u007f', 'r\r');
    expect(p.answers).toEqual(['later']);
  });

  it('takes a paste as text (a line break is a space, it does not answer); Esc answers null', async () => {
    const p = await prompt();
    await p.press('\u001b[200~a\rb\u001b[201~');
    expect(p.frame()).toContain('Tags: a b');
    expect(p.answers).toEqual([]);
    await p.press('\u001b');
    expect(p.answers).toEqual([null]);
  });

  it('completes with Tab', async () => {
    const p = await prompt({
      complete: (t) => (t === 'pr' ? { text: 'priority ', candidates: 'priority — set it' } : { candidates: 'nothing' }),
    });
    await p.press('pr', '\t');
    expect(p.frame()).toContain('priority — set it');
    expect(p.frame()).toContain('Tags: priority');
  });
});

describe('Choice', () => {
  const options = [
    { key: 'l', label: 'low', value: 'low' },
    { key: 'n', label: 'normal', value: 'normal' },
    { key: 'u', label: 'urgent', value: 'urgent' },
  ];
  const choice = () =>
    show<string | null>((resolve) => ({
      modal: { kind: 'choice', label: 'Priority', options, current: 'normal', resolve } as Modal,
      element: (m) => <Choice modal={m as Extract<Modal, { kind: 'choice' }>} width={80} theme={theme} />,
    }));

  it('picks with one letter, and marks the current value', async () => {
    const c = await choice();
    expect(c.frame()).toContain('[n]ormal*');
    await c.press('u');
    expect(c.answers).toEqual(['urgent']);
  });

  it('moves with arrows (a burst too) and picks with Enter; Esc answers null', async () => {
    const c = await choice();
    await c.press('\u001b[C', '\u001b[C', '\r'); // from normal, right twice: wraps to low
    expect(c.answers).toEqual(['low']);
    const d = await choice();
    await d.press('\u001b');
    expect(d.answers).toEqual([null]);
  });
});

describe('AgentPicker', () => {
  const agents = [
    { value: null, label: 'nobody', detail: 'unassign' },
    { value: 'ana', label: '@ana', detail: 'Ana Costa · service' },
    { value: 'cleo', label: '@cleo', detail: 'Cleo Martin · support' },
  ];
  const picker = () =>
    show<{ value: string | null } | null>((resolve) => ({
      modal: { kind: 'picker', title: 'Assign #4 to', options: agents, resolve } as Modal,
      element: (m) => <AgentPicker modal={m as Extract<Modal, { kind: 'picker' }>} width={60} height={10} theme={theme} />,
    }));

  it('narrows as you type (handle or name) and picks the best match; a name and Enter in one read too', async () => {
    const p = await picker();
    expect(p.frame()).toMatch(/> nobody/);
    await p.press('m', 'a', 'r');
    expect(p.frame()).toContain('@cleo');
    expect(p.frame()).not.toContain('@ana');
    await p.press('\r');
    expect(p.answers.map((a) => a?.value)).toEqual(['cleo']);
    const q = await picker();
    await q.press('ana\r');
    expect(q.answers.map((a) => a?.value)).toEqual(['ana']);
  });

  it('moves with arrows, says when nobody matches, and Esc answers null', async () => {
    const p = await picker();
    await p.press('\u001b[B', '\u001b[B', '\r');
    expect(p.answers.map((a) => a?.value)).toEqual(['cleo']);
    const q = await picker();
    await q.press('zz');
    expect(q.frame()).toContain('nobody matches');
    await q.press('\r', '\u001b');
    expect(q.answers).toEqual([null]);
  });
});

describe('Review', () => {
  const review = (kind: 'reply' | 'note') =>
    show<ReviewChoice>((resolve) => ({
      modal: { kind: 'review', review: { kind, title: 'reply to #3 Seats', text: 'Yes, five seats.\nBest, Sam' }, resolve } as Modal,
      element: (m) => <Review modal={m as Extract<Modal, { kind: 'review' }>} width={90} height={12} theme={theme} />,
    }));

  it('shows the text as it will go, and answers one key per choice; Enter does nothing', async () => {
    const r = await review('reply');
    expect(r.frame()).toMatch(/^ {2}Yes, five seats\.\n {2}Best, Sam$/m);
    await r.press('\r');
    expect(r.answers).toEqual([]);
    await r.press('x');
    expect(r.answers).toEqual(['resolved']);
    for (const [key, answer] of [
      ['y', 'send'],
      ['p', 'pending'],
      ['e', 'edit'],
      ['k', 'keep'],
      ['d', 'discard'],
      ['\u001b', 'keep'],
    ] as const) {
      const s = await review('reply');
      await s.press(key);
      expect(s.answers).toEqual([answer]);
    }
  });

  it('has no status keys for a note', async () => {
    const r = await review('note');
    expect(r.frame()).not.toContain('pending');
    await r.press('p', 'x');
    expect(r.answers).toEqual([]);
    await r.press('y');
    expect(r.answers).toEqual(['send']);
  });
});
