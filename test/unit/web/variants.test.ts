/** The composer's A/B test and the insights' reading of variants against the control (API.md v1.1). */
import type { Campaign, Insights } from '../../../web/src/api/types';
import { draftFrom, emptyDraft, toInput, type Draft } from '../../../web/src/campaigns/draft';
import { filterAndSort } from '../../../web/src/campaigns/list-order';
import { fieldErrors, labelled } from '../../../web/src/campaigns/merchant-errors';
import { testSendSummary } from '../../../web/src/campaigns/test-send-words';
import { armsInWords, fmtLift, significanceOf, titleOf, verdictOf, type VariantInsights } from '../../../web/src/campaigns/variant-words';
import {
  addVariant,
  errorsOfVariant,
  evenWeights,
  removeVariant,
  startAbTest,
  stopAbTest,
  variantErrors,
  variantsWithErrors,
} from '../../../web/src/campaigns/variants';
import { progressWords } from '../../../web/src/campaigns/waves';

const tooLong = (max: number) => `at most ${max}`;
const base = (): Draft => ({ ...emptyDraft('UTC'), name: 'BF', title: 'Sale', body: 'Now on' });

describe('composer A/B test', () => {
  it('splits 100 evenly, the remainder to the first variants', () => {
    expect(evenWeights(2)).toEqual(['50', '50']);
    expect(evenWeights(3)).toEqual(['34', '33', '33']);
    expect(evenWeights(4)).toEqual(['25', '25', '25', '25']);
  });

  it('starts with A and B copying the message, adds C, removes one, and stops with the variant on screen', () => {
    const d = { ...base(), ...startAbTest(base()) } as Draft;
    expect(d.variants!.map((v) => [v.id, v.weight, v.title])).toEqual([
      ['A', '50', 'Sale'],
      ['B', '50', 'Sale'],
    ]);
    const three = addVariant(d.variants!, 1);
    expect(three.map((v) => [v.id, v.weight])).toEqual([
      ['A', '34'],
      ['B', '33'],
      ['C', '33'],
    ]);
    expect(removeVariant(three, 0).map((v) => [v.id, v.weight])).toEqual([
      ['B', '50'],
      ['C', '50'],
    ]);
    expect(removeVariant(d.variants!, 0)).toHaveLength(2); // never below 2
    const edited = { ...d, variants: d.variants!.map((v, i) => (i === 1 ? { ...v, title: 'B title' } : v)) };
    expect(stopAbTest(edited, 1)).toMatchObject({ title: 'B title', variants: [] });
  });

  it('sends variants instead of the message, with the holdout; one message and no variants when off', () => {
    const d: Draft = { ...base(), ...startAbTest(base()), holdoutPercent: '10' } as Draft;
    d.variants![1] = { ...d.variants![1], title: 'Other' };
    const input = toInput(d);
    expect(input.message).toBeNull();
    expect(input.holdoutPercent).toBe(10);
    expect(input.variants).toEqual([
      { id: 'A', weight: 50, message: { title: 'Sale', body: 'Now on' } },
      { id: 'B', weight: 50, message: { title: 'Other', body: 'Now on' } },
    ]);
    const one = toInput({ ...base(), holdoutPercent: '' });
    expect(one).toMatchObject({ message: { title: 'Sale' }, variants: null, holdoutPercent: 0 });
  });

  it('reads a stored campaign with variants back into the form (ttlSeconds kept on save)', () => {
    const c = {
      name: 'AB',
      segmentId: null,
      message: null,
      variants: [
        { id: 'A', weight: 70, message: { title: 'A t', body: 'a', ttlSeconds: 3600 } },
        { id: 'B', weight: 30, message: { title: 'B t', body: 'b', ttlSeconds: 3600 } },
      ],
      holdoutPercent: 20,
      schedule: { type: 'now' },
      sendRate: null,
    } as unknown as Campaign;
    const d = draftFrom(c, 'UTC');
    expect(d.title).toBe('A t');
    expect(d.variants!.map((v) => [v.id, v.weight, v.title])).toEqual([
      ['A', '70', 'A t'],
      ['B', '30', 'B t'],
    ]);
    expect(d.holdoutPercent).toBe('20');
    expect(toInput(d, c).variants![1].message.ttlSeconds).toBe(3600);
  });

  it('checks names, shares, their sum, the holdout and each message before saving, at the API paths', () => {
    const d = { ...base(), ...startAbTest(base()), holdoutPercent: '60' } as Draft;
    d.variants = [
      { ...d.variants![0], id: 'A', weight: '70' },
      { ...d.variants![1], id: 'A', weight: '20', title: '' },
    ];
    const e = variantErrors(d, tooLong);
    expect(Object.keys(e).sort()).toEqual(['holdoutPercent', 'variants', 'variants[1].id', 'variants[1].message.title']);
    expect(e.variants).toContain('90');
    expect(errorsOfVariant(e, 1)).toEqual({ id: e['variants[1].id'], 'message.title': 'Write a title' });
    expect([...variantsWithErrors(e)]).toEqual([1]);
    expect(variantErrors({ ...base(), holdoutPercent: '10' }, tooLong)).toEqual({});
  });

  it("puts the server's variant errors in the merchant's words", () => {
    const details = [
      { path: 'variants', message: 'weights must sum to 100 (they sum to 90)' },
      { path: 'variants[1].message.title', message: 'must not be empty' },
    ];
    expect(fieldErrors(details)).toEqual({
      variants: 'The shares must add up to 100 % (they add up to 90 %)',
      'variants[1].message.title': 'This cannot be empty',
    });
    expect(labelled(details[1])).toBe('Variant 2 title: This cannot be empty');
  });
});

describe('lists, progress and test sends with variants', () => {
  const ab = {
    name: 'AB',
    createdAt: '2026-11-29T00:00:00Z',
    message: null,
    variants: [{ message: { title: 'First' } }, { message: { title: 'Second' } }],
  };

  it("shows and searches the first variant's title (a campaign with variants has no message)", () => {
    expect(titleOf(ab)).toBe('First');
    expect(filterAndSort([ab], 'second', 'newest', () => ({ audience: '' }))).toHaveLength(1);
  });

  it('says the arms and the held-out devices', () => {
    expect(
      armsInWords({
        variants: [
          { id: 'A', weight: 60 },
          { id: 'B', weight: 40 },
        ] as Campaign['variants'],
        holdoutPercent: 10,
      }),
    ).toBe('Variant A 60 % · Variant B 40 % · control group 10 % of the audience (not pushed)');
    expect(armsInWords({ variants: null, holdoutPercent: 10 })).toBe('10 % of the audience (not pushed)');
    const progress = { targeted: 10, sent: 9, heldOut: 1, failed: 0, suppressed: 0, deferred: 0 };
    const line = progressWords(
      {
        status: 'sent',
        waves: [],
        progress: { ...progress, suppressedBy: { optedOut: 0, frequencyCap: 0, invalidToken: 0, timePassed: 0 } },
      },
      new Date(),
      'UTC',
    ).line;
    expect(line).toBe('9 sent · 1 held out (control group, not pushed)');
  });

  it('names the variants a test send pushed', () => {
    expect(testSendSummary({ sent: 1, skipped: [], variants: ['A', 'B'] })).toBe('Sent to 1 device (variants A, B, one push each)');
  });
});

describe('variants vs control', () => {
  const test = (variant: [number, number], control: [number, number], z: number, pValue: number, enoughData = true) => ({
    method: 'two-proportion z-test, two-sided, pooled' as const,
    alpha: 0.05,
    criticalZ: 1.96,
    variant: { devices: variant[0], conversions: variant[1] },
    control: { devices: control[0], conversions: control[1] },
    z,
    pValue,
    enoughData,
  });
  const arm = (id: string, lift: number | null, significant: boolean, t: ReturnType<typeof test> | null): VariantInsights => ({
    id,
    weight: 50,
    sent: 400,
    failed: 0,
    suppressed: { optedOut: 0, frequencyCap: 0, invalidToken: 0 },
    opened: 40,
    openRate: 0.1,
    conversions: 10,
    conversionRate: 0.025,
    revenue: 0,
    sinceSend: { devices: 400, conversions: t?.variant.conversions ?? 20, conversionRate: (t?.variant.conversions ?? 20) / 400 },
    lift,
    significant,
    test: t,
  });
  const control = { devices: 100, conversions: 10, conversionRate: 0.1 };

  it('formats lift as a change', () => {
    expect(fmtLift(1.48)).toBe('+48 %');
    expect(fmtLift(0.9)).toBe('−10 %');
    expect(fmtLift(null)).toBe('—');
  });

  it('names the winner only when it is significantly better', () => {
    const a = arm('A', 2.5, true, test([400, 100], [100, 10], 3.1, 0.002));
    const b = arm('B', 1.05, false, test([400, 42], [100, 10], 0.1, 0.9));
    const i = { byVariant: [a, b], control } as Pick<Insights, 'byVariant' | 'control'>;
    expect(verdictOf(i)).toEqual({ text: 'Variant A wins: +150 % conversions vs control (significant at 95 %)', tone: 'ok', winner: 'A' });
    expect(significanceOf(a)).toBe('significant');
    expect(significanceOf(b)).toBe('not_yet');
    expect(verdictOf({ byVariant: [b], control })!.text).toBe('No variant beats the control significantly yet');
    const thin = arm('A', 2, false, test([40, 2], [10, 1], 0.5, 0.6, false));
    expect(significanceOf(thin)).toBe('not_enough_data');
    expect(verdictOf({ byVariant: [thin], control })!.text).toMatch(/^No variant beats the control significantly yet \(not enough data/);
  });

  it('reads a one-message campaign with a holdout, and variants without a control group', () => {
    const push = arm('message', 1.3, true, test([400, 130], [100, 10], 2.5, 0.01));
    expect(verdictOf({ byVariant: [push], control })!.text).toBe('The push lifts conversions: +30 % vs control (significant at 95 %)');
    const noControl = verdictOf({
      byVariant: [
        arm('A', null, false, null),
        { ...arm('B', null, false, null), sinceSend: { devices: 400, conversions: 40, conversionRate: 0.1 } },
      ],
      control: null,
    });
    expect(noControl!.text).toMatch(/^Variant B converts best so far/);
    expect(verdictOf({ byVariant: null, control: null })).toBeNull();
  });
});
