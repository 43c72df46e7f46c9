/** The HTTP Lambda of each API function, built from the ports (used by the AWS entries and the local server). */
import type { ServiceDeps } from '../ports/service-deps';
import { devicesHandler } from './devices';
import { eventsHandler } from './events';
import type { ApiFunction } from './routes';

type Handler = ReturnType<typeof devicesHandler>;

export function apiFunctions(deps: ServiceDeps): Partial<Record<ApiFunction, Handler>> {
  return {
    devices: devicesHandler(deps),
    events: eventsHandler(deps),
  };
}
