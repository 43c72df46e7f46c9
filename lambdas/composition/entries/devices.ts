/** Lambda entry: `devices` HTTP API function, composed from the AWS adapters. */
import { devicesHandler } from '../../handlers/devices';
import { awsDeps } from '../aws';

export const handler = devicesHandler(awsDeps());
