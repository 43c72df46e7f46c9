/** Typed calls of API.md's merchant endpoints. */
import { api, enc, request } from './client';
import type {
  Campaign,
  CampaignInput,
  CampaignKind,
  CampaignListItem,
  CampaignPlan,
  CampaignPlanRequest,
  CampaignPage,
  CampaignStatus,
  EstimatePoll,
  EstimateStarted,
  Explanation,
  Insights,
  InsightsRunning,
  ProductCatalog,
  RecipientFilter,
  RecipientPage,
  Segment,
  SegmentDefinition,
  SegmentPage,
  Settings,
  TestSendRequest,
  TestSendResult,
} from './types';

export interface SegmentInput extends SegmentDefinition {
  name: string;
  description: string | null;
}

export const segmentsApi = {
  /** Every segment (follows nextCursor). */
  async listAll(): Promise<Segment[]> {
    const out: Segment[] = [];
    let cursor: string | null = null;
    do {
      const q: string = cursor ? `&cursor=${enc(cursor)}` : '';
      const page: SegmentPage = await api.get<SegmentPage>(`/v1/segments?limit=50${q}`);
      out.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor && out.length < 1000);
    return out;
  },
  get: (id: string) => api.get<Segment>(`/v1/segments/${enc(id)}`),
  create: (input: SegmentInput) => api.post<Segment>('/v1/segments', input),
  update: (id: string, input: SegmentInput, version: number) =>
    api.put<Segment>(`/v1/segments/${enc(id)}`, input, { headers: { 'If-Match': String(version) } }),
  remove: (id: string) => api.del(`/v1/segments/${enc(id)}`),
  explain: (id: string, deviceId: string) => api.get<Explanation>(`/v1/segments/${enc(id)}/explain/${enc(deviceId)}`),
};

export const estimatesApi = {
  /** 200 with the answer, or 202 {id, status: running} to be polled. */
  start: async (body: SegmentDefinition | { segmentId: string }, sampleSize: number, signal?: AbortSignal) =>
    (await request<EstimateStarted>('POST', '/v1/segment-estimates', { body: { ...body, sampleSize }, signal })).body,
  get: (id: string, signal?: AbortSignal) => api.get<EstimatePoll>(`/v1/segment-estimates/${enc(id)}`, { signal }),
};

export const productsApi = {
  /** Products whose id starts with `query`, most viewed first (GET /v1/catalog/products). */
  search: (query: string, limit = 20, signal?: AbortSignal) =>
    api.get<ProductCatalog>(`/v1/catalog/products?query=${enc(query)}&limit=${limit}`, { signal }).then((r) => r.items),
};

export const campaignsApi = {
  list: (status?: CampaignStatus) => api.get<CampaignPage>(`/v1/campaigns${status ? `?status=${status}` : ''}`),
  /**
   * Every campaign (follows nextCursor, at most 1,000): search, sort and "used by" work on the whole list.
   * `kind` asks for broadcasts (`campaign`) or automations (`automated`) only (GET /v1/campaigns?kind=).
   */
  async listAll(status?: CampaignStatus, kind?: CampaignKind): Promise<CampaignListItem[]> {
    const out: CampaignListItem[] = [];
    let cursor: string | null = null;
    do {
      const q = new URLSearchParams({ limit: '100' });
      if (status) q.set('status', status);
      if (kind) q.set('kind', kind);
      if (cursor) q.set('cursor', cursor);
      const page: CampaignPage = await api.get<CampaignPage>(`/v1/campaigns?${q.toString()}`);
      out.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor && out.length < 1000);
    return out;
  },
  /** POST /v1/campaign-plans (API.md "Campaigns, continued"): the waves and hold-backs before anything is sent. */
  plan: (body: CampaignPlanRequest, signal?: AbortSignal) => api.post<CampaignPlan>('/v1/campaign-plans', body, { signal }),
  get: (id: string) => api.get<Campaign>(`/v1/campaigns/${enc(id)}`),
  create: (input: CampaignInput) => api.post<Campaign>('/v1/campaigns', input),
  update: (id: string, input: CampaignInput) => api.put<Campaign>(`/v1/campaigns/${enc(id)}`, input),
  launch: (id: string) => api.post<Campaign>(`/v1/campaigns/${enc(id)}/launch`),
  cancel: (id: string) => api.post<Campaign>(`/v1/campaigns/${enc(id)}/cancel`),
  /** Automations: active → paused (nothing is sent while paused). */
  pause: (id: string) => api.post<Campaign>(`/v1/campaigns/${enc(id)}/pause`),
  /** Automations: paused → active. */
  resume: (id: string) => api.post<Campaign>(`/v1/campaigns/${enc(id)}/resume`),
  remove: (id: string) => api.del(`/v1/campaigns/${enc(id)}`),
  /** Pushes the message now to test devices (default: the settings' testDevices); status and progress never change. */
  testSend: (id: string, body: TestSendRequest = {}) => api.post<TestSendResult>(`/v1/campaigns/${enc(id)}/test`, body),
  /** A new draft "<name> (copy)"; 409 `conflict` when the campaign's segment was deleted. */
  duplicate: (id: string) => api.post<Campaign>(`/v1/campaigns/${enc(id)}/duplicate`),
  /** 200 with the figures, or 202 `{campaignId, status: 'running'}` while the engine counts (ask again). */
  insights: (id: string) => api.get<Insights | InsightsRunning>(`/v1/campaigns/${enc(id)}/insights`),
  /** A page of the devices the campaign reached or held back (ordered by device id); `cursor` is the previous page's nextCursor. */
  recipients: (id: string, outcome: RecipientFilter | null, cursor: string | null, limit = 50) =>
    api.get<RecipientPage>(
      `/v1/campaigns/${enc(id)}/recipients?limit=${limit}${outcome ? `&outcome=${enc(outcome)}` : ''}${cursor ? `&cursor=${enc(cursor)}` : ''}`,
    ),
};

export const settingsApi = {
  get: () => api.get<Settings>('/v1/settings'),
  put: (s: Settings) => api.put<Settings>('/v1/settings', s),
};
