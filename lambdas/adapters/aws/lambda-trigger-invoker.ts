/** Fires a wave now by invoking the trigger Lambda asynchronously (Lambda retries async failures twice). */
import { InvokeCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import type { TriggerInvoker, WaveTrigger } from '../../ports/scheduler';

export class LambdaTriggerInvoker implements TriggerInvoker {
  constructor(
    private readonly client: LambdaClient,
    private readonly functionArn: string,
  ) {}

  async fireNow(trigger: WaveTrigger): Promise<void> {
    const out = await this.client.send(
      new InvokeCommand({ FunctionName: this.functionArn, InvocationType: 'Event', Payload: Buffer.from(JSON.stringify(trigger)) }),
    );
    if (out.StatusCode !== 202) throw new Error(`trigger invoke answered ${out.StatusCode}`);
  }
}
