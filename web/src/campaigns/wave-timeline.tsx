/**
 * The campaign page's wave timeline (issue 16 item 3): each wave of a launched campaign as a row — its zones,
 * when it goes out in the merchant's zone and in UTC, its devices, its status and how far off it is.
 * It re-renders with the campaign the page polls (use-campaign-poll.ts) and with the clock every 30 s.
 */
import type { Campaign } from '../api/types';
import { fmtInt } from '../lib/format';
import { useNow } from '../lib/use-now';
import { WAVE_STATUS_WORDS, waveRows, type WaveStatus } from './waves';

/** Wave states drawn with the campaign badges' colours: pending as scheduled, the rest as themselves. */
const BADGE: Record<WaveStatus, string> = { pending: 'scheduled', sending: 'sending', sent: 'sent', cancelled: 'cancelled' };

export function WaveTimeline({ campaign, merchantZone }: { campaign: Pick<Campaign, 'waves'>; merchantZone: string }) {
  const now = useNow();
  const rows = waveRows(campaign.waves, merchantZone, now);
  if (rows.length === 0) return null;
  return (
    <section class="card" aria-labelledby="waves-title" data-testid="wave-timeline">
      <div class="card-head">
        <h2 id="waves-title">Waves</h2>
        <span class="muted small">
          {rows.length === 1 ? 'One wave' : `${fmtInt(rows.length)} waves`} · times in {merchantZone === 'UTC' ? 'UTC' : 'your time zone'}
        </span>
      </div>
      <ol class="waves">
        {rows.map((r) => (
          <li key={r.id} class={`wave wave-${r.status}`} data-testid="wave-row" data-status={r.status}>
            <span class="wave-dot" aria-hidden="true" />
            <div class="wave-zones">
              <strong title={r.allZones} data-testid="wave-zones">
                {r.zones}
              </strong>
              {r.zones !== r.allZones && <span class="sr-only"> ({r.allZones})</span>}
              <div class="muted small">
                {r.devices === null ? 'Devices counted when it goes out' : `${fmtInt(r.devices)} ${r.devices === 1 ? 'device' : 'devices'}`}
              </div>
            </div>
            <div class="wave-time small">
              <div data-testid="wave-time">{r.merchantTime}</div>
              <div class="muted">{r.utcTime ? `${r.utcTime} · ${r.relative}` : r.relative}</div>
            </div>
            <span class={`badge badge-${BADGE[r.status]}`} data-testid="wave-status">
              {WAVE_STATUS_WORDS[r.status]}
            </span>
          </li>
        ))}
      </ol>
    </section>
  );
}
