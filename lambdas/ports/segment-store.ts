/** Saved segments of a tenant (DynamoDB). Names are unique per tenant, case-insensitively. */
import type { Segment } from '../domain/segments/segment';

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export type SegmentWriteResult = 'ok' | 'name_taken' | 'version_mismatch' | 'not_found';

export interface SegmentStore {
  /** Store a new segment; 'name_taken' when another segment of the tenant has that name. */
  create(segment: Segment): Promise<SegmentWriteResult>;
  get(tenantId: string, id: string): Promise<Segment | undefined>;
  /** A page in creation order; the cursor is opaque. */
  list(tenantId: string, opts: { limit: number; cursor?: string }): Promise<Page<Segment>>;
  /** Every segment of the tenant (reference checks). */
  listAll(tenantId: string): Promise<Segment[]>;
  /** Replace a segment if its stored version is still `expectedVersion`. */
  update(next: Segment, expectedVersion: number): Promise<SegmentWriteResult>;
  /**
   * Latest write wins (no If-Match): replace description and definition and bump the version in one
   * atomic update, provided the segment still has this exact name. The new record, or undefined.
   */
  replaceDefinition(
    tenantId: string,
    id: string,
    name: string,
    fields: Pick<Segment, 'description' | 'match' | 'criteria' | 'updatedAt'>,
  ): Promise<Segment | undefined>;
  /** Delete if the stored version is still `expectedVersion`. */
  delete(tenantId: string, id: string, expectedVersion: number): Promise<SegmentWriteResult>;
}

/** A cursor a store could not read (400, not 500). */
export class InvalidCursorError extends Error {}
