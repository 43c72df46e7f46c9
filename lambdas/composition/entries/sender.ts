/** Lambda entry: pushes SQS batches of devices (partial batch failures). */
import { senderHandler } from '../../handlers/sender';
import { parseSendBatch } from '../../adapters/aws/sqs-send-queue';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { awsDeps, powertoolsMetrics } from '../aws';

export const handler = senderHandler(awsDeps(), parseSendBatch).use(logMetrics(powertoolsMetrics));
