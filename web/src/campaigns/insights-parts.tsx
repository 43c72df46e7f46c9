/** Pieces a campaign's insights page and an automation's insights card share. */
import { useEffect } from 'preact/hooks';
import type { Insights, InsightsRunning } from '../api/types';

/** The 202 answer: the engine is still counting (Athena); the page asks again shortly. */
export const isRunning = (a: Insights | InsightsRunning): a is InsightsRunning => 'status' in a && a.status === 'running';
const RUNNING_RETRY_MS = 3000;

/** While the engine is still counting, ask again shortly (re-armed with each new answer). */
export function useRetryWhileCounting(counting: boolean, reload: () => void, answer: unknown): void {
  useEffect(() => {
    if (!counting) return;
    const t = setTimeout(reload, RUNNING_RETRY_MS);
    return () => clearTimeout(t);
  }, [answer]);
}

/** What shows instead of the figures while they are counted. */
export function CountingNote() {
  return (
    <p class="muted" data-testid="insights-counting">
      Counting opens and conversions… the figures appear here in a few seconds.
    </p>
  );
}

/** One figure with its label and an optional line below. */
export function Stat({ id, label, value, sub }: { id: string; label: string; value: string; sub?: string }) {
  return (
    <div class="stat" data-testid={`stat-${id}`}>
      <div class="stat-label">{label}</div>
      <div class="stat-value">{value}</div>
      {sub && <div class="stat-sub muted small">{sub}</div>}
    </div>
  );
}
