// Ink turns every line of every frame into styled characters, and keeps that work in a cache that
// lives for one frame only: moving the cursor re-tokenizes the ~40 lines that did not change (most of
// a frame's cost). This keeps the cache across frames, bounded. The lines' styled characters are only
// read afterwards, so sharing them is safe. It reaches into Ink's build, so it checks the shape first
// and does nothing if a future Ink differs.
// Imported by file path, not through ink's package exports, so that the bundle (and vitest) get the very
// module instance Ink itself renders with; a copy loaded any other way would be patched in vain.
import InkOutput from '../../node_modules/ink/build/output.js';

type Caches = { getStyledChars(line: string): unknown; getStringWidth(text: string): number };

export async function shareInkLineCache(limit = 5000): Promise<boolean> {
  try {
    const Output = InkOutput as unknown as new (o: { width: number; height: number }) => { caches?: Caches };
    const probe = new Output({ width: 1, height: 1 });
    const proto = probe.caches && (Object.getPrototypeOf(probe.caches) as Caches);
    if (!proto || typeof proto.getStyledChars !== 'function' || typeof proto.getStringWidth !== 'function') return false;
    const styled = proto.getStyledChars;
    const width = proto.getStringWidth;
    const chars = new Map<string, unknown>();
    const widths = new Map<string, number>();
    proto.getStyledChars = function (this: Caches, line: string) {
      let v = chars.get(line);
      if (v === undefined) {
        v = styled.call(this, line);
        if (chars.size >= limit) chars.clear();
        chars.set(line, v);
      }
      return v;
    };
    proto.getStringWidth = function (this: Caches, text: string) {
      let v = widths.get(text);
      if (v === undefined) {
        v = width.call(this, text);
        if (widths.size >= limit) widths.clear();
        widths.set(text, v);
      }
      return v;
    };
    return true;
  } catch {
    return false;
  }
}
