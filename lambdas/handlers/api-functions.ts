/** The HTTP Lambda of each API function, built from the ports (used by the AWS entries and the local server). */
import type { ServiceDeps } from '../ports/service-deps';
import { campaignsHandler } from './campaigns';
import { devicesHandler } from './devices';
import { eventsHandler } from './events';
import type { ApiFunction } from '../domain/http/routes';
import { segmentsHandler } from './segments';
import { settingsHandler } from './settings';

type Handler = ReturnType<typeof devicesHandler>;

export function apiFunctions(deps: ServiceDeps): Record<ApiFunction, Handler> {
  return {
    devices: devicesHandler(deps),
    events: eventsHandler(deps),
    segments: segmentsHandler(deps),
    campaigns: campaignsHandler(deps),
    settings: settingsHandler(deps),
  };
}
