/** Lambda entry: `events` HTTP API function, composed from the AWS adapters. */
import { eventsHandler } from '../../handlers/events';
import { awsDeps } from '../aws';

export const handler = eventsHandler(awsDeps());
