// The console's router: it lays out header, body and footer for the terminal's size, decides which
// view or modal has the keys, and hands commands their context. State lives in the view hooks.
import { Box, Text, useApp } from 'ink';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { announce, changedElsewhere } from './explain.js';
import type { ConsoleApi, ConsoleFilter, Counts, ItemDetailData } from './console-api.js';
import { NO_TERMINAL, type EditorResult, type TerminalControl } from './editor.js';
import { useCounts } from './hooks/use-counts.js';
import { useSavedViews } from './hooks/use-saved-views.js';
import { macroTextPicker } from './commands/macros.js';
import { useInbox, type Inbox, type InboxCache, type ReloadOptions } from './hooks/use-inbox.js';
import { useItemDetail } from './hooks/use-item-detail.js';
import { useKpi } from './hooks/use-kpi.js';
import { useRules } from './hooks/use-rules.js';
import { KeyRouterContext, useKeyRouter } from './hooks/use-key-router.js';
import { keymapHandler } from './keymap-handler.js';
import { useCommands, type Navigation } from './hooks/use-commands.js';
import { useWriteText } from './hooks/use-write-text.js';
import { useLiveRefresh, type ConnectionSignal } from './hooks/use-live-refresh.js';
import { useClock } from './hooks/use-clock.js';
import { useModal, type Modal } from './hooks/use-modal.js';
import { useRedraw } from './hooks/use-redraw.js';
import { useStatus } from './hooks/use-status.js';
import { useTerminalSize } from './hooks/use-terminal-size.js';
import { layoutFor, type Layout } from './layout.js';
import type { ViewName } from './keymap.js';
import type { Theme } from './theme.js';
import { AgentPicker } from './views/agent-picker.js';
import { Choice } from './views/choice.js';
import { Confirm } from './views/confirm.js';
import { CustomerPage } from './views/customer-page.js';
import { Header } from './views/header.js';
import { HelpOverlay } from './views/help-overlay.js';
import { InboxList } from './views/inbox-list.js';
import { ItemDetailView } from './views/item-detail.js';
import { KpiHeader, KpiView } from './views/kpi-view.js';
import { MacroPicker } from './views/macro-picker.js';
import { RulesView } from './views/rules-view.js';
import { Prompt } from './views/prompt.js';
import { Review } from './views/review.js';
import { StatusBar } from './views/status-bar.js';
import { TextEditor } from './views/text-editor.js';

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
  /** The first window of the list, fetched while Ink was loading (run.ts): the first frame has rows. */
  initialWindow?: InboxCache;
  /** How many items the first filter has, and the header counts, fetched with it: the first frame is whole. */
  initialTotal?: number;
  initialCounts?: Counts;
}

/** Which pane has the keys and which item the detail shows, with mirrors commands read at once. */
function useNavigation(): { nav: Navigation; view: ViewName; shown: number | null } {
  const [viewState, setViewState] = useState<ViewName>('list');
  const [shownState, setShownState] = useState<number | null>(null);
  const view = useRef<ViewName>('list');
  const shown = useRef<number | null>(null);
  const setView = useCallback((v: ViewName) => {
    view.current = v;
    setViewState(v);
  }, []);
  const showItem = useCallback((id: number | null) => {
    shown.current = id;
    setShownState(id);
  }, []);
  const nav = useMemo(() => ({ view, shown, setView, showItem }), [setView, showItem]);
  return { nav, view: viewState, shown: shownState };
}

export function Console({
  api,
  theme,
  env = process.env,
  terminal = NO_TERMINAL,
  runEditor,
  pollMs,
  initialFilter,
  initialWindow,
  initialTotal,
  initialCounts,
}: ConsoleProps) {
  const { exit } = useApp();
  const layout = layoutFor(useTerminalSize());
  const { nav, view, shown } = useNavigation();
  const modal = useModal();
  const status = useStatus();
  const counts = useCounts(api, initialCounts);
  const saved = useSavedViews(api);
  const inbox = useInbox(api, layout.pageSize, initialFilter, initialWindow, initialTotal);
  const detailId = layout.wide || view === 'detail' ? (shown ?? inbox.current?.id ?? null) : null;

  // Other processes' commits reload what is on screen, and say so when the item being read changed.
  const refreshRef = useRef<(opts?: ReloadOptions) => Promise<void>>(async () => undefined);
  const detailRef = useRef<ItemDetailData | null>(null);
  const sayRef = useRef(status.say);
  // The newest event seen: others' changes after it are announced in the status line.
  const seenEvent = useRef<number | null>(null);
  useEffect(() => {
    void api.lastEventId().then(
      (id) => {
        seenEvent.current ??= id;
      },
      () => undefined,
    );
  }, [api]);
  const inboxRef = useRef<Inbox | null>(null);
  const onExternalChange = useCallback(async () => {
    const before = detailRef.current;
    await refreshRef.current({ count: true });
    const said = before && detailRef.current ? changedElsewhere(before, detailRef.current, api.me.handle) : null;
    let news: string | null = null;
    if (seenEvent.current !== null) {
      const { events, lastId } = await api.activitySince(seenEvent.current).catch(() => ({ events: [], lastId: seenEvent.current! }));
      seenEvent.current = lastId;
      news = announce(events, (id) => whereInList(inboxRef.current, id));
    }
    const text = said ?? news;
    if (text) sayRef.current(text, 'info');
  }, [api]);
  const onConnection = useCallback((signal: ConnectionSignal) => {
    if (signal.type === 'offline') sayRef.current(`${signal.reason}; changes are not shown until it is back`, 'error');
    else sayRef.current('connection back: the screen is up to date', 'info');
  }, []);
  useLiveRefresh(api, onExternalChange, { pollMs, onConnection });
  const clock = useClock(api);
  const detail = useItemDetail(api, detailId, layout.detailWidth, layout.body, theme, clock.now);
  const kpi = useKpi(api, view === 'kpi', { pollMs });
  const rules = useRules(api, view === 'rules', { pollMs });
  const redraw = useRedraw();
  const now = clock.now;
  const refresh = useCallback(
    async (opts?: ReloadOptions) => {
      const [, d] = await Promise.all([inbox.reload(opts), detail.reload(), counts.reload(), saved.reload()]).catch(
        () => [undefined, null] as const,
      );
      clock.touch();
      if (d) detailRef.current = d;
    },
    [inbox.reload, detail.reload, counts.reload, saved.reload, clock.touch],
  );
  refreshRef.current = refresh;
  inboxRef.current = inbox;
  sayRef.current = status.say;
  if (detail.data) detailRef.current = detail.data;

  const macroText = useMemo(() => macroTextPicker(api, modal), [api, modal]);
  const writeText = useWriteText({ env, terminal, runEditor, modal, redraw, macroText });
  const { context, runKey, running } = useCommands(
    api,
    { inbox, detail, kpi, rules, modal, status, wide: layout.wide, writeText, refresh, redraw },
    nav,
    exit,
  );
  const keys = useKeyRouter({
    // Ctrl-C in an input cancels the input; elsewhere it quits (asking first about unsent drafts).
    first: (input, key) => {
      if (!(key.ctrl && input === 'c')) return false;
      if (!modal.cancel()) void context.run('app.quit');
      return true;
    },
    route: () => modal.current()?.seq ?? null,
    fallback: keymapHandler(runKey),
    nextModal: modal.nextModal,
    running,
  });

  const body =
    modalBody(modal.modal, layout, theme) ??
    (view === 'kpi' ? (
      <KpiView kpi={kpi} me={api.me} width={layout.columns} height={layout.body} theme={theme} />
    ) : view === 'rules' ? (
      <RulesView rules={rules} width={layout.columns} height={layout.body} theme={theme} />
    ) : (
      inboxBody()
    ));
  function inboxBody() {
    const list = (width: number) => (
      <InboxList
        state={inbox.state}
        visible={inbox.visible}
        width={width}
        height={layout.body}
        now={now}
        focused={view === 'list'}
        theme={theme}
      />
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
        {view === 'kpi' ? (
          <KpiHeader
            kpi={kpi}
            me={api.me}
            counts={counts.counts}
            filter={inbox.state.filter}
            position={{ cursor: inbox.state.cursor, total: inbox.state.total }}
            selected={0}
            width={layout.columns}
            theme={theme}
          />
        ) : (
          <Header
            me={api.me}
            counts={counts.counts}
            filter={inbox.state.filter}
            position={{ cursor: inbox.state.cursor, total: inbox.state.total }}
            selected={inbox.state.selection.size}
            width={layout.columns}
            theme={theme}
            views={saved.tabs}
          />
        )}
        <Box height={layout.body} flexDirection="row">
          {body}
        </Box>
        {modalFooter(modal.modal, layout, theme) ?? (
          <StatusBar
            message={status.message}
            view={view}
            selecting={inbox.state.selection.size > 0}
            width={layout.columns}
            theme={theme}
            deliveryProblems={counts.counts?.deliveryProblems}
          />
        )}
      </Box>
    </KeyRouterContext.Provider>
  );
}

/** Where an item is in the list, for an announcement: its row, and whether it is above what is shown. */
function whereInList(inbox: Inbox | null, id: number): string {
  const s = inbox?.state;
  const at = s ? s.cache.rows.findIndex((r) => r.id === id) : -1;
  if (!s || at < 0) return '';
  const index = s.cache.start + at;
  if (index < s.top) return ` (row ${index + 1}, above: g goes to the top)`;
  if (index >= s.top + s.pageSize) return ` (row ${index + 1}, below)`;
  return ` (row ${index + 1})`;
}

function modalBody(m: Modal | null, layout: Layout, theme: Theme) {
  if (!m) return null;
  const props = { width: layout.columns, height: layout.body, theme };
  // A new key per modal: each opens with fresh state.
  if (m.kind === 'picker') return <AgentPicker key={m.seq} modal={m} {...props} />;
  if (m.kind === 'editor') return <TextEditor key={m.seq} modal={m} {...props} />;
  if (m.kind === 'help') return <HelpOverlay modal={m} {...props} />;
  if (m.kind === 'macro') return <MacroPicker key={m.seq} modal={m} {...props} />;
  if (m.kind === 'review') return <Review key={m.seq} modal={m} {...props} />;
  if (m.kind === 'customer') return <CustomerPage key={m.seq} modal={m} {...props} />;
  return null;
}

function modalFooter(m: Modal | null, layout: Layout, theme: Theme) {
  if (!m) return null;
  if (m.kind === 'prompt') return <Prompt key={m.seq} modal={m} width={layout.columns} theme={theme} />;
  if (m.kind === 'choice') return <Choice key={m.seq} modal={m} width={layout.columns} theme={theme} />;
  if (m.kind === 'confirm') return <Confirm key={m.seq} modal={m} theme={theme} />;
  return null;
}
