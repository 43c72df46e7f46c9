/** Lambda entry: `campaigns` HTTP API function, composed from the AWS adapters. */
import { campaignsHandler } from '../../handlers/campaigns';
import { awsDeps } from '../aws';

export const handler = campaignsHandler(awsDeps());
