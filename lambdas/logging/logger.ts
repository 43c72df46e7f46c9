/**
 * One structured logger (Powertools) for the service: handlers (which add the request id to each
 * entry), adapters that must report a failure they recover from, and the composition roots. It sits
 * outside the layers so that each of them may use it; the domain does no I/O and never logs.
 */
import { Logger } from '@aws-lambda-powertools/logger';

export const logger = new Logger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'segmented-push', logLevel: (process.env.LOG_LEVEL as any) ?? 'INFO' });
