/**
 * The frequency cap counts every push: every outcome is in the lake's deliveries table whether or not a cap is set (the wave reads each
 * device's pushes of the window from it), so a cap switched on
 * later sees the pushes of its window (a merchant saw campaign B reach all 583 devices again).
 */
import { offsetClock } from '../../lambdas/ports/clock';
import { countrySegment, outboxDevices, registerDevices, TestWorld, launchNow as launchNowOn, waitSent } from './harness';

describe('frequency cap switched on after a campaign', () => {
  const clock = offsetClock();
  const t = new TestWorld({ clock, queue: { concurrency: 4 } });
  const [shop] = t.tenants('cap-later-shop');
  const api = t.as(() => shop);
  const launchNow = (segmentId: string) => launchNowOn(t, shop, { segmentId });
  const sent = (id: string) => waitSent(t, shop, id, 30_000);

  t.forSuite();

  test('campaign A reaches a segment, then a cap of 1 / 24 h is set: campaign B reaches nobody', async () => {
    // 230 devices = three batches, so counting across batches is exercised too.
    const ids = Array.from({ length: 230 }, (_, i) => `cl-${String(i).padStart(3, '0')}`);
    await registerDevices(
      t,
      shop,
      ids.map((id) => [id, { country: 'PT' }]),
    );
    const seg = await countrySegment(t, shop, 'Portugal', ['PT']);

    const a = await launchNow(seg.id);
    const doneA = await sent(a);
    expect(await outboxDevices(t, shop, a)).toEqual(ids);
    expect(doneA.progress).toMatchObject({ targeted: 230, sent: 230, suppressed: 0 });

    clock.advance(60 * 60_000); // an hour later the merchant switches the cap on
    expect((await api('PUT', '/v1/settings', { frequencyCap: { maxPerDevice: 1, windowHours: 24 } })).status).toBe(200);
    const b = await launchNow(seg.id);
    const doneB = await sent(b);
    expect(await outboxDevices(t, shop, b)).toEqual([]);
    expect(doneB.progress).toMatchObject({
      targeted: 230,
      sent: 0,
      failed: 0,
      suppressed: 230,
      suppressedBy: { optedOut: 0, frequencyCap: 230, invalidToken: 0 },
    });

    // Once A's push leaves the window, the cap lets the next campaign through.
    clock.advance(24 * 60 * 60_000);
    const c = await launchNow(seg.id);
    expect((await sent(c)).progress).toMatchObject({ sent: 230, suppressed: 0 });
  });
});
