/**
 * Adding a person by hand: someone who gave their details on the doorstep, by phone or at a
 * stall. Every value is recorded as provided by the person, from the chosen source and on its
 * lawful basis (shown once a source is chosen). The details are screened against the
 * suppression entries first (DM-SUPPRESSION): an objector is refused, with the rule and why
 * (DM-OBJECTION-ABSOLUTE), and nothing is stored.
 */
import { useState, type FormEvent, type ReactNode } from 'react';
import { Link, useNavigate } from 'react-router';
import { api, ApiError, type Finding, type PersonInput } from '../api.js';
import { useCampaign } from '../campaign-context.js';
import {
  ErrorSummary,
  SelectField,
  SubmitButton,
  TextAreaField,
  TextField,
  textOf,
  useForm,
} from '../components/form.js';
import { ErrorNotice, Loading, Page } from '../components/page.js';
import { FindingsList } from '../components/people-ui.js';
import { SourceBasis, SourceSelect, useCurrentSources } from '../components/source-choice.js';
import { isLawfulBasis, LAWFUL_BASES, LAWFUL_BASIS_LABELS } from '../../shared/labels.js';

const FIELDS = [
  'sourceId',
  'firstName',
  'lastName',
  'email',
  'phone',
  'addressLine1',
  'addressLine2',
  'town',
  'postcode',
] as const;

/** A manual-entry source made on the spot, for members who manage sources. */
function QuickSourceForm({ onCreated }: { onCreated(sourceId: string): Promise<void> }): ReactNode {
  const { campaign } = useCampaign();
  const form = useForm('quick-source');
  const submit = async (event: FormEvent<HTMLFormElement>): Promise<void> => {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const name = textOf(data, 'name');
    const basis = textOf(data, 'lawfulBasis');
    const ok = form.check([
      ...(name ? [] : [{ field: 'name', message: 'Enter a name for the source' }]),
      ...(isLawfulBasis(basis) ? [] : [{ field: 'lawfulBasis', message: 'Choose the lawful basis' }]),
    ]);
    if (!ok || !isLawfulBasis(basis)) return;
    await form.run(async () => {
      const { source } = await api.createSource(campaign.id, {
        name,
        type: 'manual_entry',
        description: 'People added by hand by staff.',
        collectionPurpose: '',
        lawfulBasis: basis,
        lawfulBasisNote: textOf(data, 'lawfulBasisNote') || null,
        art9Condition: null,
        dueDiligence: null,
        art14Plan: null,
        compatibilityAssessment: null,
      });
      await onCreated(source.id);
    }, ['name', 'lawfulBasis', 'lawfulBasisNote']);
  };
  return (
    <form className="form disclosure-body" noValidate onSubmit={(e) => void submit(e)}>
      <ErrorSummary form={form} />
      <TextField form={form} name="name" label="Name of the source" defaultValue="Manual entry" width="medium" />
      <SelectField
        form={form}
        name="lawfulBasis"
        label="Lawful basis (UK GDPR Art 6)"
        placeholder="Choose a lawful basis"
        options={LAWFUL_BASES.map((b) => ({ value: b, label: LAWFUL_BASIS_LABELS[b] }))}
      />
      <TextAreaField
        form={form}
        name="lawfulBasisNote"
        label="Reasons for the lawful basis"
        hint="Public task needs a note of why the processing is necessary; legitimate interests needs the balancing assessment."
        optional
        rows={2}
      />
      <div className="form-actions">
        <SubmitButton form={form} variant="secondary">
          Add source
        </SubmitButton>
      </div>
    </form>
  );
}

export function PersonNewPage(): ReactNode {
  const { campaign, can } = useCampaign();
  const navigate = useNavigate();
  const { sources, error, reload } = useCurrentSources(campaign.id);
  const [sourceId, setSourceId] = useState('');
  const [refusal, setRefusal] = useState<Finding[] | null>(null);
  const [holder, setHolder] = useState<string | null>(null);
  const form = useForm('person');
  const base = `/c/${campaign.id}`;
  const chosen = sourceId || (sources?.[0]?.type === 'manual_entry' ? sources[0].id : '');

  const submit = async (event: FormEvent<HTMLFormElement>): Promise<void> => {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const value = (name: string): string | null => textOf(data, name) || null;
    const input: PersonInput = {
      sourceId: textOf(data, 'sourceId'),
      firstName: value('firstName'),
      lastName: value('lastName'),
      email: value('email'),
      phone: value('phone'),
      addressLine1: value('addressLine1'),
      addressLine2: value('addressLine2'),
      town: value('town'),
      postcode: value('postcode'),
    };
    setRefusal(null);
    setHolder(null);
    if (!form.check(input.sourceId ? [] : [{ field: 'sourceId', message: 'Choose the source of these details' }]))
      return;
    // A held email or phone names the person who has it: the field is marked, with a link to them.
    const held: { issue: { field: string; message: string } | null } = { issue: null };
    await form.run(async () => {
      try {
        const { person } = await api.createPerson(campaign.id, input);
        void navigate(`${base}/people/${person.id}`, { state: { created: true } });
      } catch (caught) {
        if (caught instanceof ApiError && caught.code === 'rule_refused') {
          const findings = caught.details.findings;
          setRefusal(Array.isArray(findings) ? (findings as Finding[]) : []);
          return;
        }
        const personId = caught instanceof ApiError ? caught.details.personId : undefined;
        if (caught instanceof ApiError && caught.code === 'conflict' && typeof personId === 'string') {
          setHolder(personId);
          const field = caught.details.field;
          held.issue = { field: typeof field === 'string' ? field : '', message: caught.message };
          return;
        }
        throw caught;
      }
    }, FIELDS);
    if (held.issue) form.check([held.issue]);
  };

  return (
    <Page
      title="Add a person"
      context={campaign.name}
      lead="Someone who gave you their details themselves: on the doorstep, by phone, at a stall. Each value is recorded as provided by the person, from the source you choose and on its lawful basis."
    >
      <p>
        <Link to={`${base}/people`}>Back to people</Link>
      </p>
      <ErrorNotice message={error} />
      {refusal ? (
        <div className="notice notice-error" role="alert">
          <p>
            <strong>This person cannot be added.</strong> Nothing was stored, and the refusal is recorded in the audit
            trail.
          </p>
          <FindingsList findings={refusal} />
        </div>
      ) : null}
      {sources === null && !error ? <Loading what="sources" /> : null}
      {sources ? (
        <>
          {can('sources.manage') ? (
            <details className="panel disclosure-panel" open={sources.length === 0 ? true : undefined}>
              <summary>Add a manual-entry source</summary>
              <QuickSourceForm
                onCreated={async (id) => {
                  await reload();
                  setSourceId(id);
                }}
              />
            </details>
          ) : sources.length === 0 ? (
            <p className="notice notice-warning">
              There is no current source to record these details against. Ask a data manager to add one (for example a
              manual-entry source with its lawful basis).
            </p>
          ) : null}
          <form className="form" noValidate onSubmit={(e) => void submit(e)}>
            <ErrorSummary form={form} />
            {holder ? (
              <p>
                <Link to={`${base}/people/${holder}`}>Open the person who has these details</Link>
              </p>
            ) : null}
            <fieldset className="fieldset">
              <legend>Where the details came from</legend>
              <SourceSelect
                form={form}
                sources={sources}
                value={chosen}
                onChange={setSourceId}
                hint="Archived sources take no new data and are not listed."
              />
              <SourceBasis source={sources.find((s) => s.id === chosen)} />
            </fieldset>
            <fieldset className="fieldset">
              <legend>The person</legend>
              <p className="hint">Give an email address, a phone number, or a name and a postcode.</p>
              <div className="form-row">
                <TextField form={form} name="firstName" label="First name" optional autoComplete="off" width="medium" />
                <TextField form={form} name="lastName" label="Last name" optional autoComplete="off" width="medium" />
              </div>
              <TextField
                form={form}
                name="email"
                label="Email address"
                type="email"
                optional
                autoComplete="off"
                spellCheck={false}
                width="medium"
              />
              <TextField
                form={form}
                name="phone"
                label="Phone number"
                hint="A UK number, or an international one starting with +."
                optional
                autoComplete="off"
                width="medium"
              />
              <TextField form={form} name="addressLine1" label="Address line 1" optional autoComplete="off" />
              <TextField form={form} name="addressLine2" label="Address line 2" optional autoComplete="off" />
              <div className="form-row">
                <TextField form={form} name="town" label="Town" optional autoComplete="off" width="medium" />
                <TextField form={form} name="postcode" label="Postcode" optional autoComplete="off" width="short" />
              </div>
            </fieldset>
            <div className="form-actions">
              <SubmitButton form={form}>Add person</SubmitButton>
            </div>
          </form>
        </>
      ) : null}
    </Page>
  );
}
