/** The campaign list's search and sort (pure: the page and its unit test share it). */
import type { CampaignListItem } from '../api/types';
import { titleOf } from './variant-words';

/** The headline figures GET /v1/campaigns?status=sent carries per campaign (null while counting). */
export type Figures = NonNullable<CampaignListItem['insights']>;
export type SortKey = 'newest' | 'oldest' | 'name' | 'openRate' | 'revenue';

/** The sort choices of the campaign and automation lists. */
export const LIST_SORTS: { value: SortKey; label: string }[] = [
  { value: 'newest', label: 'Newest first' },
  { value: 'oldest', label: 'Oldest first' },
  { value: 'name', label: 'Name A–Z' },
  { value: 'openRate', label: 'Open rate (highest)' },
  { value: 'revenue', label: 'Revenue (highest)' },
];

/** Search words against name, title and audience; sort by the chosen key (figures missing sort last). */
export function filterAndSort<
  T extends {
    name: string;
    createdAt: string;
    message: { title: string } | null;
    variants?: readonly { message: { title: string } }[] | null;
  },
>(items: T[], query: string, sort: SortKey, extra: (c: T) => { audience: string; figures?: Figures | null }): T[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  // A campaign with variants has no message: its variants' titles are searched.
  const titles = (c: T) => [titleOf(c), ...(c.variants ?? []).slice(1).map((v) => v.message.title)].join(' ');
  const hay = (c: T) => `${c.name} ${titles(c)} ${extra(c).audience}`.toLowerCase();
  const found = words.length === 0 ? items : items.filter((c) => words.every((w) => hay(c).includes(w)));
  const fig = (c: T, k: 'openRate' | 'revenue') => extra(c).figures?.[k] ?? -1;
  const by: Record<SortKey, (a: T, b: T) => number> = {
    newest: (a, b) => b.createdAt.localeCompare(a.createdAt),
    oldest: (a, b) => a.createdAt.localeCompare(b.createdAt),
    name: (a, b) => a.name.localeCompare(b.name),
    openRate: (a, b) => fig(b, 'openRate') - fig(a, 'openRate') || b.createdAt.localeCompare(a.createdAt),
    revenue: (a, b) => fig(b, 'revenue') - fig(a, 'revenue') || b.createdAt.localeCompare(a.createdAt),
  };
  return [...found].sort(by[sort]);
}
