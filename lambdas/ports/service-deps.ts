/** Every port the service uses; each world's composition root builds one of these. */
import type { Clock } from './clock';
import type { DeviceStore } from './device-store';
import type { EndpointRegistry } from './endpoint-registry';
import type { EventLake } from './event-lake';
import type { QueryEngine } from './query-engine';
import type { TenantStore } from './tenant-store';

export interface ServiceDeps {
  clock: Clock;
  tenants: TenantStore;
  devices: DeviceStore;
  lake: EventLake;
  endpoints: EndpointRegistry;
  queryEngine: QueryEngine;
}
