/**
 * One processing activity: its record (UK GDPR Art 30(1)), the sources, processors and
 * joint-controller arrangements it relies on, what the rules say about it, and activation.
 * A draft saves whatever is filled in; activation is refused, with the reasons, until the
 * record is complete and every linked record passes (ROPA-COMPLETE, ONL-ARRANGEMENT-GAPS,
 * CTRL-ART28-CONTRACT, XFER-MECHANISM…).
 */
import { useEffect, useState, type FormEvent, type ReactNode } from 'react';
import { Link, useLocation, useNavigate, useParams } from 'react-router';
import { api, ApiError, describeError, type Source } from '../api.js';
import { useCampaign } from '../campaign-context.js';
import { ActivityDetails } from '../components/activity-details.js';
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
import {
  ActivityStatusTag,
  DecisionPanel,
  PickList,
  TransfersEditor,
  linesOf,
  orNull,
  textOfLines,
} from '../components/governance-ui.js';
import { ErrorNotice, Loading, Page, StatusMessage } from '../components/page.js';
import { sentence } from '../format.js';
import { governanceApi, type ActivityInput } from '../governance-api.js';
import {
  ART9_CONDITIONS,
  ART9_CONDITION_LABELS,
  CAPABILITY_KINDS,
  CAPABILITY_LABELS,
  type ActivityView,
  type Art9Condition,
  type ArrangementView,
  type CapabilityKind,
  type ProcessorView,
  type SpecialCategoryUseRecord,
  type TransferRecord,
} from '../../shared/governance.js';
import {
  LAWFUL_BASES,
  LAWFUL_BASIS_LABELS,
  SPECIAL_CATEGORIES,
  SPECIAL_CATEGORY_LABELS,
  type LawfulBasis,
  type SpecialCategory,
  isLawfulBasis,
} from '../../shared/labels.js';

const isCapability = (v: string): v is CapabilityKind => (CAPABILITY_KINDS as readonly string[]).includes(v);
const isCondition = (v: string): v is Art9Condition => (ART9_CONDITIONS as readonly string[]).includes(v);
const isCategory = (v: string): v is SpecialCategory => (SPECIAL_CATEGORIES as readonly string[]).includes(v);

const FIELDS = [
  'name',
  'description',
  'purposes',
  'lawfulBasis',
  'lawfulBasisNote',
  'legitimateInterestsAssessment.purpose',
  'legitimateInterestsAssessment.necessity',
  'legitimateInterestsAssessment.balancing',
  'legitimateInterestsAssessment.conclusion',
  'legitimateInterestsAssessment.assessedOn',
  'legitimateInterestsAssessment.assessedBy',
  'dataSubjects',
  'dataCategories',
  'appropriatePolicyDocument',
  'otherSources',
  'recipients',
  'retention',
  'securityMeasures',
  'capabilities',
  'dpiaId',
];

interface Links {
  sources: Source[];
  processors: ProcessorView[];
  arrangements: ArrangementView[];
}

function SpecialCategoriesEditor({
  value,
  onChange,
}: {
  value: SpecialCategoryUseRecord[];
  onChange(next: SpecialCategoryUseRecord[]): void;
}): ReactNode {
  const set = (i: number, patch: Partial<SpecialCategoryUseRecord>): void =>
    onChange(value.map((s, j) => (j === i ? { ...s, ...patch } : s)));
  const unused = SPECIAL_CATEGORIES.filter((c) => !value.some((s) => s.category === c));
  return (
    <fieldset className="fieldset">
      <legend>Special category data</legend>
      <p className="hint">
        Political opinions count, inferred ones included: a list of members or pledged supporters reveals them. Each
        category needs an Art 9 condition.
      </p>
      {value.map((s, i) => (
        <div className="panel" key={s.category}>
          <p className="strong">{SPECIAL_CATEGORY_LABELS[s.category]}</p>
          <div className="form-row">
            <div className="field">
              <label htmlFor={`sc-${i}-condition`}>Art 9 condition</label>
              <select
                id={`sc-${i}-condition`}
                className="input input-medium"
                value={s.condition ?? ''}
                onChange={(e) =>
                  set(i, {
                    condition: isCondition(e.target.value) ? e.target.value : null,
                    schedule1Paragraph: e.target.value === 'substantial_public_interest' ? s.schedule1Paragraph : null,
                  })
                }
              >
                <option value="">Not recorded yet</option>
                {ART9_CONDITIONS.map((c) => (
                  <option key={c} value={c}>
                    {ART9_CONDITION_LABELS[c]}
                  </option>
                ))}
              </select>
            </div>
            {s.condition === 'substantial_public_interest' ? (
              <div className="field">
                <label htmlFor={`sc-${i}-para`}>DPA 2018 Sch 1 paragraph</label>
                <p className="hint" id={`sc-${i}-para-hint`}>
                  22 for political parties
                </p>
                <input
                  id={`sc-${i}-para`}
                  aria-describedby={`sc-${i}-para-hint`}
                  className="input input-small"
                  inputMode="numeric"
                  value={s.schedule1Paragraph ?? ''}
                  onChange={(e) => {
                    const n = Number.parseInt(e.target.value, 10);
                    set(i, { schedule1Paragraph: Number.isFinite(n) ? n : null });
                  }}
                />
              </div>
            ) : null}
          </div>
          <div className="choice">
            <input
              type="checkbox"
              id={`sc-${i}-inferred`}
              checked={s.inferred}
              onChange={(e) => set(i, { inferred: e.target.checked })}
            />
            <label htmlFor={`sc-${i}-inferred`}>Inferred (a score, a model, a list it can be read from)</label>
          </div>
          <button
            type="button"
            className="button button-secondary button-small"
            onClick={() => onChange(value.filter((_, j) => j !== i))}
          >
            Remove {SPECIAL_CATEGORY_LABELS[s.category].toLowerCase()}
          </button>
        </div>
      ))}
      {unused.length > 0 ? (
        <div className="field">
          <label htmlFor="sc-add">Add a special category</label>
          <select
            id="sc-add"
            className="input input-medium"
            value=""
            onChange={(e) => {
              if (isCategory(e.target.value)) {
                onChange([
                  ...value,
                  { category: e.target.value, inferred: false, condition: null, schedule1Paragraph: null, note: '' },
                ]);
              }
            }}
          >
            <option value="">Choose a category</option>
            {unused.map((c) => (
              <option key={c} value={c}>
                {SPECIAL_CATEGORY_LABELS[c]}
              </option>
            ))}
          </select>
        </div>
      ) : null}
    </fieldset>
  );
}

function ActivityForm({
  activity,
  links,
  onSaved,
}: {
  activity: ActivityView | null;
  links: Links;
  onSaved(saved: ActivityView): void;
}): ReactNode {
  const { campaign } = useCampaign();
  const form = useForm('activity');
  const [basis, setBasis] = useState<LawfulBasis | ''>(activity?.lawfulBasis ?? '');
  const [special, setSpecial] = useState<SpecialCategoryUseRecord[]>(activity?.specialCategories ?? []);
  const [transfersStated, setTransfersStated] = useState<'none' | 'listed' | 'unknown'>(
    activity?.transfers === null || !activity ? 'unknown' : activity.transfers.length === 0 ? 'none' : 'listed',
  );
  const [transfers, setTransfers] = useState<TransferRecord[]>(activity?.transfers ?? []);
  const [sourceIds, setSourceIds] = useState<string[]>(activity?.sourceIds ?? []);
  const [processorIds, setProcessorIds] = useState<string[]>(activity?.processorIds ?? []);
  const [arrangementIds, setArrangementIds] = useState<string[]>(activity?.arrangementIds ?? []);
  const lia = activity?.legitimateInterestsAssessment;

  const submit = async (event: FormEvent<HTMLFormElement>): Promise<void> => {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const name = textOf(data, 'name');
    if (!form.check(name ? [] : [{ field: 'name', message: 'Enter a name for the activity' }])) return;
    const liaText = (key: string): string => textOf(data, `legitimateInterestsAssessment.${key}`);
    const input: ActivityInput = {
      name,
      description: textOf(data, 'description'),
      purposes: linesOf(textOf(data, 'purposes')),
      lawfulBasis: isLawfulBasis(basis) ? basis : null,
      lawfulBasisNote: orNull(textOf(data, 'lawfulBasisNote')),
      legitimateInterestsAssessment:
        basis === 'legitimate_interests'
          ? {
              purpose: liaText('purpose'),
              necessity: liaText('necessity'),
              balancing: liaText('balancing'),
              conclusion: liaText('conclusion'),
              assessedOn: liaText('assessedOn') || null,
              assessedBy: liaText('assessedBy'),
            }
          : null,
      dataSubjects: linesOf(textOf(data, 'dataSubjects')),
      dataCategories: linesOf(textOf(data, 'dataCategories')),
      specialCategories: special,
      appropriatePolicyDocument: orNull(textOf(data, 'appropriatePolicyDocument')),
      sourceIds,
      otherSources: textOf(data, 'otherSources'),
      recipients: linesOf(textOf(data, 'recipients')),
      transfers: transfersStated === 'unknown' ? null : transfersStated === 'none' ? [] : transfers,
      retention: orNull(textOf(data, 'retention')),
      securityMeasures: orNull(textOf(data, 'securityMeasures')),
      capabilities: data
        .getAll('capabilities')
        .filter((v): v is CapabilityKind => typeof v === 'string' && isCapability(v)),
      dpiaId: orNull(textOf(data, 'dpiaId')),
      processorIds,
      arrangementIds,
    };
    await form.run(async () => {
      const answer = activity
        ? await governanceApi.updateActivity(campaign.id, activity.id, input)
        : await governanceApi.createActivity(campaign.id, input);
      onSaved(answer.activity);
    }, FIELDS);
  };

  const liaField = (key: 'purpose' | 'necessity' | 'balancing' | 'conclusion', label: string, hint: string) => (
    <TextAreaField
      form={form}
      name={`legitimateInterestsAssessment.${key}`}
      label={label}
      hint={hint}
      optional
      defaultValue={lia?.[key] ?? ''}
    />
  );

  return (
    <form className="form" noValidate onSubmit={(e) => void submit(e)}>
      <ErrorSummary form={form} />
      <TextField
        form={form}
        name="name"
        label="Name"
        hint="For example: Supporter matching on Meta."
        defaultValue={activity?.name ?? ''}
      />
      <TextAreaField
        form={form}
        name="description"
        label="Description"
        optional
        defaultValue={activity?.description ?? ''}
      />
      <ChoiceGroup
        form={form}
        name="capabilities"
        type="checkbox"
        legend="What the activity does"
        hint="Custom audiences, lookalikes, pixels and page insights make the campaign a joint controller with the platform: each needs an arrangement linked below."
        options={CAPABILITY_KINDS.map((k) => ({ value: k, label: CAPABILITY_LABELS[k] }))}
        defaultValue={activity?.capabilities ?? []}
      />
      <fieldset className="fieldset">
        <legend>Purposes and lawful basis</legend>
        <TextAreaField
          form={form}
          name="purposes"
          label="Purposes (one per line)"
          optional
          defaultValue={textOfLines(activity?.purposes ?? [])}
        />
        <SelectField
          form={form}
          name="lawfulBasis"
          label="Lawful basis (UK GDPR Art 6)"
          hint="“Democratic engagement” is not a recognised legitimate interest: campaigns rely on public task (DPA 2018 s.8(e)), legitimate interests or consent."
          options={[
            { value: '', label: 'Not recorded yet' },
            ...LAWFUL_BASES.map((b) => ({ value: b, label: LAWFUL_BASIS_LABELS[b] })),
          ]}
          defaultValue={basis}
          onChange={(v) => setBasis(isLawfulBasis(v) ? v : '')}
        />
        <TextAreaField
          form={form}
          name="lawfulBasisNote"
          label={basis === 'public_task' ? 'Necessity note' : 'Reasons for the lawful basis'}
          hint={
            basis === 'public_task'
              ? 'Why the processing is necessary for an activity that supports or promotes democratic engagement.'
              : 'Why this basis applies.'
          }
          optional
          defaultValue={activity?.lawfulBasisNote ?? ''}
        />
        {basis === 'legitimate_interests' ? (
          <fieldset className="fieldset">
            <legend>Legitimate-interests assessment</legend>
            {liaField('purpose', 'Purpose test', 'The interest the campaign pursues.')}
            {liaField(
              'necessity',
              'Necessity test',
              'Why this processing is needed for it, and no less intrusive way would do.',
            )}
            {liaField(
              'balancing',
              'Balancing test',
              "People's interests, rights and reasonable expectations, weighed against it.",
            )}
            {liaField('conclusion', 'Conclusion', 'The outcome, and any safeguards it depends on.')}
            <div className="form-row">
              <TextField
                form={form}
                name="legitimateInterestsAssessment.assessedOn"
                label="Assessed on"
                type="date"
                width="short"
                optional
                defaultValue={lia?.assessedOn ?? ''}
              />
              <TextField
                form={form}
                name="legitimateInterestsAssessment.assessedBy"
                label="Assessed by"
                width="medium"
                optional
                defaultValue={lia?.assessedBy ?? ''}
              />
            </div>
          </fieldset>
        ) : null}
      </fieldset>
      <fieldset className="fieldset">
        <legend>People and data</legend>
        <TextAreaField
          form={form}
          name="dataSubjects"
          label="Categories of data subjects (one per line)"
          optional
          defaultValue={textOfLines(activity?.dataSubjects ?? [])}
        />
        <TextAreaField
          form={form}
          name="dataCategories"
          label="Categories of personal data (one per line)"
          optional
          defaultValue={textOfLines(activity?.dataCategories ?? [])}
        />
        <SpecialCategoriesEditor value={special} onChange={setSpecial} />
        {special.some((s) => s.schedule1Paragraph !== null) ? (
          <TextAreaField
            form={form}
            name="appropriatePolicyDocument"
            label="Appropriate policy document"
            hint="DPA 2018 Sch 1 paras 5, 39 and 41: where the document is, its version, and whether the data is kept and erased as it says."
            optional
            defaultValue={activity?.appropriatePolicyDocument ?? ''}
          />
        ) : null}
      </fieldset>
      <PickList
        legend="Sources"
        hint="Where the data comes from."
        options={links.sources.map((s) => ({ id: s.id, label: s.name, note: s.archivedAt ? 'archived' : undefined }))}
        value={sourceIds}
        onChange={setSourceIds}
        empty="No sources recorded yet."
      />
      <TextAreaField
        form={form}
        name="otherSources"
        label="Other sources"
        hint="For example: observed by the pixel on our website."
        optional
        defaultValue={activity?.otherSources ?? ''}
      />
      <fieldset className="fieldset">
        <legend>Recipients</legend>
        <TextAreaField
          form={form}
          name="recipients"
          label="Categories of recipients (one per line)"
          optional
          defaultValue={textOfLines(activity?.recipients ?? [])}
        />
        <PickList
          legend="Processors the data is shared with"
          options={links.processors
            .filter((p) => !p.archivedAt)
            .map((p) => ({
              id: p.id,
              label: p.name,
              note: p.decision.outcome === 'refuse' ? 'fails a rule: see its page' : undefined,
            }))}
          value={processorIds}
          onChange={setProcessorIds}
          empty="No processors recorded yet."
        />
        <PickList
          legend="Joint-controller arrangements it relies on"
          options={links.arrangements
            .filter((a) => !a.archivedAt)
            .map((a) => ({
              id: a.id,
              label: `${a.platformName} — ${a.scope.replaceAll('_', ' ')}`,
              note: a.gaps.length > 0 ? `${a.gaps.length} gap${a.gaps.length === 1 ? '' : 's'}` : undefined,
            }))}
          value={arrangementIds}
          onChange={setArrangementIds}
          empty="No joint-controller arrangements recorded yet."
        />
      </fieldset>
      <fieldset className="fieldset choices">
        <legend>Transfers outside the UK by the campaign itself</legend>
        <p className="hint">Processors’ hosting is recorded on each processor and included in the record.</p>
        {(
          [
            ['unknown', 'Not stated yet'],
            ['none', 'None'],
            ['listed', 'Yes, listed below'],
          ] as const
        ).map(([value, label]) => (
          <div className="choice" key={value}>
            <input
              type="radio"
              id={`transfers-${value}`}
              name="transfersStated"
              checked={transfersStated === value}
              onChange={() => setTransfersStated(value)}
            />
            <label htmlFor={`transfers-${value}`}>{label}</label>
          </div>
        ))}
      </fieldset>
      {transfersStated === 'listed' ? (
        <TransfersEditor legend="Transfers" value={transfers} onChange={setTransfers} withRecipient />
      ) : null}
      <TextAreaField
        form={form}
        name="retention"
        label="Retention period"
        optional
        defaultValue={activity?.retention ?? ''}
      />
      <TextAreaField
        form={form}
        name="securityMeasures"
        label="Security measures"
        hint="A general description of the technical and organisational measures (Art 32)."
        optional
        defaultValue={activity?.securityMeasures ?? ''}
      />
      <TextField
        form={form}
        name="dpiaId"
        label="DPIA id"
        optional
        width="medium"
        defaultValue={activity?.dpiaId ?? ''}
      />
      <div className="form-actions">
        <SubmitButton form={form}>{activity ? 'Save activity' : 'Record activity'}</SubmitButton>
      </div>
    </form>
  );
}

export function ProcessingActivityPage(): ReactNode {
  const { campaign, can } = useCampaign();
  const { activityId } = useParams();
  const navigate = useNavigate();
  const location = useLocation();
  const creating = activityId === undefined;
  const [activity, setActivity] = useState<ActivityView | null>(null);
  const [links, setLinks] = useState<Links | null>(null);
  const [error, setError] = useState<{ message: string; missing: boolean } | null>(null);
  const [actionError, setActionError] = useState<string | null>(null);
  const [status, setStatus] = useState<string | null>(
    (location.state as { created?: boolean } | null)?.created ? 'Activity recorded.' : null,
  );
  const [busy, setBusy] = useState(false);
  const base = `/c/${campaign.id}/record-of-processing`;
  const manage = can('governance.manage');

  useEffect(() => {
    const fail = (caught: unknown): void =>
      setError({
        message: sentence(describeError(caught)),
        missing: caught instanceof ApiError && caught.status === 404,
      });
    if (!creating) governanceApi.activity(campaign.id, activityId).then((a) => setActivity(a.activity), fail);
    if (manage) {
      Promise.all([
        api.sources(campaign.id),
        governanceApi.processors(campaign.id),
        governanceApi.arrangements(campaign.id),
      ]).then(
        ([s, p, a]) => setLinks({ sources: s.sources, processors: p.processors, arrangements: a.arrangements }),
        fail,
      );
    }
  }, [campaign.id, activityId, creating, manage]);

  const act = async (action: 'activate' | 'retire'): Promise<void> => {
    if (!activity) return;
    setBusy(true);
    setActionError(null);
    try {
      const answer =
        action === 'activate'
          ? await governanceApi.activateActivity(campaign.id, activity.id)
          : await governanceApi.retireActivity(campaign.id, activity.id);
      setActivity(answer.activity);
      setStatus(action === 'activate' ? 'Activity activated.' : 'Activity retired.');
    } catch (caught) {
      setActionError(sentence(describeError(caught)));
      // The decision shown is refreshed, so the reasons below match the refusal.
      governanceApi.activity(campaign.id, activity.id).then(
        (a) => setActivity(a.activity),
        () => undefined,
      );
    } finally {
      setBusy(false);
    }
  };

  if (error) {
    return (
      <Page title={error.missing ? 'Activity not found' : 'Activity could not be loaded'} context={campaign.name}>
        <ErrorNotice message={error.missing ? null : error.message} />
        <p>
          <Link to={base}>Back to the record of processing</Link>
        </p>
      </Page>
    );
  }
  if ((!creating && !activity) || (manage && !links)) return <Loading what="the activity" />;
  return (
    <Page
      title={activity ? activity.name : 'Record a processing activity'}
      context={campaign.name}
      lead={
        activity ? (
          <ActivityStatusTag status={activity.status} />
        ) : (
          'Drafts save whatever is filled in; activation checks the record.'
        )
      }
      actions={
        activity && manage && activity.status !== 'retired' ? (
          <>
            {activity.status === 'draft' ? (
              <button
                type="button"
                className="button button-primary"
                disabled={busy}
                onClick={() => void act('activate')}
              >
                Activate
              </button>
            ) : null}
            <button
              type="button"
              className="button button-secondary"
              disabled={busy}
              onClick={() => void act('retire')}
            >
              Retire
            </button>
          </>
        ) : null
      }
    >
      <StatusMessage message={status} />
      <ErrorNotice message={actionError} />
      <p>
        <Link to={base}>Back to the record of processing</Link>
      </p>
      {activity ? (
        <DecisionPanel
          title={activity.status === 'active' ? 'Does it still pass the rules?' : 'Can it be activated?'}
          decision={activity.decision}
          missing={activity.missing}
          allowText="Every governance rule passes."
        />
      ) : null}
      {manage && links && activity?.status !== 'retired' ? (
        <ActivityForm
          key={activity?.updatedAt ?? 'new'}
          activity={activity}
          links={links}
          onSaved={(saved) => {
            if (creating) {
              void navigate(`${base}/${saved.id}`, { state: { created: true } });
            } else {
              setActivity(saved);
              setStatus('Activity saved.');
            }
          }}
        />
      ) : activity ? (
        <ActivityDetails activity={activity} />
      ) : null}
    </Page>
  );
}
