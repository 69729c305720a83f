/** Routes of the staff dashboard. */
import type { ReactNode } from 'react';
import { BrowserRouter, Navigate, Outlet, Route, Routes, useLocation } from 'react-router';
import { AREAS, type Area } from './areas.js';
import { useCampaign } from './campaign-context.js';
import { ErrorNotice, Loading, Page } from './components/page.js';
import { PublicShell } from './components/shell.js';
import { AccountPage } from './pages/account.js';
import { AuditPage } from './pages/audit.js';
import { CampaignHomePage } from './pages/campaign-home.js';
import { CampaignLayout } from './pages/campaign-layout.js';
import { EmptyAreaPage } from './pages/empty-area.js';
import { ImportPage, ImportsPage, ImportWizardPage } from './pages/imports.js';
import { InvitePage } from './pages/invite.js';
import { JobsPage } from './pages/jobs.js';
import { LoginPage } from './pages/login.js';
import { MembersPage } from './pages/members.js';
import { NotFoundPage } from './pages/not-found.js';
import { PeoplePage } from './pages/people.js';
import { PersonPage } from './pages/person.js';
import { RootPage } from './pages/root.js';
import { SettingsPage } from './pages/settings.js';
import { SetupPage } from './pages/setup.js';
import { SourceEditPage, SourcesPage } from './pages/sources.js';
import { SessionProvider, useSession } from './session.js';
import type { Ability } from '../shared/labels.js';

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

function RequireAbility({ ability, area }: { ability: Ability; area: string }): ReactNode {
  const { campaign, can } = useCampaign();
  if (can(ability)) return <Outlet />;
  return (
    <Page title="Not available to your role" context={campaign.name}>
      <p>Your role in this campaign does not give access to {area}. An owner can change your role if you need it.</p>
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

export function App(): ReactNode {
  return (
    <SessionProvider>
      <BrowserRouter>
        <Routes>
          <Route path="/setup" element={<SetupPage />} />
          <Route path="/login" element={<LoginPage />} />
          <Route path="/invite" element={<InvitePage />} />
          <Route element={<RequireSession />}>
            <Route index element={<RootPage />} />
            <Route path="/account" element={<AccountPage />} />
            <Route path="/c/:campaignId" element={<CampaignLayout />}>
              <Route index element={<CampaignHomePage />} />
              {upcomingAreas.map((area) => (
                <Route key={area.path} path={area.path} element={<EmptyAreaPage area={area} />} />
              ))}
              <Route element={<RequireAbility ability="people.read" area="people" />}>
                <Route path="people" element={<PeoplePage />} />
                <Route path="people/:personId" element={<PersonPage />} />
              </Route>
              <Route element={<RequireAbility ability="sources.read" area="sources" />}>
                <Route path="sources" element={<SourcesPage />} />
                <Route path="sources/new" element={<SourceEditPage />} />
                <Route path="sources/:sourceId" element={<SourceEditPage />} />
              </Route>
              <Route element={<RequireAbility ability="imports.read" area="imports" />}>
                <Route path="imports" element={<ImportsPage />} />
                <Route path="imports/:importId" element={<ImportPage />} />
              </Route>
              <Route element={<RequireAbility ability="imports.run" area="importing people" />}>
                <Route path="imports/new" element={<ImportWizardPage />} />
              </Route>
              <Route element={<RequireAbility ability="audit.read" area="the audit trail" />}>
                <Route path="audit" element={<AuditPage />} />
              </Route>
              <Route element={<RequireAbility ability="jobs.read" area="jobs" />}>
                <Route path="jobs" element={<JobsPage />} />
              </Route>
              <Route element={<RequireAbility ability="members.read" area="the member list" />}>
                <Route path="members" element={<MembersPage />} />
              </Route>
              <Route path="settings" element={<SettingsPage />} />
              <Route path="*" element={<CampaignPageNotFound />} />
            </Route>
          </Route>
          <Route path="*" element={<NotFoundPage />} />
        </Routes>
      </BrowserRouter>
    </SessionProvider>
  );
}
