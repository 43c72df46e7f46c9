/** Lambda `sender`: SQS batches of devices to push; failed messages are reported for redelivery only. */
import middy from '@middy/core';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import type { SendBatch } from '../ports/send-queue';
import { RetryBatchError, sendBatch, type SendBatchDeps } from '../use-cases/delivery/send-batch';
import { lambdaLogContext, logger, setCorrelationId } from '../logging/logger';
import { lambdaTracing } from '../logging/tracer';

/** `parse` validates a message body (the SQS adapter's parser, injected by the composition root). */
export function senderHandler(deps: SendBatchDeps, parse: (body: string) => SendBatch) {
  return middy(async (event: SQSEvent): Promise<SQSBatchResponse> => {
    const failures: SQSBatchResponse['batchItemFailures'] = [];
    for (const record of event.Records) {
      // Each batch's entries carry the correlation id of the launch it comes from (none for a malformed one).
      setCorrelationId(undefined);
      try {
        const batch = parse(record.body);
        setCorrelationId(batch.correlationId);
        await sendBatch(deps, batch);
      } catch (err) {
        if (!(err instanceof RetryBatchError)) logger.error('send batch failed', { messageId: record.messageId, error: err as Error });
        failures.push({ itemIdentifier: record.messageId });
      }
    }
    return { batchItemFailures: failures };
  })
    .use(lambdaLogContext())
    .use(lambdaTracing());
}
