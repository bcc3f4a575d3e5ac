// What every core operation receives: the store and a clock (tests pass a fixed one).
import type { Store } from '../store/store.js';
import { systemClock, type Clock } from './time.js';

export interface Ctx {
  readonly store: Store;
  readonly clock: Clock;
}

export function makeCtx(store: Store, clock: Clock = systemClock): Ctx {
  return { store, clock };
}

export function nowIso(ctx: Ctx): string {
  return ctx.clock().toISOString();
}
