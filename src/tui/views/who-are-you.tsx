// The console's first screen on a database with several agents and no --as, $TANDEM_AGENT or
// remembered choice: pick who you are (the agent picker), then say whether to remember the choice
// for this database in the config file.
import { Box, Text, useApp } from 'ink';
import { useCallback, useMemo, useRef, useState } from 'react';
import type { Agent } from '../../core/agents.js';
import { KeyRouterContext, useKeyRouter } from '../hooks/use-key-router.js';
import type { Modal, PickerOption } from '../hooks/use-modal.js';
import { useTerminalSize } from '../hooks/use-terminal-size.js';
import type { Theme } from '../theme.js';
import { AgentPicker } from './agent-picker.js';
import { Confirm } from './confirm.js';
import { sanitizeLine } from '../../text/sanitize.js';

export interface WhoAreYouResult {
  handle: string;
  remember: boolean;
}

export interface WhoAreYouProps {
  agents: Agent[];
  database: string;
  configFile: string;
  theme: Theme;
  /** Called once: the choice, or null when the user left (Esc, Ctrl-C). */
  onDone: (result: WhoAreYouResult | null) => void;
}

const roleText = (a: Agent) => (a.roles === 'both' ? 'service and support' : a.roles);

export function WhoAreYou({ agents, database, configFile, theme, onDone }: WhoAreYouProps) {
  const { exit } = useApp();
  const size = useTerminalSize();
  const [picked, setPicked] = useState<string | null>(null);
  const stage = useRef<1 | 2>(1);
  const finished = useRef(false);
  const finish = useCallback(
    (result: WhoAreYouResult | null) => {
      if (finished.current) return;
      finished.current = true;
      onDone(result);
      exit();
    },
    [onDone, exit],
  );
  const registry = useKeyRouter({
    route: () => stage.current,
    fallback: () => undefined,
    first: (input, key) => {
      if (key.ctrl && input === 'c') {
        finish(null);
        return true;
      }
      return false;
    },
  });
  const picker = useMemo<Extract<Modal, { kind: 'picker' }>>(
    () => ({
      kind: 'picker',
      seq: 1,
      title: `Who are you? ${agents.length} agents work in ${database}`,
      options: agents.map<PickerOption>((a) => ({
        value: a.handle,
        label: '@' + a.handle,
        detail: `${sanitizeLine(a.name)} · ${roleText(a)}`,
      })),
      resolve: (o) => {
        if (!o?.value) return finish(null);
        stage.current = 2;
        setPicked(o.value);
      },
    }),
    [agents, database, finish],
  );
  const confirm: Extract<Modal, { kind: 'confirm' }> | null = picked
    ? {
        kind: 'confirm',
        seq: 2,
        question: `Remember @${picked} for this database in ${configFile}?`,
        resolve: (yes) => finish({ handle: picked, remember: yes }),
      }
    : null;
  const height = Math.max(6, size.rows - 1);
  return (
    <KeyRouterContext.Provider value={registry}>
      <Box flexDirection="column" width={size.columns} height={height}>
        {confirm ? (
          <>
            <Text>{theme.bold(`You are @${picked}.`)}</Text>
            <Box flexGrow={1} />
            <Confirm modal={confirm} theme={theme} />
          </>
        ) : (
          <AgentPicker modal={picker} width={size.columns} height={height} theme={theme} />
        )}
      </Box>
    </KeyRouterContext.Provider>
  );
}
