/** The shell: navigation (Campaigns, Automations, Segments, Settings) and the routed page. */
import { AutomationEditorPage } from './automations/automation-editor';
import { AutomationListPage } from './automations/automation-list';
import { AutomationPage } from './automations/automation-page';
import { CampaignListPage } from './campaigns/campaign-list';
import { ComposerPage } from './campaigns/composer';
import { InsightsPage } from './campaigns/insights-page';
import { Toasts } from './components/ui';
import { ConfirmDialog } from './components/modal';
import { href, useHeldNavigation, useRoute, type Route } from './lib/router';
import { SegmentEditorPage } from './segments/segment-editor';
import { SegmentListPage } from './segments/segment-list';
import { SettingsPage } from './settings/settings-page';
import { authMode, currentTenant, signOut } from './api/auth';

const NAV = [
  { section: 'campaigns', path: '/campaigns', label: 'Campaigns', icon: 'M4 10l12-5v14L4 14zM4 10v4M16 9a3 3 0 010 6' },
  {
    section: 'automations',
    path: '/automations',
    label: 'Automations',
    icon: 'M13 3L5 13h6l-1 8 8-10h-6z',
  },
  { section: 'segments', path: '/segments', label: 'Segments', icon: 'M12 3a9 9 0 109 9h-9z M14 3.5A8 8 0 0120.5 10H14z' },
  {
    section: 'settings',
    path: '/settings',
    label: 'Settings',
    icon: 'M12 8a4 4 0 100 8 4 4 0 000-8zM3 12h2M19 12h2M12 3v2M12 19v2M5.6 5.6l1.4 1.4M17 17l1.4 1.4M5.6 18.4L7 17M17 7l1.4-1.4',
  },
];

function sectionOf(r: Route): string {
  if (r.page === 'segments' || r.page === 'segment') return 'segments';
  if (r.page === 'settings') return 'settings';
  if (r.page === 'automations' || r.page === 'automation' || r.page === 'automation-edit') return 'automations';
  return 'campaigns';
}

function Page({ route }: { route: Route }) {
  switch (route.page) {
    case 'campaigns':
      return <CampaignListPage />;
    case 'campaign':
      return <ComposerPage id={route.id} />;
    case 'insights':
      return <InsightsPage id={route.id} />;
    case 'automations':
      return <AutomationListPage />;
    case 'automation':
      return <AutomationPage id={route.id} />;
    case 'automation-edit':
      return <AutomationEditorPage id={route.id} />;
    case 'segments':
      return <SegmentListPage />;
    case 'segment':
      return <SegmentEditorPage id={route.id} returnTo={route.returnTo} />;
    case 'settings':
      return <SettingsPage />;
  }
}

export function App() {
  const { route, visit } = useRoute();
  const held = useHeldNavigation();
  const section = sectionOf(route);
  // Every navigation starts the page afresh (#/segments/new after saving a new segment is a new, empty one).
  const pageKey = `${visit}:${JSON.stringify(route)}`;
  return (
    <div class="shell">
      <a class="skip" href="#main">
        Skip to content
      </a>
      <aside class="sidebar" aria-label="App menu">
        <div class="brand">
          <span class="brand-mark" aria-hidden="true">
            <svg viewBox="0 0 24 24" width="18" height="18">
              <path d="M12 3a6 6 0 00-6 6v4l-2 3h16l-2-3V9a6 6 0 00-6-6zm-2 15a2 2 0 004 0z" fill="currentColor" />
            </svg>
          </span>
          <span>
            <span class="brand-name">Engage</span>
            <span class="brand-sub">Push Notifications</span>
          </span>
        </div>
        <nav aria-label="Main">
          <ul>
            {NAV.map((n) => (
              <li key={n.section}>
                <a
                  href={href(n.path)}
                  class={section === n.section ? 'active' : ''}
                  aria-current={section === n.section ? 'page' : undefined}
                >
                  <svg viewBox="0 0 24 24" width="18" height="18" aria-hidden="true">
                    <path d={n.icon} fill="none" stroke="currentColor" stroke-width="1.8" stroke-linecap="round" stroke-linejoin="round" />
                  </svg>
                  {n.label}
                </a>
              </li>
            ))}
            {authMode() === 'cognito' && (
              <li>
                <a
                  href="#"
                  onClick={(e) => {
                    e.preventDefault();
                    void signOut();
                  }}
                >
                  <svg viewBox="0 0 24 24" width="18" height="18" aria-hidden="true">
                    <path
                      d="M15 4h4v16h-4M10 8l-4 4 4 4M6 12h10"
                      fill="none"
                      stroke="currentColor"
                      stroke-width="1.8"
                      stroke-linecap="round"
                      stroke-linejoin="round"
                    />
                  </svg>
                  Sign out
                </a>
              </li>
            )}
          </ul>
        </nav>
        <div class="tenant small" title={authMode() === 'cognito' ? 'Signed-in tenant' : 'Local tenant'}>
          <span class="dot" aria-hidden="true" /> {currentTenant()}
        </div>
      </aside>
      <main id="main" class="main" tabIndex={-1}>
        <Page key={pageKey} route={route} />
      </main>
      <Toasts />
      {held && (
        <ConfirmDialog
          title="Leave without saving?"
          confirmLabel="Leave"
          cancelLabel="Stay"
          danger
          onConfirm={held.leave}
          onClose={held.stay}
        >
          <p data-testid="leave-question">{held.question}</p>
        </ConfirmDialog>
      )}
    </div>
  );
}
