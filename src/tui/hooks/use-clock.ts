// The time the screen is drawn at: ages and SLA countdowns are shown to the minute, so it moves every
// 30 seconds, and at once after the console reloads data (a row just loaded is never "in the future").
import { useCallback, useEffect, useState } from 'react';
import type { ConsoleApi } from '../console-api.js';

export interface Clock {
  now: Date;
  /** Read the time again now (after a reload). */
  touch(): void;
}

export function useClock(api: ConsoleApi, everyMs = 30_000): Clock {
  const [now, setNow] = useState(() => api.now());
  const touch = useCallback(() => setNow(api.now()), [api]);
  useEffect(() => {
    const t = setInterval(touch, everyMs);
    return () => clearInterval(t);
  }, [touch, everyMs]);
  return { now, touch };
}
