/** Names of the custom metrics the functions emit; the CDK monitoring construct alarms and graphs on them. */
export const METRICS = {
  athenaQueryFailed: 'AthenaQueryFailed',
  pushSent: 'PushSent',
  pushFailed: 'PushFailed',
  pushSuppressed: 'PushSuppressed',
  estimateLatency: 'EstimateLatency',
} as const;

export type MetricName = (typeof METRICS)[keyof typeof METRICS];
