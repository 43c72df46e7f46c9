import { ConflictError } from '../../../../lambdas/domain/errors';
import {
  assertCan,
  assertTransition,
  CAMPAIGN_STATUSES,
  canCancel,
  canDelete,
  canEdit,
  canLaunch,
  canPause,
  canResume,
  isTerminal,
} from '../../../../lambdas/domain/campaigns/lifecycle';

const allowed = (pred: (s: (typeof CAMPAIGN_STATUSES)[number]) => boolean) => CAMPAIGN_STATUSES.filter(pred);

describe('campaign lifecycle', () => {
  it('guards actions as API.md says', () => {
    expect(allowed(canEdit)).toEqual(['draft', 'scheduled', 'paused']);
    expect(allowed(canLaunch)).toEqual(['draft']);
    expect(allowed(canCancel)).toEqual(['scheduled', 'sending', 'active', 'paused']);
    expect(allowed(canPause)).toEqual(['active']);
    expect(allowed(canResume)).toEqual(['paused']);
    expect(allowed(canDelete)).toEqual(['draft', 'sent', 'cancelled', 'failed']);
    expect(allowed(isTerminal)).toEqual(['sent', 'cancelled', 'failed']);
  });

  it('allows the documented transitions', () => {
    for (const [from, to] of [
      ['draft', 'scheduled'],
      ['draft', 'sending'],
      ['scheduled', 'sending'],
      ['scheduled', 'cancelled'],
      ['sending', 'sent'],
      ['sending', 'cancelled'],
      ['sending', 'failed'],
      ['draft', 'active'],
      ['active', 'paused'],
      ['paused', 'active'],
      ['active', 'cancelled'],
      ['paused', 'cancelled'],
    ] as const) {
      expect(() => assertTransition(from, to)).not.toThrow();
    }
  });

  it('refuses others with ConflictError invalid_state', () => {
    for (const [from, to] of [
      ['sent', 'sending'],
      ['cancelled', 'scheduled'],
      ['draft', 'sent'],
      ['sending', 'draft'],
    ] as const) {
      expect(() => assertTransition(from, to)).toThrow(ConflictError);
    }
    try {
      assertTransition('sent', 'cancelled');
    } catch (e) {
      expect((e as ConflictError).code).toBe('invalid_state');
    }
  });

  it('assertCan names the action and status', () => {
    expect(() => assertCan('edit', 'sending')).toThrow(
      expect.objectContaining({ code: 'invalid_state', message: 'cannot edit a campaign in status sending' }),
    );
    expect(() => assertCan('delete', 'scheduled')).toThrow(ConflictError);
    expect(() => assertCan('cancel', 'sending')).not.toThrow();
  });
});
