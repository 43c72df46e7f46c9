/* eslint-disable @typescript-eslint/no-require-imports -- the composition root is loaded after the environment is set */
/** The trigger's view of the account-wide ceiling: MAX_SENDS_PER_SECOND (set by CDK with the queue grant) as pushes a minute. */
import type { ServiceDeps } from '../../../lambdas/ports/service-deps';

function depsWith(env: Record<string, string | undefined>): ServiceDeps {
  const saved = { ...process.env };
  try {
    for (const [k, v] of Object.entries(env)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    let deps: ServiceDeps | undefined;
    jest.isolateModules(() => {
      deps = (require('../../../lambdas/composition/aws') as typeof import('../../../lambdas/composition/aws')).awsDeps();
    });
    return deps!;
  } finally {
    process.env = saved;
  }
}

describe('sendCeilingPerMinute', () => {
  it('is MAX_SENDS_PER_SECOND × 60', () => {
    expect(depsWith({ MAX_SENDS_PER_SECOND: '1200' }).sendCeilingPerMinute).toBe(72_000);
  });

  it('is null when the function was given no ceiling', () => {
    expect(depsWith({ MAX_SENDS_PER_SECOND: undefined }).sendCeilingPerMinute).toBeNull();
  });

  it('refuses a value that is not a whole number', () => {
    expect(() => depsWith({ MAX_SENDS_PER_SECOND: '12.5' })).toThrow(/MAX_SENDS_PER_SECOND/);
  });
});
