/** Pieces the campaign composer and the automation editor share: the name card, warnings, local checks, error summary. */
import type { ApiError, ErrorDetail } from '../api/client';
import { currentTenant } from '../api/auth';
import { campaignsApi } from '../api/endpoints';
import type { Campaign, CampaignInput, Warning } from '../api/types';
import { TextField } from '../components/field';
import { Banner } from '../components/ui';
import { replacePath } from '../lib/router';
import { toast } from '../lib/toast';
import { labelled } from './merchant-errors';
import { variantPrefix } from './variants';

/** The app's name in the phone preview: the tenant, capitalised. */
export const appName = () => {
  const t = currentTenant();
  return t.charAt(0).toUpperCase() + t.slice(1);
};

/** The card with the name only the merchant sees. */
export function NameCard(props: {
  legend: string;
  id: string;
  label: string;
  placeholder: string;
  value: string;
  error?: string;
  disabled: boolean;
  onValue: (name: string) => void;
}) {
  return (
    <fieldset class="card" disabled={props.disabled}>
      <legend class="card-legend">{props.legend}</legend>
      <TextField
        id={props.id}
        label={props.label}
        hint="Only you see this."
        error={props.error}
        placeholder={props.placeholder}
        value={props.value}
        onValue={props.onValue}
      />
    </fieldset>
  );
}

/** The service's non-blocking remarks on what was saved; `variantIds` names the variant a remark is about. */
export function WarningsBanner({ warnings, variantIds = [] }: { warnings: Warning[]; variantIds?: readonly string[] }) {
  return (
    <Banner kind="warning">
      <ul class="plain" data-testid="warnings">
        {warnings.map((w) => (
          <li key={`${w.path}:${w.code}`}>
            {variantPrefix(w.path, variantIds)}
            {w.message}
          </li>
        ))}
      </ul>
    </Banner>
  );
}

/** The checks made before saving: an empty or too long title or body, as `{ path: text }`. */
export { messageErrors } from './message-checks';

/** The banner's text for a refused save: the API's message, or the errors that have no field on the page. */
export function errorSummary(err: ApiError, placed: (path: string) => boolean): string {
  const unplaced: ErrorDetail[] = err.details.filter((d) => !placed(d.path));
  return err.details.length === 0
    ? err.message
    : unplaced.length === 0
      ? 'Please fix the fields marked below.'
      : unplaced.map(labelled).join(' · ');
}

/**
 * Create (`existing` null) or update, then `keep` what the service stored, move a new one to its own address
 * and say so; null when the service refused (shown by `fail`).
 */
export async function storeCampaign(
  existing: Campaign | null,
  input: CampaignInput,
  then: { keep: (saved: Campaign) => void; path: (id: string) => string; toast: string | null; fail: (err: unknown) => void },
): Promise<Campaign | null> {
  try {
    const saved = existing ? await campaignsApi.update(existing.id, input) : await campaignsApi.create(input);
    then.keep(saved);
    if (!existing) replacePath(then.path(saved.id));
    if (then.toast) toast(then.toast);
    return saved;
  } catch (err) {
    then.fail(err);
    return null;
  }
}
