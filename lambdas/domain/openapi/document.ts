/**
 * The OpenAPI 3.1 document of the HTTP API (API.md), generated from ROUTES and the same zod
 * schemas the handlers validate with. Served by the local server at GET /openapi.json, written
 * to docs/openapi.json by scripts/openapi.ts and published next to the UI by the web stack.
 */
import * as z from 'zod';
import { CAMPAIGN_KINDS } from '../campaigns/campaign';
import { CAMPAIGN_STATUSES } from '../campaigns/lifecycle';
import { deviceIdSchema } from '../devices/device';
import { RESOURCE_ID_PATTERN } from '../ids';
import { ROUTES, routeKey, type AuthKind, type RouteDefinition } from '../http/routes';
import { catalogQueryParameters } from './catalog';
import { recipientQueryParameters } from './recipients';
import { componentSchemas, schemaRef, toJsonSchema, type JsonSchema } from './components';
import { OPERATIONS, type OperationSpec, type QueryParameter } from './operations';
import { NAMED_REQUEST_EXAMPLES, PARAMETER_EXAMPLES, pathParameterExample, REQUEST_EXAMPLES } from './examples';
import { GATEWAY_ANSWERS } from './gateway';

/**
 * The request body example(s) of a route (examples.ts): `example`, or `examples` by name for a body
 * of several shapes (their first is REQUEST_EXAMPLES' own). A body without one is a programming error.
 */
function requestExamples(route: RouteDefinition): { example: unknown } | { examples: Record<string, unknown> } {
  const key = routeKey(route);
  const example = REQUEST_EXAMPLES[key];
  if (example === undefined) throw new Error(`OpenAPI: route ${key} has a body but no example in examples.ts`);
  const named = NAMED_REQUEST_EXAMPLES[key];
  if (!named) return { example };
  if (Object.values(named)[0]?.value !== example)
    throw new Error(`OpenAPI: the first named example of ${key} is not its REQUEST_EXAMPLES one`);
  return { examples: named };
}

export const OPENAPI_VERSION = '3.1.0';
/** Version of the API contract (API.md is v1). */
export const API_VERSION = '1.0.0';

const JSON_TYPE = 'application/json';

const SECURITY: Record<AuthKind, Record<string, string[]>[]> = {
  merchant: [{ merchantJwt: [] }],
  device: [{ appKey: [] }],
  none: [],
};

const TAGS: Record<RouteDefinition['fn'], string> = {
  devices: 'Push subscriptions, registered and deleted by the mobile app SDK (X-App-Key)',
  events: 'App events, reported by the mobile app SDK (X-App-Key)',
  segments: 'Segments of opted-in devices, their filters, size estimates and explanations; the product catalog for building them',
  campaigns: 'Push campaigns: compose, schedule, launch, cancel, insights; automated campaigns on a trigger, paused and resumed',
  settings: 'Tenant delivery settings (frequency cap, quiet hours, attribution window), push apps, and erasures of shoppers and devices',
};

/** Error responses shared by every operation (API.md "Errors"): the ErrorBody schema, or also GatewayError where AWS's gateway answers that status. */
const ERROR_RESPONSES: Record<string, { status: number; description: string }> = {
  BadRequest: {
    status: 400,
    description:
      '`validation_error`, `invalid_json`, `segments_not_supported_on_automated`, `payload_too_large`: the request is malformed or breaks a rule',
  },
  Unauthorized: { status: 401, description: '`unauthorized`: missing or invalid token / app key' },
  Forbidden: { status: 403, description: 'AWS only: the gateway refused the app key' },
  NotFound: { status: 404, description: '`not_found`: no such resource for this tenant' },
  PayloadTooLarge: { status: 413, description: '`body_too_large`: request body over 1 MiB' },
  TooManyRequests: { status: 429, description: '`rate_limited`: too many requests' },
  ServiceUnavailable: {
    status: 503,
    description:
      '`query_timeout`: the segment query took longer than the request may wait and was stopped; nothing was changed, retry in a moment',
  },
  InternalError: { status: 500, description: '`internal_error`: a fault of the service; the message reveals nothing internal' },
};

const errorContent = { [JSON_TYPE]: { schema: schemaRef('ErrorBody') } };

/**
 * A shared error response. At a status API Gateway also answers (GATEWAY_ANSWERS) the body is the
 * service's ErrorBody or the gateway's GatewayError, and the description says when each comes;
 * 403 comes from the gateway alone (the service itself never answers 403).
 */
function errorResponse(status: number, description: string) {
  const gateway = GATEWAY_ANSWERS[status];
  if (!gateway) return { description, content: errorContent };
  const aws = `In AWS, API Gateway answers \`{"message":"${gateway.message}"}\` (GatewayError) when ${gateway.when}.`;
  if (status === 403) return { description: `${description}. ${aws}`, content: { [JSON_TYPE]: { schema: schemaRef('GatewayError') } } };
  return {
    description: `${description} (ErrorBody). ${aws}`,
    content: { [JSON_TYPE]: { schema: { oneOf: [schemaRef('ErrorBody'), schemaRef('GatewayError')] } } },
  };
}

/** Routes that wait for a lake query inside the request (explain; wave planning of a local-time campaign; the product catalog). */
const QUERY_TIMEOUT_ROUTES = new Set([
  'GET /v1/segments/{id}/explain/{deviceId}',
  'PUT /v1/campaigns/{id}',
  'POST /v1/campaigns/{id}/launch',
  'POST /v1/campaign-plans',
  'GET /v1/catalog/products',
  'GET /v1/campaigns/{id}/recipients',
]);
const responseRef = (name: string) => ({ $ref: `#/components/responses/${name}` });
const parameterRef = (name: string) => ({ $ref: `#/components/parameters/${name}` });

/** Query and header parameters, converted from zod like the bodies. */
function parameterComponents(): Record<string, JsonSchema> {
  return {
    limit: {
      name: 'limit',
      in: 'query',
      description: 'Page size',
      example: PARAMETER_EXAMPLES.limit,
      schema: toJsonSchema(z.number().int().min(1).max(100).default(50)),
    },
    cursor: {
      name: 'cursor',
      in: 'query',
      description: 'The `nextCursor` of the previous page',
      example: PARAMETER_EXAMPLES.cursor,
      schema: toJsonSchema(z.string().min(1)),
    },
    status: {
      name: 'status',
      in: 'query',
      description: 'Only campaigns in this status',
      example: PARAMETER_EXAMPLES.status,
      schema: toJsonSchema(z.enum(CAMPAIGN_STATUSES)),
    },
    kind: {
      name: 'kind',
      in: 'query',
      description:
        'Only campaigns (`campaign`) or only automated campaigns (`automated`); any other value is a 400. With `automated` each item carries `insights`',
      example: PARAMETER_EXAMPLES.kind,
      schema: toJsonSchema(z.enum(CAMPAIGN_KINDS)),
    },
    ...Object.fromEntries(
      Object.entries(catalogQueryParameters).map(([key, { schema, ...p }]) => [
        key,
        { ...p, example: PARAMETER_EXAMPLES[key], schema: toJsonSchema(schema) },
      ]),
    ),
    ...Object.fromEntries(
      Object.entries(recipientQueryParameters).map(([key, { schema, ...p }]) => [
        key,
        { ...p, example: PARAMETER_EXAMPLES[key], schema: toJsonSchema(schema) },
      ]),
    ),
    ifMatch: {
      name: 'If-Match',
      in: 'header',
      description: 'The version the change is based on (`3`, `"3"` or `W/"3"`); a stale one gets 409 `version_mismatch`',
      example: PARAMETER_EXAMPLES.ifMatch,
      schema: toJsonSchema(z.string().regex(/^\s*(?:W\/)?"?(\d{1,9})"?\s*$/)),
    },
  };
}

const PATH_PARAMETERS: Record<string, { schema: z.ZodType; description: string }> = {
  id: { schema: z.string().regex(RESOURCE_ID_PATTERN), description: 'The resource id' },
  deviceId: { schema: deviceIdSchema, description: 'The device id chosen by the app SDK' },
};

/** `{name}` segments of an API Gateway path template, in order. */
export function pathParameterNames(path: string): string[] {
  return [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
}

function pathParameter(path: string, name: string) {
  const p = PATH_PARAMETERS[name];
  if (!p) throw new Error(`OpenAPI: no schema for path parameter {${name}}`);
  return {
    name,
    in: 'path',
    required: true,
    description: p.description,
    example: pathParameterExample(path, name),
    schema: toJsonSchema(p.schema),
  };
}

function operation(route: RouteDefinition, spec: OperationSpec) {
  const pathParams = pathParameterNames(route.path);
  const parameters = [
    ...pathParams.map((name) => pathParameter(route.path, name)),
    ...(spec.query ?? []).map((q: QueryParameter) => parameterRef(q)),
    ...(spec.ifMatch ? [parameterRef('ifMatch')] : []),
  ];
  const responses: Record<string, unknown> = {};
  for (const [status, ok] of Object.entries(spec.ok)) {
    responses[status] = ok.schema
      ? { description: ok.description, content: { [JSON_TYPE]: { schema: schemaRef(ok.schema) } } }
      : { description: ok.description };
  }
  const takesInput = spec.body !== undefined || parameters.length > 0;
  if (takesInput) responses['400'] = responseRef('BadRequest');
  if (route.auth !== 'none') responses['401'] = responseRef('Unauthorized');
  if (route.auth === 'device') responses['403'] = responseRef('Forbidden');
  if (spec.notFound) responses['404'] = errorResponse(404, spec.notFound);
  else if (pathParams.length > 0) responses['404'] = responseRef('NotFound');
  if (spec.conflict) responses['409'] = errorResponse(409, spec.conflict);
  if (spec.body) responses['413'] = responseRef('PayloadTooLarge');
  responses['429'] = responseRef('TooManyRequests');
  responses['500'] = responseRef('InternalError');
  if (QUERY_TIMEOUT_ROUTES.has(routeKey(route))) responses['503'] = responseRef('ServiceUnavailable');
  return {
    operationId: spec.operationId,
    summary: spec.summary,
    ...(spec.description ? { description: spec.description } : {}),
    tags: [route.fn],
    security: SECURITY[route.auth],
    ...(parameters.length > 0 ? { parameters } : {}),
    ...(spec.body
      ? {
          requestBody: {
            required: !spec.bodyOptional,
            content: { [JSON_TYPE]: { schema: schemaRef(spec.body), ...requestExamples(route) } },
          },
        }
      : {}),
    responses,
    'x-function': route.fn,
  };
}

/** Builds the whole document (pure; callers may memoise it). */
export function buildOpenApiDocument(routes: readonly RouteDefinition[] = ROUTES) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    const key = routeKey(route);
    const spec = OPERATIONS[key];
    if (!spec) throw new Error(`OpenAPI: route ${key} has no entry in lambdas/domain/openapi/operations.ts`);
    (paths[route.path] ??= {})[route.method.toLowerCase()] = operation(route, spec);
  }
  return {
    openapi: OPENAPI_VERSION,
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    info: {
      title: 'Segmented push campaigns API',
      version: API_VERSION,
      description:
        'Segments of push-opted-in devices, campaigns sent now or on a schedule (time zones included), automated campaigns sent on a trigger, and their insights. ' +
        'Generated from the zod schemas the handlers validate with; all bodies are JSON, times ISO 8601 UTC. ' +
        'Errors of the service have the ErrorBody shape; in AWS, API Gateway answers some itself with GatewayError `{"message": "..."}`.',
      license: { name: 'Proprietary' },
    },
    // Relative: the document is served by the API's own origin (API Gateway or `npm start`).
    servers: [{ url: '/' }],
    tags: [...new Set(routes.map((r) => r.fn))].map((name) => ({ name, description: TAGS[name] })),
    paths,
    components: {
      schemas: componentSchemas(),
      responses: Object.fromEntries(Object.entries(ERROR_RESPONSES).map(([name, r]) => [name, errorResponse(r.status, r.description)])),
      parameters: parameterComponents(),
      securitySchemes: {
        merchantJwt: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'JWT',
          description:
            'Merchant API. In AWS a Cognito token whose `custom:tenant_id` names the tenant; locally a token from POST /local/tenants.',
        },
        appKey: {
          type: 'apiKey',
          in: 'header',
          name: 'X-App-Key',
          description: 'Device API: the app key of one tenant, used by the mobile app SDK.',
        },
      },
    },
  };
}

let memo: ReturnType<typeof buildOpenApiDocument> | undefined;

/** The document of ROUTES, built once per process (the local server's GET /openapi.json). */
export function openApiDocument(): ReturnType<typeof buildOpenApiDocument> {
  return (memo ??= buildOpenApiDocument());
}
