/**
 * S3 buckets with the house's settings, written once: S3-managed encryption, no public access, TLS
 * only, retained when the stack goes away. A caller adds only what is particular to its bucket.
 */
import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';

/** A bucket with the house's settings plus `props`. */
export function privateBucket(scope: Construct, id: string, props: s3.BucketProps = {}): s3.Bucket {
  return new s3.Bucket(scope, id, {
    encryption: s3.BucketEncryption.S3_MANAGED,
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    enforceSSL: true,
    removalPolicy: RemovalPolicy.RETAIN,
    ...props,
  });
}

export interface AccessLogBucketProps {
  /** Who writes the logs decides: S3 server access logging wants BUCKET_OWNER_ENFORCED, CloudFront ACLs. */
  objectOwnership: s3.ObjectOwnership;
  /** Id of the 90-day expiry rule. */
  expiryRuleId: string;
  /** Why this bucket logs nowhere itself (the cdk-nag AwsSolutions-S1 acknowledgement). */
  nagReason: string;
}

/** The target of other buckets' access logs: logs kept 90 days; the bucket does not log itself (that would loop). */
export function accessLogBucket(scope: Construct, id: string, props: AccessLogBucketProps): s3.Bucket {
  const bucket = privateBucket(scope, id, {
    objectOwnership: props.objectOwnership,
    lifecycleRules: [{ id: props.expiryRuleId, expiration: Duration.days(90) }],
  });
  Validations.of(bucket).acknowledge({ id: 'AwsSolutions-S1', reason: props.nagReason });
  return bucket;
}
