/** Lambda entry: `settings` HTTP API function, composed from the AWS adapters. */
import { settingsHandler } from '../../handlers/settings';
import { awsDeps } from '../aws';

export const handler = settingsHandler(awsDeps());
