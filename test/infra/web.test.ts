/**
 * The web stack in front of the API and the Cognito hosted-UI sign-in: /v1/* forwarded to the HTTP
 * API, the hosted-UI domain, the UI's OAuth client, /config.json, and the authorizer accepting it.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseConfig } from '../../lib/config';
import { serviceRefNames } from '../../lib/constructs/service-refs';
import { API_PATH_PATTERN } from '../../lib/stacks/web-stack';
import { isCognitoConfig } from '../../web/src/api/oauth';
import { build, logicalId } from './helpers';

/** Managed CloudFront policies (ids are fixed by AWS). */
const CACHING_DISABLED = '4135ea2d-6df8-44a3-9df3-4b5a84be39ad';
const ALL_VIEWER_EXCEPT_HOST_HEADER = 'b689b0a8-53d0-40ab-baf2-68738e2966ac';

const dist = fs.mkdtempSync(path.join(os.tmpdir(), 'web-dist-'));
fs.writeFileSync(path.join(dist, 'index.html'), '<!doctype html>');
const b = build({}, dist);
const web = b.web_t.toJSON().Resources as Record<string, { Type: string; Properties: Record<string, any> }>;
const ofType = (type: string) => Object.entries(web).filter(([, r]) => r.Type === type);
const distribution = ofType('AWS::CloudFront::Distribution')[0][1].Properties.DistributionConfig;
const distributionId = ofType('AWS::CloudFront::Distribution')[0][0];
const clientId = logicalId(b.web.signIn.client);
/** The web stack's SSM-typed template parameter that reads a service id at deploy time (no export). */
const refNames = serviceRefNames('dev');
const ssmRef = (k: keyof typeof refNames) => {
  const params = Object.entries((b.web_t.toJSON().Parameters ?? {}) as Record<string, { Type: string; Default: string }>);
  const found = params.find(([, p]) => p.Type === 'AWS::SSM::Parameter::Value<String>' && p.Default === refNames[k]);
  if (!found) throw new Error(`no SSM parameter ${refNames[k]} in the web stack`);
  return { Ref: found[0] };
};
const ssmToken = (k: keyof typeof refNames) => `«${JSON.stringify(ssmRef(k)).replace(/"/g, "'")}»`;
const appRoot = { 'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [distributionId, 'DomainName'] }, '/']] };

describe('/v1/* goes to the HTTP API', () => {
  const behavior = distribution.CacheBehaviors.find((c: any) => c.PathPattern === API_PATH_PATTERN);
  const origin = distribution.Origins.find((o: any) => o.Id === behavior.TargetOriginId);

  test('one extra behavior; everything else (incl. /openapi.json, /config.json) stays on the bucket', () => {
    expect(distribution.CacheBehaviors.map((c: any) => c.PathPattern)).toEqual(['/v1/*']);
    expect(distribution.DefaultCacheBehavior.TargetOriginId).not.toBe(behavior.TargetOriginId);
  });

  test('all methods, nothing cached, every viewer header but Host, HTTPS only', () => {
    expect(behavior).toMatchObject({
      AllowedMethods: ['GET', 'HEAD', 'OPTIONS', 'PUT', 'PATCH', 'POST', 'DELETE'],
      CachePolicyId: CACHING_DISABLED,
      OriginRequestPolicyId: ALL_VIEWER_EXCEPT_HOST_HEADER,
      ViewerProtocolPolicy: 'https-only',
    });
  });

  test("the origin is the API's execute-api host, over TLS 1.2 only", () => {
    expect(origin.CustomOriginConfig).toEqual({ OriginProtocolPolicy: 'https-only', OriginSSLProtocols: ['TLSv1.2'] });
    const [, parts] = origin.DomainName['Fn::Join'];
    expect(parts[0]).toEqual(ssmRef('apiId'));
    expect(parts[1]).toBe('.execute-api.');
  });

  test('no custom error responses: they would turn the API’s JSON 403/404 into index.html', () => {
    expect(distribution.CustomErrorResponses).toBeUndefined();
  });
});

describe('hosted-UI domain', () => {
  const domainOf = (t: typeof b.service_t) => Object.values(t.findResources('AWS::Cognito::UserPoolDomain'))[0].Properties;

  test('default prefix: segpush-<stage>-<account>, unique per account without naming one', () => {
    expect(domainOf(b.service_t)).toEqual({
      Domain: { 'Fn::Join': ['', ['segpush-dev-', { Ref: 'AWS::AccountId' }]] },
      ManagedLoginVersion: 1,
      UserPoolId: { Ref: logicalId(b.service.auth.userPool) },
    });
  });

  test('authDomainPrefix overrides it', () => {
    expect(domainOf(build({ authDomainPrefix: 'acme-merchants' }).service_t).Domain).toBe('acme-merchants');
  });

  test('prefixes Cognito would refuse are refused at synth', () => {
    for (const bad of ['Acme', '-acme', 'acme-', 'my-aws-login', 'amazonish', 'a_b', 'x'.repeat(64)]) {
      expect(() => parseConfig({ authDomainPrefix: bad })).toThrow(/authDomainPrefix/);
    }
    expect(() => parseConfig({ stage: 'aws-test' })).toThrow(/authDomainPrefix: required/);
    expect(parseConfig({ stage: 'aws-test', authDomainPrefix: 'shop-test' }).authDomainPrefix).toBe('shop-test');
    expect(parseConfig({ authDomainPrefix: '' }).authDomainPrefix).toBeUndefined();
  });
});

describe("the UI's OAuth client", () => {
  const client = web[clientId].Properties;

  test('authorization code only (PKCE, no secret), openid email profile, hosted UI of the pool', () => {
    expect(client).toMatchObject({
      AllowedOAuthFlows: ['code'],
      AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthScopes: ['openid', 'email', 'profile'],
      GenerateSecret: false,
      SupportedIdentityProviders: ['COGNITO'],
      ExplicitAuthFlows: ['ALLOW_REFRESH_TOKEN_AUTH'],
      PreventUserExistenceErrors: 'ENABLED',
      EnableTokenRevocation: true,
    });
    expect(client.UserPoolId).toEqual(ssmRef('userPoolId'));
  });

  test('callback and sign-out URL: the distribution, exactly', () => {
    expect(client.CallbackURLs).toEqual([appRoot]);
    expect(client.LogoutURLs).toEqual([appRoot]);
  });

  test('1 h ID/access tokens, 30 d refresh tokens', () => {
    expect(client).toMatchObject({
      IdTokenValidity: 60,
      AccessTokenValidity: 60,
      RefreshTokenValidity: 30 * 24 * 60,
      TokenValidityUnits: { IdToken: 'minutes', AccessToken: 'minutes', RefreshToken: 'minutes' },
    });
  });

  test('reads the tenant, cannot write it', () => {
    expect(client.ReadAttributes).toContain('custom:tenant_id');
    expect(client.WriteAttributes).not.toContain('custom:tenant_id');
  });
});

describe('/config.json', () => {
  test('deployed with the UI: cognito mode, region, pool, this client and the hosted-UI domain', () => {
    const deploy = ofType('Custom::CDKBucketDeployment')[0][1].Properties;
    expect(deploy.SourceObjectKeys).toHaveLength(3); // UI, openapi.json, config.json
    const markers = deploy.SourceMarkers[2] as Record<string, unknown>;
    const file = path.join(b.app.synth().directory, `asset.${deploy.SourceObjectKeys[2].replace(/\.zip$/, '')}`, 'config.json');
    let text = fs.readFileSync(file, 'utf8');
    for (const [marker, value] of Object.entries(markers)) text = text.split(marker).join(`«${JSON.stringify(value).replace(/"/g, "'")}»`);
    const body = JSON.parse(text);
    expect(Object.keys(body).sort()).toEqual(['auth', 'clientId', 'domain', 'region', 'userPoolId']);
    expect(body.auth).toBe('cognito');
    expect(body.region).toBe("«{'Ref':'AWS::Region'}»");
    expect(body.clientId).toBe(`«{'Ref':'${clientId}'}»`);
    expect(body.userPoolId).toBe(ssmToken('userPoolId'));
    // Computed from the prefix, not imported: a changed prefix must not be blocked by an export in use.
    expect(body.domain).toBe("https://segpush-dev-«{'Ref':'AWS::AccountId'}».auth.«{'Ref':'AWS::Region'}».amazoncognito.com");
  });

  test('with its deploy-time values filled in, it is the shape the UI accepts (web/src/api/oauth.ts)', () => {
    const deploy = ofType('Custom::CDKBucketDeployment')[0][1].Properties;
    const file = path.join(b.app.synth().directory, `asset.${deploy.SourceObjectKeys[2].replace(/\.zip$/, '')}`, 'config.json');
    let text = fs.readFileSync(file, 'utf8');
    for (const marker of Object.keys(deploy.SourceMarkers[2])) text = text.split(marker).join('eu-west-1');
    expect(isCognitoConfig(JSON.parse(text))).toBe(true);
  });
});

describe('the merchant JWT authorizer accepts the UI client', () => {
  const update = ofType('Custom::AWS')[0][1].Properties;
  const call = (phase: 'Create' | 'Update' | 'Delete') => {
    // Render the Fn::Join of the SDK call into a string with readable tokens.
    const [, parts] = update[phase]['Fn::Join'];
    return JSON.parse(parts.map((p: unknown) => (typeof p === 'string' ? p : `«${JSON.stringify(p).replace(/"/g, "'")}»`)).join(''));
  };
  const serviceClient = ssmToken('sdkClientId');
  const authorizers = Object.entries(b.service_t.findResources('AWS::ApiGatewayV2::Authorizer'));
  const [, jwt] = authorizers.find(([, a]) => a.Properties.AuthorizerType === 'JWT')!;

  test('on create and update: the service client and the web client', () => {
    for (const phase of ['Create', 'Update'] as const) {
      const c = call(phase);
      expect(c).toMatchObject({ service: 'ApiGatewayV2', action: 'UpdateAuthorizer' });
      expect(c.parameters.IdentitySource).toEqual(['$request.header.Authorization']);
      expect(c.parameters.ApiId).toBe(ssmToken('apiId'));
      expect(c.parameters.AuthorizerId).toBe(ssmToken('merchantAuthorizerId'));
      const [svc, webClient] = c.parameters.JwtConfiguration.Audience;
      expect(svc).toBe(serviceClient);
      expect(webClient).toBe(`«{'Ref':'${clientId}'}»`);
      expect(c.parameters.JwtConfiguration.Issuer).toContain('https://cognito-idp.');
    }
  });

  test('on delete: back to the service client alone', () => {
    const audience = call('Delete').parameters.JwtConfiguration.Audience;
    expect(audience).toHaveLength(1);
    expect(audience[0]).toBe(serviceClient);
  });

  test('the service template keeps its own audience (merchant routes work before the web stack exists)', () => {
    expect(jwt.Properties.JwtConfiguration.Audience).toEqual([{ Ref: logicalId(b.service.auth.client) }]);
  });

  test('its provider may PATCH that one authorizer and nothing else', () => {
    const statements = ofType('AWS::IAM::Policy')
      .filter(([id]) => id.startsWith('SignInAuthorizerAudience'))
      .flatMap(([, p]) => p.Properties.PolicyDocument.Statement);
    expect(statements).toHaveLength(1);
    expect(statements[0].Action).toBe('apigateway:PATCH');
    expect(JSON.stringify(statements[0].Resource)).toMatch(/::\/apis\/".*"\/authorizers\/"/);
  });
});
