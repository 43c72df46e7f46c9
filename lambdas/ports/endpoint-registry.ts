/** Provider endpoints for device tokens (SNS platform endpoints in AWS; nothing to do locally). */
import type { Device } from '../domain/devices/device';

export interface EndpointRegistry {
  /** Create or update (and re-enable) the endpoint for the device's current token; returns its id, or null when not applicable. */
  ensureEndpoint(device: Device): Promise<string | null>;
  /** Delete the device's provider endpoint (deletion, erasure); no-op when it has none or it is gone already. */
  deleteEndpoint(device: Device): Promise<void>;
}
