/** Filters grouped the way the help article talks about them, for the "Add condition" menu. */
import type { CatalogFilter } from '../api/types';

const CATEGORY: Record<string, string> = {
  last_app_open: 'App activity',
  app_opens: 'App activity',
  last_push_open: 'App activity',
  custom_event: 'App activity',
  last_purchase_date: 'Purchase behaviour',
  total_orders: 'Purchase behaviour',
  total_spend: 'Purchase behaviour',
  abandoned_cart: 'Purchase behaviour',
  product_viewed: 'Product interest',
  product_favorited: 'Product interest',
  device_country: 'Device',
  platform: 'Device',
  app_version: 'Device',
  in_segment: 'Other segments',
};
const ORDER = ['App activity', 'Purchase behaviour', 'Product interest', 'Device', 'Other segments', 'More'];

export function groupFilters(filters: CatalogFilter[]): { category: string; filters: CatalogFilter[] }[] {
  const map = new Map<string, CatalogFilter[]>();
  for (const f of filters) {
    const cat = CATEGORY[f.filter] ?? 'More';
    map.set(cat, [...(map.get(cat) ?? []), f]);
  }
  return ORDER.filter((c) => map.has(c)).map((category) => ({ category, filters: map.get(category)! }));
}
