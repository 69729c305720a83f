/** The campaign's overview: who the controller is, your campaigns, and creating another. */
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { AREAS } from '../areas.js';
import { useCampaign } from '../campaign-context.js';
import { CampaignDetails } from '../components/campaign-details.js';
import { Page } from '../components/page.js';
import { useSignedIn } from '../session.js';
import { controllerTypeLabel, roleLabel } from '../../shared/labels.js';
import { CreateCampaignForm } from './campaign-create.js';

export function CampaignHomePage(): ReactNode {
  const { campaign, role, abilities } = useCampaign();
  const { session } = useSignedIn();
  const base = `/c/${campaign.id}`;
  const available = AREAS.filter((a) => a.path && !a.upcoming && (!a.needs || abilities.includes(a.needs)));
  return (
    <Page
      title={campaign.name}
      context="Overview"
      lead={`${controllerTypeLabel(campaign.controllerType)} · Your role: ${roleLabel(role)}`}
    >
      <div className="grid-2">
        <section className="panel" aria-labelledby="controller-heading">
          <h2 id="controller-heading">Data controller</h2>
          <CampaignDetails campaign={campaign} />
          <p>
            <Link to={`${base}/settings`}>
              {abilities.includes('campaign.update') ? 'Edit these details' : 'View settings'}
            </Link>
          </p>
        </section>
        <section className="panel" aria-labelledby="areas-heading">
          <h2 id="areas-heading">Available now</h2>
          <ul className="link-list">
            {available.map((area) => (
              <li key={area.path}>
                <Link to={`${base}/${area.path}`}>{area.label}</Link>
              </li>
            ))}
          </ul>
          <p className="hint">
            Audiences, messages, website consent, governance and rights requests arrive in later releases; their pages
            say what each will do.
          </p>
        </section>
      </div>
      <section className="panel" aria-labelledby="campaigns-heading">
        <h2 id="campaigns-heading">Your campaigns</h2>
        <ul className="campaign-list">
          {session.campaigns.map((c) => (
            <li key={c.id}>
              <Link
                to={`/c/${c.id}`}
                aria-current={c.id === campaign.id ? 'page' : undefined}
                className="campaign-link"
              >
                <span className="campaign-link-name">{c.name}</span>
                <span className="campaign-link-meta">
                  {controllerTypeLabel(c.controllerType)} · {roleLabel(c.role)}
                  {c.id === campaign.id ? ' · current' : ''}
                </span>
              </Link>
            </li>
          ))}
        </ul>
        <details className="disclosure">
          <summary>Create another campaign</summary>
          <div className="disclosure-body">
            <p className="hint">
              Each campaign is a separate data controller with its own members, data and audit trail. You will be its
              owner.
            </p>
            <CreateCampaignForm />
          </div>
        </details>
      </section>
    </Page>
  );
}
