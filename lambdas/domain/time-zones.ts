/** IANA time zone checks, shared by device registration, schedules and settings. */
import { IANAZone } from 'luxon';

/** True for a valid IANA zone name such as America/New_York or UTC. */
export function isTimeZone(zone: string): boolean {
  return zone.length <= 64 && IANAZone.isValidZone(zone);
}
