/** The campaign as a data controller, read-only: on the overview and for members who cannot edit settings. */
import type { ReactNode } from 'react';
import type { Campaign } from '../api.js';
import { controllerTypeLabel } from '../../shared/labels.js';

const notRecorded = <span className="muted">Not recorded</span>;

export function CampaignDetails({ campaign, className }: { campaign: Campaign; className?: string }): ReactNode {
  return (
    <dl className={className ? `summary-list ${className}` : 'summary-list'}>
      <div>
        <dt>Name</dt>
        <dd>{campaign.name}</dd>
      </div>
      <div>
        <dt>Type</dt>
        <dd>{controllerTypeLabel(campaign.controllerType)}</dd>
      </div>
      <div>
        <dt>Postal address</dt>
        <dd className="preserve-lines">{campaign.postalAddress}</dd>
      </div>
      <div>
        <dt>ICO registration</dt>
        <dd>{campaign.icoRegistrationNumber ?? notRecorded}</dd>
      </div>
      <div>
        <dt>Data Protection Officer</dt>
        <dd>
          {campaign.dpo ? (
            <>
              {campaign.dpo.name}, <a href={`mailto:${campaign.dpo.email}`}>{campaign.dpo.email}</a>
            </>
          ) : (
            notRecorded
          )}
        </dd>
      </div>
    </dl>
  );
}
