/** Lambda entry: fires a campaign wave (EventBridge Scheduler target). */
import { triggerHandler } from '../../handlers/trigger';
import { awsDeps } from '../aws';

export const handler = triggerHandler(awsDeps());
