/**
 * Processors (UK GDPR Art 28): who processes the campaign's data on its behalf, the Art 28(3)
 * terms of their contracts, where they host it and on what transfer mechanism, their
 * sub-processors, how they keep this campaign's data apart and whether they use it for
 * "service improvement" (ICO guidance on campaign platforms).
 */
import { useEffect, useState, type FormEvent, type ReactNode } from 'react';
import { Link, useLocation, useNavigate, useParams } from 'react-router';
import { ApiError, describeError } from '../api.js';
import { useCampaign } from '../campaign-context.js';
import { ErrorSummary, SubmitButton, TextAreaField, TextField, textOf, useForm } from '../components/form.js';
import { DecisionPanel, OutcomeTag, TransfersEditor, orNull } from '../components/governance-ui.js';
import { ErrorNotice, ListState, Loading, Page, StatusMessage } from '../components/page.js';
import { TableRegion } from '../components/table-region.js';
import { sentence } from '../format.js';
import { governanceApi, type ProcessorInput } from '../governance-api.js';
import { useLoad } from '../use-load.js';
import {
  ART28_TERMS,
  ART28_TERM_LABELS,
  SERVICE_IMPROVEMENT_LABELS,
  SERVICE_IMPROVEMENT_USES,
  type Art28Term,
  type Art28TermView,
  type ProcessorView,
  type ServiceImprovementUse,
  type SubProcessorRecord,
  type TransferRecord,
} from '../../shared/governance.js';

const FIELDS = [
  'name',
  'service',
  'contractReference',
  'contractDate',
  'segregation',
  'serviceImprovementNote',
  'notes',
];

export function ProcessorsPage(): ReactNode {
  const { campaign, can } = useCampaign();
  const { data, error } = useLoad(async () => (await governanceApi.processors(campaign.id)).processors, [campaign.id]);
  const base = `/c/${campaign.id}/processors`;
  return (
    <Page
      title="Processors"
      context={campaign.name}
      lead="Campaign platforms, email and SMS providers, printers: everyone who processes personal data on the campaign's behalf must be bound by the Art 28(3) terms, and data they host outside the UK needs a transfer mechanism. An activity that shares data with a processor lacking either is refused."
      actions={
        can('governance.manage') ? (
          <Link className="button button-primary" to={`${base}/new`}>
            Record a processor
          </Link>
        ) : null
      }
    >
      <ListState items={data} error={error} what="processors" empty="No processors recorded yet.">
        <p>Record each service that holds or handles the campaign’s personal data for it.</p>
      </ListState>
      {data && data.length > 0 ? (
        <TableRegion label="Processors table">
          <table className="table">
            <caption className="visually-hidden">Processors</caption>
            <thead>
              <tr>
                <th scope="col">Processor</th>
                <th scope="col">Art 28(3) terms</th>
                <th scope="col">Hosting</th>
                <th scope="col">Rules</th>
                <th scope="col">Activities</th>
              </tr>
            </thead>
            <tbody>
              {data.map((p) => (
                <tr key={p.id}>
                  <td>
                    <Link to={`${base}/${p.id}`}>{p.name}</Link>
                    {p.archivedAt ? <span className="tag tag-muted">Archived</span> : null}
                    {p.service ? <span className="code-hint">{p.service}</span> : null}
                  </td>
                  <td>{p.missingTerms.length === 0 ? 'All eight' : `${p.missingTerms.length} missing`}</td>
                  <td>{p.hosting.length === 0 ? 'Not recorded' : p.hosting.map((h) => h.country).join(', ')}</td>
                  <td>
                    <OutcomeTag outcome={p.decision.outcome} />
                  </td>
                  <td className="num">{p.activities.length}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableRegion>
      ) : null}
    </Page>
  );
}

const emptyTerms = (): Record<Art28Term, Art28TermView> =>
  Object.fromEntries(ART28_TERMS.map((t) => [t, { present: false, clause: '' }])) as Record<Art28Term, Art28TermView>;

function ProcessorForm({
  processor,
  onSaved,
}: {
  processor: ProcessorView | null;
  onSaved(saved: ProcessorView): void;
}): ReactNode {
  const { campaign } = useCampaign();
  const form = useForm('processor');
  const [terms, setTerms] = useState<Record<Art28Term, Art28TermView>>(processor?.art28Terms ?? emptyTerms());
  const [hosting, setHosting] = useState<TransferRecord[]>(processor?.hosting ?? []);
  const [subs, setSubs] = useState<SubProcessorRecord[]>(processor?.subProcessors ?? []);
  const [use, setUse] = useState<ServiceImprovementUse>(processor?.serviceImprovement ?? 'unknown');
  const setTerm = (t: Art28Term, patch: Partial<Art28TermView>): void =>
    setTerms({ ...terms, [t]: { ...terms[t], ...patch } });
  const setSub = (i: number, patch: Partial<SubProcessorRecord>): void =>
    setSubs(subs.map((s, j) => (j === i ? { ...s, ...patch } : s)));

  const submit = async (event: FormEvent<HTMLFormElement>): Promise<void> => {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const name = textOf(data, 'name');
    if (!form.check(name ? [] : [{ field: 'name', message: 'Enter the processor’s name' }])) return;
    const input: ProcessorInput = {
      name,
      service: textOf(data, 'service'),
      contractReference: orNull(textOf(data, 'contractReference')),
      contractDate: orNull(textOf(data, 'contractDate')),
      art28Terms: terms,
      hosting,
      subProcessors: subs,
      segregation: orNull(textOf(data, 'segregation')),
      serviceImprovement: use,
      serviceImprovementNote: orNull(textOf(data, 'serviceImprovementNote')),
      notes: textOf(data, 'notes'),
    };
    await form.run(async () => {
      const answer = processor
        ? await governanceApi.updateProcessor(campaign.id, processor.id, input)
        : await governanceApi.createProcessor(campaign.id, input);
      onSaved(answer.processor);
    }, FIELDS);
  };

  return (
    <form className="form" noValidate onSubmit={(e) => void submit(e)}>
      <ErrorSummary form={form} />
      <TextField form={form} name="name" label="Name" defaultValue={processor?.name ?? ''} />
      <TextAreaField
        form={form}
        name="service"
        label="What it does for the campaign"
        optional
        defaultValue={processor?.service ?? ''}
      />
      <div className="form-row">
        <TextField
          form={form}
          name="contractReference"
          label="Contract or data processing terms"
          width="medium"
          optional
          defaultValue={processor?.contractReference ?? ''}
        />
        <TextField
          form={form}
          name="contractDate"
          label="Signed or accepted on"
          type="date"
          width="short"
          optional
          defaultValue={processor?.contractDate ?? ''}
        />
      </div>
      <fieldset className="fieldset">
        <legend>Art 28(3) terms in the contract</legend>
        <p className="hint">
          Tick each term the contract contains, and say where. Sharing is refused while one is missing.
        </p>
        {ART28_TERMS.map((t) => (
          <div className="form-row" key={t}>
            <div className="choice">
              <input
                type="checkbox"
                id={`term-${t}`}
                checked={terms[t].present}
                onChange={(e) => setTerm(t, { present: e.target.checked })}
              />
              <label htmlFor={`term-${t}`}>
                {ART28_TERM_LABELS[t].citation}: {ART28_TERM_LABELS[t].label}
              </label>
            </div>
            <div className="field">
              <label htmlFor={`term-${t}-clause`} className="visually-hidden">
                Where the contract says it ({ART28_TERM_LABELS[t].citation})
              </label>
              <input
                id={`term-${t}-clause`}
                className="input input-medium"
                placeholder="Clause"
                value={terms[t].clause}
                onChange={(e) => setTerm(t, { clause: e.target.value })}
              />
            </div>
          </div>
        ))}
      </fieldset>
      <TransfersEditor
        legend="Where it hosts or accesses the data"
        hint="Every country, the UK (GB) included. Outside the UK each needs a transfer mechanism."
        value={hosting}
        onChange={setHosting}
        withRecipient={false}
      />
      <fieldset className="fieldset">
        <legend>Sub-processors</legend>
        {subs.map((s, i) => (
          <div className="panel" key={i}>
            <div className="form-row">
              <div className="field">
                <label htmlFor={`sub-${i}-name`}>Name</label>
                <input
                  id={`sub-${i}-name`}
                  className="input input-medium"
                  value={s.name}
                  onChange={(e) => setSub(i, { name: e.target.value })}
                />
              </div>
              <div className="field">
                <label htmlFor={`sub-${i}-service`}>Service</label>
                <input
                  id={`sub-${i}-service`}
                  className="input input-medium"
                  value={s.service}
                  onChange={(e) => setSub(i, { service: e.target.value })}
                />
              </div>
            </div>
            <TransfersEditor
              legend={`Where ${s.name || 'it'} hosts the data`}
              value={s.hosting}
              onChange={(next) => setSub(i, { hosting: next })}
              withRecipient={false}
            />
            <button
              type="button"
              className="button button-secondary button-small"
              onClick={() => setSubs(subs.filter((_, j) => j !== i))}
            >
              Remove {s.name || 'this sub-processor'}
            </button>
          </div>
        ))}
        <button
          type="button"
          className="button button-secondary"
          onClick={() => setSubs([...subs, { name: '', service: '', hosting: [] }])}
        >
          Add a sub-processor
        </button>
      </fieldset>
      <fieldset className="fieldset">
        <legend>Other campaigns on the same platform</legend>
        <TextAreaField
          form={form}
          name="segregation"
          label="How this campaign’s data is kept apart from other campaigns’"
          optional
          defaultValue={processor?.segregation ?? ''}
        />
        <fieldset className="fieldset choices">
          <legend>Does it use campaign data for “service improvement” or other purposes of its own?</legend>
          {SERVICE_IMPROVEMENT_USES.map((u) => (
            <div className="choice" key={u}>
              <input
                type="radio"
                id={`use-${u}`}
                name="serviceImprovement"
                checked={use === u}
                onChange={() => setUse(u)}
              />
              <label htmlFor={`use-${u}`}>{SERVICE_IMPROVEMENT_LABELS[u]}</label>
            </div>
          ))}
        </fieldset>
        {use === 'with_basis' || use === 'without_basis' ? (
          <TextAreaField
            form={form}
            name="serviceImprovementNote"
            label="What it uses, and on what basis"
            optional
            defaultValue={processor?.serviceImprovementNote ?? ''}
          />
        ) : null}
      </fieldset>
      <TextAreaField form={form} name="notes" label="Notes" optional defaultValue={processor?.notes ?? ''} />
      <div className="form-actions">
        <SubmitButton form={form}>{processor ? 'Save processor' : 'Record processor'}</SubmitButton>
      </div>
    </form>
  );
}

export function ProcessorPage(): ReactNode {
  const { campaign, can } = useCampaign();
  const { processorId } = useParams();
  const navigate = useNavigate();
  const location = useLocation();
  const creating = processorId === undefined;
  const [processor, setProcessor] = useState<ProcessorView | null>(null);
  const [error, setError] = useState<{ message: string; missing: boolean } | null>(null);
  const [actionError, setActionError] = useState<string | null>(null);
  const [status, setStatus] = useState<string | null>(
    (location.state as { created?: boolean } | null)?.created ? 'Processor recorded.' : null,
  );
  const base = `/c/${campaign.id}/processors`;
  const manage = can('governance.manage');

  useEffect(() => {
    if (creating) return;
    governanceApi.processor(campaign.id, processorId).then(
      (answer) => setProcessor(answer.processor),
      (caught: unknown) =>
        setError({
          message: sentence(describeError(caught)),
          missing: caught instanceof ApiError && caught.status === 404,
        }),
    );
  }, [campaign.id, processorId, creating]);

  const archive = async (archived: boolean): Promise<void> => {
    if (!processor) return;
    setActionError(null);
    try {
      setProcessor((await governanceApi.updateProcessor(campaign.id, processor.id, { archived })).processor);
      setStatus(archived ? 'Processor archived.' : 'Processor restored.');
    } catch (caught) {
      setActionError(sentence(describeError(caught)));
    }
  };

  if (error) {
    return (
      <Page title={error.missing ? 'Processor not found' : 'Processor could not be loaded'} context={campaign.name}>
        <ErrorNotice message={error.missing ? null : error.message} />
        <p>
          <Link to={base}>Back to processors</Link>
        </p>
      </Page>
    );
  }
  if (!creating && !processor) return <Loading what="the processor" />;
  return (
    <Page
      title={processor ? processor.name : 'Record a processor'}
      context={campaign.name}
      lead={processor?.service || 'A party that processes personal data on the campaign’s behalf (UK GDPR Art 28).'}
      actions={
        processor && manage ? (
          <button type="button" className="button button-secondary" onClick={() => void archive(!processor.archivedAt)}>
            {processor.archivedAt ? 'Restore' : 'Archive'}
          </button>
        ) : null
      }
    >
      <StatusMessage message={status} />
      <ErrorNotice message={actionError} />
      <p>
        <Link to={base}>Back to processors</Link>
      </p>
      {processor ? (
        <>
          <DecisionPanel
            title="May data be shared with it?"
            decision={processor.decision}
            allowText="Its contract has every Art 28(3) term, its hosting has a transfer mechanism, and it keeps campaigns apart."
          />
          {processor.activities.length > 0 ? (
            <p>
              Used by:{' '}
              {processor.activities.map((a, i) => (
                <span key={a.id}>
                  {i > 0 ? ', ' : ''}
                  <Link to={`/c/${campaign.id}/record-of-processing/${a.id}`}>{a.name}</Link> ({a.status})
                </span>
              ))}
            </p>
          ) : null}
        </>
      ) : null}
      {manage ? (
        <ProcessorForm
          key={processor?.updatedAt ?? 'new'}
          processor={processor}
          onSaved={(saved) => {
            if (creating) {
              void navigate(`${base}/${saved.id}`, { state: { created: true } });
            } else {
              setProcessor(saved);
              setStatus('Processor saved.');
            }
          }}
        />
      ) : processor ? (
        <ul className="bullets">
          {ART28_TERMS.map((t) => (
            <li key={t}>
              {ART28_TERM_LABELS[t].citation} {ART28_TERM_LABELS[t].label}:{' '}
              {processor.art28Terms[t].present
                ? `yes${processor.art28Terms[t].clause ? ` (${processor.art28Terms[t].clause})` : ''}`
                : 'missing'}
            </li>
          ))}
        </ul>
      ) : null}
    </Page>
  );
}
