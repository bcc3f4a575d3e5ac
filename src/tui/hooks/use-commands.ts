// The command context and the key queue. Commands get one context whose getters read the latest hooks
// (updated every render) and the eager mirrors of view and shown item, so a command never acts on a
// snapshot older than the keys before it. Keys run one command after another ("x x" never acts twice
// on one item); each key is looked up when its turn comes, in the view the keys before it left.
import { useCallback, useMemo, useRef } from 'react';
import { HANDLERS, type CommandContext } from '../commands/index.js';
import type { LastChange } from '../commands/context.js';
import { explainError } from '../explain.js';
import type { ConsoleApi } from '../console-api.js';
import { commandIdFor } from '../keymap-handler.js';
import type { ViewName } from '../keymap.js';
import type { Inbox, ReloadOptions } from './use-inbox.js';
import type { ItemDetail } from './use-item-detail.js';
import type { ModalController } from './use-modal.js';
import type { StatusController } from './use-status.js';
import type { WriteText } from './use-write-text.js';
import type { KpiController } from './use-kpi.js';
import type { RulesController } from './use-rules.js';

export interface CommandDeps {
  inbox: Inbox;
  detail: ItemDetail;
  kpi: KpiController;
  rules: RulesController;
  modal: ModalController;
  status: StatusController;
  wide: boolean;
  writeText: WriteText;
  refresh: (opts?: ReloadOptions) => Promise<void>;
  redraw: () => void;
}

export interface Navigation {
  /** Read at once by commands; the state behind them re-renders. */
  view: { readonly current: ViewName };
  shown: { readonly current: number | null };
  setView(view: ViewName): void;
  showItem(id: number | null): void;
}

export interface Commands {
  context: CommandContext;
  /** Run the command a key names in the current view, after the commands before it. */
  runKey: (name: string) => Promise<void>;
  /** The commands still running (resolves when the queue is empty). */
  running: () => Promise<void>;
}

export function useCommands(api: ConsoleApi, deps: CommandDeps, nav: Navigation, quit: () => void): Commands {
  const latest = useRef(deps);
  latest.current = deps;
  const drafts = useRef(new Map<string, string>()).current;
  const lastChange = useRef<LastChange | null>(null);
  const running = useRef<Promise<void>>(Promise.resolve());

  const context = useMemo<CommandContext>(() => {
    const c: CommandContext = {
      api,
      get inbox() {
        return latest.current.inbox;
      },
      get detail() {
        return latest.current.detail;
      },
      get kpi() {
        return latest.current.kpi;
      },
      get rules() {
        return latest.current.rules;
      },
      get modal() {
        return latest.current.modal;
      },
      get status() {
        return latest.current.status;
      },
      get view() {
        return nav.view.current;
      },
      get wide() {
        return latest.current.wide;
      },
      detailId: () => {
        const l = latest.current;
        return l.wide || nav.view.current === 'detail' ? (nav.shown.current ?? l.inbox.current?.id ?? null) : null;
      },
      drafts,
      setView: nav.setView,
      showItem: nav.showItem,
      writeText: (kind, item, initial, quote) => latest.current.writeText(kind, item, initial, quote),
      rememberUndo: (label, tokens) => {
        lastChange.current = { label, tokens };
      },
      takeUndo: () => {
        const last = lastChange.current;
        lastChange.current = null;
        return last;
      },
      refresh: (opts) => latest.current.refresh(opts),
      quit,
      redraw: () => latest.current.redraw(),
      run: async (id, arg) => {
        try {
          await HANDLERS[id](c, arg);
        } catch (e) {
          c.status.say(explainError(e, api.now()), 'error');
        }
      },
    };
    return c;
  }, [api, drafts, nav, quit]);

  const runKey = useCallback(
    (name: string) => {
      running.current = running.current.then(() => {
        const id = commandIdFor(nav.view.current, name);
        return id ? context.run(id) : undefined;
      });
      return running.current;
    },
    [context, nav],
  );
  const runningNow = useCallback(() => running.current, []);

  return { context, runKey, running: runningNow };
}
