/** Appends rows to the event lake (locally files under .data/lake; in AWS Firehose → S3 Parquet). */
import type { DeliveryRow, DeviceRow, EventRow } from '../domain/lake-schema';

export interface EventLake {
  /** Durably append events; resolves only when they will not be lost. */
  appendEvents(tenantId: string, rows: EventRow[]): Promise<void>;
  /** Durably append device registration snapshots. */
  appendDevices(tenantId: string, rows: DeviceRow[]): Promise<void>;
  /** Durably append the outcomes of one chunk of a campaign's devices (the deliveries table). */
  appendDeliveries(tenantId: string, rows: DeliveryRow[]): Promise<void>;
}
