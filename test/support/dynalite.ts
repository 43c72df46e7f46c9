/**
 * The service's DynamoDB tables on a dynalite of their own (loopback, real conditional writes), for
 * one test file: call at the top level of the file; it starts in beforeAll and is gone after afterAll.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ensureTables } from '../../lambdas/adapters/dynamo/ensure-tables';
import { DynamoTable } from '../../lambdas/adapters/dynamo/table';
import { startDynalite, type DynaliteServer } from '../../lambdas/adapters/local/dynalite-server';
import { DELIVERIES_TABLE, RECORDS_TABLE } from '../../lambdas/config/tables';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

export interface DynaliteTables {
  raw: DynamoDBClient;
  doc: DynamoDBDocumentClient;
  records: DynamoTable;
  deliveries: DynamoTable;
}

/** The tables of the file's dynalite (valid inside tests and hooks declared after this call). */
export function dynaliteTables(): () => DynaliteTables {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'spush-dynalite-'));
  let server: DynaliteServer | undefined;
  let tables: DynaliteTables | undefined;
  beforeAll(async () => {
    server = await startDynalite(path.join(dir, 'dynamo'));
    const raw = new DynamoDBClient({
      endpoint: server.endpoint,
      region: 'local',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    await ensureTables(raw, [
      { def: RECORDS_TABLE, name: RECORDS_TABLE.logicalName },
      { def: DELIVERIES_TABLE, name: DELIVERIES_TABLE.logicalName },
    ]);
    const doc = DynamoDBDocumentClient.from(raw, { marshallOptions: { removeUndefinedValues: true } });
    tables = {
      raw,
      doc,
      records: new DynamoTable(doc, RECORDS_TABLE.logicalName),
      deliveries: new DynamoTable(doc, DELIVERIES_TABLE.logicalName),
    };
  });
  afterAll(async () => {
    tables?.raw.destroy();
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return () => {
    if (!tables) throw new Error('dynaliteTables() is used before its beforeAll ran');
    return tables;
  };
}
