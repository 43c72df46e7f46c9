/** Lambda entry: the HTTP API authorizer of the device routes (X-App-Key → tenant). */
import { appKeyAuthorizerHandler } from '../../handlers/app-key-authorizer';
import { awsDeps } from '../aws';

export const handler = appKeyAuthorizerHandler(awsDeps());
