/** Alarms, dashboard, web stack, configuration parsing, and cdk-nag: no unacknowledged findings. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Match } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { parseConfig } from '../../lib/config';
import { ATHENA_QUERY_FAILED_METRIC } from '../../lib/constructs/monitoring';
import { build, logicalId } from './helpers';

describe('alarms', () => {
  const b = build({ alarmEmail: 'oncall@example.com' });
  const t = b.service_t;
  const alarms = Object.values(t.findResources('AWS::CloudWatch::Alarm')).map((r) => r.Properties);
  const topic = logicalId(b.service.monitoring.topic);

  test('every alarm notifies the alarm topic, which e-mails the configured address', () => {
    // + TriggerFailures depth and trigger errors (defect 4); + lake maintenance DLQ, errors, Firehose error objects, failed erasures;
    // + automations: schedules DLQ, errors, throttles, due lag
    expect(alarms).toHaveLength(15);
    for (const a of alarms) expect(a.AlarmActions).toEqual([{ Ref: topic }]);
    t.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'oncall@example.com', TopicArn: { Ref: topic } });
  });

  test('DLQ depth on both dead-letter queues', () => {
    const dlqs = [b.service.sendQueue.dlq, b.service.scheduler.dlq].map(logicalId);
    for (const id of dlqs) {
      expect(alarms.some((a) => a.MetricName === 'ApproximateNumberOfMessagesVisible' && JSON.stringify(a.Dimensions).includes(id))).toBe(
        true,
      );
    }
  });

  test('sender errors, API 5xx, Athena failed queries from the three reporting functions', () => {
    expect(
      alarms.some((a) => a.MetricName === 'Errors' && JSON.stringify(a.Dimensions).includes(logicalId(b.service.functions.sender.fn))),
    ).toBe(true);
    expect(alarms.some((a) => a.MetricName === '5xx' && a.Namespace === 'AWS/ApiGateway')).toBe(true);
    const athena = alarms.find((a) => a.Metrics?.some((m: any) => m.MetricStat?.Metric.MetricName === ATHENA_QUERY_FAILED_METRIC));
    const services = athena.Metrics.filter((m: any) => m.MetricStat).map((m: any) => m.MetricStat.Metric.Dimensions[0].Value);
    expect(services.sort()).toEqual(['automations', 'segments', 'trigger']);
  });

  test('a dashboard', () => {
    t.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
  });

  test('no e-mail subscription without alarmEmail', () => {
    build().service_t.resourceCountIs('AWS::SNS::Subscription', 0);
  });
});

describe('web stack', () => {
  test('private bucket behind CloudFront with OAC; nothing deployed without web/dist', () => {
    const t = build().web_t;
    t.resourceCountIs('AWS::CloudFront::OriginAccessControl', 1);
    t.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({ DefaultRootObject: 'index.html' }),
    });
    t.resourceCountIs('Custom::CDKBucketDeployment', 0);
  });

  test('deploys the folder when it exists', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'web-dist-'));
    fs.writeFileSync(path.join(dir, 'index.html'), '<!doctype html>');
    build({}, dir).web_t.resourceCountIs('Custom::CDKBucketDeployment', 1);
  });
});

describe('configuration', () => {
  test('cdk.json defaults parse', () => {
    expect(parseConfig({})).toMatchObject({ stage: 'dev', apnsSandbox: true, lakeRetentionDays: 730 });
  });

  test('-c flags arrive as strings and are coerced', () => {
    const c = parseConfig({ apnsSandbox: 'false', lakeRetentionDays: '90', corsOrigins: 'https://a.example.com,https://b.example.com' });
    expect(c.apnsSandbox).toBe(false);
    expect(c.lakeRetentionDays).toBe(90);
    expect(c.corsOrigins).toEqual(['https://a.example.com', 'https://b.example.com']);
  });

  test('invalid values are rejected with every offending key', () => {
    expect(() => parseConfig({ stage: 'Prod!', athenaBytesScannedCutoff: 5, alarmEmail: 'nope', corsOrigins: ['ftp://x'] })).toThrow(
      /stage[\s\S]*corsOrigins[\s\S]*alarmEmail[\s\S]*athenaBytesScannedCutoff/,
    );
  });

  test('platform applications by ARN keep their own account, region and platform', () => {
    const arn = 'arn:aws:sns:eu-west-1:111122223333:app/APNS/shop-prod';
    const b = build({ apnsPlatformApplication: arn, apnsSandbox: false });
    const env = Object.values(b.service_t.findResources('AWS::Lambda::Function'))
      .map((r) => r.Properties.Environment.Variables)
      .find((v) => v.APNS_PLATFORM_APPLICATION_ARN);
    expect(env.APNS_PLATFORM_APPLICATION_ARN).toBe(arn);
    expect(JSON.stringify(b.service_t.toJSON())).toContain('arn:aws:sns:eu-west-1:111122223333:endpoint/APNS/shop-prod/*');
  });
});

describe('cdk-nag AwsSolutions', () => {
  const findings = (webDist?: string) => {
    const dir = webDist ?? '/nonexistent';
    const b = build({}, dir);
    return new AwsSolutionsChecks(b.app)
      .validateScope(b.app)
      .violations.map((v) => `${v.severity} ${v.ruleName} @ ${v.violatingResources.map((r) => r.constructPath).join(', ')}`);
  };

  test('no unacknowledged findings (errors or warnings)', () => {
    expect(findings()).toEqual([]);
  });

  test('none either when the web UI is deployed', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'web-dist-'));
    fs.writeFileSync(path.join(dir, 'index.html'), '<!doctype html>');
    expect(findings(dir)).toEqual([]);
  });
});
