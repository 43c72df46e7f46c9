/** Tenant settings (frequency cap, quiet hours, attribution window, default time zone). */
import type { Settings } from '../domain/settings';

export interface SettingsStore {
  /** The stored settings, or the defaults when none were saved. */
  get(tenantId: string): Promise<Settings>;
  put(tenantId: string, settings: Settings): Promise<void>;
  /**
   * Take devices out of the test devices, changing nothing else: a settings change saved meanwhile
   * is kept (an erasure must not revert a merchant's edit).
   */
  removeTestDevices(tenantId: string, deviceIds: string[]): Promise<void>;
}
