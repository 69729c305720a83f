/**
 * The campaign (data controller) fields used by setup, "create another campaign" and
 * settings. Field names follow the API's paths (prefix + "name", "dpo.email", …) so that
 * validation issues land next to the right field.
 */
import type { ReactNode } from 'react';
import type { Campaign, CampaignInput, FieldIssue } from '../api.js';
import { CONTROLLER_TYPE_LABELS, CONTROLLER_TYPES, isControllerType } from '../../shared/labels.js';
import { SelectField, TextAreaField, TextField, textOf, type FormState } from './form.js';

const CONTROLLER_OPTIONS = CONTROLLER_TYPES.map((value) => ({ value, label: CONTROLLER_TYPE_LABELS[value] }));

export const CAMPAIGN_FIELDS = [
  'name',
  'controllerType',
  'postalAddress',
  'icoRegistrationNumber',
  'dpo.name',
  'dpo.email',
] as const;

export function CampaignFields({
  form,
  prefix = '',
  campaign,
}: {
  form: FormState;
  prefix?: string;
  campaign?: Campaign;
}): ReactNode {
  const n = (name: string): string => `${prefix}${name}`;
  return (
    <>
      <TextField
        form={form}
        name={n('name')}
        label="Campaign name"
        hint="The name supporters will see, e.g. in privacy notices."
        defaultValue={campaign?.name ?? ''}
        autoComplete="organization"
      />
      <SelectField
        form={form}
        name={n('controllerType')}
        label="Type of data controller"
        hint="This decides some legal entitlements, such as access to the full electoral register."
        options={CONTROLLER_OPTIONS}
        placeholder="Choose a type"
        {...(campaign ? { defaultValue: campaign.controllerType } : {})}
      />
      <TextAreaField
        form={form}
        name={n('postalAddress')}
        label="Postal address"
        hint="The controller's address, as given in privacy notices."
        defaultValue={campaign?.postalAddress ?? ''}
        autoComplete="street-address"
      />
      <TextField
        form={form}
        name={n('icoRegistrationNumber')}
        label="ICO registration number"
        hint="From the data protection fee register, e.g. ZA123456."
        optional
        width="medium"
        spellCheck={false}
        defaultValue={campaign?.icoRegistrationNumber ?? ''}
      />
      <fieldset className="fieldset">
        <legend>Data Protection Officer</legend>
        <p className="hint">Optional. If you have appointed a DPO, give both a name and an email address.</p>
        <TextField
          form={form}
          name={n('dpo.name')}
          label="DPO name"
          optional
          width="medium"
          defaultValue={campaign?.dpo?.name ?? ''}
        />
        <TextField
          form={form}
          name={n('dpo.email')}
          label="DPO email"
          type="email"
          optional
          width="medium"
          spellCheck={false}
          defaultValue={campaign?.dpo?.email ?? ''}
        />
      </fieldset>
    </>
  );
}

/** Reads the campaign fields; the issues are the checks worth making before sending. */
export function readCampaign(data: FormData, prefix = ''): { input: CampaignInput; issues: FieldIssue[] } {
  const n = (name: string): string => `${prefix}${name}`;
  const issues: FieldIssue[] = [];
  const name = textOf(data, n('name'));
  const controllerType = textOf(data, n('controllerType'));
  const postalAddress = textOf(data, n('postalAddress'));
  const ico = textOf(data, n('icoRegistrationNumber')).toUpperCase();
  const dpoName = textOf(data, n('dpo.name'));
  const dpoEmail = textOf(data, n('dpo.email'));
  if (!name) issues.push({ field: n('name'), message: 'Enter the campaign name' });
  if (!isControllerType(controllerType))
    issues.push({ field: n('controllerType'), message: 'Choose the type of data controller' });
  if (!postalAddress) issues.push({ field: n('postalAddress'), message: "Enter the controller's postal address" });
  if (dpoName && !dpoEmail)
    issues.push({ field: n('dpo.email'), message: "Enter the DPO's email address, or leave both DPO fields empty" });
  if (dpoEmail && !dpoName)
    issues.push({ field: n('dpo.name'), message: "Enter the DPO's name, or leave both DPO fields empty" });
  const input: CampaignInput = {
    name,
    controllerType: isControllerType(controllerType) ? controllerType : 'other',
    postalAddress,
    ...(ico ? { icoRegistrationNumber: ico } : {}),
    ...(dpoName || dpoEmail ? { dpo: { name: dpoName, email: dpoEmail } } : {}),
  };
  return { input, issues };
}
