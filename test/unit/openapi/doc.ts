/** The OpenAPI document as the tests read it: plain JSON, and its component schemas by name. */
import { buildOpenApiDocument } from '../../../lambdas/domain/openapi/document';

export type Json = any;
export const doc = buildOpenApiDocument() as Json;
export const S = doc.components.schemas as Record<string, Json>;
