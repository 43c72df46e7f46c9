/** Hash routing (#/segments/seg_1): works behind any static host without server rewrites. */
import { useEffect, useState } from 'preact/hooks';

export type Route =
  | { page: 'campaigns' }
  | { page: 'campaign'; id: string | null }
  | { page: 'insights'; id: string }
  | { page: 'segments' }
  | { page: 'segment'; id: string | null; returnTo?: string }
  | { page: 'settings' };

export function parseRoute(hash: string): Route {
  const [pathPart, query = ''] = hash.replace(/^#/, '').split('?');
  const parts = pathPart.split('/').filter(Boolean).map(decodeURIComponent);
  const params = new URLSearchParams(query);
  switch (parts[0]) {
    case 'segments':
      if (parts[1]) return { page: 'segment', id: parts[1] === 'new' ? null : parts[1], returnTo: params.get('returnTo') ?? undefined };
      return { page: 'segments' };
    case 'settings':
      return { page: 'settings' };
    case 'campaigns':
    default:
      if (parts[0] === 'campaigns' && parts[1]) {
        if (parts[2] === 'insights') return { page: 'insights', id: parts[1] };
        return { page: 'campaign', id: parts[1] === 'new' ? null : parts[1] };
      }
      return { page: 'campaigns' };
  }
}

export function href(path: string): string {
  return `#${path}`;
}

export function navigate(path: string): void {
  location.hash = path;
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(location.hash));
  useEffect(() => {
    const on = () => setRoute(parseRoute(location.hash));
    window.addEventListener('hashchange', on);
    return () => window.removeEventListener('hashchange', on);
  }, []);
  return route;
}
