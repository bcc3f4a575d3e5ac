// Command id → handler: the keymap names what a key does, this table says how.
import type { CommandId } from '../keymap.js';
import { actions } from './act.js';
import { consoleCommands } from './console.js';
import type { Handler } from './context.js';
import { delivery } from './delivery.js';
import { escalation } from './escalate.js';
import { filter } from './filter.js';
import { kpi } from './kpi.js';
import { macroCommands } from './macros.js';
import { navigate } from './navigate.js';
import { rules } from './rules.js';

export const HANDLERS: Record<CommandId, Handler> = {
  ...consoleCommands,
  ...navigate,
  ...filter,
  ...actions,
  ...escalation,
  ...kpi,
  ...macroCommands,
  ...rules,
  ...delivery,
} as Record<CommandId, Handler>;

export type { CommandContext, Handler } from './context.js';
