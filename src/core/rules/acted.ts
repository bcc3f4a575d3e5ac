// "Why did this happen?": the rules that acted on an item, read from its events.
import type { EventView } from '../item-view.js';
import { describeEvent } from '../item-mutate.js';

export interface RuleActivity {
  id: number;
  name: string;
  revision: number;
  /** Each thing it did (or refused, or was stopped from doing), in order. */
  actions: string[];
  at: string;
}

export function rulesThatActed(events: EventView[]): RuleActivity[] {
  const out = new Map<string, RuleActivity>();
  for (const e of events) {
    const rule = e.data?.rule as { id: number; name: string; revision: number } | undefined;
    if (!rule) continue;
    const key = `${rule.id}:${rule.revision}`;
    const entry = out.get(key) ?? { id: rule.id, name: rule.name, revision: rule.revision, actions: [], at: e.createdAt };
    // The description without its `rule "…" (vN): ` prefix.
    entry.actions.push(describeEvent(e).replace(/^rule ".*?" \(v\d+\): /, ''));
    out.set(key, entry);
  }
  return [...out.values()];
}
