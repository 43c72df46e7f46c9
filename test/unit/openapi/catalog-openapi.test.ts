/** GET /v1/catalog/products is documented with the body the use case really returns. */
import type { z } from 'zod';
import { buildOpenApiDocument } from '../../../lambdas/domain/openapi/document';
import { productCatalogSchema } from '../../../lambdas/domain/openapi/catalog';
import { catalogProducts } from '../../../lambdas/domain/segments/product-catalog';
import type { listCatalogProducts } from '../../../lambdas/use-cases/segments/product-catalog';

type Fits<Actual, Documented> = [Actual] extends [Documented] ? true : false;
const fits: [Fits<Awaited<ReturnType<typeof listCatalogProducts>>, z.output<typeof productCatalogSchema>>] = [true];

const doc = buildOpenApiDocument() as any;

test('compile-time check holds', () => {
  expect(fits.every(Boolean)).toBe(true);
});

test('the operation: merchant auth, query and limit parameters, 400 and 503 query_timeout', () => {
  const op = doc.paths['/v1/catalog/products'].get;
  expect(op.security).toEqual([{ merchantJwt: [] }]);
  expect(op.responses['200'].content['application/json'].schema).toEqual({ $ref: '#/components/schemas/ProductCatalog' });
  expect(Object.keys(op.responses)).toEqual(expect.arrayContaining(['400', '401', '503']));
  const params = op.parameters.map((p: { $ref: string }) => doc.components.parameters[p.$ref.split('/').pop()!]);
  expect(params).toEqual([
    expect.objectContaining({ name: 'query', in: 'query', schema: { type: 'string', maxLength: 100 } }),
    expect.objectContaining({
      name: 'limit',
      in: 'query',
      schema: expect.objectContaining({ type: 'integer', minimum: 1, maximum: 100, default: 20 }),
    }),
  ]);
});

test('a real answer parses', () => {
  const body = {
    items: catalogProducts([{ product_id: 'sku-1', views: '3', favorites: 0, carts: 1, last_seen: '2026-11-20T10:00:00.000Z' }]),
  };
  expect(productCatalogSchema.safeParse(body).error?.issues ?? []).toEqual([]);
  expect(body.items[0]).toEqual({ productId: 'sku-1', views: 3, favorites: 0, carts: 1, lastSeen: '2026-11-20T10:00:00.000Z' });
});
