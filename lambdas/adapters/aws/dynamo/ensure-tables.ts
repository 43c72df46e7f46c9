/** Create the tables from the shared key definitions when they are missing (local world, tests). */
import { CreateTableCommand, DescribeTableCommand, DynamoDBClient, ResourceNotFoundException } from '@aws-sdk/client-dynamodb';
import type { TableDefinition } from '../../../config/tables';

export async function ensureTables(client: DynamoDBClient, tables: { def: TableDefinition; name: string }[]): Promise<void> {
  for (const { def, name } of tables) {
    try {
      await client.send(new DescribeTableCommand({ TableName: name }));
      continue;
    } catch (err) {
      if (!(err instanceof ResourceNotFoundException)) throw err;
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
        ],
      }),
    );
  }
}
