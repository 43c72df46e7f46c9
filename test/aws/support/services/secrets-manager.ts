/**
 * Secrets Manager (JSON 1.1): CreateSecret (ResourceExistsException for a taken name), PutSecretValue,
 * DescribeSecret and GetSecretValue by name or ARN; ARNs end in `-` and six random characters, as
 * AWS makes them, so a policy must use a wildcard after the name.
 */
import { randomBytes } from 'node:crypto';
import { authorize, json, jsonCall, ServiceError, type BoxRequest, type BoxResponse, type Service } from '../box';
import { ACCOUNT, REGION } from '../cloud-assembly';

interface Secret {
  name: string;
  arn: string;
  value: string;
  versions: number;
}

export class SecretsManagerStandIn implements Service {
  readonly protocol = 'json' as const;
  readonly accessDeniedCode = 'AccessDeniedException';
  readonly secrets = new Map<string, Secret>();

  private find(id: string): Secret | undefined {
    return this.secrets.get(id) ?? [...this.secrets.values()].find((s) => s.arn === id);
  }

  async handle(req: BoxRequest): Promise<BoxResponse> {
    const { op, input } = jsonCall(req);
    if (op === 'CreateSecret') {
      const name = String(input.Name ?? '');
      if (!/^[A-Za-z0-9/_+=.@-]{1,512}$/.test(name)) throw new ServiceError('ValidationException', `Invalid name ${name}`);
      const existing = this.secrets.get(name);
      const arn = existing?.arn ?? `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:${name}-${randomBytes(3).toString('hex')}`;
      authorize(req.caller, 'secretsmanager:CreateSecret', arn);
      if (existing) throw new ServiceError('ResourceExistsException', `The operation failed because the secret ${name} already exists.`);
      this.secrets.set(name, { name, arn, value: String(input.SecretString ?? ''), versions: 1 });
      return json({ ARN: arn, Name: name, VersionId: 'v1' });
    }
    const secret = this.find(String(input.SecretId ?? ''));
    const arn = secret?.arn ?? `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:${input.SecretId}`;
    authorize(req.caller, `secretsmanager:${op}`, arn);
    if (!secret) throw new ServiceError('ResourceNotFoundException', "Secrets Manager can't find the specified secret.");
    switch (op) {
      case 'PutSecretValue':
        secret.value = String(input.SecretString ?? '');
        secret.versions++;
        return json({ ARN: secret.arn, Name: secret.name, VersionId: `v${secret.versions}` });
      case 'DescribeSecret':
        return json({ ARN: secret.arn, Name: secret.name });
      case 'GetSecretValue':
        return json({ ARN: secret.arn, Name: secret.name, SecretString: secret.value });
      default:
        throw new ServiceError('InvalidRequestException', `the AWS world's Secrets Manager does not model ${op}`);
    }
  }
}
