// The status bar's message: the result of the last action, with a tone for its colour.
import { useCallback, useMemo, useState } from 'react';

export type Tone = 'info' | 'ok' | 'warn' | 'error';

export interface StatusMessage {
  text: string;
  tone: Tone;
}

export interface StatusController {
  message: StatusMessage | null;
  say(text: string, tone?: Tone): void;
  clear(): void;
}

export function useStatus(): StatusController {
  const [message, setMessage] = useState<StatusMessage | null>(null);
  const say = useCallback((text: string, tone: Tone = 'info') => setMessage({ text, tone }), []);
  const clear = useCallback(() => setMessage(null), []);
  return useMemo(() => ({ message, say, clear }), [message, say, clear]);
}
