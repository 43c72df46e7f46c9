import {
  CreateSecretCommand,
  InternalServiceError,
  PutSecretValueCommand,
  ResourceExistsException,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { SecretsManagerVault } from '../../../../lambdas/adapters/aws/secrets-manager-vault';

const sm = mockClient(SecretsManagerClient);
const vault = () => new SecretsManagerVault({ client: new SecretsManagerClient({ region: 'us-east-1' }) });
const ARN = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:segmented-push/dev/push/acme/ios-AbCdEf';

beforeEach(() => sm.reset());

test('creates the secret on first use', async () => {
  sm.on(CreateSecretCommand).resolves({ ARN });
  expect(await vault().put('segmented-push/dev/push/acme/ios', 's3cret', 'desc')).toBe(ARN);
  expect(sm.commandCalls(CreateSecretCommand)[0].args[0].input).toEqual({
    Name: 'segmented-push/dev/push/acme/ios',
    SecretString: 's3cret',
    Description: 'desc',
  });
  expect(sm.commandCalls(PutSecretValueCommand)).toHaveLength(0);
});

test('an existing secret gets a new current version', async () => {
  sm.on(CreateSecretCommand).rejects(new ResourceExistsException({ message: 'exists', $metadata: {} }));
  sm.on(PutSecretValueCommand).resolves({ ARN });
  expect(await vault().put('segmented-push/dev/push/acme/ios', 'v2', 'desc')).toBe(ARN);
  expect(sm.commandCalls(PutSecretValueCommand)[0].args[0].input).toEqual({
    SecretId: 'segmented-push/dev/push/acme/ios',
    SecretString: 'v2',
  });
});

test('other failures propagate', async () => {
  sm.on(CreateSecretCommand).rejects(new InternalServiceError({ message: 'boom', $metadata: {} }));
  await expect(vault().put('n', 'v', 'd')).rejects.toThrow('boom');
});
