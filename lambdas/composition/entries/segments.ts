/** Lambda entry: `segments` HTTP API function, composed from the AWS adapters. */
import { segmentsHandler } from '../../handlers/segments';
import { awsDeps } from '../aws';

export const handler = segmentsHandler(awsDeps());
