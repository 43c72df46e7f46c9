/**
 * Issue a tenant's app key in a deployed stage (the mobile app SDK sends it as `X-App-Key`):
 *
 *   npx tsx scripts/issue-app-key.ts --tenant acme --table <RecordsTableName output> [--region eu-west-1]
 *
 * Creates the tenant if needed, stores only the key's SHA-256 in the records table (older keys
 * stay valid) and prints the key once: it cannot be shown again. Runs with the caller's AWS
 * credentials (dynamodb:PutItem on the records table); the same use case backs POST /local/tenants.
 */
import { parseArgs } from 'node:util';
import { ENV } from '../lambdas/config/env';
import { parseWith } from '../lambdas/domain/validation';
import { systemClock } from '../lambdas/ports/clock';
import { issueAppKey } from '../lambdas/use-cases/tenants/app-keys';
import { tenantIdSchema } from '../lambdas/use-cases/tenants/issue-local-tenant';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: { tenant: { type: 'string' }, table: { type: 'string' }, region: { type: 'string' } },
  });
  if (!values.tenant || !values.table) {
    console.error('usage: npx tsx scripts/issue-app-key.ts --tenant <tenant id> --table <RecordsTableName> [--region <region>]');
    return 2;
  }
  const tenantId = parseWith(tenantIdSchema, values.tenant);
  // The AWS composition root reads its table names from the environment, as in a Lambda.
  process.env[ENV.recordsTable] = values.table;
  if (values.region) process.env.AWS_REGION = values.region;
  const { awsDeps } = await import('../lambdas/composition/aws');
  const appKey = await issueAppKey({ tenants: awsDeps().tenants, clock: systemClock }, tenantId);
  console.log(JSON.stringify({ tenantId, appKey }));
  console.error('Store this app key in the app now: only its hash is kept, it cannot be shown again.');
  return 0;
}

main().then(
  (code) => (process.exitCode = code),
  (err: Error) => {
    console.error(err.message);
    process.exitCode = 1;
  },
);
