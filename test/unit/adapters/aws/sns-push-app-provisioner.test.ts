import {
  CreatePlatformApplicationCommand,
  GetPlatformApplicationAttributesCommand,
  InvalidParameterException,
  NotFoundException,
  SetPlatformApplicationAttributesCommand,
  SNSClient,
} from '@aws-sdk/client-sns';
import { CreateSecretCommand, PutSecretValueCommand, ResourceExistsException, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { SecretsManagerVault } from '../../../../lambdas/adapters/aws/secrets-manager-vault';
import { SnsPushAppProvisioner } from '../../../../lambdas/adapters/aws/sns-push-app-provisioner';
import { ValidationError } from '../../../../lambdas/domain/errors';
import { parsePushAppRequest } from '../../../../lambdas/domain/push-apps';
import { apnsCredentials, p8, serviceAccountJson } from '../../../support/push-credentials';

const sns = mockClient(SNSClient);
const sm = mockClient(SecretsManagerClient);
const apns = apnsCredentials(false);
const ROLE = 'arn:aws:iam::123456789012:role/sns-delivery-status';
const PREFIX = 'arn:aws:sns:us-east-1:123456789012:app/';
const IOS_ARN = `${PREFIX}APNS/segmented-push-dev-acme-ios`;
const SECRET_ARN = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:segmented-push/dev/push/acme/ios-AbCdEf';

const provisioner = (extra: { feedbackRoleArn?: string } = { feedbackRoleArn: ROLE }) =>
  new SnsPushAppProvisioner({
    client: new SNSClient({ region: 'us-east-1' }),
    vault: new SecretsManagerVault({ client: new SecretsManagerClient({ region: 'us-east-1' }) }),
    appArnPrefix: PREFIX,
    appNamePrefix: 'segmented-push-dev-',
    secretPrefix: 'segmented-push/dev/push/',
    defaults: { ios: `${PREFIX}APNS/segmented-push-apns`, android: `${PREFIX}GCM/segmented-push-fcm` },
    ...extra,
  });

beforeEach(() => {
  sns.reset();
  sm.reset();
  sm.on(CreateSecretCommand).resolves({ ARN: SECRET_ARN, Name: 'segmented-push/dev/push/acme/ios' });
});

describe('SnsPushAppProvisioner with credentials', () => {
  test('creates the tenant app with APNs token attributes and delivery-status logging, then stores the secret', async () => {
    sns
      .on(GetPlatformApplicationAttributesCommand)
      .rejects(new NotFoundException({ message: 'PlatformApplication does not exist', $metadata: {} }));
    sns.on(CreatePlatformApplicationCommand).resolves({ PlatformApplicationArn: IOS_ARN });
    const out = await provisioner().provision('acme', parsePushAppRequest('ios', { apns }));
    expect(out).toEqual({ platformApplicationArn: IOS_ARN });
    expect(sns.commandCalls(GetPlatformApplicationAttributesCommand)[0].args[0].input).toEqual({ PlatformApplicationArn: IOS_ARN });
    expect(sns.commandCalls(CreatePlatformApplicationCommand)[0].args[0].input).toEqual({
      Name: 'segmented-push-dev-acme-ios',
      Platform: 'APNS',
      Attributes: {
        PlatformCredential: p8,
        PlatformPrincipal: 'KEY1234567',
        ApplePlatformTeamID: 'ABCDE12345',
        ApplePlatformBundleID: 'com.acme.shop',
        SuccessFeedbackRoleArn: ROLE,
        FailureFeedbackRoleArn: ROLE,
        SuccessFeedbackSampleRate: '10',
      },
    });
    const secret = sm.commandCalls(CreateSecretCommand)[0].args[0].input;
    expect(secret.Name).toBe('segmented-push/dev/push/acme/ios');
    expect(JSON.parse(secret.SecretString!)).toEqual(apns);
    expect(secret.Description).not.toContain('PRIVATE KEY');
  });

  test('a sandbox key goes to an APNS_SANDBOX app of the same name', async () => {
    sns.on(GetPlatformApplicationAttributesCommand).rejects(new NotFoundException({ message: 'nope', $metadata: {} }));
    sns.on(CreatePlatformApplicationCommand).resolves({ PlatformApplicationArn: `${PREFIX}APNS_SANDBOX/segmented-push-dev-acme-ios` });
    const out = await provisioner().provision('acme', parsePushAppRequest('ios', { apns: { ...apns, sandbox: true } }));
    expect(out.platformApplicationArn).toBe(`${PREFIX}APNS_SANDBOX/segmented-push-dev-acme-ios`);
    expect(sns.commandCalls(CreatePlatformApplicationCommand)[0].args[0].input.Platform).toBe('APNS_SANDBOX');
  });

  test('an existing tenant app is updated in place; an existing secret gets a new version', async () => {
    sns.on(GetPlatformApplicationAttributesCommand).resolves({ Attributes: { Enabled: 'true' } });
    sns.on(SetPlatformApplicationAttributesCommand).resolves({});
    sm.on(CreateSecretCommand).rejects(new ResourceExistsException({ message: 'exists', $metadata: {} }));
    sm.on(PutSecretValueCommand).resolves({ ARN: SECRET_ARN });
    const out = await provisioner().provision('acme', parsePushAppRequest('android', { fcm: { serviceAccountJson } }));
    const arn = `${PREFIX}GCM/segmented-push-dev-acme-android`;
    expect(out).toEqual({ platformApplicationArn: arn });
    expect(sns.commandCalls(CreatePlatformApplicationCommand)).toHaveLength(0);
    expect(sns.commandCalls(SetPlatformApplicationAttributesCommand)[0].args[0].input).toEqual({
      PlatformApplicationArn: arn,
      Attributes: {
        PlatformCredential: serviceAccountJson,
        SuccessFeedbackRoleArn: ROLE,
        FailureFeedbackRoleArn: ROLE,
        SuccessFeedbackSampleRate: '10',
      },
    });
    expect(sm.commandCalls(PutSecretValueCommand)[0].args[0].input).toEqual({
      SecretId: 'segmented-push/dev/push/acme/android',
      SecretString: serviceAccountJson,
    });
  });

  test('without a feedback role no delivery-status attributes are set', async () => {
    sns.on(GetPlatformApplicationAttributesCommand).rejects(new NotFoundException({ message: 'nope', $metadata: {} }));
    sns.on(CreatePlatformApplicationCommand).resolves({ PlatformApplicationArn: IOS_ARN });
    await provisioner({}).provision('acme', parsePushAppRequest('ios', { apns }));
    expect(Object.keys(sns.commandCalls(CreatePlatformApplicationCommand)[0].args[0].input.Attributes!)).not.toContain(
      'SuccessFeedbackRoleArn',
    );
  });

  test('credentials SNS refuses are a 400 that does not quote SNS or the key; nothing is stored', async () => {
    sns.on(GetPlatformApplicationAttributesCommand).rejects(new NotFoundException({ message: 'nope', $metadata: {} }));
    sns
      .on(CreatePlatformApplicationCommand)
      .rejects(new InvalidParameterException({ message: `Invalid parameter: Attributes Reason: bad key ${p8}`, $metadata: {} }));
    const err = await provisioner()
      .provision('acme', parsePushAppRequest('ios', { apns }))
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ValidationError);
    expect(JSON.stringify({ m: (err as ValidationError).message, d: (err as ValidationError).details })).not.toMatch(
      /PRIVATE KEY|Invalid parameter/,
    );
    expect(sm.commandCalls(CreateSecretCommand)).toHaveLength(0);
  });

  test('other SNS failures are not 400s', async () => {
    sns
      .on(GetPlatformApplicationAttributesCommand)
      .rejects(Object.assign(new Error('AuthorizationError'), { name: 'AuthorizationErrorException' }));
    await expect(provisioner().provision('acme', parsePushAppRequest('ios', { apns }))).rejects.not.toBeInstanceOf(ValidationError);
  });
});

describe('SnsPushAppProvisioner with an application ARN', () => {
  const arn = `${PREFIX}APNS/segmented-push-dev-acme-prod`;

  test('an existing, enabled app of this account and stage is adopted as it is', async () => {
    sns.on(GetPlatformApplicationAttributesCommand).resolves({ Attributes: { Enabled: 'true', ApplePlatformBundleID: 'com.acme.shop' } });
    expect(await provisioner().provision('acme', parsePushAppRequest('ios', { platformApplicationArn: arn }))).toEqual({
      platformApplicationArn: arn,
      bundleId: 'com.acme.shop',
    });
    expect(sns.commandCalls(SetPlatformApplicationAttributesCommand)).toHaveLength(0);
    expect(sm.commandCalls(CreateSecretCommand)).toHaveLength(0);
  });

  test.each([
    ['another account', 'arn:aws:sns:us-east-1:999999999999:app/APNS/segmented-push-dev-acme'],
    ['another region', 'arn:aws:sns:eu-west-1:123456789012:app/APNS/segmented-push-dev-acme'],
    ['a name outside the stage prefix', `${PREFIX}APNS/shop-prod`],
  ])('%s is refused (IAM would refuse it too)', async (_what, other) => {
    await expect(provisioner().provision('acme', parsePushAppRequest('ios', { platformApplicationArn: other }))).rejects.toThrow(
      /account and region named segmented-push-dev-/,
    );
    expect(sns.commandCalls(GetPlatformApplicationAttributesCommand)).toHaveLength(0);
  });

  test('a missing or disabled app is refused', async () => {
    sns
      .on(GetPlatformApplicationAttributesCommand)
      .rejectsOnce(new NotFoundException({ message: 'nope', $metadata: {} }))
      .resolves({ Attributes: { Enabled: 'false' } });
    await expect(provisioner().provision('acme', parsePushAppRequest('ios', { platformApplicationArn: arn }))).rejects.toThrow(
      /no such platform application/,
    );
    await expect(provisioner().provision('acme', parsePushAppRequest('ios', { platformApplicationArn: arn }))).rejects.toThrow(/disabled/);
  });
});
