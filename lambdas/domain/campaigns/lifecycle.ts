/**
 * Campaign status machine (API.md "Campaigns"): draft → scheduled → sending → sent, with cancelled
 * and failed as the other ends. Use cases ask here before acting so every 409 reads the same.
 */
import { ConflictError } from '../errors';

/** Every campaign status. */
export const CAMPAIGN_STATUSES = ['draft', 'scheduled', 'sending', 'sent', 'cancelled', 'failed', 'active', 'paused'] as const;
/** A campaign status. */
export type CampaignStatus = (typeof CAMPAIGN_STATUSES)[number];

/**
 * Allowed moves. draft → sending is a launch with `now`; scheduled → scheduled is a re-schedule
 * by PUT; scheduled → failed covers a wave that could not be planned or evaluated when it fired.
 * Automated campaigns: draft → active (launch) ⇄ paused, and cancelled from either.
 */
export const TRANSITIONS: Readonly<Record<CampaignStatus, readonly CampaignStatus[]>> = {
  draft: ['scheduled', 'sending', 'active'],
  active: ['paused', 'cancelled'],
  paused: ['active', 'paused', 'cancelled'],
  scheduled: ['scheduled', 'sending', 'cancelled', 'failed'],
  sending: ['sent', 'cancelled', 'failed'],
  sent: [],
  cancelled: [],
  failed: [],
};

/** True for a status no campaign ever leaves. */
export function isTerminal(status: CampaignStatus): boolean {
  return TRANSITIONS[status].length === 0;
}

/** True when `from` may move to `to`. */
export function canTransition(from: CampaignStatus, to: CampaignStatus): boolean {
  return TRANSITIONS[from].includes(to);
}

/** Throw ConflictError `invalid_state` unless `from` may move to `to`. */
export function assertTransition(from: CampaignStatus, to: CampaignStatus): void {
  if (!canTransition(from, to)) {
    throw new ConflictError('invalid_state', `a ${from} campaign cannot become ${to}`, { status: from, to });
  }
}

/** PUT is allowed in draft and scheduled (a scheduled one is re-scheduled), and on a paused automation. */
export function canEdit(status: CampaignStatus): boolean {
  return status === 'draft' || status === 'scheduled' || status === 'paused';
}

/** Launch is allowed from draft only. */
export function canLaunch(status: CampaignStatus): boolean {
  return status === 'draft';
}

/** Cancel is allowed while scheduled, and while sending (it stops what has not gone yet); an automation while active or paused. */
export function canCancel(status: CampaignStatus): boolean {
  return status === 'scheduled' || status === 'sending' || status === 'active' || status === 'paused';
}

/** Pause: an active automation. */
export function canPause(status: CampaignStatus): boolean {
  return status === 'active';
}

/** Resume: a paused automation. */
export function canResume(status: CampaignStatus): boolean {
  return status === 'paused';
}

/** Delete is allowed once nothing is pending: draft, cancelled, sent or failed. */
export function canDelete(status: CampaignStatus): boolean {
  return status === 'draft' || status === 'cancelled' || status === 'sent' || status === 'failed';
}

/** An action a merchant asks for on a campaign. */
export type CampaignAction = 'edit' | 'launch' | 'cancel' | 'delete' | 'pause' | 'resume';

const GUARDS: Record<CampaignAction, (s: CampaignStatus) => boolean> = {
  edit: canEdit,
  launch: canLaunch,
  cancel: canCancel,
  delete: canDelete,
  pause: canPause,
  resume: canResume,
};

/** Throw ConflictError `invalid_state` unless `action` is allowed in `status`. */
export function assertCan(action: CampaignAction, status: CampaignStatus): void {
  if (!GUARDS[action](status)) {
    throw new ConflictError('invalid_state', `cannot ${action} a campaign in status ${status}`, { status, action });
  }
}
