/**
 * One structured logger (Powertools) for the service: handlers, adapters that must report a failure
 * they recover from, and the composition roots. It sits outside the layers so that each of them may
 * use it; the domain does no I/O and never logs.
 *
 * What an entry carries besides its message: every handler runs `lambdaLogContext()` (Powertools'
 * `injectLambdaContext`), so entries logged during an invocation name the function, its request id
 * (`function_request_id`) and whether it was a cold start; HTTP requests add `correlation_id` (the
 * caller's `x-correlation-id`, else the API Gateway request id), and the trigger and sender add the
 * correlation id their payload carries from the launch. Those keys are cleared after each invocation.
 * The correlation id is also an annotation of the invocation's trace (tracer.ts), so a log entry leads to its trace.
 * Entries logged outside an invocation (composition roots, background loops) carry none of them.
 * Locally several requests share one process and this one logger, so under concurrent requests an
 * entry can carry another request's keys; in Lambda an environment runs one invocation at a time.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { annotateTrace } from './tracer';

export const logger = new Logger({
  serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'segmented-push',
  logLevel: (process.env.LOG_LEVEL as any) ?? 'INFO',
});

/** Middy middleware of every handler: the Lambda context on each entry; the invocation's keys (correlation id) cleared after it. */
export function lambdaLogContext() {
  return injectLambdaContext(logger, { resetKeys: true });
}

/** The key that ties the entries of one piece of work together, from the HTTP request to the sender. */
export function setCorrelationId(correlationId: string | undefined): void {
  if (correlationId) {
    logger.setCorrelationId(correlationId);
    annotateTrace('correlation_id', correlationId);
  } else logger.removeKeys(['correlation_id']);
}
