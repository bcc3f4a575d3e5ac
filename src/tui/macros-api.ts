// The console's door to macros and saved views, beside ConsoleApi: bound to its store and agent.
// The macro core (and its template engine) loads the first time the console asks for a macro.
import type { MacroOutcome } from '../core/macro-apply.js';
import type { Macro } from '../core/macros.js';
import { listViews, viewCounts, type SavedView, type ViewFilter } from '../core/views.js';
import { VIEW_KEYS } from '../core/views.js';
import type { ConsoleApi, ConsoleFilter } from './console-api.js';
import { DEFAULT_FILTER } from './console-api.js';

type Version = { expectedVersion?: number; force?: boolean };

export async function listMacros(api: ConsoleApi): Promise<Macro[]> {
  const { listMacros: list } = await import('../core/macros.js');
  return list(api.ctx.store.db);
}

export async function describeMacroActions(m: Macro): Promise<string[]> {
  const { describeActions } = await import('../core/macros.js');
  return describeActions(m.actions);
}

/** What the macro would write on the item now (text and changes); throws what applying would refuse. */
export async function previewMacro(api: ConsoleApi, name: string, itemId: number, v: Version = {}): Promise<MacroOutcome> {
  const { previewMacro: preview } = await import('../core/macro-apply.js');
  return preview(api.ctx, api.me, name, itemId, v);
}

/** Apply the macro (with `body`, the text as the agent edited it). */
export async function applyMacro(
  api: ConsoleApi,
  name: string,
  itemId: number,
  v: Version & { body?: string } = {},
): Promise<MacroOutcome> {
  const { applyMacro: apply } = await import('../core/macro-apply.js');
  return apply(api.ctx, api.me, name, itemId, v);
}

/** A saved view with its console key (4–9 for the first six) and its count for me. */
export interface ViewTab {
  key: string | null;
  name: string;
  filter: ConsoleFilter;
  count: number | null;
}

/** The console's filter for a saved view (what the view does not say is the default). */
function consoleFilterOf(f: ViewFilter): ConsoleFilter {
  return {
    ...DEFAULT_FILTER,
    role: f.role ?? 'all',
    search: f.search ?? '',
    assignee: f.assignee ?? '',
    statuses: f.statuses ?? null,
    priorities: f.priorities ?? [],
    tag: f.tag ?? '',
    breached: Boolean(f.breached),
    sort: f.sort ?? 'due',
    ...(f.customer ? { customer: f.customer } : {}),
  };
}

/** True when the console shows exactly this view's filter (the header marks it). */
export function sameFilter(a: ConsoleFilter, b: ConsoleFilter): boolean {
  const list = (x: unknown) => (Array.isArray(x) ? [...x].sort().join(',') : String(x));
  return (
    a.role === b.role &&
    a.search === b.search &&
    a.assignee === b.assignee &&
    list(a.statuses) === list(b.statuses) &&
    list(a.priorities) === list(b.priorities) &&
    a.tag === b.tag &&
    a.breached === b.breached &&
    a.sort === b.sort &&
    (a.customer ?? '') === (b.customer ?? '')
  );
}

/** Saved views in key order; counted: 'keyed' (the header's six), 'all' (the picker) or 'none'. */
export async function viewTabs(api: ConsoleApi, counted: 'keyed' | 'all' | 'none' = 'keyed'): Promise<ViewTab[]> {
  const views: SavedView[] = await listViews(api.ctx.store.db);
  const toCount = counted === 'none' ? [] : counted === 'keyed' ? views.slice(0, VIEW_KEYS.length) : views;
  const counts = await viewCounts(api.ctx, api.me, toCount);
  return views.map((v, i) => ({ key: VIEW_KEYS[i] ?? null, name: v.name, filter: consoleFilterOf(v.filter), count: counts[i] ?? null }));
}
