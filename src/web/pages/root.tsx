/** "/": straight to the first campaign, or an invitation to create one. */
import type { ReactNode } from 'react';
import { Navigate } from 'react-router';
import { Page } from '../components/page.js';
import { AppShell } from '../components/shell.js';
import { useSignedIn } from '../session.js';
import { CreateCampaignForm } from './campaign-create.js';

export function RootPage(): ReactNode {
  const { session } = useSignedIn();
  const first = session.campaigns[0];
  if (first) return <Navigate to={`/c/${first.id}`} replace />;
  return (
    <AppShell>
      <Page title="Your campaigns" lead="You are not a member of any campaign yet.">
        <p>
          If someone has invited you, open the invitation link they sent. Otherwise you can create a campaign here; you
          will be its owner.
        </p>
        <section className="panel" aria-labelledby="create-heading">
          <h2 id="create-heading">Create a campaign</h2>
          <CreateCampaignForm />
        </section>
      </Page>
    </AppShell>
  );
}
