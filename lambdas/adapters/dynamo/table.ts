/** A thin wrapper over the DynamoDB document client for one table (shared by the stores). */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  BatchWriteCommand,
  DeleteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
  type DeleteCommandInput,
  type PutCommandInput,
  type QueryCommandInput,
  type UpdateCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { backoffDelay, DYNAMO_BATCH_RETRY } from '../../domain/backoff';

export type Item = Record<string, any>;
export type Key = { pk: string; sk: string };

export class DynamoTable {
  constructor(
    readonly client: DynamoDBDocumentClient,
    readonly name: string,
  ) {}

  async get(key: Key, consistent = true): Promise<Item | undefined> {
    const out = await this.client.send(new GetCommand({ TableName: this.name, Key: key, ConsistentRead: consistent }));
    return out.Item;
  }

  /** BatchGet in chunks of 100, retrying unprocessed keys. */
  async getMany(keysList: Key[]): Promise<Item[]> {
    const items: Item[] = [];
    for (let i = 0; i < keysList.length; i += 100) {
      let pending: Key[] = keysList.slice(i, i + 100);
      for (let attempt = 0; pending.length > 0; attempt++) {
        const out = await this.client.send(new BatchGetCommand({ RequestItems: { [this.name]: { Keys: pending, ConsistentRead: true } } }));
        items.push(...(out.Responses?.[this.name] ?? []));
        pending = (out.UnprocessedKeys?.[this.name]?.Keys as Key[] | undefined) ?? [];
        if (pending.length > 0) await backoff(attempt);
      }
    }
    return items;
  }

  /** Unconditional bulk put (BatchWrite in chunks of 25, retrying unprocessed items): imports only. */
  async putMany(items: Item[]): Promise<void> {
    for (let i = 0; i < items.length; i += 25) {
      let pending = items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } }));
      for (let attempt = 0; pending.length > 0; attempt++) {
        const out = await this.client.send(new BatchWriteCommand({ RequestItems: { [this.name]: pending } }));
        pending = (out.UnprocessedItems?.[this.name] as typeof pending | undefined) ?? [];
        if (pending.length > 0) await backoff(attempt);
      }
    }
  }

  /** Put; returns false when the condition failed. */
  async put(item: Item, condition?: Omit<PutCommandInput, 'TableName' | 'Item'>): Promise<boolean> {
    return conditional(() => this.client.send(new PutCommand({ TableName: this.name, Item: item, ...condition })));
  }

  /** Update; returns the new item, or undefined when the condition failed. */
  async update(input: Omit<UpdateCommandInput, 'TableName'>): Promise<Item | undefined> {
    try {
      const out = await this.client.send(new UpdateCommand({ TableName: this.name, ReturnValues: 'ALL_NEW', ...input }));
      return out.Attributes;
    } catch (err) {
      if (err instanceof ConditionalCheckFailedException) return undefined;
      throw err;
    }
  }

  /**
   * Update and return the item as it was before (undefined attributes when there was none);
   * ok false when the condition failed.
   */
  async updateReturningOld(input: Omit<UpdateCommandInput, 'TableName' | 'ReturnValues'>): Promise<{ ok: boolean; old?: Item }> {
    try {
      const out = await this.client.send(new UpdateCommand({ TableName: this.name, ...input, ReturnValues: 'ALL_OLD' }));
      return { ok: true, old: out.Attributes };
    } catch (err) {
      if (err instanceof ConditionalCheckFailedException) return { ok: false };
      throw err;
    }
  }

  /** Delete; returns false when the condition failed. */
  async delete(key: Key, condition?: Omit<DeleteCommandInput, 'TableName' | 'Key'>): Promise<boolean> {
    return conditional(() => this.client.send(new DeleteCommand({ TableName: this.name, Key: key, ...condition })));
  }

  /** One page of a query. */
  async queryPage(input: Omit<QueryCommandInput, 'TableName'>): Promise<{ items: Item[]; lastKey?: Key }> {
    const out = await this.client.send(new QueryCommand({ TableName: this.name, ...input }));
    return { items: out.Items ?? [], lastKey: out.LastEvaluatedKey as Key | undefined };
  }

  /** Every item of a query, following pages. */
  async queryAll(input: Omit<QueryCommandInput, 'TableName' | 'ExclusiveStartKey'>): Promise<Item[]> {
    const items: Item[] = [];
    let start: Key | undefined;
    do {
      const page = await this.queryPage({ ...input, ExclusiveStartKey: start });
      items.push(...page.items);
      start = page.lastKey;
    } while (start);
    return items;
  }
}

async function conditional(op: () => Promise<unknown>): Promise<boolean> {
  try {
    await op();
    return true;
  } catch (err) {
    if (err instanceof ConditionalCheckFailedException) return false;
    throw err;
  }
}

/** Wait before resending what a batch call left unprocessed (`attempt` earlier waits). */
function backoff(attempt: number): Promise<void> {
  return new Promise((r) => setTimeout(r, backoffDelay(attempt, DYNAMO_BATCH_RETRY)));
}

/** Strip the table keys from a stored item. */
export function withoutKeys<T>(item: Item): T {
  const { pk: _pk, sk: _sk, ...rest } = item;
  return rest as T;
}
