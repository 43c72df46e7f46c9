/** The wave timeline and progress line in words (issue 16 item 3): pure functions of the campaign, now and the merchant's zone. */
import { progressWords, shortZones, timePassedWords, waveRows, whenIn, type CampaignWave } from '../../../web/src/campaigns/waves';
import type { Campaign } from '../../../web/src/api/types';

const now = new Date('2026-12-01T11:00:00Z'); // 20:00 in Tokyo, 12:00 in Berlin

function wave(p: Partial<CampaignWave> & Pick<CampaignWave, 'sendAt' | 'status'>): CampaignWave {
  return {
    id: `w-${p.sendAt}`,
    timezone: null,
    timezones: [],
    devices: null,
    fireAt: p.sendAt,
    intendedAt: p.sendAt,
    pastDue: false,
    targeted: 0,
    firedAt: null,
    ...p,
  };
}

const progress = (p: Partial<Campaign['progress']> = {}): Campaign['progress'] => ({
  targeted: 0,
  sent: 0,
  heldOut: 0,
  failed: 0,
  suppressed: 0,
  suppressedBy: { optedOut: 0, frequencyCap: 0, invalidToken: 0, timePassed: 0 },
  deferred: 0,
  ...p,
});

describe('shortZones', () => {
  it('names up to two cities and counts the rest', () => {
    expect(shortZones(['Asia/Tokyo', 'Asia/Seoul', 'Asia/Pyongyang', 'Pacific/Palau', 'Asia/Jayapura'])).toBe('Tokyo, Seoul +3 more');
    expect(shortZones(['Asia/Tokyo', 'Asia/Seoul'])).toBe('Tokyo, Seoul');
    expect(shortZones(['America/Argentina/Buenos_Aires'])).toBe('Buenos Aires');
    expect(shortZones(['UTC'])).toBe('UTC');
  });

  it('says "Every device" for a wave with no zone of its own (send now)', () => {
    expect(shortZones([])).toBe('Every device');
  });
});

describe('whenIn', () => {
  it('gives the wall-clock time and city, with the day when it is not today there', () => {
    expect(whenIn(new Date('2026-12-01T12:30:00Z'), 'Asia/Tokyo', now)).toBe('21:30 Tokyo');
    expect(whenIn(new Date('2026-12-02T00:00:00Z'), 'Asia/Tokyo', now)).toBe('Wed 2 Dec 09:00 Tokyo');
  });
});

describe('progressWords', () => {
  it('does not mislead on a local-time send: sent so far, and who waits in later waves (next at 09:00 Tokyo)', () => {
    const c = {
      status: 'sending' as const,
      progress: progress({ targeted: 198, sent: 198 }),
      waves: [
        wave({ sendAt: '2026-12-01T10:00:00Z', status: 'sent', timezones: ['Pacific/Auckland'], devices: 198 }),
        // Listed out of order on purpose: the next wave is the earliest pending one.
        wave({
          sendAt: '2026-12-02T08:00:00Z',
          status: 'pending',
          timezones: ['Europe/Berlin', 'Europe/Paris', 'Europe/Rome'],
          devices: 1_750,
        }),
        wave({ sendAt: '2026-12-02T00:00:00Z', status: 'pending', timezones: ['Asia/Tokyo', 'Asia/Seoul'], devices: 1_000 }),
      ],
    };
    expect(progressWords(c, now, 'Europe/Berlin').line).toBe(
      '198 sent · 2,750 waiting in 2 later waves (next at Wed 2 Dec 09:00 Tokyo, in 13 h)',
    );
  });

  it('says "waves" without "later" before any fired, and one wave "at" its time', () => {
    const scheduled = {
      status: 'scheduled' as const,
      progress: progress(),
      waves: [wave({ sendAt: '2026-12-01T12:00:00Z', status: 'pending', timezones: ['Asia/Tokyo'], devices: 40 })],
    };
    expect(progressWords(scheduled, now, 'UTC').line).toBe('0 sent · 40 waiting in 1 wave (at 21:00 Tokyo, in 1 h)');
  });

  it('does not invent a count for a now/at wave nobody has counted yet', () => {
    const at = {
      status: 'scheduled' as const,
      progress: progress(),
      waves: [wave({ sendAt: '2026-12-01T14:00:00Z', status: 'pending', timezones: ['America/New_York'], devices: null })],
    };
    expect(progressWords(at, now, 'UTC').line).toBe(
      '0 sent · 1 wave to go (at 09:00 New York, in 3 h; devices are counted when each goes out)',
    );
  });

  it('reads a now wave (no zone) in the merchant zone', () => {
    const c = { status: 'scheduled' as const, progress: progress(), waves: [wave({ sendAt: '2026-12-01T11:30:00Z', status: 'pending' })] };
    expect(progressWords(c, now, 'Europe/Berlin').line).toContain('at 12:30 Berlin, in 30 min');
  });

  it('shows failures, held-back devices, quiet hours and skipped zones only when there are some', () => {
    const c = {
      status: 'sending' as const,
      progress: progress({
        targeted: 4_000,
        sent: 1_131,
        failed: 2,
        suppressed: 47,
        suppressedBy: { optedOut: 5, frequencyCap: 2, invalidToken: 0, timePassed: 40 },
        deferred: 2_820,
      }),
      waves: [wave({ sendAt: '2026-12-01T10:00:00Z', status: 'sending', timezones: ['Europe/Berlin'], devices: 4_000 })],
    };
    const w = progressWords(c, now, 'UTC');
    expect(w.line).toBe('1,131 sent · 2 failed · 7 held back (frequency cap, opt-outs, unreachable)');
    expect(w.deferred).toBe("2,820 held by quiet hours until they end in each device's zone");
    expect(w.timePassed).toBe('40 devices skipped: the time had passed in their zone');
    const quiet = progressWords({ ...c, progress: progress({ sent: 10, targeted: 10 }) }, now, 'UTC');
    expect(quiet).toEqual({ line: '10 sent', deferred: null, timePassed: null });
  });

  it('lists nobody as waiting once the campaign stopped (cancelled waves are not "later waves")', () => {
    const c = {
      status: 'cancelled' as const,
      progress: progress({ sent: 5, targeted: 5 }),
      waves: [wave({ sendAt: '2026-12-02T00:00:00Z', status: 'pending', timezones: ['Asia/Tokyo'], devices: 9 })],
    };
    expect(progressWords(c, now, 'UTC').line).toBe('5 sent');
  });

  it('uses the number format it is given', () => {
    const c = { status: 'sent' as const, progress: progress({ sent: 12_345, targeted: 12_345 }), waves: [] };
    expect(progressWords(c, now, 'UTC', (n) => n.toLocaleString('de-DE')).line).toBe('12.345 sent');
  });
});

describe('timePassedWords', () => {
  it('is null for none, singular for one', () => {
    expect(timePassedWords(0)).toBeNull();
    expect(timePassedWords(1)).toBe('1 device skipped: the time had passed in their zone');
    expect(timePassedWords(1_200)).toBe('1,200 devices skipped: the time had passed in their zone');
  });
});

describe('waveRows', () => {
  it('sorts by send time and gives the time in the merchant zone and in UTC, with the day when UTC is on another', () => {
    const rows = waveRows(
      [
        wave({ id: 'b', sendAt: '2026-12-01T23:30:00Z', status: 'pending', timezones: ['America/New_York'], devices: 3 }),
        wave({
          id: 'a',
          sendAt: '2026-12-01T10:00:00Z',
          status: 'sent',
          timezones: ['Asia/Tokyo', 'Asia/Seoul', 'Asia/Pyongyang'],
          devices: 7,
        }),
      ],
      'Europe/Berlin',
      now,
    );
    expect(rows.map((r) => r.id)).toEqual(['a', 'b']);
    expect(rows[0]).toMatchObject({
      zones: 'Tokyo, Seoul +1 more',
      allZones: 'Asia/Tokyo, Asia/Seoul, Asia/Pyongyang',
      merchantTime: 'Tue 1 Dec 11:00 Berlin time',
      utcTime: '10:00 UTC',
      devices: 7,
      status: 'sent',
      relative: '1 h ago',
    });
    // 00:30 in Berlin on Wed 2 Dec is still Tue 1 Dec in UTC.
    expect(rows[1]).toMatchObject({ merchantTime: 'Wed 2 Dec 00:30 Berlin time', utcTime: 'Tue 1 Dec 23:30 UTC', relative: 'in 13 h' });
  });
});

test('waveRows says UTC once when the merchant zone is UTC', () => {
  const [row] = waveRows([wave({ sendAt: '2026-12-01T12:00:00Z', status: 'pending', timezones: ['Asia/Tokyo'] })], 'UTC', now);
  expect(row).toMatchObject({ merchantTime: 'Tue 1 Dec 12:00 UTC', utcTime: null, relative: 'in 1 h' });
});
