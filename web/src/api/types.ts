/**
 * Shapes of the HTTP API as the UI reads and writes them, derived from the server's own code: the
 * response schemas the OpenAPI document is generated from (lambdas/domain/openapi, which a unit test
 * holds to what the handlers return) and the request schemas the handlers parse with. Nothing here
 * is written by hand, so a change on the server is a type error in the UI, not a silent drift.
 *
 * Type-only imports: esbuild erases them, so the bundle carries no server code (or zod).
 */
import type * as z from 'zod';
import type { EventTrigger, Trigger } from '../../../lambdas/domain/automations/trigger';
import type { CampaignKind, campaignInputSchema } from '../../../lambdas/domain/campaigns/campaign';
import type { campaignPlanInputSchema } from '../../../lambdas/domain/campaigns/wave-plan';
import type { CampaignStatus } from '../../../lambdas/domain/campaigns/lifecycle';
import type { CampaignWarning, Message, MessageInput } from '../../../lambdas/domain/campaigns/message';
import type { IfPassed, Schedule } from '../../../lambdas/domain/campaigns/schedule';
import type { TestSendRequest, TestSendResult } from '../../../lambdas/domain/campaigns/test-send';
import type { catalogProductSchema, productCatalogSchema } from '../../../lambdas/domain/openapi/catalog';
import type { erasureSchema } from '../../../lambdas/domain/openapi/erasures';
import type { pushAppsSchema } from '../../../lambdas/domain/openapi/push-apps';
import type { recipientPageSchema } from '../../../lambdas/domain/openapi/recipients';
import type * as responses from '../../../lambdas/domain/openapi/responses';
import type { Condition, ConditionValue, Criterion, Group, Match, SegmentDefinition } from '../../../lambdas/domain/segments/criteria';
import type { Recommendation } from '../../../lambdas/domain/segments/estimate';
import type { FilterName, Operator, ValueType } from '../../../lambdas/domain/segments/filters';
import type { Settings } from '../../../lambdas/domain/settings';

export type {
  CampaignKind,
  CampaignStatus,
  EventTrigger,
  Trigger,
  IfPassed,
  TestSendRequest,
  TestSendResult,
  CampaignWarning as Warning,
  Condition,
  ConditionValue,
  Criterion,
  FilterName,
  Group,
  Match,
  Message,
  MessageInput,
  Operator,
  Recommendation,
  Schedule,
  SegmentDefinition,
  Settings,
  ValueType,
};

/** A saved segment (publicSegment). */
export type Segment = z.output<typeof responses.segmentSchema>;
/** GET /v1/segments: one page. */
export type SegmentPage = z.output<ReturnType<typeof responses.pageOf<typeof responses.segmentSchema>>>;

/** GET /v1/segment-filters. */
export type Catalog = z.output<typeof responses.filterCatalogSchema>;
/** One filter of the catalog. */
export type CatalogFilter = Catalog['filters'][number];

/** One product of GET /v1/catalog/products: seen in the tenant's events of the last 90 days. */
export type CatalogProduct = z.output<typeof catalogProductSchema>;
/** GET /v1/catalog/products. */
export type ProductCatalog = z.output<typeof productCatalogSchema>;

/** POST /v1/segment-estimates: 200 with the figures, or 202 with the id to poll. */
export type EstimateStarted = z.output<typeof responses.estimateSucceededSchema> | z.output<typeof responses.estimateRunningSchema>;
/** GET /v1/segment-estimates/{id}: running, succeeded or failed. */
export type EstimatePoll = z.output<typeof responses.estimatePollSchema>;
/** Any estimate answer. */
export type Estimate = EstimateStarted | EstimatePoll;
/** A finished estimate's figures (the POST's 200, or a poll's `succeeded`). */
export type EstimateSucceeded = Extract<Estimate, { status: 'succeeded' }>;

/** GET /v1/segments/{id}/explain/{deviceId}. */
export type Explanation = z.output<typeof responses.explanationSchema>;
export type ExplainedCondition = Explanation['conditions'][number];

/** The campaign body of POST/PUT /v1/campaigns, as the client sends it (defaults not yet applied). */
export type CampaignInput = z.input<typeof campaignInputSchema>;
/** A campaign (publicCampaign). */
export type Campaign = z.output<typeof responses.campaignSchema>;
/** An item of GET /v1/campaigns (with headline figures when listing `status=sent`). */
export type CampaignListItem = z.output<typeof responses.campaignListItemSchema>;
/** GET /v1/campaigns: one page. */
export type CampaignPage = z.output<ReturnType<typeof responses.pageOf<typeof responses.campaignListItemSchema>>>;
/** Throttling: pushes go out no faster than this many devices a minute. */
export type SendRate = NonNullable<Campaign['sendRate']>;

/** POST /v1/campaign-plans body (API.md "Campaigns, continued"). */
export type CampaignPlanRequest = z.input<typeof campaignPlanInputSchema>;
/** POST /v1/campaign-plans, 200: when each wave goes out and what quiet hours and the cap hold back. */
export type CampaignPlan = z.output<typeof responses.campaignPlanSchema>;

/** GET /v1/campaigns/{id}/insights, 200. */
export type Insights = z.output<typeof responses.insightsSchema>;
/** GET /v1/campaigns/{id}/insights, 202: still counting. */
export type InsightsRunning = z.output<typeof responses.insightsRunningSchema>;
/** Figures of one platform. */
export type PlatformInsights = Insights['byPlatform']['ios'];
/** GET /v1/campaigns/{id}/recipients: a page of devices with their final outcome and first open. */
export type RecipientPage = z.output<typeof recipientPageSchema>;
export type Recipient = RecipientPage['items'][number];
/** The `outcome` filter of GET /v1/campaigns/{id}/recipients. */
export type RecipientFilter = Recipient['outcome'] | 'opened';

/** An automated campaign (kind "automated"): a campaign with a trigger and no schedule. */
export type Automation = Campaign;
/** One hour of a campaign's insights timeline. */
export type HourPoint = Extract<Insights['timeline'][number], { hour: string }>;
/** One day of an automation's insights timeline (API.md v1.1: per day, where campaigns have hours). */
export type DayPoint = Extract<Insights['timeline'][number], { day: string }>;

/** GET /v1/push-apps (not shown by the UI yet). */
export type PushApps = z.output<typeof pushAppsSchema>;
/** An erasure (not shown by the UI yet). */
export type Erasure = z.output<typeof erasureSchema>;
