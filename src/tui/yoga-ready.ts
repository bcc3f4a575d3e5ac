// Resolves when Ink's layout engine (Yoga, WebAssembly) is loaded. Run from source, yoga-layout loads
// itself with a top-level await, so it already is; the CommonJS bundle replaces this module with one
// that loads it here (scripts/yoga-cjs.mjs).
export function yogaReady(): Promise<void> {
  return Promise.resolve();
}
