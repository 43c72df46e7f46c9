/** The push-apps operations are documented with the bodies the handlers really return. */
import type { z } from 'zod';
import { androidView, iosView } from '../../../lambdas/domain/push-apps';
import { buildOpenApiDocument } from '../../../lambdas/domain/openapi/document';
import { androidPushAppSchema, iosPushAppSchema, pushAppsSchema } from '../../../lambdas/domain/openapi/push-apps';
import type { getPushApps } from '../../../lambdas/use-cases/push-apps/push-apps';

type Fits<Actual, Documented> = [Actual] extends [Documented] ? true : false;
const fits: [
  Fits<Awaited<ReturnType<typeof getPushApps>>, z.output<typeof pushAppsSchema>>,
  Fits<ReturnType<typeof iosView>, z.output<typeof iosPushAppSchema>>,
  Fits<ReturnType<typeof androidView>, z.output<typeof androidPushAppSchema>>,
] = [true, true, true];

const doc = buildOpenApiDocument() as any;

test('compile-time checks hold', () => {
  expect(fits.every(Boolean)).toBe(true);
});

test('GET /v1/push-apps and PUT /v1/push-apps/{ios,android} reference their schemas', () => {
  expect(doc.paths['/v1/push-apps'].get.responses['200'].content['application/json'].schema).toEqual({
    $ref: '#/components/schemas/PushApps',
  });
  expect(doc.paths['/v1/push-apps/ios'].put.requestBody.content['application/json'].schema).toEqual({
    $ref: '#/components/schemas/IosPushAppInput',
  });
  expect(doc.paths['/v1/push-apps/android'].put.requestBody.content['application/json'].schema).toEqual({
    $ref: '#/components/schemas/AndroidPushAppInput',
  });
  expect(doc.paths['/v1/push-apps/ios'].put.responses['400']).toBeDefined();
});

test('no response schema has a place for a secret', () => {
  const text = JSON.stringify([doc.components.schemas.PushApps, doc.components.schemas.IosPushApp, doc.components.schemas.AndroidPushApp]);
  expect(text).not.toMatch(/signingKey|serviceAccountJson|PlatformCredential/);
});

test('real views parse', () => {
  const arn = 'arn:aws:sns:us-east-1:123456789012:app/APNS_SANDBOX/x';
  expect(pushAppsSchema.parse({ ios: iosView(null, arn), android: androidView(null, null) })).toEqual({
    ios: iosView(null, arn),
    android: androidView(null, null),
  });
});
