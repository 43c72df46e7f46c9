/** Locally there are no provider endpoints: the recording push gateway addresses devices by token. */
import type { EndpointRegistry } from '../../ports/endpoint-registry';

export const noEndpoints: EndpointRegistry = { ensureEndpoint: async () => null, deleteEndpoint: async () => undefined };
