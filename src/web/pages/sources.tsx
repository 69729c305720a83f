/**
 * Sources: where the campaign's personal data comes from, and the record each kind needs
 * before an import from it is allowed (lawful basis, Art 9 condition, due diligence for
 * brokers, the Art 14 plan for data not obtained from the person, a compatibility
 * assessment for re-used petition, survey and casework data).
 */
import { useEffect, useState, type FormEvent, type ReactNode } from 'react';
import { Link, useLocation, useNavigate, useParams } from 'react-router';
import { api, ApiError, describeError, type DueDiligence, type Source, type SourceInput } from '../api.js';
import { useCampaign } from '../campaign-context.js';
import {
  ChoiceGroup,
  ErrorSummary,
  SelectField,
  SubmitButton,
  TextAreaField,
  TextField,
  textOf,
  useForm,
} from '../components/form.js';
import { ErrorNotice, ListState, Loading, Page, StatusMessage } from '../components/page.js';
import { yesNo } from '../components/people-ui.js';
import { TableRegion } from '../components/table-region.js';
import { formatDate, sentence } from '../format.js';
import {
  LAWFUL_BASES,
  LAWFUL_BASIS_LABELS,
  SOURCE_TYPES,
  SOURCE_TYPE_LABELS,
  THIRD_PARTY_SOURCE_TYPES,
  type SourceType,
  isLawfulBasis,
} from '../../shared/labels.js';

const REUSED_TYPES: readonly SourceType[] = ['petition', 'survey', 'casework'];
const isSourceType = (value: string): value is SourceType => (SOURCE_TYPES as readonly string[]).includes(value);
/** The due-diligence fields, in the order of the record; the yes/no ones are radios. */
const DD_KEYS = [
  'supplierName',
  'supplierIcoRegistration',
  'collectionMethod',
  'peopleToldOfDisclosure',
  'consentCoversUs',
  'supplierScreened',
  'checkedOn',
  'checkedBy',
  'notes',
] as const satisfies readonly (keyof DueDiligence)[];
type DdYesNo = 'peopleToldOfDisclosure' | 'consentCoversUs' | 'supplierScreened';
type DdText = Exclude<(typeof DD_KEYS)[number], DdYesNo>;
const DD_YES_NO: readonly string[] = [
  'peopleToldOfDisclosure',
  'consentCoversUs',
  'supplierScreened',
] satisfies DdYesNo[];

const FIELDS = [
  'name',
  'type',
  'description',
  'collectionPurpose',
  'lawfulBasis',
  'lawfulBasisNote',
  'art9Condition',
  'art14Plan',
  'compatibilityAssessment',
  'dueDiligence',
  ...DD_KEYS.map((key) => `dueDiligence.${key}`),
];

const YES_NO = [
  { value: 'yes', label: 'Yes' },
  { value: 'no', label: 'No' },
];
const yn = (value: boolean | null | undefined): string[] => (value === true ? ['yes'] : value === false ? ['no'] : []);

/**
 * Archives a source, or restores it. An archived source takes no new data: an import from it
 * is refused (src/domain/rules/import-rules.ts, archivedSource) and so is manual entry; the
 * people, values and provenance that came from it stay. Sources are never deleted.
 */
function ArchiveButton({
  source,
  onChanged,
  onError,
}: {
  source: Source;
  onChanged(source: Source, message: string): void;
  onError(message: string): void;
}): ReactNode {
  const { campaign } = useCampaign();
  const [busy, setBusy] = useState(false);
  const archived = source.archivedAt !== null;
  const toggle = async (): Promise<void> => {
    setBusy(true);
    try {
      const answer = await api.updateSource(campaign.id, source.id, { archived: !archived });
      onChanged(
        answer.source,
        archived
          ? `${source.name} was restored: it can be imported from again.`
          : `${source.name} was archived: imports and manual entry from it are refused; what came from it stays.`,
      );
    } catch (caught) {
      onError(sentence(describeError(caught)));
    } finally {
      setBusy(false);
    }
  };
  return (
    <button
      type="button"
      className="button button-secondary button-small"
      disabled={busy}
      onClick={() => void toggle()}
    >
      {archived ? 'Restore' : 'Archive'}
      <span className="visually-hidden"> {source.name}</span>
    </button>
  );
}

export function SourcesPage(): ReactNode {
  const { campaign, can } = useCampaign();
  const [sources, setSources] = useState<Source[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const base = `/c/${campaign.id}`;
  const manage = can('sources.manage');

  useEffect(() => {
    api.sources(campaign.id).then(
      (answer) => setSources(answer.sources),
      (caught: unknown) => setError(sentence(describeError(caught))),
    );
  }, [campaign.id]);

  const changed = (next: Source, message: string): void => {
    setSources((list) => list?.map((s) => (s.id === next.id ? next : s)) ?? null);
    setError(null);
    setStatus(message);
  };
  const failed = (message: string): void => {
    setStatus(null);
    setError(message);
  };

  return (
    <Page
      title="Sources"
      context={campaign.name}
      lead="Every import and every feed of personal data comes from a source. A source records where the data came from, the lawful basis for holding it, and the checks its kind requires."
      actions={
        can('sources.manage') ? (
          <Link className="button button-primary" to={`${base}/sources/new`}>
            Add a source
          </Link>
        ) : null
      }
    >
      <StatusMessage message={status} />
      <ListState items={sources} error={error} what="sources" empty="No sources yet.">
        <p>Add a source before importing people: the import wizard asks which source a file comes from.</p>
      </ListState>
      {sources && sources.length > 0 ? (
        <p className="hint">
          Sources are archived, never deleted: an archived source takes no new data (imports and manual entry from it
          are refused), and the people and values that came from it keep their provenance.
        </p>
      ) : null}
      {sources && sources.length > 0 ? (
        <TableRegion label="Sources table">
          <table className="table">
            <caption className="visually-hidden">Sources</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Type</th>
                <th scope="col">Lawful basis</th>
                <th scope="col">Added</th>
                {manage ? <th scope="col">Actions</th> : null}
              </tr>
            </thead>
            <tbody>
              {sources.map((source) => (
                <tr key={source.id}>
                  <td>
                    <Link to={`${base}/sources/${source.id}`}>{source.name}</Link>
                    {source.archivedAt ? <span className="tag tag-muted">Archived</span> : null}
                  </td>
                  <td>
                    {SOURCE_TYPE_LABELS[source.type] ?? source.type}
                    {source.thirdParty ? <span className="code-hint">Not from the person: Art 14 notice</span> : null}
                  </td>
                  <td>{source.lawfulBasis ? LAWFUL_BASIS_LABELS[source.lawfulBasis] : 'Not recorded'}</td>
                  <td className="nowrap">{formatDate(source.createdAt)}</td>
                  {manage ? (
                    <td>
                      <ArchiveButton source={source} onChanged={changed} onError={failed} />
                    </td>
                  ) : null}
                </tr>
              ))}
            </tbody>
          </table>
        </TableRegion>
      ) : null}
    </Page>
  );
}

function DueDiligenceFields({
  form,
  value,
}: {
  form: ReturnType<typeof useForm>;
  value: DueDiligence | null;
}): ReactNode {
  const name = (key: string): string => `dueDiligence.${key}`;
  const text = (key: DdText) => ({ form, name: name(key), defaultValue: value?.[key] ?? '' });
  const radios = (key: DdYesNo) => ({
    form,
    name: name(key),
    type: 'radio' as const,
    options: YES_NO,
    defaultValue: yn(value?.[key]),
  });
  return (
    <fieldset className="fieldset">
      <legend>Due diligence on the supplier</legend>
      <p className="hint">
        Data bought or received from a broker is refused at import until these checks are recorded (rule
        TP-BROKER-DUE-DILIGENCE).
      </p>
      <TextField {...text('supplierName')} label="Supplier name" />
      <TextField {...text('supplierIcoRegistration')} label="Supplier's ICO registration number" width="short" />
      <TextAreaField {...text('collectionMethod')} label="How the supplier collected the data" />
      <ChoiceGroup
        {...radios('peopleToldOfDisclosure')}
        legend="Were the people told their data would be passed to campaigns like this one?"
      />
      <ChoiceGroup
        {...radios('consentCoversUs')}
        legend="If consent is the basis: does it name this campaign (or its type) and the channels?"
        options={[...YES_NO, { value: 'na', label: 'Consent is not the basis' }]}
        defaultValue={value ? (yn(value.consentCoversUs).length ? yn(value.consentCoversUs) : ['na']) : []}
      />
      <ChoiceGroup
        {...radios('supplierScreened')}
        legend="Has the supplier screened the file against TPS, CTPS and their own suppressions?"
      />
      <TextField {...text('checkedOn')} label="Date of the check" type="date" width="short" />
      <TextField {...text('checkedBy')} label="Checked by" width="medium" />
      <TextAreaField {...text('notes')} label="Notes" optional />
    </fieldset>
  );
}

/** Whether any due-diligence field was filled in (none: the record is still to be made). */
const ddStarted = (data: FormData): boolean =>
  [...data.entries()].some(
    ([key, value]) => key.startsWith('dueDiligence.') && typeof value === 'string' && value.trim() !== '',
  );

function SourceForm({ source, onSaved }: { source: Source | null; onSaved(source: Source): void }): ReactNode {
  const { campaign } = useCampaign();
  const form = useForm('source');
  const [type, setType] = useState<SourceType | ''>(source?.type ?? '');
  const thirdParty = type !== '' && THIRD_PARTY_SOURCE_TYPES.includes(type);
  const reused = type !== '' && REUSED_TYPES.includes(type);
  const optionalText = (
    key:
      | 'description'
      | 'collectionPurpose'
      | 'lawfulBasisNote'
      | 'art9Condition'
      | 'art14Plan'
      | 'compatibilityAssessment',
  ) => ({
    form,
    name: key,
    optional: true,
    defaultValue: source?.[key] ?? '',
  });

  const submit = async (event: FormEvent<HTMLFormElement>): Promise<void> => {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const name = textOf(data, 'name');
    const basis = textOf(data, 'lawfulBasis');
    const ok = form.check([
      ...(name ? [] : [{ field: 'name', message: 'Enter a name for the source' }]),
      ...(isSourceType(type) ? [] : [{ field: 'type', message: 'Choose the type of source' }]),
    ]);
    if (!ok || !isSourceType(type)) return;
    const optional = (field: string): string | null => textOf(data, field) || null;
    const input: SourceInput = {
      name,
      type,
      description: textOf(data, 'description'),
      collectionPurpose: textOf(data, 'collectionPurpose'),
      lawfulBasis: isLawfulBasis(basis) ? basis : null,
      lawfulBasisNote: optional('lawfulBasisNote'),
      art9Condition: optional('art9Condition'),
      art14Plan: thirdParty ? optional('art14Plan') : null,
      compatibilityAssessment: reused ? optional('compatibilityAssessment') : null,
      dueDiligence:
        type === 'data_broker' && ddStarted(data)
          ? (Object.fromEntries(
              DD_KEYS.map((key) => [key, (DD_YES_NO.includes(key) ? yesNo : textOf)(data, `dueDiligence.${key}`)]),
            ) as unknown as DueDiligence)
          : null,
    };
    await form.run(async () => {
      const answer = source
        ? await api.updateSource(campaign.id, source.id, input)
        : await api.createSource(campaign.id, input);
      onSaved(answer.source);
    }, FIELDS);
  };

  return (
    <form className="form" noValidate onSubmit={(e) => void submit(e)}>
      <ErrorSummary form={form} />
      <TextField
        form={form}
        name="name"
        label="Name"
        hint="For example: Spring 2026 petition."
        defaultValue={source?.name ?? ''}
      />
      <SelectField
        form={form}
        name="type"
        label="Type of source"
        placeholder="Choose a type"
        options={SOURCE_TYPES.map((t) => ({ value: t, label: SOURCE_TYPE_LABELS[t] }))}
        defaultValue={type}
        onChange={(next) => setType(isSourceType(next) ? next : '')}
      />
      {thirdParty ? (
        <p className="notice notice-info">
          People from this source did not give their data to the campaign themselves: each must be sent a privacy notice
          within one month (UK GDPR Art 14).
        </p>
      ) : null}
      <TextAreaField {...optionalText('description')} label="Description" />
      <TextAreaField {...optionalText('collectionPurpose')} label="Purpose the data was collected for" />
      <fieldset className="fieldset">
        <legend>Lawful basis</legend>
        <SelectField
          form={form}
          name="lawfulBasis"
          label="Lawful basis (UK GDPR Art 6)"
          hint="Nothing can be imported from a source until its lawful basis is recorded."
          options={[
            { value: 'none', label: 'Not recorded yet' },
            ...LAWFUL_BASES.map((b) => ({ value: b, label: LAWFUL_BASIS_LABELS[b] })),
          ]}
          defaultValue={source?.lawfulBasis ?? 'none'}
        />
        <TextAreaField
          {...optionalText('lawfulBasisNote')}
          label="Reasons for the lawful basis"
          hint="Public task needs a note of why the processing is necessary; legitimate interests needs the balancing assessment."
        />
        <TextAreaField
          {...optionalText('art9Condition')}
          label="Art 9 condition for special category data"
          hint="Needed when a file carries political opinions (support scores and pledges included), ethnicity, religion, health or other special category data."
        />
      </fieldset>
      {type === 'data_broker' ? <DueDiligenceFields form={form} value={source?.dueDiligence ?? null} /> : null}
      {thirdParty ? (
        <TextAreaField
          {...optionalText('art14Plan')}
          label="Plan for the Art 14 privacy notice"
          hint="How and when each person will be told, within one month of their data arriving."
        />
      ) : null}
      {reused ? (
        <TextAreaField
          {...optionalText('compatibilityAssessment')}
          label="Compatibility assessment (Art 6(4))"
          hint="Why using this data for campaigning is compatible with the purpose it was collected for. Without it (or consent), an import is allowed with a warning."
        />
      ) : null}
      <div className="form-actions">
        <SubmitButton form={form}>{source ? 'Save source' : 'Add source'}</SubmitButton>
      </div>
    </form>
  );
}

export function SourceEditPage(): ReactNode {
  const { campaign, can } = useCampaign();
  const { sourceId } = useParams();
  const navigate = useNavigate();
  const [source, setSource] = useState<Source | null>(null);
  const [error, setError] = useState<{ message: string; missing: boolean } | null>(null);
  const location = useLocation();
  const created = (location.state as { created?: boolean } | null)?.created === true;
  const [status, setStatus] = useState<string | null>(null);
  const [actionError, setActionError] = useState<string | null>(null);
  const base = `/c/${campaign.id}`;
  const creating = sourceId === undefined;

  useEffect(() => {
    if (created) setStatus('Source added.');
  }, [created]);

  useEffect(() => {
    if (creating) return;
    api.source(campaign.id, sourceId).then(
      (answer) => setSource(answer.source),
      (caught: unknown) =>
        setError({
          message: sentence(describeError(caught)),
          missing: caught instanceof ApiError && caught.status === 404,
        }),
    );
  }, [campaign.id, sourceId, creating]);

  if (error) {
    return (
      <Page title={error.missing ? 'Source not found' : 'Source could not be loaded'} context={campaign.name}>
        <ErrorNotice message={error.missing ? null : error.message} />
        <p>
          <Link to={`${base}/sources`}>Back to sources</Link>
        </p>
      </Page>
    );
  }
  if (!creating && !source) return <Loading what="the source" />;
  const manage = can('sources.manage');
  return (
    <Page
      title={source ? source.name : 'Add a source'}
      context={campaign.name}
      lead={source ? (SOURCE_TYPE_LABELS[source.type] ?? source.type) : 'Where the data comes from, and on what basis.'}
    >
      <StatusMessage message={status} />
      <p>
        <Link to={`${base}/sources`}>Back to sources</Link>
      </p>
      <ErrorNotice message={actionError} />
      {source?.archivedAt ? (
        <div className="notice notice-warning">
          <p>
            <strong>Archived on {formatDate(source.archivedAt)}.</strong> This source takes no new data: imports and
            manual entry from it are refused. What came from it stays, with its provenance.
          </p>
        </div>
      ) : null}
      {source && manage ? (
        <p>
          <ArchiveButton
            source={source}
            onChanged={(next, message) => {
              setSource(next);
              setActionError(null);
              setStatus(message);
            }}
            onError={setActionError}
          />
        </p>
      ) : null}
      {manage ? (
        <SourceForm
          key={source?.updatedAt ?? 'new'}
          source={source}
          onSaved={(saved) => {
            if (creating) {
              void navigate(`${base}/sources/${saved.id}`, { state: { created: true } });
            } else {
              setSource(saved);
              setStatus('Source saved.');
            }
          }}
        />
      ) : source ? (
        <dl className="summary-list panel">
          <div>
            <dt>Lawful basis</dt>
            <dd>{source.lawfulBasis ? LAWFUL_BASIS_LABELS[source.lawfulBasis] : 'Not recorded'}</dd>
          </div>
          <div>
            <dt>Reasons</dt>
            <dd className="preserve-lines">{source.lawfulBasisNote ?? '—'}</dd>
          </div>
          <div>
            <dt>Purpose collected for</dt>
            <dd className="preserve-lines">{source.collectionPurpose || '—'}</dd>
          </div>
          <div>
            <dt>Art 9 condition</dt>
            <dd className="preserve-lines">{source.art9Condition ?? '—'}</dd>
          </div>
          {source.thirdParty ? (
            <div>
              <dt>Art 14 plan</dt>
              <dd className="preserve-lines">{source.art14Plan ?? '—'}</dd>
            </div>
          ) : null}
        </dl>
      ) : null}
    </Page>
  );
}
