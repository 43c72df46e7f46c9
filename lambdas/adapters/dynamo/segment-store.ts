/**
 * Segments in the records table. A name is claimed by its own item (SEGNAME#<lower-case name>) with a
 * conditional put, which keeps names unique per tenant without transactions. A claim left behind by a
 * crash (its segment gone or renamed) is recognised as stale and taken over.
 */
import type { Segment } from '../../domain/segments/segment';
import type { Page, SegmentStore, SegmentWriteResult } from '../../ports/segment-store';
import { decodeCursor, encodeCursor } from './cursor';
import { keys } from './keys';
import { withoutKeys, type DynamoTable } from './table';

export class DynamoSegmentStore implements SegmentStore {
  constructor(private readonly table: DynamoTable) {}

  async create(segment: Segment): Promise<SegmentWriteResult> {
    if (!(await this.claimName(segment.tenantId, segment.name, segment.id))) return 'name_taken';
    await this.table.put(
      { ...keys.segment(segment.tenantId, segment.id), ...segment },
      { ConditionExpression: 'attribute_not_exists(pk)' },
    );
    return 'ok';
  }

  async get(tenantId: string, id: string): Promise<Segment | undefined> {
    const item = await this.table.get(keys.segment(tenantId, id));
    return item ? withoutKeys<Segment>(item) : undefined;
  }

  async list(tenantId: string, opts: { limit: number; cursor?: string }): Promise<Page<Segment>> {
    const pk = keys.tenantItems(tenantId);
    const page = await this.table.queryPage({
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :p)',
      ExpressionAttributeValues: { ':pk': pk, ':p': 'SEG#' },
      Limit: opts.limit,
      ExclusiveStartKey: decodeCursor(opts.cursor, pk, 'SEG#'),
    });
    return { items: page.items.map((i) => withoutKeys<Segment>(i)), nextCursor: encodeCursor(page.lastKey) };
  }

  async listAll(tenantId: string): Promise<Segment[]> {
    const items = await this.table.queryAll({
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :p)',
      ExpressionAttributeValues: { ':pk': keys.tenantItems(tenantId), ':p': 'SEG#' },
    });
    return items.map((i) => withoutKeys<Segment>(i));
  }

  async update(next: Segment, expectedVersion: number): Promise<SegmentWriteResult> {
    const current = await this.get(next.tenantId, next.id);
    if (!current) return 'not_found';
    if (current.version !== expectedVersion) return 'version_mismatch';
    const renamed = norm(current.name) !== norm(next.name);
    if (renamed && !(await this.claimName(next.tenantId, next.name, next.id))) return 'name_taken';
    const ok = await this.table.put(
      { ...keys.segment(next.tenantId, next.id), ...next },
      { ConditionExpression: 'version = :v', ExpressionAttributeValues: { ':v': expectedVersion } },
    );
    if (!ok) {
      if (renamed) await this.releaseName(next.tenantId, next.name, next.id);
      return 'version_mismatch';
    }
    if (renamed) await this.releaseName(next.tenantId, current.name, next.id);
    return 'ok';
  }

  async replaceDefinition(
    tenantId: string,
    id: string,
    name: string,
    fields: Pick<Segment, 'description' | 'match' | 'criteria' | 'updatedAt'>,
  ): Promise<Segment | undefined> {
    const item = await this.table.update({
      Key: keys.segment(tenantId, id),
      UpdateExpression: 'SET description = :d, #match = :m, criteria = :c, updatedAt = :u ADD version :one',
      ConditionExpression: 'attribute_exists(pk) AND #name = :name',
      ExpressionAttributeNames: { '#match': 'match', '#name': 'name' },
      ExpressionAttributeValues: {
        ':d': fields.description,
        ':m': fields.match,
        ':c': fields.criteria,
        ':u': fields.updatedAt,
        ':one': 1,
        ':name': name,
      },
    });
    return item ? withoutKeys<Segment>(item) : undefined;
  }

  async delete(tenantId: string, id: string, expectedVersion: number): Promise<SegmentWriteResult> {
    const current = await this.get(tenantId, id);
    if (!current) return 'not_found';
    const ok = await this.table.delete(keys.segment(tenantId, id), {
      ConditionExpression: 'version = :v',
      ExpressionAttributeValues: { ':v': expectedVersion },
    });
    if (!ok) return 'version_mismatch';
    await this.releaseName(tenantId, current.name, id);
    return 'ok';
  }

  private async claimName(tenantId: string, name: string, segmentId: string): Promise<boolean> {
    const key = keys.segmentName(tenantId, name);
    if (
      await this.table.put(
        { ...key, segmentId },
        { ConditionExpression: 'attribute_not_exists(pk) OR segmentId = :me', ExpressionAttributeValues: { ':me': segmentId } },
      )
    ) {
      return true;
    }
    const claim = await this.table.get(key);
    if (!claim) return this.claimName(tenantId, name, segmentId);
    const holder = await this.get(tenantId, claim.segmentId);
    if (holder && norm(holder.name) === norm(name)) return false;
    // Stale: its segment is gone or was renamed. Take it over, unless someone else just did.
    return this.table.put(
      { ...key, segmentId },
      { ConditionExpression: 'segmentId = :stale', ExpressionAttributeValues: { ':stale': claim.segmentId } },
    );
  }

  private async releaseName(tenantId: string, name: string, segmentId: string): Promise<void> {
    await this.table.delete(keys.segmentName(tenantId, name), {
      ConditionExpression: 'segmentId = :me',
      ExpressionAttributeValues: { ':me': segmentId },
    });
  }
}

function norm(name: string): string {
  return name.trim().toLowerCase();
}
