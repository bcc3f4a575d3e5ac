// Repaint the whole screen: clear it, then have Ink write its last frame again in full
// (after $EDITOR, or Ctrl-L when something else scribbled on the terminal).
import { useStdout } from 'ink';
import { useCallback, useReducer } from 'react';

export function useRedraw(): () => void {
  const { stdout, write } = useStdout();
  const [, rerender] = useReducer((n: number) => n + 1, 0);
  return useCallback(() => {
    stdout.write('\u001b[H\u001b[2J');
    // Ink's write() erases its output, writes ours (nothing), and writes its frame again whole.
    write('');
    rerender();
  }, [stdout, write]);
}
