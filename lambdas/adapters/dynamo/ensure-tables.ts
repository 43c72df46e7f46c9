/** Create the tables from the shared key definitions when they are missing (local world, tests). */
import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  ResourceNotFoundException,
  UpdateTableCommand,
  type AttributeDefinition,
} from '@aws-sdk/client-dynamodb';
import type { TableDefinition } from '../../config/tables';

const indexSpec = (index: NonNullable<TableDefinition['indexes']>[number]) => ({
  IndexName: index.name,
  KeySchema: [
    { AttributeName: index.partitionKey, KeyType: 'HASH' as const },
    { AttributeName: index.sortKey, KeyType: 'RANGE' as const },
  ],
  Projection: { ProjectionType: 'KEYS_ONLY' as const },
});

const indexAttributes = (index: NonNullable<TableDefinition['indexes']>[number]): AttributeDefinition[] => [
  { AttributeName: index.partitionKey, AttributeType: 'S' },
  { AttributeName: index.sortKey, AttributeType: 'S' },
];

export async function ensureTables(client: DynamoDBClient, tables: { def: TableDefinition; name: string }[]): Promise<void> {
  for (const { def, name } of tables) {
    const indexes = def.indexes ?? [];
    let existing: string[] | undefined;
    try {
      const out = await client.send(new DescribeTableCommand({ TableName: name }));
      existing = (out.Table?.GlobalSecondaryIndexes ?? []).map((i) => i.IndexName ?? '');
    } catch (err) {
      if (!(err instanceof ResourceNotFoundException)) throw err;
    }
    if (existing) {
      // A data folder made by an earlier version lacks newer indexes: add them in place.
      for (const index of indexes.filter((i) => !existing.includes(i.name))) {
        await client.send(
          new UpdateTableCommand({
            TableName: name,
            AttributeDefinitions: indexAttributes(index),
            GlobalSecondaryIndexUpdates: [{ Create: indexSpec(index) }],
          }),
        );
      }
      continue;
    }
    await client.send(
      new CreateTableCommand({
        TableName: name,
        BillingMode: 'PAY_PER_REQUEST',
        KeySchema: [
          { AttributeName: def.partitionKey.name, KeyType: 'HASH' },
          { AttributeName: def.sortKey.name, KeyType: 'RANGE' },
        ],
        AttributeDefinitions: [
          { AttributeName: def.partitionKey.name, AttributeType: def.partitionKey.type },
          { AttributeName: def.sortKey.name, AttributeType: def.sortKey.type },
          ...indexes.flatMap(indexAttributes),
        ],
        ...(indexes.length > 0 ? { GlobalSecondaryIndexes: indexes.map(indexSpec) } : {}),
      }),
    );
  }
}
