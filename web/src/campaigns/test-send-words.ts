/** A test send's answer in words: "Sent to 2 devices; skipped d-9 (opted out)". Pure. */
import type { TestSendResult } from '../api/types';

type SkipReason = TestSendResult['skipped'][number]['reason'];

export const SKIP_REASON_WORDS: Record<SkipReason, string> = {
  notFound: 'no longer registered',
  optedOut: 'opted out',
  invalidToken: 'no longer reachable',
  failed: 'the push service refused it',
};

export function testSendSummary(r: TestSendResult, num: (n: number) => string = (n) => new Intl.NumberFormat('en-US').format(n)): string {
  // A campaign with variants: which ones each device got (all of them, one push each, or the one picked).
  const v = r.variants ?? [];
  const pushed = v.length === 1 ? ` (variant ${v[0]})` : v.length > 1 ? ` (variants ${v.join(', ')}, one push each)` : '';
  const sent = r.sent === 0 ? 'Nothing sent' : `Sent to ${num(r.sent)} ${r.sent === 1 ? 'device' : 'devices'}${pushed}`;
  if (r.skipped.length === 0) return sent;
  return `${sent}; skipped ${r.skipped.map((s) => `${s.deviceId} (${SKIP_REASON_WORDS[s.reason]})`).join(', ')}`;
}
