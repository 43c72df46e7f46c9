/**
 * The Athena workgroup segment queries run in: engine v3, settings enforced (clients cannot point
 * results elsewhere or lift the scan cutoff), results in a dedicated bucket that forgets them.
 */
import { Aws, Duration, Stack } from 'aws-cdk-lib';
import * as athena from 'aws-cdk-lib/aws-athena';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { ENV } from '../../lambdas/config/env';
import { acknowledgeWildcardResource } from '../nag';
import { privateBucket } from './private-bucket';
import type { ServiceFunction } from './service-function';

export const ATHENA_QUERY_ACTIONS = [
  'athena:GetQueryExecution',
  'athena:GetQueryResults',
  'athena:StartQueryExecution',
  'athena:StopQueryExecution',
];
export const RESULTS_BUCKET_ACTIONS = ['s3:GetBucketLocation', 's3:ListBucket', 's3:ListBucketMultipartUploads'];
export const RESULTS_OBJECT_ACTIONS = ['s3:AbortMultipartUpload', 's3:GetObject', 's3:ListMultipartUploadParts', 's3:PutObject'];

export interface AthenaWorkgroupProps {
  stage: string;
  bytesScannedCutoffPerQuery: number;
  accessLogsBucket: s3.IBucket;
}

export class AthenaWorkgroup extends Construct {
  readonly resultsBucket: s3.Bucket;
  /** Built from pseudo parameters (see Lake.bucketName for why). */
  readonly resultsBucketName: string;
  readonly workgroup: athena.CfnWorkGroup;
  readonly workgroupName: string;

  constructor(scope: Construct, id: string, props: AthenaWorkgroupProps) {
    super(scope, id);
    this.resultsBucketName = `segpush-${props.stage}-athena-${Aws.ACCOUNT_ID}-${Aws.REGION}`;
    this.resultsBucket = privateBucket(this, 'ResultsBucket', {
      bucketName: this.resultsBucketName,
      serverAccessLogsBucket: props.accessLogsBucket,
      serverAccessLogsPrefix: 'athena-results/',
      // An estimate is read within minutes of its query; a week leaves room for debugging.
      lifecycleRules: [{ id: 'expire-results', expiration: Duration.days(7), abortIncompleteMultipartUploadAfter: Duration.days(1) }],
    });

    this.workgroup = new athena.CfnWorkGroup(this, 'WorkGroup', {
      name: `segmented-push-${props.stage}`,
      description: 'Segment estimates and campaign audiences',
      state: 'ENABLED',
      recursiveDeleteOption: true,
      workGroupConfiguration: {
        enforceWorkGroupConfiguration: true,
        engineVersion: { selectedEngineVersion: 'Athena engine version 3' },
        bytesScannedCutoffPerQuery: props.bytesScannedCutoffPerQuery,
        publishCloudWatchMetricsEnabled: true,
        resultConfiguration: {
          outputLocation: `s3://${this.resultsBucket.bucketName}/results/`,
          encryptionConfiguration: { encryptionOption: 'SSE_S3' },
        },
      },
    });
    this.workgroupName = this.workgroup.ref;
  }

  get workgroupArn(): string {
    return Stack.of(this).formatArn({ service: 'athena', resource: 'workgroup', resourceName: this.workgroupName });
  }

  /** Run queries in this workgroup and read/write their results; sets ATHENA_WORKGROUP. */
  grantQuery(fn: ServiceFunction): void {
    fn.addToRolePolicy(new iam.PolicyStatement({ actions: ATHENA_QUERY_ACTIONS, resources: [this.workgroupArn] }));
    const bucketArn = `arn:${Aws.PARTITION}:s3:::${this.resultsBucketName}`;
    fn.addToRolePolicy(new iam.PolicyStatement({ actions: RESULTS_BUCKET_ACTIONS, resources: [bucketArn] }));
    fn.addToRolePolicy(new iam.PolicyStatement({ actions: RESULTS_OBJECT_ACTIONS, resources: [`${bucketArn}/results/*`] }));
    acknowledgeWildcardResource(
      fn.role,
      `${bucketArn}/results/*`,
      'Athena writes each query result under a key named by the query id, known only at run time; limited to the results/ prefix of the dedicated results bucket.',
    );
    fn.addEnvironment(ENV.athenaWorkgroup, this.workgroupName);
  }
}
