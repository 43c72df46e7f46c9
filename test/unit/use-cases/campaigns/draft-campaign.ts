/** Test helper: the draft campaign the launch tests start from. */
import type { Campaign } from '../../../../lambdas/domain/campaigns/campaign-record';
import { campaign } from '../delivery/wave-fakes';

/** Draft `cmp_1` ("BF" of tenant acme, message "Sale"/"Now on"), created and updated `at`, never launched; `extra` sets the rest. */
export function draftCampaign(at: string, extra: Partial<Campaign>): Campaign {
  return campaign({
    id: 'cmp_1',
    tenantId: 'acme',
    name: 'BF',
    message: { title: 'Sale', body: 'Now on' } as Campaign['message'],
    status: 'draft',
    createdAt: at,
    updatedAt: at,
    launchedAt: null,
    waves: {},
    wavesPending: 0,
    ...extra,
  });
}
