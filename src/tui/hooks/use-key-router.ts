// One subscription to the keyboard for the whole console. Ink's useInput subscribes in an effect, so a
// key that arrives between a render and that effect reaches a stale handler (or the list instead of a
// prompt that just opened). Here each modal registers its handler while it renders, and the router
// sends every key to the handler of the modal open at that moment, else to the keymap.
//
// Keys are handled one at a time, in order, each in the state the keys before it left: a burst that
// arrives in one read ("jj", two Backspaces, "p" then "u") is split into its keys, and a key waits for
// the command before it to finish or to open its prompt (so "pu" sets priority urgent). A bracketed
// paste arrives as one text event (`paste: true`), which inputs insert as text and never run as keys.
import { useInput, useStdin, type Key } from 'ink';
import { createContext, useContext, useEffect, useRef } from 'react';
import { noteKey } from '../trace.js';

/** A key, or a paste (its whole text in `input`). */
export type RoutedKey = Key & { paste?: boolean };
export type KeyHandler = (input: string, key: RoutedKey) => void;

export interface KeyRegistry {
  set(owner: number, handler: KeyHandler): void;
  drop(owner: number): void;
}

export const KeyRouterContext = createContext<KeyRegistry | null>(null);

/** Give keys to `handler` while modal `owner` is the one open. Registered during render: never stale. */
export function useKeys(owner: number | undefined, handler: KeyHandler): void {
  const registry = useContext(KeyRouterContext);
  if (registry && owner !== undefined) registry.set(owner, handler);
  useEffect(
    () => () => {
      if (registry && owner !== undefined) registry.drop(owner);
    },
    [registry, owner],
  );
}

export interface KeyRouting {
  /** The open modal's owner id, or null. */
  route: () => number | null;
  /** Keys no modal takes (the keymap); returns the command it started, which the next key waits for. */
  fallback: (input: string, key: RoutedKey) => Promise<void> | void;
  /** Sees every key first, as it arrives; returns true when it took it (Ctrl-C). */
  first?: (input: string, key: RoutedKey) => boolean;
  /** Resolves when the next modal opens (the key after then goes to it). */
  nextModal?: () => { opened: Promise<void>; cancel(): void };
  /** The command still running (after a modal it opened was answered), which the next key waits for. */
  running?: () => Promise<void>;
}

/** A key with no modifier or special key set: what a plain character arrives as. */
export const NO_KEY: Key = {
  upArrow: false,
  downArrow: false,
  leftArrow: false,
  rightArrow: false,
  pageDown: false,
  pageUp: false,
  home: false,
  end: false,
  return: false,
  escape: false,
  ctrl: false,
  shift: false,
  tab: false,
  backspace: false,
  delete: false,
  meta: false,
  super: false,
  hyper: false,
  capsLock: false,
  numLock: false,
};

const PASTE_START = '\u001b[200~';
const PASTE_END = '\u001b[201~';

/** One key event for one character of a burst, as Ink would report that character alone. */
function charKey(ch: string): [string, RoutedKey] | null {
  if (ch === '\r' || ch === '\n') return ['\r', { ...NO_KEY, return: true }];
  if (ch === '\t') return ['', { ...NO_KEY, tab: true }];
  if (ch === '\u007f') return ['', { ...NO_KEY, delete: true }];
  if (ch === '\b') return ['', { ...NO_KEY, backspace: true }];
  const code = ch.codePointAt(0)!;
  if (code >= 1 && code <= 26) return [String.fromCharCode(code + 96), { ...NO_KEY, ctrl: true }];
  if (code < 32) return null;
  return [ch, { ...NO_KEY, shift: /[A-Z]/.test(ch) }];
}

/**
 * Split a chunk read at once (fast typing, keys coalesced by a slow link or a busy machine, a paste
 * from a terminal without bracketed paste) into one event per key. Ink reports such a chunk as one
 * input, and loses some keys outright (two DELs arrive as an empty input). Escape sequences come from
 * Ink one per chunk and are taken as Ink parsed them.
 */
function splitBurst(raw: string): [string, RoutedKey][] {
  const out: [string, RoutedKey][] = [];
  for (const ch of raw) {
    const k = charKey(ch);
    if (k) out.push(k);
  }
  return out;
}

export function useKeyRouter(routing: KeyRouting): KeyRegistry {
  const handlers = useRef(new Map<number, KeyHandler>());
  const routingRef = useRef(routing);
  routingRef.current = routing;
  const registry = useRef<KeyRegistry>({
    set: (owner, h) => void handlers.current.set(owner, h),
    drop: (owner) => void handlers.current.delete(owner),
  }).current;
  const { internal_eventEmitter: emitter } = useStdin();
  const state = useRef({
    raw: null as string | null,
    paste: null as string | null,
    queue: [] as [string, RoutedKey][],
    pumping: false,
    /** The command the last key started, while it runs: the next key waits for it (or for its prompt). */
    busy: null as Promise<void> | null,
  }).current;

  // The raw chunk behind each key event: Ink's parsed form loses keys of a burst. Prepended, so it is
  // recorded before Ink's own listener reports the same chunk to the handler below.
  useEffect(() => {
    const onRaw = (chunk: string) => {
      state.raw = chunk;
    };
    emitter?.prependListener('input', onRaw);
    return () => {
      emitter?.off('input', onRaw);
    };
  }, [emitter, state]);

  /** Handle queued keys one by one; each waits for the command the one before started. */
  const pump = useRef(async () => {
    if (state.pumping) return;
    state.pumping = true;
    try {
      while (state.queue.length) {
        const r = routingRef.current;
        if (state.busy && r.route() === null) {
          const next = r.nextModal?.();
          await Promise.race([state.busy, ...(next ? [next.opened] : [])]);
          next?.cancel();
        }
        let owner = r.route();
        // A modal opened by the key before draws (and registers its keys) on the next render: wait for it.
        for (let tries = 0; owner !== null && !handlers.current.has(owner) && tries < 200; tries++) {
          await new Promise((resolve) => setTimeout(resolve, tries < 20 ? 0 : 5));
          owner = r.route();
        }
        const [input, key] = state.queue.shift()!;
        let started: Promise<void> | undefined;
        if (owner === null) {
          started = r.fallback(input, key) ?? undefined;
        } else {
          handlers.current.get(owner)?.(input, key);
          // The key answered the modal: the command behind it goes on; the next key waits for it.
          if (r.route() !== owner) started = r.running?.();
        }
        if (started) {
          const mine = started
            .catch(() => undefined)
            .then(() => {
              if (state.busy === mine) state.busy = null;
            });
          state.busy = mine;
        }
      }
    } finally {
      state.pumping = false;
    }
  }).current;

  const take = (input: string, key: RoutedKey) => {
    noteKey();
    if (routingRef.current.first?.(input, key)) return;
    state.queue.push([input, key]);
  };

  // A stable handler reading refs: even a stale subscription routes with the current state.
  const onKey = useRef((input: string, key: Key) => {
    const raw = state.raw ?? input;
    state.raw = null;
    if (state.paste !== null) {
      const end = raw.indexOf(PASTE_END);
      if (end < 0) {
        state.paste += raw;
        return;
      }
      const text = state.paste + raw.slice(0, end);
      state.paste = null;
      take(text, { ...NO_KEY, paste: true });
    } else if (raw.startsWith(PASTE_START)) {
      state.paste = raw.slice(PASTE_START.length);
      return;
    } else if (!raw.startsWith('\u001b') && [...raw].length > 1) {
      for (const [i, k] of splitBurst(raw)) take(i, k);
    } else if (!raw.startsWith('\u001b') && raw.length >= 1 && input === '' && !Object.values(key).includes(true)) {
      // A single key Ink reports as nothing at all: take it from the raw character.
      for (const [i, k] of splitBurst(raw)) take(i, k);
    } else {
      take(input, key);
    }
    void pump();
  }).current;
  useInput(onKey);
  return registry;
}
