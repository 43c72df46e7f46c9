/** The HTTP API has exactly the ROUTES, each behind the authorizer its auth kind demands. */
import { Match } from 'aws-cdk-lib/assertions';
import { ROUTES, routeKey } from '../../lambdas/domain/http/routes';
import { build, logicalId } from './helpers';

const b = build({ corsOrigins: ['https://merchants.example.com'] });
const t = b.service_t;
const res = t.toJSON().Resources as Record<string, { Type: string; Properties: Record<string, any> }>;
const of = (type: string) => Object.entries(res).filter(([, r]) => r.Type === type);

const authorizers = of('AWS::ApiGatewayV2::Authorizer');
const jwt = authorizers.find(([, r]) => r.Properties.AuthorizerType === 'JWT');
const lambda = authorizers.find(([, r]) => r.Properties.AuthorizerType === 'REQUEST');
const routes = new Map(of('AWS::ApiGatewayV2::Route').map(([, r]) => [r.Properties.RouteKey as string, r.Properties]));

test('exactly the routes of ROUTES, none more', () => {
  expect([...routes.keys()].sort()).toEqual(ROUTES.map(routeKey).sort());
});

test('two authorizers: Cognito JWT and app-key Lambda', () => {
  expect(authorizers).toHaveLength(2);
  expect(jwt![1].Properties.IdentitySource).toEqual(['$request.header.Authorization']);
  expect(jwt![1].Properties.JwtConfiguration.Audience).toEqual([{ Ref: logicalId(b.service.auth.client) }]);
  expect(JSON.stringify(jwt![1].Properties.JwtConfiguration.Issuer)).toContain('cognito-idp.');
  expect(lambda![1].Properties).toMatchObject({
    EnableSimpleResponses: true,
    IdentitySource: ['$request.header.X-App-Key'],
    AuthorizerResultTtlInSeconds: 300,
    AuthorizerPayloadFormatVersion: '2.0',
  });
});

describe.each(ROUTES.map((r) => [routeKey(r), r] as const))('%s', (key, route) => {
  test(`is guarded as a ${route.auth} route`, () => {
    const r = routes.get(key)!;
    if (route.auth === 'merchant') {
      expect(r.AuthorizationType).toBe('JWT');
      expect(r.AuthorizerId).toEqual({ Ref: jwt![0] });
    } else if (route.auth === 'device') {
      expect(r.AuthorizationType).toBe('CUSTOM');
      expect(r.AuthorizerId).toEqual({ Ref: lambda![0] });
    } else {
      expect(r.AuthorizationType).toBe('NONE');
    }
  });

  test(`integrates the ${route.fn} function`, () => {
    const target = routes.get(key)!.Target as { 'Fn::Join': [string, unknown[]] };
    const integrationId = (target['Fn::Join'][1][1] as { Ref: string }).Ref;
    const uri = JSON.stringify(res[integrationId].Properties.IntegrationUri);
    expect(uri).toContain(logicalId(b.service.functions[route.fn].fn));
  });
});

test('the tenant claim comes from an immutable custom attribute the web client cannot write', () => {
  t.hasResourceProperties('AWS::Cognito::UserPool', {
    Schema: Match.arrayWith([Match.objectLike({ Name: 'tenant_id', Mutable: false, AttributeDataType: 'String' })]),
    AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
    MfaConfiguration: 'ON',
    DeletionProtection: 'ACTIVE',
  });
  const client = of('AWS::Cognito::UserPoolClient')[0][1].Properties;
  expect(client.ReadAttributes).toContain('custom:tenant_id');
  expect(client.WriteAttributes).not.toContain('custom:tenant_id');
  expect(client.GenerateSecret).toBe(false);
});

test('stage throttling, access logs and CORS from context', () => {
  t.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
    StageName: '$default',
    AutoDeploy: true,
    DefaultRouteSettings: { ThrottlingRateLimit: 100, ThrottlingBurstLimit: 200 },
    AccessLogSettings: Match.objectLike({ DestinationArn: Match.anyValue() }),
  });
  t.hasResourceProperties('AWS::ApiGatewayV2::Api', {
    ProtocolType: 'HTTP',
    CorsConfiguration: Match.objectLike({
      AllowOrigins: ['https://merchants.example.com'],
      AllowHeaders: Match.arrayWith(['Authorization', 'If-Match', 'X-App-Key', 'X-Correlation-Id']),
      ExposeHeaders: ['X-Correlation-Id'],
    }),
  });
});
