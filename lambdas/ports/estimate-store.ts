/** Estimates that outlive a request (Athena): the query handle and, once known, the result. */
export interface StoredEstimate {
  id: string;
  tenantId: string;
  queryId: string;
  sampleQueryId: string | null;
  asOf: string;
  createdAt: string;
  result?: Record<string, unknown>;
}

export interface EstimateStore {
  put(estimate: StoredEstimate): Promise<void>;
  get(tenantId: string, id: string): Promise<StoredEstimate | undefined>;
}
