/** Names of the custom metrics the functions emit; the CDK monitoring construct alarms and graphs on them. */
export const METRICS = {
  athenaQueryFailed: 'AthenaQueryFailed',
  pushSent: 'PushSent',
  pushFailed: 'PushFailed',
  pushSuppressed: 'PushSuppressed',
  estimateLatency: 'EstimateLatency',
  /** Objects Firehose wrote under the lake's error prefix (records it could not partition or convert). */
  lakeDeliveryErrors: 'LakeDeliveryErrors',
  /** Lake partitions a compaction rewrote. */
  lakePartitionsCompacted: 'LakePartitionsCompacted',
  /** Erasures that failed after every attempt. */
  erasureFailed: 'ErasureFailed',
} as const;

export type MetricName = (typeof METRICS)[keyof typeof METRICS];
