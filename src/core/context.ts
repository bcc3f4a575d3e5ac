// What every core operation receives: the store and a clock (tests pass a fixed one). The store type
// says what the operation needs: the core's reads and writes (CoreStore), or more, such as bulk
// loading for demo data and imports.
import type { BulkLoader, CoreStore } from '../store/store.js';
import { systemClock, type Clock } from './time.js';

export interface Ctx<S extends CoreStore = CoreStore> {
  readonly store: S;
  readonly clock: Clock;
}

/** A ctx whose store can bulk load (demo, imports). */
export type LoadCtx = Ctx<CoreStore & { readonly bulk: BulkLoader }>;

export function makeCtx<S extends CoreStore>(store: S, clock: Clock = systemClock): Ctx<S> {
  return { store, clock };
}

export function nowIso(ctx: Ctx): string {
  return ctx.clock().toISOString();
}
