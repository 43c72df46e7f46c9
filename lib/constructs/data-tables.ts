/**
 * The DynamoDB tables of TABLE_DEFINITIONS (stateful: retained, PITR, deletion protection), with
 * grant helpers that also set the env var the Lambdas read the table name from.
 */
import { RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { ENV } from '../../lambdas/config/env';
import { TABLE_DEFINITIONS, type TableDefinition } from '../../lambdas/config/tables';
import type { ServiceFunction } from './service-function';

export type TableName = (typeof TABLE_DEFINITIONS)[number]['logicalName'];

/** Item-level actions only: no Scan (every access is by tenant key), no streams, no transactions. */
export const TABLE_READ_ACTIONS = ['dynamodb:BatchGetItem', 'dynamodb:GetItem', 'dynamodb:Query'];
export const TABLE_WRITE_ACTIONS = [
  'dynamodb:BatchWriteItem',
  'dynamodb:ConditionCheckItem',
  'dynamodb:DeleteItem',
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
];

const ENV_BY_TABLE: Record<string, string> = {
  records: ENV.recordsTable,
  deliveries: ENV.deliveriesTable,
};

export class DataTables extends Construct {
  readonly tables: Record<string, dynamodb.Table> = {};

  constructor(scope: Construct, id: string) {
    super(scope, id);
    for (const def of TABLE_DEFINITIONS as readonly TableDefinition[]) {
      this.tables[def.logicalName] = new dynamodb.Table(this, pascal(def.logicalName), {
        partitionKey: { name: def.partitionKey.name, type: dynamodb.AttributeType.STRING },
        sortKey: { name: def.sortKey.name, type: dynamodb.AttributeType.STRING },
        billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
        pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
        deletionProtection: true,
        removalPolicy: RemovalPolicy.RETAIN,
        timeToLiveAttribute: def.ttlAttribute,
      });
      for (const index of def.indexes ?? []) {
        this.tables[def.logicalName].addGlobalSecondaryIndex({
          indexName: index.name,
          partitionKey: { name: index.partitionKey, type: dynamodb.AttributeType.STRING },
          sortKey: { name: index.sortKey, type: dynamodb.AttributeType.STRING },
          projectionType: dynamodb.ProjectionType.KEYS_ONLY,
        });
      }
    }
  }

  table(name: TableName): dynamodb.Table {
    const t = this.tables[name];
    if (!t) throw new Error(`no table ${name}`);
    return t;
  }

  grantRead(fn: ServiceFunction, name: TableName): void {
    this.grant(fn, name, TABLE_READ_ACTIONS);
  }

  grantReadWrite(fn: ServiceFunction, name: TableName): void {
    this.grant(fn, name, [...TABLE_READ_ACTIONS, ...TABLE_WRITE_ACTIONS]);
  }

  private grant(fn: ServiceFunction, name: TableName, actions: string[]): void {
    const t = this.table(name);
    fn.addToRolePolicy(new iam.PolicyStatement({ actions, resources: [t.tableArn] }));
    // Reading an index is authorized on the index's own ARN (table/<name>/index/<index>), named one by one.
    const indexes = (TABLE_DEFINITIONS as readonly TableDefinition[]).find((d) => d.logicalName === name)?.indexes ?? [];
    const reads = actions.filter((a) => a === 'dynamodb:Query');
    if (indexes.length > 0 && reads.length > 0) {
      fn.addToRolePolicy(new iam.PolicyStatement({ actions: reads, resources: indexes.map((i) => `${t.tableArn}/index/${i.name}`) }));
    }
    fn.addEnvironment(ENV_BY_TABLE[name], t.tableName);
  }
}

function pascal(s: string): string {
  return s.replace(/(^|-)([a-z])/g, (_, __, c: string) => c.toUpperCase()) + 'Table';
}
