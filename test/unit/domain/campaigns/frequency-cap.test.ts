import {
  applyFrequencyCap,
  MAX_CAP_PER_DEVICE,
  MAX_CAP_WINDOW_HOURS,
  trimSendHistory,
} from '../../../../lambdas/domain/campaigns/frequency-cap';

const now = new Date('2026-12-01T12:00:00.000Z');
const hoursAgo = (h: number) => new Date(now.getTime() - h * 3_600_000).toISOString();
const cap = { maxPerDevice: 2, windowHours: 24 };

describe('applyFrequencyCap', () => {
  it('allows under the cap and records now', () => {
    const d = applyFrequencyCap([hoursAgo(1)], now, cap);
    expect(d).toEqual({ allowed: true, countInWindow: 1, sentAt: [hoursAgo(1), now.toISOString()] });
  });

  it('refuses at the cap and stores the list unchanged', () => {
    const d = applyFrequencyCap([hoursAgo(23), hoursAgo(1)], now, cap);
    expect(d.allowed).toBe(false);
    expect(d.countInWindow).toBe(2);
    expect(d.sentAt).toEqual([hoursAgo(23), hoursAgo(1)]);
  });

  it('slides the window: a send exactly windowHours ago no longer counts', () => {
    expect(applyFrequencyCap([hoursAgo(24), hoursAgo(1)], now, cap).allowed).toBe(true);
    expect(applyFrequencyCap([hoursAgo(23.99), hoursAgo(1)], now, cap).allowed).toBe(false);
  });

  it('keeps up to 720 h of history (so a wider cap later still sees it) and drops garbage', () => {
    const d = applyFrequencyCap([hoursAgo(800), 'not a date', hoursAgo(100), hoursAgo(2)], now, cap);
    expect(d.sentAt).toEqual([hoursAgo(100), hoursAgo(2), now.toISOString()]);
  });

  it('with no cap always allows, bounded to the last 100 sends', () => {
    const many = Array.from({ length: 150 }, (_, i) => hoursAgo(i + 1));
    const d = applyFrequencyCap(many, now, null);
    expect(d.allowed).toBe(true);
    expect(d.sentAt).toHaveLength(100);
    expect(d.sentAt[99]).toBe(now.toISOString());
  });

  it('counts future timestamps (clock skew between senders)', () => {
    const future = new Date(now.getTime() + 60_000).toISOString();
    expect(applyFrequencyCap([future, hoursAgo(1)], now, cap).allowed).toBe(false);
  });
});

describe('trimSendHistory', () => {
  const t0 = new Date('2026-06-01T12:00:00Z');
  const at = (hoursAgo: number) => new Date(t0.getTime() - hoursAgo * 3_600_000).toISOString();
  test('keeps what any allowed cap could count: the longest window, the largest count, oldest first', () => {
    const sends = [
      { campaignId: 'old', at: at(MAX_CAP_WINDOW_HOURS) },
      { campaignId: 'b', at: at(1) },
      { campaignId: 'a', at: at(700) },
    ];
    expect(trimSendHistory(sends, t0).map((s) => s.campaignId)).toEqual(['a', 'b']);
    const many = Array.from({ length: MAX_CAP_PER_DEVICE + 30 }, (_, i) => ({ campaignId: `c${i}`, at: at(i / 10) }));
    const kept = trimSendHistory(many, t0);
    expect(kept).toHaveLength(MAX_CAP_PER_DEVICE);
    expect(kept.at(-1)!.campaignId).toBe('c0');
  });
});
