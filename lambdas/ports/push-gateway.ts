/** Delivery to a device (SNS platform endpoints in AWS; the recording outbox locally). */
import type { SnsMessage } from '../domain/campaigns/payloads';

export interface Push {
  tenantId: string;
  campaignId: string;
  deviceId: string;
  platform: 'ios' | 'android';
  token: string;
  endpointArn: string | null;
  /** The SNS `MessageStructure: json` message (keys APNS / APNS_SANDBOX / GCM). */
  message: SnsMessage;
  /** SNS message attributes such as TTLs. */
  attributes: Record<string, string>;
  /**
   * A test send (POST /v1/campaigns/{id}/test): not a delivery of the campaign, so `deliveryRecord`
   * must never answer `delivered` because of it (a crashed sender would otherwise skip that device).
   */
  test?: boolean;
  /**
   * Which delivery of the campaign this push is, when a campaign may push a device more than once: an
   * automated campaign pushes it once per occurrence, each in its own batch (the batch id). Absent for
   * campaigns (one delivery per device). `deliveryRecord` answers for the same delivery.
   */
  delivery?: string;
}

export type PushResult =
  | { outcome: 'sent'; providerId?: string }
  /** The provider says the token is dead (unregistered / endpoint disabled). */
  | { outcome: 'invalid_token'; reason: string }
  /** A permanent failure for this push. */
  | { outcome: 'failed'; reason: string };

/** Throttling or a provider 5xx that outlived the adapter's own retries: try the batch again later. */
export class TransientPushError extends Error {}

export interface PushGateway {
  send(push: Push): Promise<PushResult>;
  /**
   * After a sender crashed between publishing and recording, did this push go out? The local
   * gateway knows (it records every push); SNS cannot tell, so it answers 'unknown'.
   */
  deliveryRecord(
    tenantId: string,
    campaignId: string,
    deviceId: string,
    delivery?: string,
  ): Promise<'delivered' | 'not_delivered' | 'unknown'>;
}
