/** Lambda `segments`: the filter catalog, segment CRUD, size estimates, explain and the product catalog. */
import { publicSegment } from '../domain/segments/segment';
import { filterCatalog } from '../domain/segments/catalog';
import { catalogRequestSchema } from '../domain/segments/product-catalog';
import { parseWith } from '../domain/validation';
import { estimateSegment, getEstimate, type EstimateDeps } from '../use-cases/segments/estimate-segment';
import { explainSegment } from '../use-cases/segments/explain-segment';
import { listCatalogProducts, ProductCatalogCache } from '../use-cases/segments/product-catalog';
import {
  createSegment,
  deleteSegment,
  getSegment,
  listSegments,
  updateSegment,
  type SegmentDeps,
} from '../use-cases/segments/manage-segments';
import { httpApi } from './http/http-api';
import { pageQuery, parseIfMatch } from './http/params';
import { noContent, ok } from './http/types';

export function segmentsHandler(deps: SegmentDeps & EstimateDeps) {
  const catalog = filterCatalog();
  // Lives as long as this function instance: the product picker asks again and again while typing.
  const products = new ProductCatalogCache();
  return httpApi({
    'GET /v1/segment-filters': async () => ok(catalog),
    'POST /v1/segments': async (req) => ok(await createSegment(deps, req.tenantId, req.body), 201),
    'GET /v1/segments': async (req) => ok(await listSegments(deps, req.tenantId, pageQuery(req.query))),
    'GET /v1/segments/{id}': async (req) => ok(publicSegment(await getSegment(deps, req.tenantId, req.pathParameters.id))),
    'PUT /v1/segments/{id}': async (req) =>
      ok(await updateSegment(deps, req.tenantId, req.pathParameters.id, req.body, parseIfMatch(req.headers['if-match']))),
    'DELETE /v1/segments/{id}': async (req) => {
      await deleteSegment(deps, req.tenantId, req.pathParameters.id, parseIfMatch(req.headers['if-match']));
      return noContent();
    },
    'GET /v1/segments/{id}/explain/{deviceId}': async (req) =>
      ok(await explainSegment(deps, req.tenantId, req.pathParameters.id, req.pathParameters.deviceId)),
    'POST /v1/segment-estimates': async (req) => {
      const out = await estimateSegment(deps, req.tenantId, req.body);
      return ok(out, out.status === 'running' ? 202 : 200);
    },
    'GET /v1/segment-estimates/{id}': async (req) => ok(await getEstimate(deps, req.tenantId, req.pathParameters.id)),
    'GET /v1/catalog/products': async (req) => {
      // Values arrive as text; other keys are ignored.
      const request = parseWith(catalogRequestSchema, { query: req.query.query, limit: req.query.limit });
      return ok(await listCatalogProducts(deps, products, req.tenantId, request));
    },
  });
}
