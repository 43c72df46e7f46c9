/** The current time, refreshed every `everyMs` (for "in 3 min" labels that must not go stale). */
import { useEffect, useState } from 'preact/hooks';

export function useNow(everyMs = 30_000): Date {
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    const t = setInterval(() => setNow(new Date()), everyMs);
    return () => clearInterval(t);
  }, [everyMs]);
  return now;
}
