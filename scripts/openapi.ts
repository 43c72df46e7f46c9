/**
 * Prints the OpenAPI 3.1 document generated from ROUTES and the zod schemas:
 * `npx tsx scripts/openapi.ts > docs/openapi.json`. The unit test fails when the checked-in
 * docs/openapi.json differs from what this prints, so regenerate it after changing the API.
 */
import { buildOpenApiDocument } from '../lambdas/domain/openapi/document';

/** The document as docs/openapi.json holds it: two-space indent, trailing newline. */
export function openApiJson(): string {
  return `${JSON.stringify(buildOpenApiDocument(), null, 2)}\n`;
}

if (require.main === module) process.stdout.write(openApiJson());
