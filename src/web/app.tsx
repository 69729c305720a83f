/**
 * Routes of the staff dashboard.
 *
 * The entry chunk holds what every visit needs: the session, the sign-in page, the page
 * frames and the campaign frame (navigation and abilities). Every other page is loaded the
 * first time its route is shown (components/page-loader.tsx); test/e2e/bundle-size.test.ts
 * holds the entry chunk and each page chunk to a budget. To add a page, add one line to
 * CAMPAIGN_PAGES (or, outside a campaign, to the routes in App), with the import written as a
 * literal so that Vite gives the module a chunk of its own.
 */
import type { ComponentType, LazyExoticComponent, ReactNode } from 'react';
import { BrowserRouter, Navigate, Outlet, Route, Routes, useLocation } from 'react-router';
import { AREAS, type Area } from './areas.js';
import { useCampaign } from './campaign-context.js';
import { ErrorNotice, Loading, Page } from './components/page.js';
import { lazyPage, PageSuspense } from './components/page-loader.js';
import { AppShell, PublicShell } from './components/shell.js';
import { CampaignLayout } from './pages/campaign-layout.js';
import { LoginPage } from './pages/login.js';
import { NotFoundPage } from './pages/not-found.js';
import { SessionProvider, useSession } from './session.js';
import type { Ability } from '../shared/labels.js';

/** The ability a page needs, and the words for "your role does not give access to …". */
type Needs = readonly [ability: Ability, area: string] | null;

interface CampaignPage {
  path: string;
  needs: Needs;
  Page: LazyExoticComponent<ComponentType>;
}

/** A route to the page `name` of the module `load` imports. */
function page<M extends Record<K, ComponentType>, K extends keyof M & string>(
  path: string,
  needs: Needs,
  load: () => Promise<M>,
  name: K,
): CampaignPage {
  return { path, needs, Page: lazyPage(() => load().then((m) => m[name])) };
}

const ROPA: Needs = ['governance.read', 'the record of processing'];
const PROCESSORS: Needs = ['governance.read', 'processors'];
const JOINT: Needs = ['governance.read', 'joint-controller arrangements'];
const GOV_EDIT: Needs = ['governance.manage', 'editing governance records'];
const AUDIENCES: Needs = ['audiences.read', 'audiences'];
const AUDIENCE_BUILD: Needs = ['audiences.manage', 'building audiences'];

/** The pages of a campaign, under /c/:campaignId: one line each. '' is the campaign's overview. */
const CAMPAIGN_PAGES: readonly CampaignPage[] = [
  page('', null, () => import('./pages/campaign-home.js'), 'CampaignHomePage'),
  page('people', ['people.read', 'people'], () => import('./pages/people.js'), 'PeoplePage'),
  page('people/:personId', ['people.read', 'people'], () => import('./pages/person.js'), 'PersonPage'),
  page('people/new', ['people.write', 'adding people'], () => import('./pages/person-new.js'), 'PersonNewPage'),
  page('objections', ['objections.record', 'objections'], () => import('./pages/objection.js'), 'ObjectionPage'),
  page('tags', ['people.read', 'tags and lists'], () => import('./pages/tags.js'), 'TagsPage'),
  page('audiences', AUDIENCES, () => import('./pages/audiences.js'), 'AudiencesPage'),
  page('audiences/new', AUDIENCE_BUILD, () => import('./pages/audiences.js'), 'AudienceBuilderPage'),
  page('audiences/removals', AUDIENCES, () => import('./pages/audiences.js'), 'AudienceRemovalsPage'),
  page('audiences/:audienceId', AUDIENCES, () => import('./pages/audience.js'), 'AudiencePage'),
  page('sources', ['sources.read', 'sources'], () => import('./pages/sources.js'), 'SourcesPage'),
  page('sources/new', ['sources.read', 'sources'], () => import('./pages/sources.js'), 'SourceEditPage'),
  page('sources/:sourceId', ['sources.read', 'sources'], () => import('./pages/sources.js'), 'SourceEditPage'),
  page('imports', ['imports.read', 'imports'], () => import('./pages/imports.js'), 'ImportsPage'),
  page('imports/:importId', ['imports.read', 'imports'], () => import('./pages/imports.js'), 'ImportPage'),
  page('imports/new', ['imports.run', 'importing people'], () => import('./pages/imports.js'), 'ImportWizardPage'),
  page('audit', ['audit.read', 'the audit trail'], () => import('./pages/audit.js'), 'AuditPage'),
  page('jobs', ['jobs.read', 'jobs'], () => import('./pages/jobs.js'), 'JobsPage'),
  page('members', ['members.read', 'the member list'], () => import('./pages/members.js'), 'MembersPage'),
  page('settings', null, () => import('./pages/settings.js'), 'SettingsPage'),
  page('dpo', ['governance.read', "the DPO's page"], () => import('./pages/dpo.js'), 'DpoPage'),
  page('dpias', ['dpias.read', 'DPIAs'], () => import('./pages/dpias.js'), 'DpiasPage'),
  page('dpias/screen', ['dpias.read', 'DPIA screening'], () => import('./pages/dpias.js'), 'DpiaScreenPage'),
  page('dpias/:dpiaId', ['dpias.read', 'DPIAs'], () => import('./pages/dpia.js'), 'DpiaPage'),
  page(
    'privacy-notice',
    ['privacy_notice.read', 'the privacy notice'],
    () => import('./pages/privacy-notice.js'),
    'PrivacyNoticePage',
  ),
  // Governance records (issue 4): record of processing (Art 30), processors (Art 28), joint controllers (Art 26).
  page('record-of-processing', ROPA, () => import('./pages/record-of-processing.js'), 'ProcessingActivitiesPage'),
  page('record-of-processing/print', ROPA, () => import('./pages/record-of-processing.js'), 'RecordPrintPage'),
  page('record-of-processing/new', GOV_EDIT, () => import('./pages/processing-activity.js'), 'ProcessingActivityPage'),
  page(
    'record-of-processing/:activityId',
    ROPA,
    () => import('./pages/processing-activity.js'),
    'ProcessingActivityPage',
  ),
  page('processors', PROCESSORS, () => import('./pages/processors.js'), 'ProcessorsPage'),
  page('processors/new', GOV_EDIT, () => import('./pages/processors.js'), 'ProcessorPage'),
  page('processors/:processorId', PROCESSORS, () => import('./pages/processors.js'), 'ProcessorPage'),
  page('joint-controllers', JOINT, () => import('./pages/joint-controllers.js'), 'JointControllersPage'),
  page('joint-controllers/new', GOV_EDIT, () => import('./pages/joint-controllers.js'), 'JointControllerPage'),
  page('joint-controllers/:arrangementId', JOINT, () => import('./pages/joint-controllers.js'), 'JointControllerPage'),
  page(
    'website-consent',
    ['governance.read', 'website consent'],
    () => import('./pages/consent-sites.js'),
    'ConsentSitesPage',
  ),
  page(
    'website-consent/:siteId',
    ['governance.read', 'website consent'],
    () => import('./pages/consent-sites.js'),
    'ConsentSitePage',
  ),
];

// Pages outside a campaign (the sign-in page is in the entry chunk: most visits start there).
const SetupPage = lazyPage(() => import('./pages/setup.js').then((m) => m.SetupPage));
const InvitePage = lazyPage(() => import('./pages/invite.js').then((m) => m.InvitePage));
const RootPage = lazyPage(() => import('./pages/root.js').then((m) => m.RootPage));
const AccountPage = lazyPage(() => import('./pages/account.js').then((m) => m.AccountPage));
const EmptyAreaPage = lazyPage(() => import('./pages/empty-area.js').then((m) => m.EmptyAreaPage));

function RequireSession(): ReactNode {
  const { state } = useSession();
  const location = useLocation();
  switch (state.status) {
    case 'loading':
      return (
        <PublicShell>
          <Loading what="your session" />
        </PublicShell>
      );
    case 'error':
      return (
        <PublicShell>
          <h1>Canvass is unavailable</h1>
          <ErrorNotice message={state.message} />
          <p>Reload the page to try again.</p>
        </PublicShell>
      );
    case 'signed-out':
      // After signing out, the next person starts from their own campaigns, not this page.
      return state.signedOut ? (
        <Navigate to="/login" replace />
      ) : (
        <Navigate to="/login" replace state={{ from: `${location.pathname}${location.search}` }} />
      );
    case 'signed-in':
      return <Outlet />;
  }
}

function RequireAbility({ needs, children }: { needs: Needs; children: ReactNode }): ReactNode {
  const { campaign, can } = useCampaign();
  if (needs === null || can(needs[0])) return children;
  return (
    <Page title="Not available to your role" context={campaign.name}>
      <p>
        Your role in this campaign does not give access to {needs[1]}. An owner can change your role if you need it.
      </p>
    </Page>
  );
}

function CampaignPageNotFound(): ReactNode {
  const { campaign } = useCampaign();
  return (
    <Page title="Page not found" context={campaign.name}>
      <p>There is no page at this address. Choose an area from the navigation.</p>
    </Page>
  );
}

const upcomingAreas = AREAS.filter(
  (area): area is Area & { upcoming: NonNullable<Area['upcoming']> } => area.upcoming !== undefined,
);

/** A page outside a campaign, in the frame it will have while its chunk loads. */
function framed(Lazy: ComponentType, signedIn: boolean): ReactNode {
  const Shell = signedIn ? AppShell : PublicShell;
  return (
    <PageSuspense
      fallback={
        <Shell>
          <Loading what="the page" />
        </Shell>
      }
    >
      <Lazy />
    </PageSuspense>
  );
}

export function App(): ReactNode {
  return (
    <SessionProvider>
      <BrowserRouter>
        <Routes>
          <Route path="/setup" element={framed(SetupPage, false)} />
          <Route path="/login" element={<LoginPage />} />
          <Route path="/invite" element={framed(InvitePage, false)} />
          <Route element={<RequireSession />}>
            <Route index element={framed(RootPage, true)} />
            <Route path="/account" element={framed(AccountPage, true)} />
            {/* The campaign frame shows each page below in a PageSuspense of its own. */}
            <Route path="/c/:campaignId" element={<CampaignLayout />}>
              {CAMPAIGN_PAGES.map(({ path, needs, Page: CampaignPage }) => {
                const element = (
                  <RequireAbility needs={needs}>
                    <CampaignPage />
                  </RequireAbility>
                );
                return path === '' ? (
                  <Route key="index" index element={element} />
                ) : (
                  <Route key={path} path={path} element={element} />
                );
              })}
              {upcomingAreas.map((area) => (
                <Route key={area.path} path={area.path} element={<EmptyAreaPage area={area} />} />
              ))}
              <Route path="*" element={<CampaignPageNotFound />} />
            </Route>
          </Route>
          <Route path="*" element={<NotFoundPage />} />
        </Routes>
      </BrowserRouter>
    </SessionProvider>
  );
}
