// One subscription to the keyboard for the whole console. Ink's useInput subscribes in an effect, so a
// key that arrives between a render and that effect reaches a stale handler (or the list instead of a
// prompt that just opened). Here each modal registers its handler while it renders, and the router
// sends every key to the handler of the modal open at that moment, else to the keymap.
import { useInput, type Key } from 'ink';
import { createContext, useContext, useEffect, useRef } from 'react';

export type KeyHandler = (input: string, key: Key) => void;

export interface KeyRegistry {
  set(owner: number, handler: KeyHandler): void;
  drop(owner: number): void;
}

export const KeyRouterContext = createContext<KeyRegistry | null>(null);

/** Give keys to `handler` while modal `owner` is the one open. Registered during render: never stale. */
export function useKeys(owner: number | undefined, handler: KeyHandler): void {
  const registry = useContext(KeyRouterContext);
  if (registry && owner !== undefined) registry.set(owner, handler);
  useEffect(() => () => {
    if (registry && owner !== undefined) registry.drop(owner);
  }, [registry, owner]);
}

export interface KeyRouting {
  /** The open modal's owner id, or null. */
  route: () => number | null;
  /** Keys no modal takes (the keymap). */
  fallback: KeyHandler;
  /** Sees every key first; returns true when it took it (Ctrl-C quits whatever is open). */
  first?: (input: string, key: Key) => boolean;
}

export function useKeyRouter(routing: KeyRouting): KeyRegistry {
  const handlers = useRef(new Map<number, KeyHandler>());
  const routingRef = useRef(routing);
  routingRef.current = routing;
  const registry = useRef<KeyRegistry>({
    set: (owner, h) => void handlers.current.set(owner, h),
    drop: (owner) => void handlers.current.delete(owner),
  }).current;
  // A stable handler reading refs: even a stale subscription routes with the current state.
  const onKey = useRef<KeyHandler>((input, key) => {
    const r = routingRef.current;
    if (r.first?.(input, key)) return;
    const owner = r.route();
    if (owner === null) return r.fallback(input, key);
    handlers.current.get(owner)?.(input, key);
  }).current;
  useInput(onKey);
  return registry;
}
