/** One structured logger (Powertools) for every handler; it adds the request id to each entry. */
import { Logger } from '@aws-lambda-powertools/logger';

export const logger = new Logger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'segmented-push', logLevel: (process.env.LOG_LEVEL as any) ?? 'INFO' });
