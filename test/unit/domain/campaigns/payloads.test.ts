import { ValidationError } from '../../../../lambdas/domain/errors';
import { parseMessage } from '../../../../lambdas/domain/campaigns/message';
import {
  apnsCategoryId,
  assertPayloadFits,
  MAX_PAYLOAD_BYTES,
  payloadSizes,
  renderSnsMessage,
  pushAttributes,
  ttlAttributes,
} from '../../../../lambdas/domain/campaigns/payloads';

const full = parseMessage({
  title: '24h only: 30% off 🎉',
  body: 'Your favourites are on sale. Tap to shop.',
  imageUrl: 'https://cdn.example.com/bf.jpg',
  deepLink: 'myshop://sale/bf',
  buttons: [
    { label: 'Shop Now', deepLink: 'myshop://sale/bf' },
    { label: 'Later', id: 'later' },
  ],
  data: { promo: 'BF30' },
  ttlSeconds: 3600,
});
const plain = parseMessage({ title: 'Hi', body: 'There' });

describe('renderSnsMessage: iOS', () => {
  it('puts the APNs payload as a JSON string under APNS', () => {
    const msg = renderSnsMessage(full, { campaignId: 'cmp_1', platform: 'ios' });
    expect(Object.keys(msg)).toEqual(['APNS']);
    const p = JSON.parse(msg.APNS!);
    expect(p.aps).toEqual({
      alert: { title: full.title, body: full.body },
      sound: 'default',
      'mutable-content': 1,
      category: apnsCategoryId(full.buttons!),
    });
    expect(p.campaignId).toBe('cmp_1');
    expect(p.deepLink).toBe('myshop://sale/bf');
    expect(p.imageUrl).toBe('https://cdn.example.com/bf.jpg');
    expect(p.data).toEqual({ promo: 'BF30' });
    expect(p.buttons).toEqual([
      { id: 'b1', label: 'Shop Now', deepLink: 'myshop://sale/bf' },
      { id: 'later', label: 'Later' },
    ]);
  });

  it('uses APNS_SANDBOX for sandbox endpoints', () => {
    expect(Object.keys(renderSnsMessage(plain, { campaignId: 'c', platform: 'ios', apnsSandbox: true }))).toEqual(['APNS_SANDBOX']);
  });

  it('omits mutable-content, category and optional keys when unused', () => {
    const p = JSON.parse(renderSnsMessage(plain, { campaignId: 'c', platform: 'ios' }).APNS!);
    expect(p).toEqual({ aps: { alert: { title: 'Hi', body: 'There' }, sound: 'default' }, campaignId: 'c' });
  });

  it('derives a stable category id from the buttons', () => {
    const again = parseMessage({ title: 'Other', body: 'text', buttons: full.buttons });
    expect(apnsCategoryId(again.buttons!)).toBe(apnsCategoryId(full.buttons!));
    expect(apnsCategoryId([{ label: 'Shop Now' }])).not.toBe(apnsCategoryId([{ label: 'Shop now' }]));
    expect(apnsCategoryId(full.buttons!)).toMatch(/^[A-Za-z0-9_]+$/);
  });
});

describe('renderSnsMessage: Android', () => {
  it('wraps an FCM v1 message in fcmV1Message under GCM, data values all strings', () => {
    const msg = renderSnsMessage(full, { campaignId: 'cmp_1', platform: 'android' });
    expect(Object.keys(msg)).toEqual(['GCM']);
    const p = JSON.parse(msg.GCM!);
    expect(p).toEqual({
      fcmV1Message: {
        message: {
          notification: { title: full.title, body: full.body, image: 'https://cdn.example.com/bf.jpg' },
          data: {
            promo: 'BF30',
            campaignId: 'cmp_1',
            deepLink: 'myshop://sale/bf',
            imageUrl: 'https://cdn.example.com/bf.jpg',
            buttons: JSON.stringify([
              { id: 'b1', label: 'Shop Now', deepLink: 'myshop://sale/bf' },
              { id: 'later', label: 'Later' },
            ]),
          },
          android: { ttl: '3600s', collapse_key: 'cmp_1' },
        },
      },
    });
    for (const v of Object.values(p.fcmV1Message.message.data)) expect(typeof v).toBe('string');
    expect(p.fcmV1Message.message.apns).toBeUndefined();
  });

  it('sets click_action only when the app asks for one', () => {
    const p = JSON.parse(renderSnsMessage(plain, { campaignId: 'c', platform: 'android', androidClickAction: 'OPEN_PUSH' }).GCM!);
    expect(p.fcmV1Message.message.android).toEqual({ ttl: '86400s', collapse_key: 'c', notification: { click_action: 'OPEN_PUSH' } });
    expect(p.fcmV1Message.message.notification).toEqual({ title: 'Hi', body: 'There' });
  });
});

describe('payload size', () => {
  it('measures the inner JSON strings in UTF-8 bytes', () => {
    const sizes = payloadSizes(full, 'cmp_1');
    const ios = renderSnsMessage(full, { campaignId: 'cmp_1', platform: 'ios' }).APNS!;
    const android = renderSnsMessage(full, { campaignId: 'cmp_1', platform: 'android' }).GCM!;
    expect(sizes).toEqual({ ios: Buffer.byteLength(ios), android: Buffer.byteLength(android) });
    // Multi-byte characters count as bytes, not characters.
    const emoji = parseMessage({ title: 'x', body: '🎉'.repeat(100) });
    expect(payloadSizes(emoji, 'c').ios - payloadSizes(parseMessage({ title: 'x', body: 'a'.repeat(100) }), 'c').ios).toBe(300);
  });

  it('passes a typical message', () => {
    expect(() => assertPayloadFits(full)).not.toThrow();
  });

  it('rejects a body that overflows both platforms with payload_too_large', () => {
    const big = parseMessage({ title: 'x'.repeat(100), body: 'ü'.repeat(2000) }); // 4100 bytes of text
    let err: unknown;
    try {
      assertPayloadFits(big, 'cmp_1');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ValidationError);
    const v = err as ValidationError;
    expect(v.code).toBe('payload_too_large');
    expect(v.details?.map((d) => d.message.split(' ')[0])).toEqual(['ios', 'android']);
  });

  it('fails when only one platform is over the limit, naming that platform', () => {
    // The button list is duplicated on Android (JSON string inside JSON: quotes escaped), so
    // buttons full of quotes grow the FCM payload faster than the APNs one. Pad the data until
    // Android is over and iOS still under.
    const buttons = [
      { label: '"'.repeat(40), deepLink: 'x:' + '"'.repeat(600) },
      { label: '"'.repeat(40), deepLink: 'x:' + '"'.repeat(600) },
    ];
    let pad = 0;
    let m = parseMessage({ title: 't', body: 'b', buttons, data: { pad: '' } });
    while (payloadSizes(m, 'cmp_1').android <= MAX_PAYLOAD_BYTES) {
      pad += 8;
      m = parseMessage({ title: 't', body: 'b', buttons, data: { pad: 'p'.repeat(pad) } });
    }
    const sizes = payloadSizes(m, 'cmp_1');
    expect(sizes.ios).toBeLessThanOrEqual(MAX_PAYLOAD_BYTES);
    expect(sizes.android).toBeGreaterThan(MAX_PAYLOAD_BYTES);
    expect(() => assertPayloadFits(m, 'cmp_1')).toThrow(
      expect.objectContaining({
        code: 'payload_too_large',
        details: [expect.objectContaining({ message: expect.stringMatching(/^android payload/) })],
      }),
    );
  });

  it('sizes with a worst-case campaign id when none is given yet', () => {
    expect(payloadSizes(plain).ios).toBeGreaterThan(payloadSizes(plain, 'c').ios);
  });
});

describe('pushAttributes', () => {
  it('adds the apns-collapse-id on iOS, so a push published again after a crash replaces the first', () => {
    expect(pushAttributes(full, 'ios', 'cmp_1')).toEqual({ 'AWS.SNS.MOBILE.APNS.TTL': '3600', 'AWS.SNS.MOBILE.APNS.COLLAPSE_ID': 'cmp_1' });
    expect(pushAttributes(full, 'android', 'cmp_1')).toEqual({ 'AWS.SNS.MOBILE.FCM.TTL': '3600' });
  });
});

describe('ttlAttributes', () => {
  it('names the SNS TTL attribute of each platform', () => {
    expect(ttlAttributes(full, 'ios')).toEqual({ 'AWS.SNS.MOBILE.APNS.TTL': '3600' });
    expect(ttlAttributes(full, 'ios', { apnsSandbox: true })).toEqual({ 'AWS.SNS.MOBILE.APNS_SANDBOX.TTL': '3600' });
    expect(ttlAttributes(full, 'android')).toEqual({ 'AWS.SNS.MOBILE.FCM.TTL': '3600' });
    expect(ttlAttributes({ ttlSeconds: 0 }, 'android')).toEqual({ 'AWS.SNS.MOBILE.FCM.TTL': '0' });
  });
});
