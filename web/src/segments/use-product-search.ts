/**
 * Products whose id starts with the typed text, from GET /v1/catalog/products: asked ~250 ms after
 * the last keystroke while the box has focus, answers to older text ignored (and their requests aborted).
 * The caller narrows the products to its current text (an id over 100 characters is searched by its start).
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { errorText } from '../api/client';
import { productsApi } from '../api/endpoints';
import type { CatalogProduct } from '../api/types';

/** The API's longest `query`; a longer id is searched by its first 100 characters and filtered here. */
const MAX_QUERY = 100;

export interface ProductSearch {
  products: CatalogProduct[];
  /** The text these products answer (null before the first answer). */
  answered: string | null;
  loading: boolean;
  error: string | null;
}

export function useProductSearch(text: string, active: boolean, delayMs = 250, limit = 20): ProductSearch {
  const [state, setState] = useState<ProductSearch>({ products: [], answered: null, loading: false, error: null });
  const seq = useRef(0);
  const prefix = text.trim();
  useEffect(() => {
    const mine = ++seq.current;
    if (!active) {
      setState((s) => (s.loading ? { ...s, loading: false } : s));
      return;
    }
    const ctrl = new AbortController();
    setState((s) => ({ ...s, loading: true }));
    const timer = setTimeout(() => {
      productsApi.search(prefix.slice(0, MAX_QUERY), limit, ctrl.signal).then(
        (items) => {
          if (mine !== seq.current) return; // newer text owns the list now
          setState({ products: items, answered: prefix, loading: false, error: null });
        },
        (err) => {
          if (mine !== seq.current || (err as Error)?.name === 'AbortError') return;
          setState({ products: [], answered: prefix, loading: false, error: errorText(err) });
        },
      );
    }, delayMs);
    return () => {
      clearTimeout(timer);
      ctrl.abort();
    };
  }, [prefix, active, delayMs, limit]);
  return state;
}
