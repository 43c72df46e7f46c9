/**
 * The launch review: what "Send now" or "Schedule" is about to do, before anything is sent — audience and
 * its size, the schedule in words, the message, warnings, and the wave plan when the service offers one.
 * Confirm launches; Back (or Esc) returns to the composer with nothing sent.
 */
import { useState } from 'preact/hooks';
import type { Campaign, CampaignInput, MessageInput, Warning } from '../api/types';
import { ConfirmDialog } from '../components/modal';
import { fmtInt, fmtPercentValue } from '../lib/format';
import type { EstimateState } from '../segments/use-estimate';
import { adviceFor } from '../segments/advice';
import { scheduleInWords, scheduleWarnings } from './schedule-words';
import { WavePlanSlot } from './wave-plan';

interface Props {
  audienceName: string;
  segmentId: string | null;
  size: EstimateState;
  /** The one message; null when the campaign tests variants. */
  message: MessageInput | null;
  variants?: Campaign['variants'];
  /** The control group, in percent of the audience. */
  holdoutPercent?: number;
  /** A campaign's schedule (campaigns always have one; automations, which have none, are launched elsewhere). */
  schedule: NonNullable<CampaignInput['schedule']>;
  /** The saved campaign's warnings (long title or body). */
  warnings: Warning[];
  busy: boolean;
  onConfirm: () => void;
  onBack: () => void;
}

/** A message in a few lines: title, body, image, link, buttons. */
function MessageSummary({ message, testId }: { message: MessageInput; testId: string }) {
  const buttons = (message.buttons ?? []).filter((b) => b.label.trim());
  return (
    <div class="review-message" data-testid={testId}>
      <div class="strong">{message.title}</div>
      <div>{message.body}</div>
      {message.imageUrl && <div class="muted small ellipsis">Image: {message.imageUrl}</div>}
      {message.deepLink && <div class="muted small ellipsis">Opens: {message.deepLink}</div>}
      {buttons.length > 0 && <div class="muted small">Buttons: {buttons.map((b) => b.label).join(' · ')}</div>}
    </div>
  );
}

/** "45 %" of the whole audience for a variant's weight once the control group is taken out (one decimal at most). */
const shareOfAudience = (weight: number, holdout: number) => `${Math.round(weight * (100 - holdout)) / 100} %`;

export function LaunchReview(props: Props) {
  const { audienceName, segmentId, size, message, schedule, warnings, busy, onConfirm, onBack } = props;
  const variants = props.variants ?? [];
  const holdout = props.holdoutPercent ?? 0;
  // The plan's count of targeted devices sizes the control group; the audience estimate until it arrives.
  const [planned, setPlanned] = useState<number | null>(null);
  const now = new Date();
  const est = size.estimate;
  const advice = est && segmentId ? adviceFor(est.recommendation, est.matched) : null;
  const notes = [
    ...scheduleWarnings(schedule, now),
    ...(est && est.matched === 0
      ? ['No device matches this audience right now: nothing would be sent.']
      : advice && advice.tone !== 'ok'
        ? [`${advice.title}: ${advice.text}`]
        : []),
    ...warnings.map((w) => w.message),
  ];
  const sendNow = schedule.type === 'now';
  const base = planned ?? est?.matched ?? null;
  return (
    <ConfirmDialog
      title={sendNow ? 'Review and send' : 'Review and schedule'}
      confirmLabel={busy ? (sendNow ? 'Sending…' : 'Scheduling…') : sendNow ? 'Confirm and send' : 'Confirm schedule'}
      cancelLabel="Back"
      busy={busy}
      class="modal-wide review"
      onConfirm={onConfirm}
      onClose={onBack}
    >
      <dl class="kv" data-testid="launch-review">
        <dt>Audience</dt>
        <dd data-testid="review-audience">
          <strong>{audienceName}</strong>
          <div class="small">
            {est ? (
              <>
                ≈ {fmtInt(est.matched)} devices ({fmtPercentValue(est.percent)} of subscribers) right now
              </>
            ) : size.pending ? (
              'Counting…'
            ) : (
              <span class="muted">Size unavailable{size.errorText ? `: ${size.errorText}` : ''}</span>
            )}
          </div>
        </dd>
        <dt>When</dt>
        <dd data-testid="review-schedule">{scheduleInWords(schedule, now)}</dd>
        <WavePlanSlot segmentId={segmentId} schedule={schedule} onPlan={(p) => setPlanned(p.targeted)} />
        {variants.length > 0 ? (
          <>
            <dt>A/B test</dt>
            <dd data-testid="review-variants">
              {variants.map((v) => (
                <div class="review-variant" key={v.id} data-testid="review-variant" data-variant={v.id}>
                  <div class="small">
                    <strong>Variant {v.id}</strong>: {v.weight} % of the pushed devices
                    {holdout > 0 ? ` (${shareOfAudience(v.weight, holdout)} of the audience)` : ''}
                  </div>
                  <MessageSummary message={v.message} testId="review-message" />
                </div>
              ))}
            </dd>
          </>
        ) : (
          message && (
            <>
              <dt>Message</dt>
              <dd>
                <MessageSummary message={message} testId="review-message" />
              </dd>
            </>
          )
        )}
        {holdout > 0 && (
          <>
            <dt>Control group</dt>
            <dd data-testid="review-holdout">
              {holdout} % of the audience
              {base !== null && <> (≈ {fmtInt(Math.round((base * holdout) / 100))} devices)</>} gets no push; their purchases show whether
              the push made a difference.
            </dd>
          </>
        )}
      </dl>
      {notes.length > 0 && (
        <ul class="review-warnings small" data-testid="review-warnings">
          {notes.map((n) => (
            <li key={n}>{n}</li>
          ))}
        </ul>
      )}
    </ConfirmDialog>
  );
}
