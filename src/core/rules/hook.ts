// The one call the core's write paths make into the rule engine: "this item was created / updated /
// escalated, inside this transaction". The engine loads on first use, so commands that never
// change an item never load it.
import type { Db } from '../../store/store.js';
import type { Actor } from '../item-mutate.js';
import type { ChangeKind, Trigger } from './definition.js';

export interface FireOptions {
  change: ChangeKind;
  /** Who made the change (a rule's escalation acts as its author, else as this agent). */
  actor?: Actor;
  now: Date;
}

export async function fireRules(trx: Db, trigger: Trigger, itemId: number, opts: FireOptions): Promise<void> {
  const { runRulesFor } = await import('./engine.js');
  await runRulesFor(trx, trigger, itemId, opts);
}
