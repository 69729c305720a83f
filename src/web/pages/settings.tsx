/** The campaign's details as a data controller: owners edit them, other members read them. */
import { useState, type FormEvent, type ReactNode } from 'react';
import { api, type Campaign, type CampaignInput } from '../api.js';
import { useCampaign } from '../campaign-context.js';
import { CampaignDetails } from '../components/campaign-details.js';
import { CAMPAIGN_FIELDS, CampaignFields, readCampaign } from '../components/campaign-fields.js';
import { ErrorSummary, SubmitButton, useForm } from '../components/form.js';
import { Page, StatusMessage } from '../components/page.js';
import { formatDateTime } from '../format.js';
import { useSignedIn } from '../session.js';

/** Only what changed; a cleared optional field is sent as null. */
function changesOf(campaign: Campaign, input: CampaignInput): Record<string, unknown> {
  const changes: Record<string, unknown> = {};
  if (input.name !== campaign.name) changes.name = input.name;
  if (input.controllerType !== campaign.controllerType) changes.controllerType = input.controllerType;
  if (input.postalAddress !== campaign.postalAddress) changes.postalAddress = input.postalAddress;
  const ico = input.icoRegistrationNumber ?? null;
  if (ico !== campaign.icoRegistrationNumber) changes.icoRegistrationNumber = ico;
  const dpo = input.dpo ?? null;
  const before = campaign.dpo;
  if (dpo === null ? before !== null : !before || before.name !== dpo.name || before.email !== dpo.email) {
    changes.dpo = dpo === null ? null : { ...dpo, ...(before?.phone ? { phone: before.phone } : {}) };
  }
  return changes;
}

function ReadOnlySettings({ campaign }: { campaign: Campaign }): ReactNode {
  return (
    <>
      <p className="notice notice-info">Only an owner can change these details.</p>
      <CampaignDetails campaign={campaign} className="panel" />
    </>
  );
}

export function SettingsPage(): ReactNode {
  const { campaign, can, reload } = useCampaign();
  const { refresh } = useSignedIn();
  const form = useForm('settings');
  const [status, setStatus] = useState<string | null>(null);

  const submit = async (event: FormEvent<HTMLFormElement>): Promise<void> => {
    event.preventDefault();
    setStatus(null);
    const { input, issues } = readCampaign(new FormData(event.currentTarget));
    if (!form.check(issues)) return;
    const changes = changesOf(campaign, input);
    if (Object.keys(changes).length === 0) {
      setStatus('Nothing to save: no details were changed.');
      return;
    }
    const ok = await form.run(async () => {
      await api.updateCampaign(campaign.id, changes);
      await Promise.all([reload(), refresh()]);
    }, CAMPAIGN_FIELDS);
    if (ok) setStatus('Campaign details saved.');
  };

  return (
    <Page
      title="Settings"
      context={campaign.name}
      lead="Who the data controller is. These details appear in privacy notices and in your records of processing."
    >
      <StatusMessage message={status} />
      {can('campaign.update') ? (
        <form key={campaign.updatedAt} className="form panel" noValidate onSubmit={(e) => void submit(e)}>
          <ErrorSummary form={form} />
          <CampaignFields form={form} campaign={campaign} />
          <div className="form-actions">
            <SubmitButton form={form}>{form.busy ? 'Saving…' : 'Save changes'}</SubmitButton>
          </div>
        </form>
      ) : (
        <ReadOnlySettings campaign={campaign} />
      )}
      <p className="hint">
        Last changed {formatDateTime(campaign.updatedAt)}. Changes are recorded in the audit trail.
      </p>
    </Page>
  );
}
