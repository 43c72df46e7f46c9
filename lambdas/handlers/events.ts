/** Lambda `events`: the mobile SDK reports app events in batches. */
import { ingestEvents, type IngestEventsDeps } from '../use-cases/events/ingest-events';
import { httpApi } from './http/http-api';
import { ok } from './http/types';

export function eventsHandler(deps: IngestEventsDeps) {
  return httpApi({
    'POST /v1/events': async (req) => ok(await ingestEvents(deps, { tenantId: req.tenantId, body: req.body })),
  });
}
