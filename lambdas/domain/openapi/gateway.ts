/**
 * Answers API Gateway (HTTP API) gives by itself in AWS, before or instead of a function's answer
 * (API.md Extensions, "AWS gateway answers"). Their body is `{"message": "..."}`, not ErrorBody;
 * the local server never gives them. Messages as AWS documents them for HTTP APIs
 * (http-api-troubleshooting-jwt: 401 `{"message":"Unauthorized"}`; http-api-troubleshooting-lambda:
 * `{"message":"Internal Server Error"}`), and as API.md states for 403 and 429.
 */

type JsonSchema = Record<string, unknown>;

/** The body of an answer of API Gateway itself. */
export const gatewayErrorSchema: JsonSchema = {
  type: 'object',
  description: 'An answer of API Gateway itself (AWS only), before or instead of the service’s own answer; never sent by the local server',
  properties: {
    message: {
      type: 'string',
      examples: ['Unauthorized', 'Forbidden', 'Too Many Requests', 'Internal Server Error', 'Request Entity Too Large'],
    },
  },
  required: ['message'],
  additionalProperties: false,
};

/** When the gateway gives each status, by status (what the document says next to the service's own answer). */
export const GATEWAY_ANSWERS: Record<number, { message: string; when: string }> = {
  401: {
    message: 'Unauthorized',
    when: 'the JWT authorizer refused the token (missing, expired, wrong issuer or audience; see the `www-authenticate` header), or the app-key authorizer found no `X-App-Key`',
  },
  403: { message: 'Forbidden', when: 'the app-key authorizer denied the key (unknown or revoked)' },
  413: {
    message: 'Request Entity Too Large',
    when: 'the body is over the HTTP API payload quota (10 MB); bodies over 1 MiB get the service’s own 413',
  },
  429: { message: 'Too Many Requests', when: 'the stage’s throttling (rate or burst limit) refused the request' },
  500: {
    message: 'Internal Server Error',
    when: 'the function failed without answering (crash, timeout, permission) or an authorizer failed',
  },
};

/** Statuses at which a caller may receive either body. */
export const GATEWAY_STATUSES = Object.keys(GATEWAY_ANSWERS).map(Number);
