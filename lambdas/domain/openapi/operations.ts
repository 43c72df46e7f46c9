/**
 * What the OpenAPI document says about each route of ROUTES (domain/http/routes.ts): its id, summary,
 * body, query parameters and success responses. Keyed by route key; document.ts fails loudly when
 * a route of ROUTES has no entry here, and the unit test fails on an entry that is not a route.
 */

/** A success response: a component schema name, or none (204). */
export interface SuccessResponse {
  description: string;
  schema?: string;
}

export type QueryParameter =
  'limit' | 'cursor' | 'status' | 'kind' | 'productQuery' | 'catalogLimit' | 'recipientOutcome' | 'recipientCursor';

export interface OperationSpec {
  operationId: string;
  summary: string;
  description?: string;
  /** Component schema of the JSON request body. */
  body?: string;
  /** The body may be omitted (every field of it is optional). */
  bodyOptional?: boolean;
  query?: QueryParameter[];
  /** Accepts `If-Match: <version>` (optimistic concurrency). */
  ifMatch?: boolean;
  ok: Record<number, SuccessResponse>;
  /** 409: the resource's state forbids the action. */
  conflict?: string;
  /** 404 of an operation without path parameters: a resource named in the body does not exist. */
  notFound?: string;
}

export const OPERATIONS: Record<string, OperationSpec> = {
  'PUT /v1/devices/{deviceId}': {
    operationId: 'registerDevice',
    summary: 'Register or update a push subscription (idempotent; the latest write wins)',
    body: 'DeviceRegistration',
    ok: { 200: { description: 'The stored device (token not echoed)', schema: 'Device' } },
  },
  'DELETE /v1/devices/{deviceId}': {
    operationId: 'deleteDevice',
    summary: 'Delete a push subscription (the app was uninstalled, or the shopper asked to be forgotten on this phone)',
    description:
      'The device is never pushed again and its provider endpoint is deleted; its rows are then erased from the event lake by an erasure. ' +
      'Idempotent: an unknown device is a 204 too.',
    ok: { 204: { description: 'Deleted' } },
  },
  'POST /v1/events': {
    operationId: 'ingestEvents',
    summary: 'Report a batch of 1–500 app events',
    description: 'Valid events are kept even when others in the batch are rejected; a batch with no valid event is a 400.',
    body: 'EventBatch',
    ok: { 200: { description: 'Accepted count and each rejected event by index', schema: 'EventsResult' } },
  },

  'GET /v1/segment-filters': {
    operationId: 'listSegmentFilters',
    summary: 'The filter catalog for building segments',
    ok: { 200: { description: 'Filters, operators, value types and limits', schema: 'FilterCatalog' } },
  },
  'POST /v1/segments': {
    operationId: 'createSegment',
    summary: 'Create a segment',
    body: 'SegmentInput',
    ok: { 201: { description: 'The segment, version 1', schema: 'Segment' } },
    conflict: '`conflict`: a segment with this name exists',
  },
  'GET /v1/segments': {
    operationId: 'listSegments',
    summary: 'List segments',
    query: ['limit', 'cursor'],
    ok: { 200: { description: 'A page of segments', schema: 'SegmentPage' } },
  },
  'GET /v1/segments/{id}': {
    operationId: 'getSegment',
    summary: 'Get a segment',
    ok: { 200: { description: 'The segment', schema: 'Segment' } },
  },
  'PUT /v1/segments/{id}': {
    operationId: 'updateSegment',
    summary: 'Replace a segment’s name, description, match and criteria (version + 1)',
    body: 'SegmentInput',
    ifMatch: true,
    ok: { 200: { description: 'The updated segment', schema: 'Segment' } },
    conflict: '`version_mismatch` (stale If-Match) or `conflict` (name taken)',
  },
  'DELETE /v1/segments/{id}': {
    operationId: 'deleteSegment',
    summary: 'Delete a segment',
    ifMatch: true,
    ok: { 204: { description: 'Deleted' } },
    conflict: '`segment_in_use` (the error lists `referrers`) or `version_mismatch`',
  },
  'GET /v1/segments/{id}/explain/{deviceId}': {
    operationId: 'explainSegment',
    summary: 'Why a device is, or is not, a member of a segment',
    ok: { 200: { description: 'Membership and each condition’s verdict', schema: 'Explanation' } },
  },
  'POST /v1/segment-estimates': {
    operationId: 'estimateSegment',
    summary: 'Estimate the size of a saved segment or an unsaved definition',
    body: 'EstimateRequest',
    ok: {
      200: { description: 'The estimate, when ready within about 5 seconds', schema: 'EstimateSucceeded' },
      202: { description: 'Still running: poll GET /v1/segment-estimates/{id}', schema: 'EstimateRunning' },
    },
    notFound: '`not_found`: no segment with that `segmentId` for this tenant',
  },
  'GET /v1/segment-estimates/{id}': {
    operationId: 'getSegmentEstimate',
    summary: 'Poll a running estimate',
    ok: { 200: { description: 'running, succeeded or failed', schema: 'Estimate' } },
  },
  'GET /v1/catalog/products': {
    operationId: 'listCatalogProducts',
    summary: 'Products seen in the tenant’s events of the last 90 days, most viewed first',
    description: 'For the segment builder’s product picker: prefix match on `query`. Answers may be up to 5 minutes old.',
    query: ['productQuery', 'catalogLimit'],
    ok: { 200: { description: 'Products with their view, favourite and cart counts', schema: 'ProductCatalog' } },
  },

  'POST /v1/campaigns': {
    operationId: 'createCampaign',
    summary: 'Create a campaign or an automated campaign (draft)',
    description:
      'A campaign (`kind: "campaign"`, the default) has a `schedule`; an automated campaign (`kind: "automated"`) has a `trigger` ' +
      'and no schedule, sendRate or segment, and sends to each device that meets its trigger while it is active.',
    body: 'CampaignInput',
    ok: { 201: { description: 'The campaign in draft, with warnings', schema: 'Campaign' } },
  },
  'GET /v1/campaigns': {
    operationId: 'listCampaigns',
    summary: 'List campaigns',
    description:
      '`status` and `kind` filter (both may be given). With `status=sent` or `kind=automated` each campaign carries `insights`, ' +
      'its headline figures (null while still counting; an automated campaign’s accumulate while it is active).',
    query: ['status', 'kind', 'limit', 'cursor'],
    ok: { 200: { description: 'A page of campaigns', schema: 'CampaignPage' } },
  },
  'GET /v1/campaigns/{id}': {
    operationId: 'getCampaign',
    summary: 'Get a campaign with its progress',
    ok: { 200: { description: 'The campaign', schema: 'Campaign' } },
  },
  'PUT /v1/campaigns/{id}': {
    operationId: 'updateCampaign',
    summary: 'Edit a draft or scheduled campaign (a scheduled one is re-scheduled), or a draft or paused automated campaign',
    description: 'A launched campaign cannot change its `kind`.',
    body: 'CampaignInput',
    ok: { 200: { description: 'The updated campaign', schema: 'Campaign' } },
    conflict:
      '`invalid_state`: not in draft or scheduled (an automated campaign: not in draft or paused), or a launched campaign changing its kind',
  },
  'DELETE /v1/campaigns/{id}': {
    operationId: 'deleteCampaign',
    summary: 'Delete a campaign in draft, cancelled, sent or failed',
    ok: { 204: { description: 'Deleted' } },
    conflict: '`invalid_state`: scheduled or sending (an automated campaign: active or paused)',
  },
  'POST /v1/campaigns/{id}/launch': {
    operationId: 'launchCampaign',
    summary: 'Launch a draft campaign (an automated one becomes active)',
    ok: { 200: { description: 'The campaign, scheduled (or sending for `now`; active for an automated campaign)', schema: 'Campaign' } },
    conflict: '`invalid_state`: not a draft',
  },
  'POST /v1/campaigns/{id}/cancel': {
    operationId: 'cancelCampaign',
    summary: 'Cancel a scheduled or sending campaign, or an active or paused automated campaign',
    ok: { 200: { description: 'The campaign, cancelled', schema: 'Campaign' } },
    conflict: '`invalid_state`: not scheduled or sending (an automated campaign: not active or paused)',
  },
  'POST /v1/campaigns/{id}/pause': {
    operationId: 'pauseCampaign',
    summary: 'Pause an active automated campaign',
    description:
      'Nothing new enters the automation and devices that become due wait; `PUT` is allowed again. ' +
      'Resume sends what became due meanwhile (except what is more than 24 h past due, which is history), never twice.',
    ok: { 200: { description: 'The automated campaign, paused', schema: 'Campaign' } },
    conflict: '`invalid_state`: not an active automated campaign (the error carries `status`)',
  },
  'POST /v1/campaigns/{id}/resume': {
    operationId: 'resumeCampaign',
    summary: 'Resume a paused automated campaign',
    description:
      'Events trigger it again, with the trigger as last saved. Devices that became due while it was paused go out now, ' +
      'except those more than 24 h past due (history, not a trigger); no device is pushed twice for one trigger occurrence. ' +
      'Safe to repeat: on an automation already active it puts back any held devices a lost or interrupted resume left, and answers 200.',
    ok: { 200: { description: 'The automated campaign, active again', schema: 'Campaign' } },
    conflict: '`invalid_state`: neither a paused nor an active automated campaign (the error carries `status`)',
  },
  'POST /v1/campaigns/{id}/test': {
    operationId: 'testSendCampaign',
    summary: 'Push the campaign’s message now to a few test devices',
    description:
      'To `deviceIds` (at most 20), else to the `testDevices` of the settings; none of either is a 400. Each push carries `data.test = "true"` ' +
      '(a string: push data values are strings on the wire). Segment, schedule, frequency cap and quiet hours are ignored, and the campaign’s ' +
      'status, version, progress and insights never change. Opted-out devices, dead tokens and unknown ids are not pushed: they are listed in `skipped`. ' +
      'The body may be omitted.',
    body: 'TestSendRequest',
    bodyOptional: true,
    ok: { 200: { description: 'How many devices were pushed, and who was skipped and why', schema: 'TestSendResult' } },
    conflict: '`invalid_state`: the campaign is cancelled',
  },
  'POST /v1/campaigns/{id}/duplicate': {
    operationId: 'duplicateCampaign',
    summary: 'Copy a campaign (any status) into a new draft named “<name> (copy)”',
    description:
      'Same kind, segment, message, schedule, trigger and send rate; a schedule whose moment has passed becomes `now`. A fresh id, version 1, ' +
      'zero progress, no waves. The name is cut so that it stays within 200 characters with the suffix.',
    ok: { 201: { description: 'The new campaign in draft', schema: 'Campaign' } },
    conflict: '`conflict`: the campaign’s segment was deleted',
  },
  'POST /v1/campaign-plans': {
    operationId: 'planCampaign',
    summary: 'Preview the waves of a schedule and the hold-backs, before anything is sent',
    description:
      'The same planning launch runs: the audience (a saved segment, or every opted-in device) counted per time zone in the lake, ' +
      'the waves of the schedule (`ifPassed` applied), and how many devices quiet hours will defer and the frequency cap already holds back. ' +
      'Stores nothing. A query over the request budget answers 503 `query_timeout`.',
    body: 'CampaignPlanRequest',
    ok: { 200: { description: 'Waves with their send time and devices, and the hold-backs', schema: 'CampaignPlan' } },
    notFound: '`not_found`: no segment with that `segmentId` for this tenant',
  },
  'GET /v1/campaigns/{id}/insights': {
    operationId: 'getCampaignInsights',
    summary: 'Delivery, opens and conversions of a campaign',
    description: 'An automated campaign’s figures accumulate while it is active, and its `timeline` is per UTC day.',
    ok: {
      200: {
        description: 'Delivery, opens, conversions, by platform, and per hour (a campaign) or per day (an automated campaign)',
        schema: 'Insights',
      },
      202: { description: 'The engagement query is still running: ask again', schema: 'InsightsRunning' },
    },
  },
  'GET /v1/campaigns/{id}/recipients': {
    operationId: 'listCampaignRecipients',
    summary: 'The devices a campaign reached or held back, with their outcome and first open',
    description:
      'One item per device, ordered by `deviceId`: its final outcome (a device enqueued and then sent is `sent`; `queued` until the sender records it), ' +
      'the reason of a suppression or failure, and `openedAt`, its first push_open of the campaign (sent devices only, as insights count opens, ' +
      'up to the end of the attribution window after sending ended). A draft has none. Read from the event lake within the request budget: ' +
      'past it 503 `query_timeout`. Devices erased since are gone from the list.',
    query: ['recipientOutcome', 'limit', 'recipientCursor'],
    ok: { 200: { description: 'A page of recipients', schema: 'RecipientPage' } },
  },

  'GET /v1/settings': {
    operationId: 'getSettings',
    summary: 'The tenant’s delivery settings',
    ok: { 200: { description: 'Complete settings (defaults filled in)', schema: 'Settings' } },
  },
  'PUT /v1/settings': {
    operationId: 'putSettings',
    summary: 'Replace the settings; omitted fields take their defaults',
    body: 'SettingsInput',
    ok: { 200: { description: 'Complete settings as stored', schema: 'Settings' } },
  },

  'GET /v1/push-apps': {
    operationId: 'getPushApps',
    summary: 'The push apps devices are registered with: the tenant’s own, else the deploy-time default',
    description: 'Secrets are never returned.',
    ok: { 200: { description: 'iOS and Android apps, public view', schema: 'PushApps' } },
  },
  'PUT /v1/push-apps/ios': {
    operationId: 'putIosPushApp',
    summary: 'Register the tenant’s iOS app: an SNS application ARN, or APNs token credentials',
    description:
      'Creates or updates the SNS platform application (APNS, or APNS_SANDBOX when `sandbox`) and keeps the signing key in Secrets Manager. ' +
      'Devices move to the new app on their next registration. Bad credentials are a 400.',
    body: 'IosPushAppInput',
    ok: { 200: { description: 'The iOS app, public view', schema: 'IosPushApp' } },
  },
  'PUT /v1/push-apps/android': {
    operationId: 'putAndroidPushApp',
    summary: 'Register the tenant’s Android app: an SNS application ARN, or an FCM v1 service account',
    description:
      'Creates or updates the SNS platform application (GCM, FCM HTTP v1) and keeps the service account in Secrets Manager. ' +
      'Devices move to the new app on their next registration. Bad credentials are a 400.',
    body: 'AndroidPushAppInput',
    ok: { 200: { description: 'The Android app, public view', schema: 'AndroidPushApp' } },
  },

  'POST /v1/erasures': {
    operationId: 'startErasure',
    summary: 'Forget a shopper (every device tied to the customer id) or one device everywhere the service keeps them',
    description:
      'When it has succeeded, no estimate, campaign, explain or insights figure sees those devices or their events any more ' +
      '(the lake files that held them are rewritten without them), and the device records are gone. ' +
      'Idempotent: while an erasure of the same subject is running, that one is returned.',
    body: 'ErasureRequest',
    ok: { 202: { description: 'The erasure, running: poll GET /v1/erasures/{id}', schema: 'Erasure' } },
  },
  'GET /v1/erasures/{id}': {
    operationId: 'getErasure',
    summary: 'Poll an erasure',
    ok: { 200: { description: 'running, succeeded (with the devices and events removed) or failed', schema: 'Erasure' } },
  },
};
