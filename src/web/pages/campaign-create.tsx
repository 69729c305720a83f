/** "Create another campaign": the creator becomes its owner. */
import type { FormEvent, ReactNode } from 'react';
import { useNavigate } from 'react-router';
import { api } from '../api.js';
import { CAMPAIGN_FIELDS, CampaignFields, readCampaign } from '../components/campaign-fields.js';
import { ErrorSummary, SubmitButton, useForm } from '../components/form.js';
import { useSignedIn } from '../session.js';

export function CreateCampaignForm(): ReactNode {
  const form = useForm('new-campaign');
  const navigate = useNavigate();
  const { refresh } = useSignedIn();

  const submit = async (event: FormEvent<HTMLFormElement>): Promise<void> => {
    event.preventDefault();
    const { input, issues } = readCampaign(new FormData(event.currentTarget));
    if (!form.check(issues)) return;
    await form.run(async () => {
      const { campaign } = await api.createCampaign(input);
      await refresh();
      await navigate(`/c/${campaign.id}`);
    }, CAMPAIGN_FIELDS);
  };

  return (
    <form className="form" noValidate onSubmit={(e) => void submit(e)}>
      <ErrorSummary form={form} />
      <CampaignFields form={form} />
      <div className="form-actions">
        <SubmitButton form={form}>{form.busy ? 'Creating…' : 'Create campaign'}</SubmitButton>
      </div>
    </form>
  );
}
