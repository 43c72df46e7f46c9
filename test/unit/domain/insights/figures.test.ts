import {
  campaignInsights,
  cents,
  engagementByCampaign,
  rate,
  summaryOf,
  timeline,
  timelineStart,
  TIMELINE_HOURS,
  type DeliveryFact,
  type EngagementRow,
  type InsightsInput,
} from '../../../../lambdas/domain/insights/figures';

const T0 = '2026-05-10T09:20:00.000Z';
const at = (minutes: number) => new Date(Date.parse(T0) + minutes * 60_000).toISOString();
// Devices i* were sent on iOS, a* on Android (the query gives each open/order its device's platform).
const platformOf = (deviceId: string) => (deviceId.startsWith('i') ? 'ios' : 'android');
const open = (deviceId: string, minutes: number, campaignId = 'c1'): EngagementRow => ({
  campaignId,
  kind: 'open',
  deviceId,
  platform: platformOf(deviceId),
  ts: at(minutes),
  orderId: null,
  amount: 0,
});
const order = (deviceId: string, orderId: string, amount: number, minutes: number): EngagementRow => ({
  campaignId: 'c1',
  kind: 'order',
  deviceId,
  platform: platformOf(deviceId),
  ts: at(minutes),
  orderId,
  amount,
});
const delivery = (
  platform: DeliveryFact['platform'],
  outcome: DeliveryFact['outcome'],
  reason: string | null,
  devices: number,
): DeliveryFact => ({ campaignId: 'c1', kind: 'delivery', platform, outcome, reason, devices });

// i1, i2 sent on iOS, i3 sent unconfirmed (still sent), a1 sent on Android, a2 failed, a3 capped,
// i4 with an invalid token, x1 opted out (platform unknown).
const deliveries: DeliveryFact[] = [
  delivery('ios', 'sent', null, 2),
  delivery('ios', 'sent', 'unconfirmed', 1),
  delivery('android', 'sent', null, 1),
  delivery('android', 'failed', 'boom', 1),
  delivery('android', 'suppressed', 'frequencyCap', 1),
  delivery('ios', 'suppressed', 'invalidToken', 1),
  delivery(null, 'suppressed', 'optedOut', 1),
  delivery('ios', 'suppressed', 'someFutureReason', 3), // a reason the API does not report: not counted
];

const base: InsightsInput = {
  campaignId: 'c1',
  targeted: 10,
  rows: deliveries,
  attributionWindowHours: 24,
  startedAt: T0,
  asOf: '2026-05-11T00:00:00.000Z',
};

describe('campaign insights', () => {
  test('delivery counters come from the delivery facts, by platform', () => {
    const i = campaignInsights(base);
    expect(i).toMatchObject({
      campaignId: 'c1',
      targeted: 10,
      sent: 4,
      failed: 1,
      suppressed: { optedOut: 1, frequencyCap: 1, invalidToken: 1 },
      opened: 0,
      openRate: 0,
      revenue: 0,
    });
    expect(i.byPlatform.ios).toMatchObject({ sent: 3, failed: 0, suppressed: { optedOut: 0, frequencyCap: 0, invalidToken: 1 } });
    expect(i.byPlatform.android).toMatchObject({ sent: 1, failed: 1, suppressed: { optedOut: 0, frequencyCap: 1, invalidToken: 0 } });
    expect(i.attributionWindowHours).toBe(24);
    expect(i.asOf).toBe('2026-05-11T00:00:00.000Z');
  });

  test('opens count devices once; conversions and revenue count each order once', () => {
    // Only sent devices' opens and orders come from the query (engagement-sql.test.ts proves that).
    const rows = [
      ...deliveries,
      open('i1', 5),
      open('i1', 7), // a later open of the same device
      open('i2', 70),
      open('a1', 30),
      order('i1', 'o1', 10.1, 20),
      order('i1', 'o2', 5.05, 40),
      order('a1', 'o3', 100, 90),
      order('a1', 'o1', 10.1, 95), // the same order reported again by another device: counted once
      order('a9', 'o9', 999, 20), // an order of a device without an open: not attributed
    ];
    const i = campaignInsights({ ...base, rows });
    expect(i).toMatchObject({ opened: 3, openRate: 0.75, conversions: 2, conversionRate: 0.5, revenue: 115.15 });
    expect(i.byPlatform.ios).toMatchObject({ opened: 2, openRate: 0.6667, conversions: 1, conversionRate: 0.3333, revenue: 15.15 });
    expect(i.byPlatform.android).toMatchObject({ opened: 1, openRate: 1, conversions: 1, conversionRate: 1, revenue: 100 });
    expect(summaryOf(i)).toEqual({ sent: 4, opened: 3, openRate: 0.75, conversions: 2, revenue: 115.15 });
  });

  test('the timeline counts first opens and first conversions per hour from the hour sending began', () => {
    const rows = [
      ...deliveries,
      open('i1', 5),
      open('i1', 50),
      open('i2', 41),
      open('a1', 60 * 80),
      order('i1', 'o1', 1, 45),
      order('i1', 'o2', 1, 100),
      order('i2', 'o3', 1, 41),
    ];
    const i = campaignInsights({ ...base, rows });
    expect(i.timeline).toHaveLength(TIMELINE_HOURS);
    expect(i.timeline[0]).toEqual({ hour: '2026-05-10T09:00:00.000Z', opens: 1, conversions: 0 });
    expect(i.timeline[1]).toEqual({ hour: '2026-05-10T10:00:00.000Z', opens: 1, conversions: 2 });
    expect(i.timeline.slice(2).every((p) => p.opens === 0 && p.conversions === 0)).toBe(true); // a1 opened after 72 h
    expect(i.opened).toBe(3);
  });

  test('rates are 4 decimals and 0 with nothing sent; money in cents', () => {
    expect(rate(1, 3)).toBe(0.3333);
    expect(rate(2, 3)).toBe(0.6667);
    expect(rate(5, 0)).toBe(0);
    expect(cents(0.1 + 0.2)).toBe(0.3);
    const none = campaignInsights({ ...base, rows: [] });
    expect(none).toMatchObject({ sent: 0, failed: 0, opened: 0, openRate: 0, conversionRate: 0, revenue: 0 });
  });

  test('timeline helpers', () => {
    expect(timelineStart('2026-05-10T09:59:59.999Z').toISOString()).toBe('2026-05-10T09:00:00.000Z');
    const t = timeline(
      new Date('2026-05-10T09:00:00.000Z'),
      ['2026-05-10T08:59:59.999Z', '2026-05-13T08:59:59.999Z', '2026-05-13T09:00:00.000Z'],
      [],
    );
    expect(t[71]).toEqual({ hour: '2026-05-13T08:00:00.000Z', opens: 1, conversions: 0 });
    expect(t.reduce((s, p) => s + p.opens, 0)).toBe(1);
  });
});

describe('insights rows', () => {
  const none = { device_id: null, platform: null, outcome: null, reason: null, devices: null, ts: null, order_id: null, amount: null };
  test('are grouped per campaign, their times normalised to ISO, unknown kinds and platforms dropped', () => {
    const grouped = engagementByCampaign([
      { ...none, campaign_id: 'c1', kind: 'delivery', platform: 'ios', outcome: 'sent', devices: 3 },
      { ...none, campaign_id: 'c1', kind: 'delivery', platform: 'web', outcome: 'suppressed', reason: 'optedOut', devices: 1 },
      { ...none, campaign_id: 'c1', kind: 'delivery', platform: 'ios', outcome: 'sending', devices: 1 },
      { ...none, campaign_id: 'c1', kind: 'open', device_id: 'd1', platform: 'ios', ts: '2026-05-10 09:00:00.123' },
      {
        ...none,
        campaign_id: 'c2',
        kind: 'order',
        device_id: 'd1',
        platform: 'android',
        ts: '2026-05-10T10:00:00.000Z',
        order_id: 'o1',
        amount: 12.5,
      },
      { ...none, campaign_id: 'c2', kind: 'bogus', device_id: 'd1', ts: '2026-05-10T10:00:00.000Z' },
      { ...none, campaign_id: 'c2', kind: 'open', device_id: null, ts: '2026-05-10T10:00:00.000Z' },
    ]);
    expect(grouped.get('c1')).toEqual([
      { campaignId: 'c1', kind: 'delivery', platform: 'ios', outcome: 'sent', reason: null, devices: 3 },
      { campaignId: 'c1', kind: 'delivery', platform: null, outcome: 'suppressed', reason: 'optedOut', devices: 1 },
      { campaignId: 'c1', kind: 'open', deviceId: 'd1', platform: 'ios', ts: '2026-05-10T09:00:00.123Z', orderId: null, amount: 0 },
    ]);
    expect(grouped.get('c2')).toEqual([
      { campaignId: 'c2', kind: 'order', deviceId: 'd1', platform: 'android', ts: '2026-05-10T10:00:00.000Z', orderId: 'o1', amount: 12.5 },
    ]);
  });
});
