/**
 * Query-string and header values of API.md, parsed into the typed inputs the use cases take.
 * Values arrive as text; a bad one is a 400 validation_error naming the parameter.
 */
import { CAMPAIGN_KINDS, type CampaignKind } from '../../domain/campaigns/campaign';
import { CAMPAIGN_STATUSES, type CampaignStatus } from '../../domain/campaigns/lifecycle';
import { ValidationError } from '../../domain/errors';

/** A page request: `limit` (1–100, default 50) and an opaque `cursor`. */
export interface PageQuery {
  limit: number;
  cursor?: string;
}

/** `?limit&cursor`. Digits only: Number() would also take "0x10", "1e1" or " 5". */
export function pageQuery(query: Record<string, string | undefined>): PageQuery {
  return { limit: parseLimit(query.limit), cursor: query.cursor };
}

/** `?status&kind&limit&cursor` of GET /v1/campaigns (status checked first). */
export function campaignListQuery(query: Record<string, string | undefined>): PageQuery & { status?: CampaignStatus; kind?: CampaignKind } {
  const status = oneOf(query.status, 'status', CAMPAIGN_STATUSES);
  const kind = oneOf(query.kind, 'kind', CAMPAIGN_KINDS);
  return { status, kind, ...pageQuery(query) };
}

/** An optional enumerated parameter: absent, or one of `values` (else a 400 naming it). */
function oneOf<T extends string>(raw: string | undefined, name: string, values: readonly T[]): T | undefined {
  if (raw === undefined) return undefined;
  if (!(values as readonly string[]).includes(raw)) {
    throw new ValidationError(`${name}: must be one of ${values.join(', ')}`, [
      { path: name, message: `must be one of ${values.join(', ')}` },
    ]);
  }
  return raw as T;
}

function parseLimit(raw: string | undefined): number {
  if (raw === undefined) return 50;
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || n < 1 || n > 100)
    throw new ValidationError('limit: must be an integer from 1 to 100', [{ path: 'limit', message: 'must be an integer from 1 to 100' }]);
  return n;
}

/** The version an If-Match header expects: `3`, `"3"` and `W/"3"` are accepted; absent is undefined. */
export function parseIfMatch(raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const m = /^\s*(?:W\/)?"?(\d{1,9})"?\s*$/.exec(raw);
  if (!m) throw new ValidationError('If-Match: must be the version number', [{ path: 'If-Match', message: 'must be the version number' }]);
  return Number(m[1]);
}
