/**
 * One DPIA, in the ICO's seven steps: the screening that found the need, the description of
 * the processing, consultation, necessity and proportionality, risks scored likelihood ×
 * severity with their measures and residual risk, and sign-off with the DPO's advice and, when
 * a risk stays high, the record of prior consultation with the ICO (Art 36). Then the risk
 * map, the action plan, the versions, and the review buttons.
 *
 * Each step saves on its own. Approved and rejected versions are read-only: a change starts a
 * new version.
 */
import { useEffect, useState, type FormEvent, type ReactNode } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import { ApiError, describeError } from '../api.js';
import { useCampaign } from '../campaign-context.js';
import { LevelTag, ReviewTag, RiskMap, ScreeningResultView, StatusTag } from '../components/dpia-ui.js';
import { ErrorSummary, Field, SubmitButton, type FormState, useForm } from '../components/form.js';
import { ErrorNotice, Loading, Page, StatusMessage } from '../components/page.js';
import { FindingsList } from '../components/people-ui.js';
import { TableRegion } from '../components/table-region.js';
import { dpiaApi, type DpiaTransition, type DpiaUpdate } from '../dpia-api.js';
import { formatDate, formatDateTime, sentence } from '../format.js';
import { useLoad } from '../use-load.js';
import {
  CONSULTEE_KINDS,
  CONSULTEE_KIND_LABELS,
  DPIA_STEPS,
  LIKELIHOODS,
  LIKELIHOOD_LABELS,
  MEASURE_EFFECTS,
  MEASURE_EFFECT_LABELS,
  SEVERITIES,
  SEVERITY_LABELS,
  riskLevel,
  type ConsultationEntry,
  type DpiaCoverView,
  type DpiaDetailView,
  type DpiaNecessity,
  type DpiaVersionView,
  type IcoConsultation,
  type Likelihood,
  type MeasureEffect,
  type RiskMeasure,
  type Severity,
  type StepCompleteness,
} from '../../shared/dpia.js';
import { LAWFUL_BASES, LAWFUL_BASIS_LABELS, type LawfulBasis } from '../../shared/labels.js';
import type { Finding } from '../../shared/views.js';

// ---------------------------------------------------------------------------------------
// Controlled fields (the lists of risks and consultations change shape as you edit them)
// ---------------------------------------------------------------------------------------

interface TextProps {
  form: FormState;
  name: string;
  label: string;
  value: string;
  onChange(value: string): void;
  hint?: string;
  optional?: boolean;
  rows?: number;
  type?: 'text' | 'date';
}

function Text({ form, name, label, value, onChange, hint, optional, rows, type = 'text' }: TextProps): ReactNode {
  return (
    <Field form={form} name={name} label={label} hint={hint} optional={optional}>
      {(control) =>
        rows ? (
          <textarea
            {...control}
            className="input input-full"
            rows={rows}
            value={value}
            onChange={(e) => onChange(e.target.value)}
          />
        ) : (
          <input
            {...control}
            className={`input ${type === 'date' ? 'input-short' : 'input-full'}`}
            type={type}
            value={value}
            onChange={(e) => onChange(e.target.value)}
          />
        )
      }
    </Field>
  );
}

function Choice<T extends string>({
  form,
  name,
  label,
  value,
  options,
  onChange,
  placeholder,
}: {
  form: FormState;
  name: string;
  label: string;
  value: T | '';
  options: readonly { value: T; label: string }[];
  onChange(value: T | ''): void;
  placeholder?: string;
}): ReactNode {
  return (
    <Field form={form} name={name} label={label}>
      {(control) => (
        <select
          {...control}
          className="input input-medium"
          value={value}
          onChange={(e) => onChange(e.target.value as T | '')}
        >
          {placeholder !== undefined ? <option value="">{placeholder}</option> : null}
          {options.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}

/** A button that changes a list being edited: not shown on a read-only version. */
function EditButton({
  editable,
  onClick,
  children,
}: {
  editable: boolean;
  onClick(): void;
  children: ReactNode;
}): ReactNode {
  if (!editable) return null;
  return (
    <button type="button" className="button button-secondary" onClick={onClick}>
      {children}
    </button>
  );
}

const LIKELIHOOD_OPTIONS = LIKELIHOODS.map((l) => ({ value: l, label: LIKELIHOOD_LABELS[l] }));
const SEVERITY_OPTIONS = SEVERITIES.map((s) => ({ value: s, label: SEVERITY_LABELS[s] }));

// ---------------------------------------------------------------------------------------
// A step: a panel with its own form, what it still lacks, and a save button
// ---------------------------------------------------------------------------------------

interface StepProps {
  detail: DpiaDetailView;
  editable: boolean;
  onSaved(detail: DpiaDetailView, message: string): void;
}

function useStepSave(prefix: string, { detail, onSaved }: StepProps) {
  const { campaign } = useCampaign();
  const form = useForm(prefix);
  const save = async (event: FormEvent<HTMLFormElement>, update: DpiaUpdate, message: string): Promise<void> => {
    event.preventDefault();
    await form.run(async () => {
      onSaved(await dpiaApi.update(campaign.id, detail.dpia.id, update), message);
    });
  };
  return { form, save };
}

function Step({
  steps,
  title,
  completeness,
  form,
  editable,
  onSubmit,
  children,
}: {
  steps: readonly number[];
  title: string;
  completeness: readonly StepCompleteness[];
  form: FormState;
  editable: boolean;
  onSubmit(event: FormEvent<HTMLFormElement>): void;
  children: ReactNode;
}): ReactNode {
  const mine = completeness.filter((c) => steps.includes(c.step));
  const issues = mine.flatMap((c) => c.issues);
  const id = `step-${steps.join('-')}`;
  return (
    <section className="panel" aria-labelledby={`${id}-heading`} id={id}>
      <h2 id={`${id}-heading`}>
        Step {steps.join(' and ')}: {title}{' '}
        {issues.length === 0 ? (
          <span className="tag tag-completed">Complete</span>
        ) : (
          <span className="tag tag-muted">To do</span>
        )}
      </h2>
      {issues.length > 0 ? (
        <ul className="hint">
          {issues.map((i) => (
            <li key={`${i.field}-${i.message}`}>{sentence(i.message)}</li>
          ))}
        </ul>
      ) : null}
      <form className="form" noValidate onSubmit={onSubmit}>
        <ErrorSummary form={form} />
        <fieldset className="fieldset" disabled={!editable}>
          {children}
        </fieldset>
        {editable ? (
          <div className="form-actions">
            <SubmitButton form={form}>Save step {steps.join(' and ')}</SubmitButton>
          </div>
        ) : null}
      </form>
    </section>
  );
}

// ---------------------------------------------------------------------------------------
// Steps 1–4
// ---------------------------------------------------------------------------------------

function NeedStep(props: StepProps): ReactNode {
  const { detail, editable } = props;
  const v = detail.version;
  const { campaign } = useCampaign();
  const { form, save } = useStepSave('dpia-need', props);
  const [title, setTitle] = useState(detail.dpia.title);
  const [activityId, setActivityId] = useState(v.activityId ?? '');
  const [needSummary, setNeedSummary] = useState(v.needSummary);
  const [cover, setCover] = useState<DpiaCoverView | null>(null);
  useEffect(() => {
    if (!v.activityId) return;
    dpiaApi.cover(campaign.id, v.activityId).then(
      (answer) => setCover(answer.cover),
      () => setCover(null),
    );
  }, [campaign.id, v.activityId, detail.dpia.updatedAt]);
  return (
    <Step
      steps={[1]}
      title="identify the need for a DPIA"
      completeness={v.completeness}
      form={form}
      editable={editable}
      onSubmit={(e) => void save(e, { title, activityId: activityId.trim() || null, needSummary }, 'Step 1 saved.')}
    >
      <ScreeningResultView screening={v.screening} headingLevel={3} />
      <Text form={form} name="title" label="Title" value={title} onChange={setTitle} />
      <Text
        form={form}
        name="activityId"
        label="Processing activity this DPIA covers (id)"
        hint="An approved DPIA unlocks the activity linked to it until its review date."
        value={activityId}
        onChange={setActivityId}
        optional
      />
      {cover ? (
        <p className={cover.covered ? 'notice notice-success' : 'notice notice-info'}>
          {cover.covered ? 'The activity is covered: ' : 'The activity is not covered: '}
          {cover.explanation}
        </p>
      ) : null}
      <Text
        form={form}
        name="needSummary"
        label="What the project aims to achieve, and why a DPIA is needed"
        value={needSummary}
        onChange={setNeedSummary}
        rows={4}
      />
    </Step>
  );
}

function DescriptionStep(props: StepProps): ReactNode {
  const v = props.detail.version;
  const { form, save } = useStepSave('dpia-description', props);
  const [d, setD] = useState(v.description);
  const field = (key: keyof typeof d, label: string, hint: string) => (
    <Text
      form={form}
      name={`description.${key}`}
      label={label}
      hint={hint}
      value={d[key]}
      onChange={(value) => setD({ ...d, [key]: value })}
      rows={4}
    />
  );
  return (
    <Step
      steps={[2]}
      title="describe the processing"
      completeness={v.completeness}
      form={form}
      editable={props.editable}
      onSubmit={(e) => void save(e, { description: d }, 'Step 2 saved.')}
    >
      {field('nature', 'Nature', 'How you collect, use, store and delete the data; its source; who you share it with.')}
      {field(
        'scope',
        'Scope',
        'What data, special category included; how much; how often; how long; how many people; what area.',
      )}
      {field(
        'context',
        'Context',
        'Your relationship with the people; how much control they have; whether they would expect it; public concern.',
      )}
      {field('purposes', 'Purposes', 'What you want to achieve, the intended effect on people, and the benefits.')}
    </Step>
  );
}

const emptyEntry = (): ConsultationEntry => ({ kind: 'individuals', who: '', when: '', views: '', response: '' });

function ConsultationStep(props: StepProps): ReactNode {
  const v = props.detail.version;
  const { form, save } = useStepSave('dpia-consultation', props);
  const [entries, setEntries] = useState<ConsultationEntry[]>(v.consultation.entries);
  const [reason, setReason] = useState(v.consultation.notConsultedReason ?? '');
  const set = (i: number, patch: Partial<ConsultationEntry>) =>
    setEntries(entries.map((e, j) => (j === i ? { ...e, ...patch } : e)));
  return (
    <Step
      steps={[3]}
      title="consultation"
      completeness={v.completeness}
      form={form}
      editable={props.editable}
      onSubmit={(e) =>
        void save(e, { consultation: { entries, notConsultedReason: reason.trim() || null } }, 'Step 3 saved.')
      }
    >
      <p className="hint">
        Seek the DPO&apos;s advice (Art 35(2)) and, where appropriate, the views of the people concerned or their
        representatives (Art 35(9)).
      </p>
      {entries.map((entry, i) => (
        <fieldset className="fieldset" key={i}>
          <legend>Consultation {i + 1}</legend>
          <Choice
            form={form}
            name={`consultation.entries.${i}.kind`}
            label="Who"
            value={entry.kind}
            options={CONSULTEE_KINDS.map((k) => ({ value: k, label: CONSULTEE_KIND_LABELS[k] }))}
            onChange={(kind) => {
              if (kind) set(i, { kind });
            }}
          />
          <Text
            form={form}
            name={`consultation.entries.${i}.who`}
            label="Name or group"
            value={entry.who}
            onChange={(who) => set(i, { who })}
          />
          <Text
            form={form}
            name={`consultation.entries.${i}.when`}
            label="When"
            type="date"
            value={entry.when}
            onChange={(when) => set(i, { when })}
          />
          <Text
            form={form}
            name={`consultation.entries.${i}.views`}
            label="What they said"
            value={entry.views}
            onChange={(views) => set(i, { views })}
            rows={3}
          />
          <Text
            form={form}
            name={`consultation.entries.${i}.response`}
            label="What you did about it"
            value={entry.response}
            onChange={(response) => set(i, { response })}
            rows={2}
            optional
          />
          <EditButton editable={props.editable} onClick={() => setEntries(entries.filter((_, j) => j !== i))}>
            Remove consultation {i + 1}
          </EditButton>
        </fieldset>
      ))}
      <p>
        <EditButton editable={props.editable} onClick={() => setEntries([...entries, emptyEntry()])}>
          Add a consultation
        </EditButton>
      </p>
      <Text
        form={form}
        name="consultation.notConsultedReason"
        label="If you did not consult the people concerned (or anyone), why not"
        value={reason}
        onChange={setReason}
        rows={3}
        optional
      />
    </Step>
  );
}

const NECESSITY_FIELDS: readonly [Exclude<keyof DpiaNecessity, 'lawfulBasis' | 'art9Condition'>, string][] = [
  ['lawfulBasisReasons', 'Reasons for the lawful basis (the assessment, for legitimate interests)'],
  ['necessity', 'Does the processing achieve the purpose? Is there a less intrusive way?'],
  ['functionCreep', 'How will you prevent function creep?'],
  ['dataMinimisation', 'How will you keep the data to the minimum needed?'],
  ['dataQuality', 'How will you ensure data quality?'],
  ['informationToIndividuals', 'What information will you give people, and how?'],
  ['rights', 'How will you help people exercise their rights?'],
  ['processors', 'What measures ensure processors comply?'],
  ['transfers', 'How do you safeguard any transfers outside the UK?'],
];

function NecessityStep(props: StepProps): ReactNode {
  const v = props.detail.version;
  const { form, save } = useStepSave('dpia-necessity', props);
  const [n, setN] = useState(v.necessity);
  const special = v.screening.facts.specialCategories.length > 0;
  return (
    <Step
      steps={[4]}
      title="necessity and proportionality"
      completeness={v.completeness}
      form={form}
      editable={props.editable}
      onSubmit={(e) =>
        void save(e, { necessity: { ...n, art9Condition: n.art9Condition?.trim() || null } }, 'Step 4 saved.')
      }
    >
      <Choice<LawfulBasis>
        form={form}
        name="necessity.lawfulBasis"
        label="Lawful basis (UK GDPR Art 6)"
        value={n.lawfulBasis ?? ''}
        placeholder="Not chosen yet"
        options={LAWFUL_BASES.map((b) => ({ value: b, label: LAWFUL_BASIS_LABELS[b] }))}
        onChange={(basis) => setN({ ...n, lawfulBasis: basis || null })}
      />
      <Text
        form={form}
        name="necessity.art9Condition"
        label="Art 9 condition for special category data"
        hint={
          special
            ? 'Screening found special category data: this is required.'
            : 'Only if special category data is involved.'
        }
        value={n.art9Condition ?? ''}
        onChange={(value) => setN({ ...n, art9Condition: value })}
        optional={!special}
        rows={2}
      />
      {NECESSITY_FIELDS.map(([key, label]) => (
        <Text
          key={key}
          form={form}
          name={`necessity.${key}`}
          label={label}
          value={n[key]}
          onChange={(value) => setN({ ...n, [key]: value })}
          rows={3}
        />
      ))}
    </Step>
  );
}

// ---------------------------------------------------------------------------------------
// Steps 5 and 6: risks, their measures and what remains
// ---------------------------------------------------------------------------------------

interface RiskDraft {
  key: string;
  id: string | null;
  description: string;
  likelihood: Likelihood | '';
  severity: Severity | '';
  measures: (RiskMeasure & { key: string })[];
  residualLikelihood: Likelihood | '';
  residualSeverity: Severity | '';
}

let draftKeys = 0;
const nextKey = (): string => `k${++draftKeys}`;

function RisksStep(props: StepProps): ReactNode {
  const v = props.detail.version;
  const { form, save } = useStepSave('dpia-risks', props);
  const [risks, setRisks] = useState<RiskDraft[]>(() =>
    v.risks.map((r) => ({
      key: nextKey(),
      id: r.id,
      description: r.description,
      likelihood: r.likelihood,
      severity: r.severity,
      measures: r.measures.map((m) => ({ ...m, key: nextKey() })),
      residualLikelihood: r.residualLikelihood ?? '',
      residualSeverity: r.residualSeverity ?? '',
    })),
  );
  const set = (i: number, patch: Partial<RiskDraft>) =>
    setRisks(risks.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  const setMeasure = (i: number, m: number, patch: Partial<RiskMeasure>) =>
    set(i, { measures: risks[i]!.measures.map((x, k) => (k === m ? { ...x, ...patch } : x)) });
  const payload = risks.map((r) => ({
    ...(r.id ? { id: r.id } : {}),
    description: r.description,
    likelihood: r.likelihood,
    severity: r.severity,
    measures: r.measures.map(({ description, effect }) => ({ description, effect })),
    residualLikelihood: r.residualLikelihood || null,
    residualSeverity: r.residualSeverity || null,
  }));
  return (
    <Step
      steps={[5, 6]}
      title="risks, and the measures that reduce them"
      completeness={v.completeness}
      form={form}
      editable={props.editable}
      onSubmit={(e) => void save(e, { risks: payload }, 'Steps 5 and 6 saved.')}
    >
      <p className="hint">
        Risks to people, not to the campaign: loss of control over their data, discrimination, exposure of their
        political views, distress. Score how likely harm is and how severe it would be; the ICO&apos;s matrix gives the
        level. Then record what you will do, and the risk that remains.
      </p>
      {risks.map((risk, i) => {
        const level = risk.likelihood && risk.severity ? riskLevel(risk.likelihood, risk.severity) : null;
        const residual =
          risk.residualLikelihood && risk.residualSeverity
            ? riskLevel(risk.residualLikelihood, risk.residualSeverity)
            : null;
        return (
          <fieldset className="fieldset" key={risk.key}>
            <legend>
              Risk R{i + 1} <LevelTag level={level} prefix="Before:" /> <LevelTag level={residual} prefix="After:" />
            </legend>
            <Text
              form={form}
              name={`risks.${i}.description`}
              label="The risk to people, and its source"
              value={risk.description}
              onChange={(description) => set(i, { description })}
              rows={3}
            />
            <Choice
              form={form}
              name={`risks.${i}.likelihood`}
              label="Likelihood of harm"
              value={risk.likelihood}
              placeholder="Choose"
              options={LIKELIHOOD_OPTIONS}
              onChange={(likelihood) => set(i, { likelihood })}
            />
            <Choice
              form={form}
              name={`risks.${i}.severity`}
              label="Severity of harm"
              value={risk.severity}
              placeholder="Choose"
              options={SEVERITY_OPTIONS}
              onChange={(severity) => set(i, { severity })}
            />
            {risk.measures.map((m, k) => (
              <fieldset className="fieldset" key={m.key}>
                <legend>
                  Measure {k + 1} for R{i + 1}
                </legend>
                <Text
                  form={form}
                  name={`risks.${i}.measures.${k}.description`}
                  label="What you will do"
                  value={m.description}
                  onChange={(description) => setMeasure(i, k, { description })}
                  rows={2}
                />
                <Choice<MeasureEffect>
                  form={form}
                  name={`risks.${i}.measures.${k}.effect`}
                  label="Effect on the risk"
                  value={m.effect}
                  options={MEASURE_EFFECTS.map((e) => ({ value: e, label: MEASURE_EFFECT_LABELS[e] }))}
                  onChange={(effect) => {
                    if (effect) setMeasure(i, k, { effect });
                  }}
                />
                <EditButton
                  editable={props.editable}
                  onClick={() => set(i, { measures: risk.measures.filter((_, j) => j !== k) })}
                >
                  Remove measure {k + 1} of R{i + 1}
                </EditButton>
              </fieldset>
            ))}
            <p>
              <EditButton
                editable={props.editable}
                onClick={() =>
                  set(i, { measures: [...risk.measures, { key: nextKey(), description: '', effect: 'reduced' }] })
                }
              >
                Add a measure to R{i + 1}
              </EditButton>
            </p>
            <Choice
              form={form}
              name={`risks.${i}.residualLikelihood`}
              label="Likelihood after the measures"
              value={risk.residualLikelihood}
              placeholder="Not scored yet"
              options={LIKELIHOOD_OPTIONS}
              onChange={(residualLikelihood) => set(i, { residualLikelihood })}
            />
            <Choice
              form={form}
              name={`risks.${i}.residualSeverity`}
              label="Severity after the measures"
              value={risk.residualSeverity}
              placeholder="Not scored yet"
              options={SEVERITY_OPTIONS}
              onChange={(residualSeverity) => set(i, { residualSeverity })}
            />
            <EditButton editable={props.editable} onClick={() => setRisks(risks.filter((_, j) => j !== i))}>
              Remove R{i + 1}
            </EditButton>
          </fieldset>
        );
      })}
      <p>
        <EditButton
          editable={props.editable}
          onClick={() =>
            setRisks([
              ...risks,
              {
                key: nextKey(),
                id: null,
                description: '',
                likelihood: '',
                severity: '',
                measures: [],
                residualLikelihood: '',
                residualSeverity: '',
              },
            ])
          }
        >
          Add a risk
        </EditButton>
      </p>
    </Step>
  );
}

// ---------------------------------------------------------------------------------------
// Step 7: sign-off, and the ICO consultation record
// ---------------------------------------------------------------------------------------

const emptyIco = (): IcoConsultation => ({
  submittedOn: '',
  reference: null,
  summary: '',
  adviceReceivedOn: null,
  advice: null,
});

function SignOffStep(props: StepProps): ReactNode {
  const v = props.detail.version;
  const { form, save } = useStepSave('dpia-signoff', props);
  const [s, setS] = useState(v.signOff);
  const [ico, setIco] = useState<IcoConsultation | null>(v.icoConsultation);
  const text = (
    key: 'measuresApprovedBy' | 'residualRisksApprovedBy' | 'acceptedBy' | 'reviewer',
    label: string,
    hint?: string,
  ) => (
    <Text
      form={form}
      name={`signOff.${key}`}
      label={label}
      {...(hint ? { hint } : {})}
      value={s[key] ?? ''}
      onChange={(value) => setS({ ...s, [key]: value })}
    />
  );
  const setIcoField = (patch: Partial<IcoConsultation>) => setIco({ ...(ico ?? emptyIco()), ...patch });
  const residualHigh = v.approvalFindings.some((f) => f.ruleId === 'DPIA-RESIDUAL-HIGH');
  const blank = (value: string | null): string | null => (value && value.trim() ? value.trim() : null);
  return (
    <Step
      steps={[7]}
      title="sign off and record outcomes"
      completeness={v.completeness}
      form={form}
      editable={props.editable}
      onSubmit={(e) =>
        void save(
          e,
          {
            signOff: {
              ...s,
              measuresApprovedBy: blank(s.measuresApprovedBy),
              residualRisksApprovedBy: blank(s.residualRisksApprovedBy),
              dpoAdvice: blank(s.dpoAdvice),
              dpoOverruledReasons: s.dpoAdviceAccepted === false ? blank(s.dpoOverruledReasons) : null,
              acceptedBy: blank(s.acceptedBy),
              reviewer: blank(s.reviewer),
              reviewDate: s.reviewDate || null,
            },
            icoConsultation: ico
              ? {
                  ...ico,
                  reference: blank(ico.reference),
                  adviceReceivedOn: ico.adviceReceivedOn || null,
                  advice: blank(ico.advice),
                }
              : null,
          },
          'Step 7 saved.',
        )
      }
    >
      {text('measuresApprovedBy', 'Measures approved by (name and position)')}
      {text('residualRisksApprovedBy', 'Residual risks approved by (name and position)')}
      <Text
        form={form}
        name="signOff.dpoAdvice"
        label="The DPO's advice"
        hint="On compliance, the measures of step 6, and whether the processing can go ahead."
        value={s.dpoAdvice ?? ''}
        onChange={(dpoAdvice) => setS({ ...s, dpoAdvice })}
        rows={4}
      />
      <Choice
        form={form}
        name="signOff.dpoAdviceAccepted"
        label="Was the DPO's advice accepted?"
        value={s.dpoAdviceAccepted === null ? '' : s.dpoAdviceAccepted ? 'yes' : 'no'}
        placeholder="Not decided yet"
        options={[
          { value: 'yes', label: 'Accepted' },
          { value: 'no', label: 'Overruled' },
        ]}
        onChange={(value) => setS({ ...s, dpoAdviceAccepted: value === '' ? null : value === 'yes' })}
      />
      {s.dpoAdviceAccepted === false ? (
        <Text
          form={form}
          name="signOff.dpoOverruledReasons"
          label="Why the DPO's advice was overruled"
          value={s.dpoOverruledReasons ?? ''}
          onChange={(dpoOverruledReasons) => setS({ ...s, dpoOverruledReasons })}
          rows={3}
        />
      ) : null}
      {text(
        'acceptedBy',
        'Accepted for the controller by',
        'Who accepts the DPIA and its residual risks for the campaign.',
      )}
      {text('reviewer', 'Kept under review by', 'Usually the DPO.')}
      <Text
        form={form}
        name="signOff.reviewDate"
        label="Review date"
        hint="After this date the approval lapses and the activities it covers are locked until a reviewed version is approved."
        type="date"
        value={s.reviewDate ?? ''}
        onChange={(reviewDate) => setS({ ...s, reviewDate })}
      />
      <fieldset className="fieldset">
        <legend>Prior consultation with the ICO (Art 36)</legend>
        {residualHigh ? (
          <div className="notice notice-info">
            <p>A risk stays high after its measures: the ICO must be consulted before the processing starts.</p>
            <FindingsList findings={v.approvalFindings} />
          </div>
        ) : (
          <p className="hint">Needed only when a risk stays high after its measures.</p>
        )}
        <div className="choices">
          <div className="choice">
            <input
              type="checkbox"
              id="ico-consulted"
              checked={ico !== null}
              onChange={(e) => setIco(e.target.checked ? emptyIco() : null)}
            />
            <label htmlFor="ico-consulted">We consulted the ICO</label>
          </div>
        </div>
        {ico ? (
          <>
            <Text
              form={form}
              name="icoConsultation.submittedOn"
              label="Date the ICO was consulted"
              type="date"
              value={ico.submittedOn}
              onChange={(submittedOn) => setIcoField({ submittedOn })}
            />
            <Text
              form={form}
              name="icoConsultation.reference"
              label="ICO reference"
              value={ico.reference ?? ''}
              onChange={(reference) => setIcoField({ reference })}
              optional
            />
            <Text
              form={form}
              name="icoConsultation.summary"
              label="What was sent to the ICO"
              value={ico.summary}
              onChange={(summary) => setIcoField({ summary })}
              rows={3}
            />
            <Text
              form={form}
              name="icoConsultation.adviceReceivedOn"
              label="Date of the ICO's written advice"
              type="date"
              value={ico.adviceReceivedOn ?? ''}
              onChange={(adviceReceivedOn) => setIcoField({ adviceReceivedOn })}
              optional
            />
            <Text
              form={form}
              name="icoConsultation.advice"
              label="The ICO's advice"
              value={ico.advice ?? ''}
              onChange={(advice) => setIcoField({ advice })}
              rows={3}
              optional
            />
          </>
        ) : null}
      </fieldset>
    </Step>
  );
}

// ---------------------------------------------------------------------------------------
// Review: send, approve, reject, new version
// ---------------------------------------------------------------------------------------

function ReviewPanel({
  detail,
  latest,
  onDone,
}: {
  detail: DpiaDetailView;
  latest: boolean;
  onDone(d: DpiaDetailView, message: string): void;
}): ReactNode {
  const { campaign, can } = useCampaign();
  const v = detail.version;
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<{ message: string; findings: Finding[]; issues: string[] } | null>(null);
  const [rejecting, setRejecting] = useState(false);
  const [reason, setReason] = useState('');
  if (!latest) return null;

  const act = async (run: () => Promise<DpiaDetailView>, message: string): Promise<void> => {
    setBusy(true);
    setProblem(null);
    try {
      onDone(await run(), message);
      setRejecting(false);
    } catch (caught) {
      const findings =
        caught instanceof ApiError && Array.isArray(caught.details.findings)
          ? (caught.details.findings as Finding[])
          : [];
      const issues = caught instanceof ApiError ? caught.issues.map((i) => sentence(i.message)) : [];
      setProblem({ message: sentence(describeError(caught)), findings, issues });
    } finally {
      setBusy(false);
    }
  };
  const transition = (t: DpiaTransition, message: string) => () =>
    void act(() => dpiaApi.transition(campaign.id, detail.dpia.id, t, v.version), message);

  const write = can('dpias.write');
  const approve = can('dpias.approve');
  return (
    <section className="panel" aria-labelledby="review-heading">
      <h2 id="review-heading">Review and sign-off</h2>
      {v.status === 'draft' ? (
        <p>When steps 1 to 6 are complete, send the DPIA for review: the DPO advises and it is signed off in step 7.</p>
      ) : null}
      {v.status === 'in_review' ? (
        <p>In review since {formatDateTime(v.submittedAt)}. Approve once step 7 is complete.</p>
      ) : null}
      {v.status === 'approved' ? (
        <p>
          Approved {formatDateTime(v.decidedAt)}; review by {formatDate(v.signOff.reviewDate)}.{' '}
          {v.expired ? <span className="tag tag-failed">Expired: the activities it covers are locked</span> : null}
        </p>
      ) : null}
      {v.status === 'rejected' ? (
        <p>
          Rejected {formatDateTime(v.decidedAt)}: {v.decisionNote}
        </p>
      ) : null}
      {v.approvalWarnings.length > 0 ? <FindingsList findings={v.approvalWarnings} /> : null}
      {problem ? (
        <div className="notice notice-error" role="alert">
          <p>{problem.message}</p>
          {problem.issues.length > 0 ? (
            <ul>
              {problem.issues.map((i) => (
                <li key={i}>{i}</li>
              ))}
            </ul>
          ) : null}
          {problem.findings.length > 0 ? <FindingsList findings={problem.findings} /> : null}
        </div>
      ) : null}
      <div className="row-actions">
        {write && v.status === 'draft' ? (
          <button
            type="button"
            className="button button-primary"
            disabled={busy}
            onClick={transition('submit', 'Sent for review.')}
          >
            Send for review
          </button>
        ) : null}
        {approve && v.status === 'in_review' ? (
          <button
            type="button"
            className="button button-primary"
            disabled={busy}
            onClick={transition('approve', 'Approved.')}
          >
            Approve version {v.version}
          </button>
        ) : null}
        {approve && v.status === 'in_review' && !rejecting ? (
          <button type="button" className="button button-secondary" disabled={busy} onClick={() => setRejecting(true)}>
            Reject…
          </button>
        ) : null}
        {write && v.status === 'in_review' ? (
          <button
            type="button"
            className="button button-secondary"
            disabled={busy}
            onClick={transition('return-to-draft', 'Returned to draft.')}
          >
            Return to draft
          </button>
        ) : null}
        {write && !v.editable ? (
          <button
            type="button"
            className="button button-secondary"
            disabled={busy}
            onClick={transition('versions', 'New version started.')}
          >
            Start a new version
          </button>
        ) : null}
      </div>
      {rejecting ? (
        <form
          className="form"
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            void act(() => dpiaApi.reject(campaign.id, detail.dpia.id, v.version, reason), 'Rejected.');
          }}
        >
          <div className="field">
            <label htmlFor="reject-reason">Why is it rejected?</label>
            <textarea
              id="reject-reason"
              className="input input-full"
              rows={3}
              value={reason}
              onChange={(e) => setReason(e.target.value)}
            />
          </div>
          <div className="row-actions">
            <button type="submit" className="button button-danger" disabled={busy}>
              Reject version {v.version}
            </button>
            <button type="button" className="button button-secondary" onClick={() => setRejecting(false)}>
              Cancel
            </button>
          </div>
        </form>
      ) : null}
    </section>
  );
}

// ---------------------------------------------------------------------------------------
// Action plan
// ---------------------------------------------------------------------------------------

function ActionPlan({ detail, onChanged }: { detail: DpiaDetailView; onChanged(message: string): void }): ReactNode {
  const { campaign, can } = useCampaign();
  const form = useForm('dpia-action');
  const write = can('dpias.write');
  const [draft, setDraft] = useState({ action: '', owner: '', dueDate: '', riskId: '' });
  const [error, setError] = useState<string | null>(null);
  const labelOf = (riskId: string | null): string =>
    riskId ? (detail.version.risks.find((r) => r.id === riskId)?.label ?? 'an earlier risk') : '—';

  const toggle = async (id: string, done: boolean): Promise<void> => {
    setError(null);
    try {
      await dpiaApi.updateAction(campaign.id, detail.dpia.id, id, { done });
      onChanged(done ? 'Action marked done.' : 'Action reopened.');
    } catch (caught) {
      setError(sentence(describeError(caught)));
    }
  };
  const add = async (event: FormEvent<HTMLFormElement>): Promise<void> => {
    event.preventDefault();
    const ok = await form.run(async () => {
      await dpiaApi.addAction(campaign.id, detail.dpia.id, { ...draft, riskId: draft.riskId || null });
    }, ['action', 'owner', 'dueDate', 'riskId']);
    if (ok) {
      setDraft({ action: '', owner: '', dueDate: '', riskId: '' });
      onChanged('Action added.');
    }
  };
  return (
    <section className="panel" aria-labelledby="actions-heading">
      <h2 id="actions-heading">Action plan</h2>
      <p className="hint">
        What must happen, by whom and when, to put the measures in place (integrate them into the project plan).
      </p>
      <ErrorNotice message={error} />
      {detail.actions.length === 0 ? <p>No actions yet.</p> : null}
      {detail.actions.length > 0 ? (
        <TableRegion label="Action plan table">
          <table className="table">
            <caption className="visually-hidden">Action plan</caption>
            <thead>
              <tr>
                <th scope="col">Action</th>
                <th scope="col">Owner</th>
                <th scope="col">Due</th>
                <th scope="col">Risk</th>
                <th scope="col">State</th>
              </tr>
            </thead>
            <tbody>
              {detail.actions.map((a) => (
                <tr key={a.id}>
                  <td className="preserve-lines">{a.action}</td>
                  <td>{a.owner}</td>
                  <td className="nowrap">{formatDate(a.dueDate)}</td>
                  <td>{labelOf(a.riskId)}</td>
                  <td>
                    {a.done ? (
                      <span className="tag tag-completed">Done</span>
                    ) : a.overdue ? (
                      <span className="tag tag-failed">Overdue</span>
                    ) : (
                      <span className="tag tag-muted">Open</span>
                    )}
                    {write ? (
                      <button
                        type="button"
                        className="button button-secondary"
                        onClick={() => void toggle(a.id, !a.done)}
                      >
                        {a.done ? 'Reopen' : 'Mark done'}
                        <span className="visually-hidden">: {a.action}</span>
                      </button>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableRegion>
      ) : null}
      {write ? (
        <form className="form" noValidate onSubmit={(e) => void add(e)}>
          <h3>Add an action</h3>
          <ErrorSummary form={form} />
          <Text
            form={form}
            name="action"
            label="Action"
            value={draft.action}
            onChange={(action) => setDraft({ ...draft, action })}
            rows={2}
          />
          <Text
            form={form}
            name="owner"
            label="Owner"
            value={draft.owner}
            onChange={(owner) => setDraft({ ...draft, owner })}
          />
          <Text
            form={form}
            name="dueDate"
            label="Due date"
            type="date"
            value={draft.dueDate}
            onChange={(dueDate) => setDraft({ ...draft, dueDate })}
          />
          <Choice
            form={form}
            name="riskId"
            label="The risk it addresses"
            value={draft.riskId}
            placeholder="None in particular"
            options={detail.version.risks.map((r) => ({
              value: r.id,
              label: `${r.label}: ${r.description.slice(0, 60)}`,
            }))}
            onChange={(riskId) => setDraft({ ...draft, riskId })}
          />
          <div className="form-actions">
            <SubmitButton form={form} variant="secondary">
              Add the action
            </SubmitButton>
          </div>
        </form>
      ) : null}
    </section>
  );
}

// ---------------------------------------------------------------------------------------
// The page
// ---------------------------------------------------------------------------------------

export function DpiaPage(): ReactNode {
  const { campaign, can } = useCampaign();
  const { dpiaId = '' } = useParams();
  const [params] = useSearchParams();
  const asked = params.get('version');
  const version = asked && /^\d+$/.test(asked) ? Number(asked) : undefined;
  const {
    data: detail,
    setData,
    error,
    load,
  } = useLoad(() => dpiaApi.get(campaign.id, dpiaId, version), [campaign.id, dpiaId, version]);
  const [status, setStatus] = useState<string | null>(null);
  const base = `/c/${campaign.id}/dpias`;

  if (!detail) {
    return error ? (
      <Page title="DPIA could not be loaded" context={campaign.name}>
        <ErrorNotice message={error} />
        <p>
          <Link to={base}>Back to DPIAs</Link>
        </p>
      </Page>
    ) : (
      <Loading what="the DPIA" />
    );
  }
  const v: DpiaVersionView = detail.version;
  const latest = v.version === detail.dpia.latestVersion;
  const editable = latest && v.editable && can('dpias.write');
  const saved = (next: DpiaDetailView, message: string): void => {
    setData(next);
    setStatus(message);
  };
  const stepProps = { detail, editable, onSaved: saved };
  // Remount the steps when another version is shown or the version changes state.
  const key = `${v.version}-${v.status}-${detail.dpia.updatedAt}`;
  return (
    <Page
      title={detail.dpia.title}
      context={campaign.name}
      lead={
        <>
          DPIA version {v.version} <StatusTag status={v.status} />
          {detail.dpia.inForce ? (
            <>
              {' '}
              · Version {detail.dpia.inForce.version} in force, review by {formatDate(detail.dpia.inForce.reviewDate)}{' '}
              <ReviewTag state={detail.dpia.inForce.reviewState} />
            </>
          ) : null}
        </>
      }
    >
      <StatusMessage message={status} />
      <p>
        <Link to={base}>Back to DPIAs</Link>
      </p>
      {!latest ? (
        <p className="notice notice-info">
          You are looking at version {v.version}.{' '}
          <Link to={`${base}/${dpiaId}`}>Go to the newest version ({detail.dpia.latestVersion})</Link>.
        </p>
      ) : null}
      <nav aria-label="Steps of the DPIA" className="panel">
        <ol>
          {DPIA_STEPS.map((s) => {
            const done = v.completeness.find((c) => c.step === s.step)?.complete ?? false;
            const anchor = s.step === 5 || s.step === 6 ? 'step-5-6' : `step-${s.step}`;
            return (
              <li key={s.step}>
                <a href={`#${anchor}`}>{s.title}</a>{' '}
                {done ? (
                  <span className="tag tag-completed">Complete</span>
                ) : (
                  <span className="tag tag-muted">To do</span>
                )}
              </li>
            );
          })}
        </ol>
      </nav>
      <ReviewPanel detail={detail} latest={latest} onDone={saved} />
      <div key={key}>
        <NeedStep {...stepProps} />
        <DescriptionStep {...stepProps} />
        <ConsultationStep {...stepProps} />
        <NecessityStep {...stepProps} />
        <RisksStep {...stepProps} />
        <section className="panel" aria-labelledby="risk-map-heading">
          <h2 id="risk-map-heading">Risk map</h2>
          {v.risks.length === 0 ? <p>No risks scored yet.</p> : <RiskMap cells={v.riskMap} />}
          {v.risks.length > 0 ? (
            <ul>
              {v.risks.map((r) => (
                <li key={r.id}>
                  {r.label}: {r.description} <LevelTag level={r.level} prefix="Before:" />{' '}
                  <LevelTag level={r.residualLevel} prefix="After:" />
                </li>
              ))}
            </ul>
          ) : null}
        </section>
        <SignOffStep {...stepProps} />
      </div>
      <ActionPlan
        detail={detail}
        onChanged={(message) => {
          setStatus(message);
          void load();
        }}
      />
      <section className="panel" aria-labelledby="versions-heading">
        <h2 id="versions-heading">Versions</h2>
        <ul>
          {detail.versions.map((x) => (
            <li key={x.version}>
              {x.version === v.version ? (
                <strong>Version {x.version} (shown)</strong>
              ) : (
                <Link to={`${base}/${dpiaId}?version=${x.version}`}>Version {x.version}</Link>
              )}{' '}
              <StatusTag status={x.status} /> started {formatDate(x.createdAt)}
              {x.decidedAt ? `, decided ${formatDate(x.decidedAt)}` : ''}
            </li>
          ))}
        </ul>
      </section>
    </Page>
  );
}
