/**
 * Hash routing (#/segments/seg_1): works behind any static host without server rewrites.
 * Pages with unsaved edits register a leave guard: a hash change away from them is held and the app
 * asks first (LeaveDialog), and closing or reloading the tab asks through the browser's beforeunload.
 */
import { useEffect, useRef, useState } from 'preact/hooks';

export type Route =
  | { page: 'campaigns' }
  | { page: 'campaign'; id: string | null }
  | { page: 'insights'; id: string }
  | { page: 'automations' }
  | { page: 'automation'; id: string }
  | { page: 'automation-edit'; id: string | null }
  | { page: 'segments' }
  | { page: 'segment'; id: string | null; returnTo?: string }
  | { page: 'settings' };

/** Only a composer path may be a segment editor's way back (no open redirect through the hash). */
export const safeReturnTo = (p: string | null | undefined): string | undefined =>
  p && /^\/campaigns\/(new|[A-Za-z0-9_%-]+)$/.test(p) ? p : undefined;

export function parseRoute(hash: string): Route {
  const [pathPart, query = ''] = hash.replace(/^#/, '').split('?');
  const parts = pathPart.split('/').filter(Boolean).map(decodeURIComponent);
  const params = new URLSearchParams(query);
  switch (parts[0]) {
    case 'segments':
      if (parts[1]) return { page: 'segment', id: parts[1] === 'new' ? null : parts[1], returnTo: safeReturnTo(params.get('returnTo')) };
      return { page: 'segments' };
    case 'settings':
      return { page: 'settings' };
    case 'automations':
      if (parts[1] === 'new') return { page: 'automation-edit', id: null };
      if (parts[1]) return parts[2] === 'edit' ? { page: 'automation-edit', id: parts[1] } : { page: 'automation', id: parts[1] };
      return { page: 'automations' };
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

/** The page's "unsaved changes?" question; null when there is nothing to lose. */
let guard: (() => string | null) | null = null;
/** Set by navigate(): the hash a move the page itself makes (after saving, deleting) goes to passes the guard. */
let bypassTo: string | null = null;
/** Where a held navigation wanted to go; the app shows LeaveDialog while it is set. */
let held: { target: string; question: string } | null = null;
const heldListeners = new Set<() => void>();
const setHeld = (h: typeof held) => {
  held = h;
  heldListeners.forEach((l) => l());
};

/** Navigation the page decided on (after a save or delete): never asks. */
export function navigate(path: string): void {
  bypassTo = href(path);
  location.hash = path;
}

/** Records the id a page's URL now has (after creating) and makes the router see it, without reloading the page. */
export function replacePath(path: string): void {
  history.replaceState(null, '', href(path));
  lastHash = location.hash;
}

let lastHash = typeof location === 'undefined' ? '' : location.hash;

/** While `question` is non-null, leaving the page (in-app link, back button, tab close) asks first. */
export function useLeaveGuard(question: string | null): void {
  const q = useRef(question);
  q.current = question;
  useEffect(() => {
    const mine = () => q.current;
    guard = mine;
    const warn = (e: BeforeUnloadEvent) => {
      if (!q.current) return;
      e.preventDefault();
      e.returnValue = '';
    };
    window.addEventListener('beforeunload', warn);
    return () => {
      if (guard === mine) guard = null;
      window.removeEventListener('beforeunload', warn);
    };
  }, []);
}

/** The held navigation (for LeaveDialog): leave() goes on, stay() drops it. */
export function useHeldNavigation(): { question: string; leave: () => void; stay: () => void } | null {
  const [, tick] = useState(0);
  useEffect(() => {
    const on = () => tick((n) => n + 1);
    heldListeners.add(on);
    return () => void heldListeners.delete(on);
  }, []);
  if (!held) return null;
  const { target, question } = held;
  return {
    question,
    leave: () => {
      setHeld(null);
      guard = null;
      navigate(target.replace(/^#/, ''));
    },
    stay: () => setHeld(null),
  };
}

/** The current route and a number that changes on every navigation (a page keyed on it always starts fresh). */
export function useRoute(): { route: Route; visit: number } {
  const [state, setState] = useState(() => ({ route: parseRoute(location.hash), visit: 0 }));
  useEffect(() => {
    const on = () => {
      const decided = bypassTo !== null && bypassTo === location.hash;
      bypassTo = null;
      const question = !decided && guard ? guard() : null;
      if (question) {
        // Put the address back (no new entry, no event) and ask; LeaveDialog goes on or stays.
        const target = location.hash;
        history.replaceState(null, '', lastHash || '#/');
        setHeld({ target, question });
        return;
      }
      lastHash = location.hash;
      setState((s) => ({ route: parseRoute(location.hash), visit: s.visit + 1 }));
    };
    window.addEventListener('hashchange', on);
    return () => window.removeEventListener('hashchange', on);
  }, []);
  return state;
}
