/**
 * X-Ray tracing (Powertools Tracer) for the Lambdas: every handler runs `lambdaTracing()`, which
 * opens a `## <handler>` subsegment under the function segment Lambda creates (active tracing is on
 * for every function, see lib/constructs/service-function.ts) with the cold start and service as
 * annotations; the AWS composition root wraps every SDK client with `traced()`, so each DynamoDB,
 * SNS, SQS, Athena, S3, Firehose and Scheduler call is a subsegment with its latency and error. A
 * trace is found by its correlation id (an annotation, set with the log key in logger.ts).
 *
 * Outside Lambda (the local world, unit tests) the Tracer disables itself (no AWS_EXECUTION_ENV), so
 * all of this is a no-op there. In AWS the Powertools packages come from the Powertools layer, not
 * from the bundle (the X-Ray SDK alone would add ~120 KB to every bundle).
 */
import { Tracer } from '@aws-lambda-powertools/tracer';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';

export const tracer = new Tracer({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'segmented-push' });

/** Middy middleware of every handler: the invocation as a subsegment; responses are not recorded (they carry tenant data). */
export function lambdaTracing() {
  return captureLambdaHandler(tracer, { captureResponse: false });
}

/** An AWS SDK v3 client whose calls are recorded as subsegments (the client itself when tracing is off). */
export function traced<T>(client: T): T {
  return tracer.captureAWSv3Client(client);
}

/** Annotate the current subsegment (searchable in X-Ray); a no-op when tracing is off. */
export function annotateTrace(key: string, value: string): void {
  if (tracer.isTracingEnabled()) tracer.putAnnotation(key, value);
}
