/** The trigger handler gives the use case its Lambda's clock: short of time, the wave goes on in a continuation. */
import type { Context } from 'aws-lambda';
import { triggerHandler, YIELD_MARGIN_MS } from '../../../lambdas/handlers/trigger';
import { TRIGGER, world } from '../use-cases/delivery/wave-fakes';

const contextLeft = (ms: () => number) => ({ getRemainingTimeInMillis: ms }) as unknown as Context;

test('with time to spare the whole wave is enqueued in one invocation', async () => {
  const w = world(3000);
  await triggerHandler(w.deps)(
    TRIGGER,
    contextLeft(() => 600_000),
  );
  expect(w.continuations).toEqual([]);
  expect(w.campaigns.c.waves.now.status).toBe('enqueued');
});

test('near its timeout the trigger invokes itself with the same wave and returns', async () => {
  const w = world(3000);
  // Time runs short once two pages are enqueued.
  await triggerHandler(w.deps)(
    TRIGGER,
    contextLeft(() => (w.campaigns.c.waves.now.pages >= 2 ? YIELD_MARGIN_MS - 1 : 600_000)),
  );
  expect(w.continuations).toEqual([TRIGGER]);
  expect(w.campaigns.c.waves.now).toMatchObject({ status: 'firing', pages: 2 });
  await triggerHandler(w.deps)(
    w.continuations[0],
    contextLeft(() => 600_000),
  );
  expect(w.campaigns.c.waves.now).toMatchObject({ status: 'enqueued', targeted: 3000 });
  expect(w.engine.queries).toHaveLength(1);
});
