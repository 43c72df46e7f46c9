import { graphemeLength, messageWarnings, parseMessage } from '../../../../lambdas/domain/campaigns/message';
import { apiExampleCampaign } from '../../../support/api-examples';
import { validationErrorOf } from '../../../support/errors';

const base = { title: 'Hello', body: 'World' };

const validationError = validationErrorOf;

describe('graphemeLength', () => {
  it.each([
    ['plain ASCII', 'abc', 3],
    ['an emoji (surrogate pair)', '🎉', 1],
    ['an emoji with skin tone', '👍🏽', 1],
    ['a ZWJ family', '👨‍👩‍👧‍👦', 1],
    ['a flag (regional indicators)', '🇫🇷', 1],
    ['a letter + combining mark', 'e\u0301', 1],
    ['a mix', 'Sale 🇫🇷👨‍👩‍👧‍👦 cafe\u0301!', 13],
    ['the empty string', '', 0],
  ])('counts %s', (_label, s, n) => {
    expect(graphemeLength(s)).toBe(n);
  });
});

describe('messageSchema', () => {
  it('defaults ttlSeconds to a day', () => {
    expect(parseMessage(base).ttlSeconds).toBe(86400);
  });

  it('accepts the API.md example', () => {
    const m = parseMessage(apiExampleCampaign.message);
    expect(m.buttons).toHaveLength(1);
  });

  it('counts the 200-character title limit in graphemes, not UTF-16 units', () => {
    // 200 families are 2200 UTF-16 units but 200 user-perceived characters.
    expect(() => parseMessage({ ...base, title: '👨‍👩‍👧‍👦'.repeat(200) })).not.toThrow();
    const e = validationError(() => parseMessage({ ...base, title: '🇫🇷'.repeat(201) }));
    expect(e.details).toEqual([{ path: 'message.title', message: 'must be at most 200 characters (got 201)' }]);
  });

  it('counts the 2000-character body limit in graphemes', () => {
    expect(() => parseMessage({ ...base, body: 'e\u0301'.repeat(2000) })).not.toThrow();
    expect(validationError(() => parseMessage({ ...base, body: 'x'.repeat(2001) })).details?.[0].path).toBe('message.body');
  });

  it('rejects empty and blank title/body', () => {
    const e = validationError(() => parseMessage({ title: '', body: '   ' }));
    expect(e.details?.map((d) => d.path)).toEqual(['message.title', 'message.body']);
  });

  it('requires https for imageUrl', () => {
    expect(() => parseMessage({ ...base, imageUrl: 'https://cdn.example.com/a.png' })).not.toThrow();
    for (const bad of ['http://cdn.example.com/a.png', 'ftp://x/y', 'cdn.example.com/a.png', 'https://']) {
      expect(validationError(() => parseMessage({ ...base, imageUrl: bad })).details?.[0].path).toBe('message.imageUrl');
    }
  });

  it('accepts any absolute URI as deepLink and rejects relative ones', () => {
    for (const ok of ['myshop://sale/bf', 'https://shop.example/p/1', 'mailto:a@b.c', 'x-app:open?id=1']) {
      expect(() => parseMessage({ ...base, deepLink: ok })).not.toThrow();
    }
    for (const bad of ['/sale/bf', 'sale', '1abc://x', 'myshop://with space', 'myshop://a\u0000b', '']) {
      expect(validationError(() => parseMessage({ ...base, deepLink: bad })).details?.[0].path).toBe('message.deepLink');
    }
  });

  it('allows at most two buttons with 1-40 character labels', () => {
    const b = { label: 'Go' };
    expect(() => parseMessage({ ...base, buttons: [b, b] })).not.toThrow();
    expect(validationError(() => parseMessage({ ...base, buttons: [b, b, b] })).details?.[0].path).toBe('message.buttons');
    expect(() => parseMessage({ ...base, buttons: [{ label: '🎉'.repeat(40) }] })).not.toThrow();
    const e = validationError(() => parseMessage({ ...base, buttons: [b, { label: 'x'.repeat(41), deepLink: 'nope' }] }));
    expect(e.details?.map((d) => d.path)).toEqual(['message.buttons[1].label', 'message.buttons[1].deepLink']);
  });

  it('takes string data values only and refuses reserved keys', () => {
    expect(() => parseMessage({ ...base, data: { promo: 'BF30', n: '1' } })).not.toThrow();
    expect(validationError(() => parseMessage({ ...base, data: { n: 1 } })).details?.[0].path).toBe('message.data.n');
    for (const key of ['campaignId', 'deepLink', 'buttons', 'from', 'google.x', 'gcm_x']) {
      expect(validationError(() => parseMessage({ ...base, data: { [key]: 'v' } })).details?.[0].path).toBe(`message.data.${key}`);
    }
  });

  it('bounds ttlSeconds to 0..28 days, integer', () => {
    expect(parseMessage({ ...base, ttlSeconds: 0 }).ttlSeconds).toBe(0);
    expect(parseMessage({ ...base, ttlSeconds: 2419200 }).ttlSeconds).toBe(2419200);
    for (const bad of [-1, 2419201, 1.5, '60']) {
      expect(validationError(() => parseMessage({ ...base, ttlSeconds: bad })).details?.[0].path).toBe('message.ttlSeconds');
    }
  });

  it('rejects unknown fields so typos like imageURL are not silently dropped', () => {
    expect(validationError(() => parseMessage({ ...base, imageURL: 'https://x.y/z' })).details?.map((d) => d.path)).toEqual([
      'message.imageURL',
    ]);
  });
});

describe('messageWarnings', () => {
  it('is empty at the limits (50 / 120)', () => {
    expect(messageWarnings({ title: 'x'.repeat(50), body: 'y'.repeat(120) })).toEqual([]);
  });

  it('warns at 51 title and 121 body characters, counted in graphemes', () => {
    const w = messageWarnings({ title: '🎉'.repeat(51), body: '🇫🇷'.repeat(121) });
    expect(w).toEqual([
      expect.objectContaining({ code: 'title_long', path: 'message.title', limit: 50, length: 51 }),
      expect.objectContaining({ code: 'body_long', path: 'message.body', limit: 120, length: 121 }),
    ]);
    expect(typeof w[0].message).toBe('string');
  });
});
