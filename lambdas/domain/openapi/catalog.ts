/** OpenAPI schemas of the product catalog (API.md, Extensions "Product catalog for the segment builder"). */
import * as z from 'zod';
import { CATALOG_DEFAULT_LIMIT, CATALOG_MAX_LIMIT, CATALOG_MAX_QUERY_LENGTH, CATALOG_WINDOW_DAYS } from '../segments/product-catalog';

const count = z.number().int().min(0);

/** One product of listCatalogProducts' answer. */
export const catalogProductSchema = z.object({
  productId: z.string(),
  views: count.describe('distinct product_view events'),
  favorites: count.describe('distinct product_favorite events'),
  carts: count.describe('distinct add_to_cart events'),
  lastSeen: z.iso.datetime({ offset: true }).describe('time of the latest of these events'),
});

export const productCatalogSchema = z.object({
  items: z.array(catalogProductSchema).describe(`products seen in the last ${CATALOG_WINDOW_DAYS} days, most viewed first (then by id)`),
});

/** The query parameters of GET /v1/catalog/products, as documented (the handler reads them as text). */
export const catalogQueryParameters = {
  productQuery: {
    name: 'query',
    in: 'query',
    description: 'Only products whose id starts with this text (compared literally; `%` and `_` are no wildcards)',
    schema: z.string().max(CATALOG_MAX_QUERY_LENGTH),
  },
  catalogLimit: {
    name: 'limit',
    in: 'query',
    description: 'How many products at most',
    schema: z.number().int().min(1).max(CATALOG_MAX_LIMIT).default(CATALOG_DEFAULT_LIMIT),
  },
} as const;
