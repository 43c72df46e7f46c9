/**
 * The launch review's wave-plan slot: POST /v1/campaign-plans (API.md "Campaigns, continued") — the first
 * and last wave and what quiet hours and the frequency cap hold back. Where the service does not offer the
 * route yet (404/405) or the plan fails, the slot stays empty: the review never shows figures it was not given.
 */
import { useEffect, useState } from 'preact/hooks';
import { campaignsApi } from '../api/endpoints';
import type { CampaignInput, CampaignPlan } from '../api/types';
import { fmtInt } from '../lib/format';
import { fmtDay, relativeWords } from './schedule-words';
import { timePassedWords } from './waves';

/** `onPlan`: told the plan when it arrives (the launch review sizes the control group from its `targeted`). */
export function WavePlanSlot({
  segmentId,
  schedule,
  onPlan,
}: {
  segmentId: string | null;
  schedule: NonNullable<CampaignInput['schedule']>;
  onPlan?: (plan: CampaignPlan) => void;
}) {
  const [plan, setPlan] = useState<CampaignPlan | null>(null);
  const key = JSON.stringify([segmentId, schedule]);
  useEffect(() => {
    const ctrl = new AbortController();
    setPlan(null);
    campaignsApi.plan({ ...(segmentId ? { segmentId } : {}), schedule }, ctrl.signal).then(
      (p) => {
        if (ctrl.signal.aborted) return;
        setPlan(p);
        onPlan?.(p);
      },
      // 404/405: no plan service yet; any other failure: the review goes on without a plan rather than guessing one.
      () => undefined,
    );
    return () => ctrl.abort();
  }, [key]);
  if (!plan || (plan.waves.length === 0 && plan.timePassed === 0)) return <div data-testid="wave-plan-slot" hidden />;
  const waves = [...plan.waves].sort((a, b) => a.sendAt.localeCompare(b.sendAt));
  const first = waves[0];
  const last = waves[waves.length - 1];
  const skipped = timePassedWords(plan.timePassed, fmtInt);
  const now = new Date();
  const when = (iso: string) => `${fmtDay(new Date(iso), 'UTC')} UTC (${relativeWords(new Date(iso), now)})`;
  return (
    <div data-testid="wave-plan-slot">
      <dt>Waves</dt>
      <dd data-testid="wave-plan">
        {waves.length === 0 ? (
          <>No wave: the time has passed in every zone of this audience.</>
        ) : waves.length === 1 ? (
          <>
            One wave at {when(first.sendAt)}: {fmtInt(first.devices)} devices
          </>
        ) : (
          <>
            {fmtInt(waves.length)} waves. The first at {when(first.sendAt)}: {fmtInt(first.devices)} devices; the last at{' '}
            {when(last.sendAt)}: {fmtInt(last.devices)} devices.
          </>
        )}
        {skipped && (
          <div class="small" data-testid="wave-plan-skipped">
            {skipped}.
          </div>
        )}
        {(plan.heldByQuietHours > 0 || plan.overFrequencyCap > 0) && (
          <div class="muted small">
            {plan.heldByQuietHours > 0 && <>{fmtInt(plan.heldByQuietHours)} held until quiet hours end. </>}
            {plan.overFrequencyCap > 0 && <>{fmtInt(plan.overFrequencyCap)} over the frequency cap (not sent).</>}
          </div>
        )}
      </dd>
    </div>
  );
}
