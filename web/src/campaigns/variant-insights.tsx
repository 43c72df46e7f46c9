/**
 * "Variants vs control" on the insights page (API.md v1.1): one row per variant and one for the control group,
 * the lift and its significance, a headline that names the winner, and the z-test's inputs for who wants to check.
 */
import type { Insights } from '../api/types';
import { Table, type Column } from '../components/ui';
import { fmtInt, fmtPct } from '../lib/format';
import {
  armName,
  fmtLift,
  fmtP,
  fmtZ,
  significanceOf,
  SIGNIFICANCE_WORDS,
  verdictOf,
  type Significance,
  type VariantInsights,
} from './variant-words';

const TONE: Record<Significance, string> = { significant: 'tone-ok', not_yet: 'tone-warn', not_enough_data: '', no_control: '' };

function SignificanceBadge({ v }: { v: VariantInsights }) {
  const s = significanceOf(v);
  const worse = s === 'significant' && (v.lift ?? 1) < 1;
  return (
    <span class={`pill sig ${worse ? 'tone-bad' : TONE[s]}`} data-testid="significance" data-significance={s}>
      {worse ? 'significantly lower (95 %)' : SIGNIFICANCE_WORDS[s]}
    </span>
  );
}

function VariantRow({ v, withControl }: { v: VariantInsights; withControl: boolean }) {
  return (
    <tr data-testid="variant-result" data-variant={v.id} data-significant={String(v.significant)}>
      <th scope="row">
        {armName(v.id)}
        {v.id !== 'message' && <span class="muted small"> · {v.weight} %</span>}
      </th>
      <td data-label="Devices" class="num">
        {fmtInt(v.sinceSend.devices)}
      </td>
      <td data-label="Sent" class="num">
        {fmtInt(v.sent)}
      </td>
      <td data-label="Opens" class="num">
        {fmtInt(v.opened)} <span class="muted small">({fmtPct(v.openRate)})</span>
      </td>
      <td data-label="Conversions" class="num">
        {fmtInt(v.sinceSend.conversions)} <span class="muted small">({fmtPct(v.sinceSend.conversionRate, 2)})</span>
      </td>
      {withControl && (
        <>
          <td data-label="Lift" class="num strong" data-testid="lift">
            {fmtLift(v.lift)}
          </td>
          <td data-label="Significance">
            <SignificanceBadge v={v} />
          </td>
        </>
      )}
    </tr>
  );
}

/** The card; nothing when the campaign has neither variants nor a control group. */
export function VariantsCard({ insights, windowHours }: { insights: Insights; windowHours: number }) {
  const arms = insights.byVariant;
  if (!arms || arms.length === 0) return null;
  const control = insights.control;
  const verdict = verdictOf(insights);
  const columns: Column[] = [
    { label: control ? 'Group' : 'Variant' },
    { label: 'Devices' },
    { label: 'Sent' },
    { label: 'Opens' },
    { label: 'Conversions since send' },
    ...(control ? [{ label: 'Lift vs control' }, { label: 'Significance' }] : []),
  ];
  const title =
    arms.length === 1 && arms[0].id === 'message' ? 'Push vs control' : control ? 'Variants vs control' : 'Variants side by side';
  return (
    <section class="card table-card variants-card" aria-labelledby="variants-title" data-testid="variants-card">
      <h2 id="variants-title">{title}</h2>
      {verdict && (
        <p class={`verdict verdict-${verdict.tone}`} data-testid="variants-verdict" data-winner={verdict.winner ?? ''}>
          {verdict.text}
        </p>
      )}
      <Table columns={columns} compact>
        {arms.map((v) => (
          <VariantRow key={v.id} v={v} withControl={!!control} />
        ))}
        {control && (
          <tr data-testid="control-result">
            <th scope="row">
              Control group <span class="muted small">· not pushed</span>
            </th>
            <td data-label="Devices" class="num">
              {fmtInt(control.devices)}
            </td>
            <td data-label="Sent" class="num muted">
              —
            </td>
            <td data-label="Opens" class="num muted">
              —
            </td>
            <td data-label="Conversions" class="num">
              {fmtInt(control.conversions)} <span class="muted small">({fmtPct(control.conversionRate, 2)})</span>
            </td>
            <td data-label="Lift" class="num muted">
              baseline
            </td>
            <td data-label="Significance" />
          </tr>
        )}
      </Table>
      <div class="table-note">
        <p class="muted small">
          Conversions since send count devices with a purchase within {windowHours} h of the push, opened or not
          {control ? ' (for the control group, of the moment it would have been pushed)' : ''}: unlike the figures above, which count
          purchases after an open, they can be compared with devices that got no push.
        </p>
        {control && (
          <details class="how" data-testid="variants-how">
            <summary>How is this computed?</summary>
            <p class="small">
              Each variant is compared with the control group by a two-sided two-proportion z-test (pooled): z = (p<sub>variant</sub> − p
              <sub>control</sub>) / √(p(1 − p)(1/n<sub>variant</sub> + 1/n<sub>control</sub>)), p the pooled rate. It is significant at 95 %
              when |z| ≥ 1.96 (p-value below 0.05), and only with enough data: each group needs at least 5 devices that converted and 5 that
              did not. Lift is the variant’s conversion rate over the control’s.
            </p>
            <ul class="small plain how-list">
              {arms.map((v) =>
                v.test ? (
                  <li key={v.id} data-testid="variant-test" data-variant={v.id}>
                    <strong>{armName(v.id)}</strong>: {fmtInt(v.test.variant.conversions)} of {fmtInt(v.test.variant.devices)} converted vs{' '}
                    {fmtInt(v.test.control.conversions)} of {fmtInt(v.test.control.devices)} in the control; z = {fmtZ(v.test.z)},{' '}
                    {fmtP(v.test.pValue)} (critical |z| {v.test.criticalZ}, α = {v.test.alpha})
                    {v.test.enoughData ? '' : '; not enough data yet'}.
                  </li>
                ) : null,
              )}
            </ul>
          </details>
        )}
      </div>
    </section>
  );
}
