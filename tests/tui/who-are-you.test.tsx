// The console's first screen on a database with several agents: pick who you are, then say whether
// to remember it.
import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import type { Agent } from '../../src/core/agents.js';
import { makeTheme } from '../../src/tui/theme.js';
import { WhoAreYou, type WhoAreYouResult } from '../../src/tui/views/who-are-you.js';
import { settle } from './harness.js';

const agent = (handle: string, name: string, roles: Agent['roles']): Agent => ({
  id: handle.length,
  handle,
  name,
  email: null,
  roles,
  active: true,
  createdAt: '',
});
const AGENTS = [agent('ana', 'Ana Costa', 'service'), agent('cleo', 'Cleo Martin', 'support'), agent('sam', 'Sam Rivera', 'both')];

function start() {
  const done: (WhoAreYouResult | null)[] = [];
  const ui = render(
    <WhoAreYou
      agents={AGENTS}
      database="/data/team.db"
      configFile="/home/me/.config/tandem/config.toml"
      theme={makeTheme(0)}
      onDone={(r) => done.push(r)}
    />,
  );
  const press = async (...keys: string[]) => {
    for (const k of keys) {
      ui.stdin.write(k);
      await settle();
    }
  };
  return { ui, done, press, frame: () => ui.lastFrame() ?? '' };
}

describe('who are you', () => {
  it('lists the agents with their roles, narrows as you type, and asks whether to remember the pick', async () => {
    const t = start();
    await settle();
    expect(t.frame()).toContain('Who are you? 3 agents work in /data/team.db');
    expect(t.frame()).toMatch(/@cleo\s+Cleo Martin · support/);
    expect(t.frame()).toMatch(/@sam\s+Sam Rivera · service and support/);
    await t.press('s', 'a', 'm');
    expect(t.frame()).not.toContain('@ana');
    await t.press('\r');
    expect(t.frame()).toContain('Remember @sam for this database in /home/me/.config/tandem/config.toml? [y/N]');
    expect(t.done).toEqual([]);
    await t.press('y');
    expect(t.done).toEqual([{ handle: 'sam', remember: true }]);
  });

  it('arrows move, n picks without remembering, Esc and Ctrl-C leave with nobody', async () => {
    const t = start();
    await settle();
    await t.press('\u001b[B', '\r', 'n');
    expect(t.done).toEqual([{ handle: 'cleo', remember: false }]);
    const esc = start();
    await settle();
    await esc.press('\u001b');
    await new Promise((r) => setTimeout(r, 50)); // Ink waits a moment to tell a lone Esc from a sequence
    await settle();
    expect(esc.done).toEqual([null]);
    const ctrlC = start();
    await settle();
    await ctrlC.press('\u0003');
    expect(ctrlC.done).toEqual([null]);
  });
});

describe('who are you, with a hostile agent name', () => {
  it('draws the name harmlessly: no escape sequence reaches the terminal', async () => {
    const evil = [agent('eve', 'Eve \u001b[2J\u001b]0;owned\u0007Mallory', 'support'), ...AGENTS];
    const ui = render(
      <WhoAreYou agents={evil} database="/data/team.db" configFile="/c.toml" theme={makeTheme(0)} onDone={() => undefined} />,
    );
    await settle();
    const f = ui.lastFrame() ?? '';
    expect(f).toMatch(/@eve\s+Eve .*Mallory · support/);
    expect(f).not.toContain('\u001b[2J');
    expect(f).not.toContain('\u001b]0;');
    ui.unmount();
  });
});
