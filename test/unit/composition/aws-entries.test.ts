/* eslint-disable @typescript-eslint/no-require-imports -- entries are loaded after the environment and mocks are set up */
/**
 * The AWS world's wiring: every Lambda entry loads without touching AWS, and a request through the
 * devices entry reaches DynamoDB, Firehose and SNS (mocked) with the configured resource names.
 */
import { FirehoseClient, PutRecordBatchCommand } from '@aws-sdk/client-firehose';
import { CreatePlatformEndpointCommand, GetEndpointAttributesCommand, SNSClient } from '@aws-sdk/client-sns';
import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';

const ENTRIES = ['devices', 'events', 'segments', 'campaigns', 'settings', 'app-key-authorizer', 'trigger', 'sender'];

describe('AWS composition', () => {
  const env = { ...process.env };
  afterEach(() => {
    process.env = { ...env };
  });

  test.each(ENTRIES)('entry %s loads and exports a handler without any AWS call', (name) => {
    jest.isolateModules(() => {
      const mod = require(`../../../lambdas/composition/entries/${name}`);
      expect(typeof mod.handler).toBe('function');
    });
  });

  test('PUT /v1/devices/{id} through the devices entry: DynamoDB put, SNS endpoint, Firehose snapshot', async () => {
    Object.assign(process.env, {
      RECORDS_TABLE: 'records-prod',
      DEVICES_FIREHOSE_STREAM: 'devices-stream',
      APNS_PLATFORM_APPLICATION_ARN: 'arn:aws:sns:eu-west-1:123456789012:app/APNS/shop',
      FCM_PLATFORM_APPLICATION_ARN: 'arn:aws:sns:eu-west-1:123456789012:app/GCM/shop',
      AWS_REGION: 'eu-west-1',
    });
    const ddb = mockClient(DynamoDBDocumentClient);
    ddb.on(GetCommand).resolves({});
    ddb.on(PutCommand).resolves({});
    const firehose = mockClient(FirehoseClient);
    firehose.on(PutRecordBatchCommand).resolves({ FailedPutCount: 0, RequestResponses: [{ RecordId: '1' }] });
    const sns = mockClient(SNSClient);
    const arn = 'arn:aws:sns:eu-west-1:123456789012:endpoint/APNS/shop/abc';
    sns.on(CreatePlatformEndpointCommand).resolves({ EndpointArn: arn });
    sns.on(GetEndpointAttributesCommand).resolves({ Attributes: { Token: 'tok-1', Enabled: 'true' } });

    // Same module registry as the mocks above, so the entry's clients are the mocked ones.
    const { handler } = require('../../../lambdas/composition/entries/devices');
    const res = await handler(
      {
        version: '2.0',
        routeKey: 'PUT /v1/devices/{deviceId}',
        rawPath: '/v1/devices/d-1',
        headers: {},
        pathParameters: { deviceId: 'd-1' },
        body: JSON.stringify({ platform: 'ios', token: 'tok-1', optedIn: true, country: 'US' }),
        isBase64Encoded: false,
        requestContext: { requestId: 'r1', http: { method: 'PUT' }, authorizer: { lambda: { tenantId: 'acme' } } },
      },
      { awsRequestId: 'r1' },
    );
    expect(res.statusCode).toBe(200);
    const put = ddb.commandCalls(PutCommand)[0].args[0].input;
    expect(put.TableName).toBe('records-prod');
    expect(put.Item).toMatchObject({ pk: 'T#acme#DEV#d-1', sk: 'DEVICE', endpointArn: arn, optedIn: true });
    const batch = firehose.commandCalls(PutRecordBatchCommand)[0].args[0].input;
    expect(batch.DeliveryStreamName).toBe('devices-stream');
    expect(JSON.parse(Buffer.from(batch.Records![0].Data!).toString())).toMatchObject({
      tenant_id: 'acme',
      device_id: 'd-1',
      opted_in: true,
    });
    expect(sns.commandCalls(CreatePlatformEndpointCommand)[0].args[0].input.PlatformApplicationArn).toContain('app/APNS/shop');
  });
});
