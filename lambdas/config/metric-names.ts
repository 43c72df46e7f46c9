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
  /** Per sweep: the largest delay (seconds) between a due item's due time and its hand-over to the send queue. */
  automationDueLag: 'AutomationDueLagSeconds',
  /** Devices automated campaigns handed to the send queue. */
  automationsEnqueued: 'AutomationPushesEnqueued',
} as const;

export type MetricName = (typeof METRICS)[keyof typeof METRICS];
