/**
 * The platform team's way to give a tenant an app key in a deployed stage: scripts/issue-app-key.ts,
 * run as an operator would (a separate process with the AWS SDK's default credential chain), against
 * DynamoDB (dynalite here, with the records table's own definition). The key it prints authorizes
 * the tenant; its hash alone is stored.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ensureTables } from '../../lambdas/adapters/dynamo/ensure-tables';
import { DynamoTable } from '../../lambdas/adapters/dynamo/table';
import { DynamoTenantStore } from '../../lambdas/adapters/dynamo/tenant-store';
import { startDynalite, type DynaliteServer } from '../../lambdas/adapters/local/dynalite-server';
import { RECORDS_TABLE } from '../../lambdas/config/tables';
import { authorizeAppKey } from '../../lambdas/use-cases/tenants/app-keys';

const run = promisify(execFile);
const ROOT = path.resolve(__dirname, '../..');
const TABLE = 'SegmentedPush-prod-Records';

describe('scripts/issue-app-key.ts', () => {
  let dir: string;
  let dynalite: DynaliteServer;
  let client: DynamoDBClient;
  let tenants: DynamoTenantStore;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'app-key-'));
    dynalite = await startDynalite(dir);
    client = new DynamoDBClient({
      endpoint: dynalite.endpoint,
      region: 'eu-west-1',
      credentials: { accessKeyId: 'operator', secretAccessKey: 'operator' },
    });
    await ensureTables(client, [{ def: RECORDS_TABLE, name: TABLE }]);
    tenants = new DynamoTenantStore(new DynamoTable(DynamoDBDocumentClient.from(client), TABLE));
  });
  afterAll(async () => {
    client?.destroy();
    await dynalite?.close();
    await rm(dir, { recursive: true, force: true });
  });

  const issue = (...args: string[]) =>
    run(process.execPath, ['--import', 'tsx', 'scripts/issue-app-key.ts', ...args], {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH,
        AWS_ENDPOINT_URL: dynalite.endpoint,
        AWS_ACCESS_KEY_ID: 'operator',
        AWS_SECRET_ACCESS_KEY: 'operator',
      },
    });

  test('prints a key that authorizes the tenant; a second key leaves the first valid; only hashes are stored', async () => {
    const first = JSON.parse((await issue('--tenant', 'acme', '--table', TABLE, '--region', 'eu-west-1')).stdout);
    const second = JSON.parse((await issue('--tenant', 'acme', '--table', TABLE, '--region', 'eu-west-1')).stdout);
    expect(first).toEqual({ tenantId: 'acme', appKey: expect.stringMatching(/^ak_/) });
    expect(second.appKey).not.toBe(first.appKey);
    expect(await authorizeAppKey({ tenants }, first.appKey)).toBe('acme');
    expect(await authorizeAppKey({ tenants }, second.appKey)).toBe('acme');
    const stored = JSON.stringify((await client.send(new ScanCommand({ TableName: TABLE }))).Items);
    expect(stored).not.toContain(first.appKey);
    expect(stored).not.toContain(second.appKey);
  });

  test('a malformed tenant id or a missing argument is refused and stores nothing', async () => {
    const before = (await client.send(new ScanCommand({ TableName: TABLE }))).Count;
    await expect(issue('--tenant', 'Bad Tenant!', '--table', TABLE, '--region', 'eu-west-1')).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringMatching(/must match/),
    });
    await expect(issue('--table', TABLE)).rejects.toMatchObject({ code: 2, stderr: expect.stringMatching(/usage/) });
    expect((await client.send(new ScanCommand({ TableName: TABLE }))).Count).toBe(before);
  });
});
