/** Test helper: the example campaign body of API.md (POST /v1/campaigns). */
export const apiExampleCampaign = {
  name: 'Black Friday VIP',
  kind: 'campaign',
  segmentId: 'seg_123',
  message: {
    title: '24h only: 30% off 🎉',
    body: 'Your favourites are on sale. Tap to shop.',
    imageUrl: 'https://cdn.example.com/bf.jpg',
    deepLink: 'myshop://sale/bf',
    buttons: [{ label: 'Shop Now', deepLink: 'myshop://sale/bf' }],
    data: { promo: 'BF30' },
    ttlSeconds: 86400,
  },
  schedule: { type: 'at', at: '2026-12-01T09:00:00', timezone: 'America/New_York' },
};
