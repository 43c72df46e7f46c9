/**
 * Tracing in the templates: every function of the service runs with X-Ray active tracing and the
 * Powertools layer of exactly the installed Powertools version (the code is bundled without it).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { powertoolsLayerParameter, powertoolsVersion } from '../../lib/constructs/service-function';
import { build, statementsOfRole } from './helpers';

const installed = (pkg: string) =>
  (
    JSON.parse(fs.readFileSync(path.join(__dirname, '../../node_modules/@aws-lambda-powertools', pkg, 'package.json'), 'utf8')) as {
      version: string;
    }
  ).version;

describe('X-Ray tracing and the Powertools layer', () => {
  const t = build().service_t;
  const template = t.toJSON() as { Parameters: Record<string, { Type: string; Default: string }> };
  const functions = Object.entries(t.findResources('AWS::Lambda::Function')).filter(
    ([, r]) => r.Properties.Environment?.Variables?.POWERTOOLS_SERVICE_NAME,
  );

  test('the layer version is the installed Powertools version', () => {
    expect(powertoolsVersion()).toBe(installed('logger'));
    expect(installed('tracer')).toBe(installed('logger'));
    expect(installed('metrics')).toBe(installed('logger'));
  });

  test('every service function is traced and loads Powertools from the layer of that version', () => {
    expect(functions.map(([, r]) => r.Properties.Environment.Variables.POWERTOOLS_SERVICE_NAME).sort()).toEqual(
      [
        'app-key-authorizer',
        'automations',
        'campaigns',
        'devices',
        'events',
        'maintenance',
        'segments',
        'sender',
        'settings',
        'trigger',
      ].sort(),
    );
    for (const [id, r] of functions) {
      expect([id, r.Properties.TracingConfig]).toEqual([id, { Mode: 'Active' }]);
      expect(r.Properties.Layers).toHaveLength(1);
      const param = template.Parameters[r.Properties.Layers[0].Ref];
      expect([id, param]).toEqual([
        id,
        { Type: 'AWS::SSM::Parameter::Value<String>', Default: powertoolsLayerParameter(installed('logger')) },
      ]);
    }
    expect(powertoolsLayerParameter('2.36.0')).toBe('/aws/service/powertools/typescript/generic/all/2.36.0');
  });

  test('each role may write its traces, and nothing more of X-Ray', () => {
    for (const [id, r] of functions) {
      const roleId = r.Properties.Role['Fn::GetAtt'][0] as string;
      const xray = statementsOfRole(t, roleId).filter((s) => [s.Action].flat().some((a) => String(a).startsWith('xray:')));
      expect([id, xray.flatMap((s) => [s.Action].flat()).sort()]).toEqual([id, ['xray:PutTelemetryRecords', 'xray:PutTraceSegments']]);
    }
  });
});
