/** OpenAPI schemas of the push-apps routes (API.md, Extensions "Push apps per tenant"). Secrets never appear in a response. */
import * as z from 'zod';

const source = z.enum(['tenant', 'default']).describe('`tenant`: the tenant registered its own app; `default`: the deploy-time app');
const appArn = z.string().nullable().describe('the SNS platform application (null locally, where no SNS stands behind it)');

export const iosPushAppSchema = z.object({
  configured: z.boolean(),
  source,
  bundleId: z.string().nullable(),
  sandbox: z.boolean().nullable().describe('from the application ARN: app/APNS_SANDBOX/… is the sandbox'),
  platformApplicationArn: appArn,
});

export const androidPushAppSchema = z.object({
  configured: z.boolean(),
  source,
  projectId: z.string().nullable(),
  platformApplicationArn: appArn,
});

export const pushAppsSchema = z.object({ ios: iosPushAppSchema, android: androidPushAppSchema });
