/**
 * DynamoDB: the real wire protocol, served by dynalite. The stand-in checks each call against the
 * caller's policy (table and index ARNs, every table of a batch call) and forwards the untouched
 * request; tables are created from the template's own AWS::DynamoDB::Table definitions.
 */
import { request } from 'node:http';
import { CreateTableCommand, DynamoDBClient, type CreateTableCommandInput } from '@aws-sdk/client-dynamodb';
import { startDynalite, type DynaliteServer } from '../../../../lambdas/adapters/local/dynalite-server';
import { authorize, jsonCall, ServiceError, type BoxRequest, type BoxResponse, type Service } from '../box';
import { ACCOUNT, REGION, type CloudAssembly } from '../cloud-assembly';

export class DynamoDbStandIn implements Service {
  readonly protocol = 'json' as const;
  readonly accessDeniedCode = 'AccessDeniedException';
  private server: DynaliteServer | undefined;
  /** An admin client on dynalite (tests seed and read records with it; no IAM). */
  admin: DynamoDBClient | undefined;

  async start(dir: string, assembly: CloudAssembly): Promise<void> {
    this.server = await startDynalite(dir);
    this.admin = new DynamoDBClient({
      endpoint: this.server.endpoint,
      region: REGION,
      credentials: { accessKeyId: 'admin', secretAccessKey: 'admin' },
    });
    for (const t of assembly.ofType('AWS::DynamoDB::Table')) {
      const p = t.props;
      const input: CreateTableCommandInput = {
        TableName: assembly.physicalName(t),
        KeySchema: p.KeySchema,
        AttributeDefinitions: p.AttributeDefinitions,
        BillingMode: 'PAY_PER_REQUEST',
        ...(p.GlobalSecondaryIndexes
          ? {
              GlobalSecondaryIndexes: p.GlobalSecondaryIndexes.map((g: any) => ({
                IndexName: g.IndexName,
                KeySchema: g.KeySchema,
                Projection: g.Projection,
              })),
            }
          : {}),
      };
      await this.admin.send(new CreateTableCommand(input));
    }
  }

  async stop(): Promise<void> {
    this.admin?.destroy();
    await this.server?.close();
  }

  async handle(req: BoxRequest): Promise<BoxResponse> {
    const { op, input } = jsonCall(req);
    if (['TransactWriteItems', 'TransactGetItems', 'ExecuteStatement', 'BatchExecuteStatement'].includes(op)) {
      // dynalite has none of these, and ARCHITECTURE.md forbids designs that need them.
      throw new ServiceError('UnknownOperationException', `${op} is not available in the AWS world (no design may need it)`);
    }
    const tables: string[] = input.RequestItems ? Object.keys(input.RequestItems) : input.TableName ? [input.TableName] : [];
    if (tables.length === 0) throw new ServiceError('ValidationException', `${op} names no table`);
    for (const table of tables) {
      const arn = `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/${table}${input.IndexName ? `/index/${input.IndexName}` : ''}`;
      authorize(req.caller, `dynamodb:${op}`, arn);
    }
    return this.forward(req);
  }

  private forward(req: BoxRequest): Promise<BoxResponse> {
    const url = new URL(this.server!.endpoint);
    return new Promise((resolve, reject) => {
      const out = request(
        {
          host: url.hostname,
          port: url.port,
          method: 'POST',
          path: '/',
          headers: { ...req.headers, host: url.host, 'content-length': String(req.body.length) },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const headers: Record<string, string> = {};
            for (const [k, v] of Object.entries(res.headers))
              if (typeof v === 'string' && k !== 'content-length' && k !== 'transfer-encoding') headers[k] = v;
            resolve({ status: res.statusCode ?? 500, headers, body: Buffer.concat(chunks) });
          });
        },
      );
      out.on('error', reject);
      out.end(req.body);
    });
  }
}
