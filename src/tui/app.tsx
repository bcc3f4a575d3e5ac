// The console's router: it lays out header, body and footer for the terminal's size, decides which
// view or modal has the keys, and hands commands their context. State lives in the view hooks.
import { Box, Text, useApp } from 'ink';
import React, { useCallback, useMemo, useRef, useState } from 'react';
import type { ItemView } from '../core/item-view.js';
import { sanitizeLine } from '../text/sanitize.js';
import { HANDLERS, type CommandContext } from './commands/index.js';
import { explainError } from './commands/context.js';
import type { ConsoleApi, ConsoleFilter } from './console-api.js';
import { editorCommand, NO_TERMINAL, runExternalEditor, type EditorResult, type TerminalControl } from './editor.js';
import { useCounts } from './hooks/use-counts.js';
import { useInbox, type ReloadOptions } from './hooks/use-inbox.js';
import { useItemDetail } from './hooks/use-item-detail.js';
import { useKpi } from './hooks/use-kpi.js';
import { KeyRouterContext, useKeyRouter } from './hooks/use-key-router.js';
import { keymapHandler } from './hooks/use-keymap-input.js';
import { useLiveRefresh } from './hooks/use-live-refresh.js';
import { useModal, type Modal } from './hooks/use-modal.js';
import { useRedraw } from './hooks/use-redraw.js';
import { useStatus } from './hooks/use-status.js';
import { useTerminalSize, type TerminalSize } from './hooks/use-terminal-size.js';
import type { CommandId, ViewName } from './keymap.js';
import type { Theme } from './theme.js';
import { AgentPicker } from './views/agent-picker.js';
import { Choice } from './views/choice.js';
import { Confirm } from './views/confirm.js';
import { Header } from './views/header.js';
import { HelpOverlay } from './views/help-overlay.js';
import { InboxList } from './views/inbox-list.js';
import { ItemDetailView } from './views/item-detail.js';
import { KpiHeader, KpiView } from './views/kpi-view.js';
import { Prompt } from './views/prompt.js';
import { StatusBar } from './views/status-bar.js';
import { TextEditor } from './views/text-editor.js';

/** From this width on, list and detail sit side by side. */
export const WIDE_COLUMNS = 150;

export interface ConsoleProps {
  api: ConsoleApi;
  theme: Theme;
  env?: NodeJS.ProcessEnv;
  /** Hands the terminal to $EDITOR and back (run.ts); tests run without one. */
  terminal?: TerminalControl;
  /** Runs $EDITOR on a text; tests pass a fake. */
  runEditor?: (command: string, initial: string, fileName: string) => EditorResult;
  pollMs?: number;
  initialFilter?: ConsoleFilter;
}

export interface Layout {
  columns: number;
  rows: number;
  body: number;
  wide: boolean;
  listWidth: number;
  detailWidth: number;
  pageSize: number;
}

export function layoutFor(size: TerminalSize): Layout {
  // One row short of the terminal: Ink redraws everything (and flickers) once output reaches its height.
  const rows = Math.max(8, size.rows - 1);
  const body = rows - 4;
  const wide = size.columns >= WIDE_COLUMNS;
  const listWidth = wide ? Math.floor(size.columns * 0.55) : size.columns;
  return { columns: size.columns, rows, body, wide, listWidth, detailWidth: wide ? size.columns - listWidth - 1 : size.columns, pageSize: Math.max(1, body - 1) };
}

// Routes: the inbox (list + detail); the KPI view is the view 'kpi' (K), drawn by views/kpi-view.tsx.
type Route = 'inbox';

export function Console({ api, theme, env = process.env, terminal = NO_TERMINAL, runEditor, pollMs, initialFilter }: ConsoleProps) {
  const { exit } = useApp();
  const size = useTerminalSize();
  const layout = layoutFor(size);
  const [route] = useState<Route>('inbox');
  const [view, setView] = useState<ViewName>('list');
  const [override, setOverride] = useState<number | null>(null);
  const modal = useModal();
  const status = useStatus();
  const counts = useCounts(api);
  const inbox = useInbox(api, layout.pageSize, initialFilter);
  const showDetail = layout.wide || view === 'detail';
  const detailId = showDetail ? (override ?? inbox.current?.id ?? null) : null;
  const refreshRef = useRef<(opts?: ReloadOptions) => Promise<void>>(async () => undefined);
  const tick = useLiveRefresh(api, () => void refreshRef.current({ count: true }), { pollMs });
  const detail = useItemDetail(api, detailId, layout.detailWidth, layout.body, theme, tick);
  const kpi = useKpi(api, view === 'kpi', { pollMs });
  const drafts = useRef(new Map<string, string>()).current;
  const redraw = useRedraw();
  const now = useMemo(() => api.now(), [api, tick, inbox.state.cache, detail.data]);

  const refresh = useCallback(async (opts?: ReloadOptions) => {
    await Promise.all([inbox.reload(opts), detail.reload(), counts.reload()]).catch(() => undefined);
  }, [inbox.reload, detail.reload, counts.reload]);
  refreshRef.current = refresh;

  const writeText = useCallback(async (kind: 'reply' | 'note', item: ItemView, initial: string) => {
    const who = item.customer ? ` · ${sanitizeLine(item.customer.name)}${item.customer.email ? ` <${sanitizeLine(item.customer.email)}>` : ''}` : '';
    const title = `${kind === 'reply' ? 'Reply to' : 'Internal note on'} #${item.id} ${sanitizeLine(item.subject)}${kind === 'reply' ? who : ' (never shown to the customer)'}`;
    const command = editorCommand(env);
    if (command) {
      const run = runEditor ?? ((cmd: string, text: string, file: string) => runExternalEditor(cmd, text, file, terminal, env));
      const r = run(command, initial, `tandem-${kind}-${item.id}.txt`);
      redraw();
      if (!r.ok) return { text: r.text, sent: false, reason: `${r.error ?? 'the editor failed'}; nothing was sent` };
      return { text: r.text, sent: r.text.trim().length > 0 };
    }
    return modal.edit(title, initial);
  }, [env, runEditor, terminal, redraw, modal.edit]);

  const running = useRef<Promise<void>>(Promise.resolve());
  const context = useRef<CommandContext | null>(null);
  const runNow = useCallback(async (id: CommandId, arg?: string) => {
    const c = context.current!;
    try {
      await HANDLERS[id](c, arg);
    } catch (e) {
      c.status.say(explainError(e, api.now()), 'error');
    }
  }, [api]);
  // Keys run one command after another, so a quick "x x" never acts twice on the same item.
  const runQueued = useCallback((id: CommandId) => {
    running.current = running.current.then(() => runNow(id));
  }, [runNow]);

  context.current = {
    api, inbox, detail, modal, status, kpi, view, wide: layout.wide, drafts,
    setView, showItem: setOverride, writeText, refresh, quit: () => exit(), redraw, run: runNow,
  };

  const keys = useKeyRouter({
    // Ctrl-C always quits, whatever is open.
    first: (input, key) => {
      if (!(key.ctrl && input === 'c')) return false;
      exit();
      return true;
    },
    route: () => modal.current()?.seq ?? null,
    fallback: keymapHandler(view, runQueued),
  });

  const body = modalBody(modal.modal, layout, theme)
    ?? (view === 'kpi' ? <KpiView kpi={kpi} me={api.me} width={layout.columns} height={layout.body} theme={theme} /> : inboxBody());
  function inboxBody() {
    const list = (width: number) => (
      <InboxList state={inbox.state} visible={inbox.visible} width={width} height={layout.body} now={now} focused={view === 'list'} theme={theme} />
    );
    const item = (width: number) => (
      <ItemDetailView detail={detail} id={detailId} width={width} height={layout.body} focused={view === 'detail'} theme={theme} />
    );
    if (layout.wide) {
      return (
        <>
          {list(layout.listWidth)}
          <Box width={1} height={layout.body} flexDirection="column">
            <Text>{theme.dim(Array.from({ length: layout.body }, () => '│').join('\n'))}</Text>
          </Box>
          {item(layout.detailWidth)}
        </>
      );
    }
    return view === 'list' ? list(layout.columns) : item(layout.columns);
  }

  return (
    <KeyRouterContext.Provider value={keys}>
    <Box flexDirection="column" width={layout.columns} height={layout.rows}>
      {route === 'inbox' && (
        <>
          {view === 'kpi' ? (
            <KpiHeader kpi={kpi} me={api.me} counts={counts.counts} filter={inbox.state.filter} position={{ cursor: inbox.state.cursor, total: inbox.state.total }}
              selected={0} width={layout.columns} theme={theme} />
          ) : (
          <Header me={api.me} counts={counts.counts} filter={inbox.state.filter} position={{ cursor: inbox.state.cursor, total: inbox.state.total }}
            selected={inbox.state.selection.size} width={layout.columns} theme={theme} />
          )}
          <Box height={layout.body} flexDirection="row">{body}</Box>
          {modalFooter(modal.modal, layout, theme) ?? (
            <StatusBar message={status.message} view={view} selecting={inbox.state.selection.size > 0} width={layout.columns} theme={theme} />
          )}
        </>
      )}
    </Box>
    </KeyRouterContext.Provider>
  );
}

function modalBody(m: Modal | null, layout: Layout, theme: Theme) {
  if (!m) return null;
  const props = { width: layout.columns, height: layout.body, theme };
  // A new key per modal: each opens with fresh state.
  if (m.kind === 'picker') return <AgentPicker key={m.seq} modal={m} {...props} />;
  if (m.kind === 'editor') return <TextEditor key={m.seq} modal={m} {...props} />;
  if (m.kind === 'help') return <HelpOverlay modal={m} {...props} />;
  return null;
}

function modalFooter(m: Modal | null, layout: Layout, theme: Theme) {
  if (!m) return null;
  if (m.kind === 'prompt') return <Prompt key={m.seq} modal={m} width={layout.columns} theme={theme} />;
  if (m.kind === 'choice') return <Choice key={m.seq} modal={m} width={layout.columns} theme={theme} />;
  if (m.kind === 'confirm') return <Confirm key={m.seq} modal={m} theme={theme} />;
  return null;
}
