/**
 * Locally there is no SNS: a registration is validated (by the domain, before this is called) and its
 * public view stored; credentials are dropped, never written to disk. An application given by ARN is
 * kept as given so the UI shows what the merchant entered.
 */
import type { DefaultPushApps, PushAppRequest } from '../../domain/push-apps';
import type { ProvisionedPushApp, PushAppProvisioner } from '../../ports/push-apps';

export const localPushAppProvisioner: PushAppProvisioner = {
  async provision(_tenantId: string, request: PushAppRequest): Promise<ProvisionedPushApp> {
    return { platformApplicationArn: request.kind === 'arn' ? request.platformApplicationArn : null };
  },
  defaults(): DefaultPushApps {
    return { ios: null, android: null };
  },
};
