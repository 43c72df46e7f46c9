/**
 * Live segment size: POSTs the unsaved definition ~400 ms after the last edit, ignores answers to
 * older edits, and follows a 202 by polling GET /v1/segment-estimates/{id} until it is done.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, errorText } from '../api/client';
import { estimatesApi } from '../api/endpoints';
import type { Estimate, EstimateSucceeded, SegmentDefinition } from '../api/types';

export interface EstimateState {
  estimate: EstimateSucceeded | null;
  pending: boolean;
  error: ApiError | null;
  /** The error as text (network or API). */
  errorText: string | null;
}

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    const t = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(t);
      reject(new DOMException('aborted', 'AbortError'));
    });
  });

/** Runs one estimate to its end (following 202 → poll). */
export async function runEstimate(
  body: SegmentDefinition | { segmentId: string },
  signal: AbortSignal,
  sampleSize = 0,
): Promise<Exclude<Estimate, { status: 'running' }>> {
  let est: Estimate = await estimatesApi.start(body, sampleSize, signal);
  let wait = 500;
  while (est.status === 'running') {
    await sleep(wait, signal);
    wait = Math.min(wait * 1.5, 3000);
    est = await estimatesApi.get(est.id, signal);
  }
  return est;
}

export function useEstimate(body: SegmentDefinition | { segmentId: string } | null, delayMs = 400, sampleSize = 0): EstimateState {
  const [state, setState] = useState<EstimateState>({ estimate: null, pending: false, error: null, errorText: null });
  const seq = useRef(0);
  const key = body ? JSON.stringify(body) : '';
  useEffect(() => {
    const mine = ++seq.current;
    if (!body) {
      // An incomplete definition has no size: a figure for an earlier one must not stay on screen.
      setState({ estimate: null, pending: false, error: null, errorText: null });
      return;
    }
    const ctrl = new AbortController();
    setState((s) => ({ ...s, pending: true }));
    const timer = setTimeout(() => {
      runEstimate(body, ctrl.signal, sampleSize).then(
        (estimate) => {
          if (mine !== seq.current) return; // a newer edit owns the panel now
          if (estimate.status === 'failed') {
            setState({ estimate: null, pending: false, error: null, errorText: estimate.error.message || 'The estimate failed.' });
          } else setState({ estimate, pending: false, error: null, errorText: null });
        },
        (err) => {
          if (mine !== seq.current || (err as Error)?.name === 'AbortError') return;
          setState({ estimate: null, pending: false, error: err instanceof ApiError ? err : null, errorText: errorText(err) });
        },
      );
    }, delayMs);
    return () => {
      clearTimeout(timer);
      ctrl.abort();
    };
    // The definition's JSON is the dependency: a new object with the same content is no change.
  }, [key, delayMs, sampleSize]);
  return state;
}
