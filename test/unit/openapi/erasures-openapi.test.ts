/** The deletion and erasure operations are documented with the bodies the use cases really take and return. */
import type { z } from 'zod';
import { erasureView, type Erasure, type ErasureStatus } from '../../../lambdas/domain/lake/erasure';
import { buildOpenApiDocument } from '../../../lambdas/domain/openapi/document';
import { ERASURE_STATUSES, erasureSchema } from '../../../lambdas/domain/openapi/erasures';

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const statusesFit: Same<(typeof ERASURE_STATUSES)[number], ErasureStatus> = true;

const doc = buildOpenApiDocument() as any;
const at = '2026-06-01T12:00:00.000Z';

test('the documented statuses are exactly the erasure statuses', () => {
  expect(statusesFit).toBe(true);
});

test('POST /v1/erasures, GET /v1/erasures/{id} and DELETE /v1/devices/{deviceId} reference their schemas and statuses', () => {
  const post = doc.paths['/v1/erasures'].post;
  expect(post.requestBody.content['application/json'].schema).toEqual({ $ref: '#/components/schemas/ErasureRequest' });
  expect(post.responses['202'].content['application/json'].schema).toEqual({ $ref: '#/components/schemas/Erasure' });
  expect(Object.keys(post.responses)).toEqual(expect.arrayContaining(['202', '400', '401']));
  expect(post.security).toEqual([{ merchantJwt: [] }]);
  const get = doc.paths['/v1/erasures/{id}'].get;
  expect(get.responses['200'].content['application/json'].schema).toEqual({ $ref: '#/components/schemas/Erasure' });
  expect(Object.keys(get.responses)).toEqual(expect.arrayContaining(['200', '400', '401', '404']));
  const del = doc.paths['/v1/devices/{deviceId}'].delete;
  expect(del.responses['204']).toEqual({ description: 'Deleted' });
  expect(Object.keys(del.responses)).toEqual(expect.arrayContaining(['204', '400', '401', '404']));
  expect(del.security).toEqual([{ appKey: [] }]);
});

test('the request is exactly one of customerId or deviceId', () => {
  const req = doc.components.schemas.ErasureRequest;
  expect(req.anyOf.map((v: any) => [v.required, v.additionalProperties])).toEqual([
    [['customerId'], false],
    [['deviceId'], false],
  ]);
});

test.each<[string, Partial<Erasure>]>([
  ['running, by customer', { subject: { customerId: 'cust-1' } }],
  ['succeeded, by device', { subject: { deviceId: 'd-1' }, status: 'succeeded', devices: 1, events: 12, completedAt: at }],
  ['succeeded without counts', { subject: { customerId: 'cust-1' }, status: 'succeeded', completedAt: at }],
  ['failed', { subject: { deviceId: 'd-1' }, status: 'failed', error: 'the lake kept changing', completedAt: at }],
])('a %s erasure view parses', (_name, over) => {
  const e: Erasure = { id: 'era_1', tenantId: 't1', subject: { deviceId: 'd-1' }, status: 'running', createdAt: at, ...over };
  const view = erasureView(e);
  const parsed: z.output<typeof erasureSchema> = erasureSchema.parse(view);
  expect(parsed).toEqual(view);
  expect(view).not.toHaveProperty('tenantId');
});
