/**
 * Imports: the list, the wizard (file and source → header, sample rows and a suggested
 * mapping → start, which the import rules may refuse with their reasons) and one import
 * with live progress, cancel, the summary counts and the report.
 */
import { useCallback, useEffect, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import {
  api,
  ApiError,
  describeError,
  type Finding,
  type ImportUpload,
  type ImportView,
  type MappingEntry,
  type Source,
} from '../api.js';
import { useCampaign } from '../campaign-context.js';
import { DateTimeField, ErrorSummary, Field, SelectField, SubmitButton, textOf, useForm } from '../components/form.js';
import { ErrorNotice, ListState, Loading, Page, StatusMessage } from '../components/page.js';
import { FindingsList, isoFromLocal, PERSON_FIELD_LABELS, Time } from '../components/people-ui.js';
import { TableRegion } from '../components/table-region.js';
import { plural, sentence } from '../format.js';
import { useInterval, useLoad } from '../use-load.js';
import { SOURCE_TYPE_LABELS, type ImportStatus } from '../../shared/labels.js';

const STATUS_LABELS: Record<ImportStatus, string> = {
  uploading: 'Uploading',
  uploaded: 'Uploaded, not started',
  refused: 'Refused',
  queued: 'Queued',
  running: 'Running',
  completed: 'Completed',
  failed: 'Failed',
  cancelled: 'Cancelled',
};

const isActive = (status: ImportStatus): boolean => status === 'queued' || status === 'running';

function StatusTag({ status }: { status: ImportStatus }): ReactNode {
  return <span className={`tag tag-${status}`}>{STATUS_LABELS[status] ?? status}</span>;
}

const COUNTS = [
  ['created', 'Created'],
  ['merged', 'Merged'],
  ['suppressed', 'Suppressed'],
  ['rejected', 'Rejected'],
  ['skipped', 'Skipped'],
] as const;

export function ImportsPage(): ReactNode {
  const { campaign, can } = useCampaign();
  const { data: imports, error, load } = useLoad(async () => (await api.imports(campaign.id)).imports, [campaign.id]);
  const base = `/c/${campaign.id}`;

  useInterval(imports?.some((i) => isActive(i.status)) ?? false, load, 2000);

  return (
    <Page
      title="Imports"
      context={campaign.name}
      lead="Files of people brought into the campaign. Every row of every file is accounted for in its report."
      actions={
        can('imports.run') ? (
          <Link className="button button-primary" to={`${base}/imports/new`}>
            Import a file
          </Link>
        ) : null
      }
    >
      <ListState items={imports} error={error} what="imports" empty="No imports yet.">
        <p>Import a CSV file of people from a source; the wizard shows the file before anything is stored.</p>
      </ListState>
      {imports && imports.length > 0 ? (
        <TableRegion label="Imports table">
          <table className="table">
            <caption className="visually-hidden">Imports, newest first</caption>
            <thead>
              <tr>
                <th scope="col">File</th>
                <th scope="col">Status</th>
                {COUNTS.map(([key, label]) => (
                  <th scope="col" className="num" key={key}>
                    {label}
                  </th>
                ))}
                <th scope="col">Started</th>
              </tr>
            </thead>
            <tbody>
              {imports.map((imp) => (
                <tr key={imp.id}>
                  <td>
                    <Link to={`${base}/imports/${imp.id}`}>{imp.fileName}</Link>
                    <span className="code-hint">{imp.sourceName}</span>
                  </td>
                  <td>
                    <StatusTag status={imp.status} />
                  </td>
                  {COUNTS.map(([key]) => (
                    <td className="num" key={key}>
                      {imp.summary ? imp.summary[key].toLocaleString('en-GB') : '—'}
                    </td>
                  ))}
                  <td className="nowrap">
                    <Time iso={imp.startedAt ?? imp.createdAt} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableRegion>
      ) : null}
    </Page>
  );
}

// ---------------------------------------------------------------------------------------
// The wizard
// ---------------------------------------------------------------------------------------

const ATTRIBUTE = 'attribute';
const slug = (text: string): string =>
  text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, 63) || 'attribute';

interface ColumnChoice {
  field: string;
  attribute: string;
}

function choicesFrom(upload: ImportUpload): ColumnChoice[] {
  return upload.header.map((column) => {
    const suggested = upload.suggestedMapping.find((m) => m.column === column)?.field ?? '';
    return suggested.startsWith('attribute:')
      ? { field: ATTRIBUTE, attribute: suggested.slice('attribute:'.length) }
      : { field: suggested, attribute: slug(column) };
  });
}

function UploadStep({ onUploaded }: { onUploaded(upload: ImportUpload): void }): ReactNode {
  const { campaign, can } = useCampaign();
  const form = useForm('upload');
  const [sources, setSources] = useState<Source[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const base = `/c/${campaign.id}`;

  useEffect(() => {
    api.sources(campaign.id).then(
      (answer) => setSources(answer.sources.filter((s) => !s.archivedAt)),
      (caught: unknown) => setError(sentence(describeError(caught))),
    );
  }, [campaign.id]);

  const submit = async (event: FormEvent<HTMLFormElement>): Promise<void> => {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const file = data.get('file');
    const sourceId = data.get('sourceId');
    const hasFile = file instanceof File && file.name !== '';
    const ok = form.check([
      ...(hasFile ? [] : [{ field: 'file', message: 'Choose a CSV file' }]),
      ...(typeof sourceId === 'string' && sourceId ? [] : [{ field: 'sourceId', message: 'Choose a source' }]),
    ]);
    if (!ok || !hasFile || typeof sourceId !== 'string') return;
    await form.run(async () => {
      onUploaded(await api.uploadImport(campaign.id, sourceId, file));
    }, ['file', 'sourceId']);
  };

  if (error) return <ErrorNotice message={error} />;
  if (!sources) return <Loading what="sources" />;
  const addSource = can('sources.manage') ? (
    <Link to={`${base}/sources/new`}>Add a source</Link>
  ) : (
    'Ask a data manager to add a source'
  );
  return (
    <section className="panel" aria-labelledby="upload-heading">
      <h2 id="upload-heading">1. Choose the file and its source</h2>
      {sources.length === 0 ? (
        <p className="notice notice-info">
          There is no source yet. Every import comes from a source that records where the data came from and the lawful
          basis for it. {addSource}.
        </p>
      ) : (
        <form className="form" noValidate onSubmit={(e) => void submit(e)}>
          <ErrorSummary form={form} />
          <Field
            form={form}
            name="file"
            label="CSV file"
            hint="UTF-8 (with or without a byte order mark), separated by commas or semicolons, with a header row."
          >
            {(control) => <input {...control} type="file" className="input" accept=".csv,text/csv" required />}
          </Field>
          <SelectField
            form={form}
            name="sourceId"
            label="Source"
            hint="Where the people in this file came from."
            placeholder="Choose a source"
            options={sources.map((s) => ({
              value: s.id,
              label: `${s.name} (${SOURCE_TYPE_LABELS[s.type] ?? s.type})`,
            }))}
          />
          <p className="hint">Not listed? {addSource}.</p>
          <div className="form-actions">
            <SubmitButton form={form}>{form.busy ? 'Uploading…' : 'Upload and preview'}</SubmitButton>
          </div>
        </form>
      )}
    </section>
  );
}

function MappingStep({ upload, onCancel }: { upload: ImportUpload; onCancel(): void }): ReactNode {
  const { campaign } = useCampaign();
  const navigate = useNavigate();
  const form = useForm('mapping');
  const [choices, setChoices] = useState<ColumnChoice[]>(() => choicesFrom(upload));
  const [columnErrors, setColumnErrors] = useState<Record<string, string>>({});
  const [findings, setFindings] = useState<Finding[] | null>(null);
  const refusal = useRef<HTMLDivElement>(null);
  const base = `/c/${campaign.id}`;

  useEffect(() => {
    if (findings) refusal.current?.focus();
  }, [findings]);

  const set = (index: number, change: Partial<ColumnChoice>): void =>
    setChoices((current) => current.map((c, i) => (i === index ? { ...c, ...change } : c)));

  const start = async (event: FormEvent<HTMLFormElement>): Promise<void> => {
    event.preventDefault();
    const collectedAt = isoFromLocal(textOf(new FormData(event.currentTarget), 'collectedAt'));
    const mapping: MappingEntry[] = upload.header.flatMap((column, i) => {
      const choice = choices[i]!;
      if (!choice.field) return [];
      return [{ column, field: choice.field === ATTRIBUTE ? `attribute:${choice.attribute.trim()}` : choice.field }];
    });
    setFindings(null);
    setColumnErrors({});
    if (mapping.length === 0) {
      form.check([{ field: '', message: 'Choose a field for at least one column.' }]);
      return;
    }
    await form.run(async () => {
      try {
        const answer = await api.startImport(campaign.id, upload.import.id, {
          mapping,
          ...(collectedAt ? { collectedAt } : {}),
        });
        void navigate(`${base}/imports/${answer.import.id}`);
      } catch (caught) {
        if (caught instanceof ApiError && caught.code === 'rule_refused') {
          const found = caught.details.findings;
          setFindings(Array.isArray(found) ? (found as Finding[]) : []);
          return;
        }
        if (caught instanceof ApiError && Array.isArray(caught.details.issues)) {
          const byColumn: Record<string, string> = {};
          for (const issue of caught.details.issues as { column?: unknown; message?: unknown }[]) {
            if (typeof issue.column === 'string' && issue.column && typeof issue.message === 'string')
              byColumn[issue.column] ??= sentence(issue.message);
          }
          setColumnErrors(byColumn);
        }
        throw caught;
      }
    }, ['collectedAt']);
  };

  const discard = async (): Promise<void> => {
    try {
      await api.deleteImport(campaign.id, upload.import.id);
    } catch {
      // A refused upload is kept with its findings; nothing else to undo.
    }
    onCancel();
  };

  return (
    <>
      <section className="panel" aria-labelledby="preview-heading">
        <h2 id="preview-heading">2. Check the file</h2>
        <p>
          {upload.import.fileName} from {upload.import.sourceName}: {plural(upload.header.length, 'column')}, separated
          by {upload.delimiter === ';' ? 'semicolons' : 'commas'}. The first {plural(upload.sampleRows.length, 'row')}:
        </p>
        <TableRegion label="Sample rows">
          <table className="table">
            <caption className="visually-hidden">The header and the first rows of the file</caption>
            <thead>
              <tr>
                {upload.header.map((column, i) => (
                  <th scope="col" key={i}>
                    {column}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {upload.sampleRows.map((row, r) => (
                <tr key={r}>
                  {upload.header.map((_, i) => (
                    <td key={i}>{row[i] ?? ''}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </TableRegion>
      </section>
      <section className="panel" aria-labelledby="mapping-heading">
        <h2 id="mapping-heading">3. Choose what each column holds</h2>
        <p className="hint">
          Columns set to “Do not import” are ignored. An attribute keeps any other value (for example a ward or a
          support score); attributes that look like political opinions or other special category data need an Art 9
          condition on the source.
        </p>
        {findings ? (
          <div className="notice notice-error" role="alert" tabIndex={-1} ref={refusal}>
            <p>
              <strong>The import was refused.</strong> Nothing from the file was stored. Each rule that stopped it:
            </p>
            <FindingsList findings={findings} />
            <p>
              Fix the source (
              <Link to={`${base}/sources/${upload.import.sourceId}`}>open {upload.import.sourceName}</Link>) and upload
              the file again.
            </p>
          </div>
        ) : null}
        <form className="form-wide" noValidate onSubmit={(e) => void start(e)}>
          <ErrorSummary form={form} />
          <TableRegion label="Column mapping">
            <table className="table">
              <caption className="visually-hidden">Column mapping</caption>
              <thead>
                <tr>
                  <th scope="col">Column</th>
                  <th scope="col">Example</th>
                  <th scope="col">Field</th>
                </tr>
              </thead>
              <tbody>
                {upload.header.map((column, i) => {
                  const choice = choices[i]!;
                  const id = `mapping-${i}`;
                  const problem = columnErrors[column];
                  return (
                    <tr key={i} className={problem ? 'row-invalid' : undefined}>
                      <th scope="row">{column}</th>
                      <td>{upload.sampleRows[0]?.[i] ?? ''}</td>
                      <td>
                        {problem ? (
                          <p className="field-error" id={`${id}-error`}>
                            <span className="visually-hidden">Error: </span>
                            {problem}
                          </p>
                        ) : null}
                        <label className="visually-hidden" htmlFor={id}>
                          Field for column {column}
                        </label>
                        <select
                          id={id}
                          className="input input-small"
                          value={choice.field}
                          aria-invalid={problem ? true : undefined}
                          aria-describedby={problem ? `${id}-error` : undefined}
                          onChange={(e) => set(i, { field: e.target.value })}
                        >
                          <option value="">Do not import</option>
                          {Object.entries(PERSON_FIELD_LABELS).map(([value, text]) => (
                            <option key={value} value={value}>
                              {text}
                            </option>
                          ))}
                          <option value={ATTRIBUTE}>Attribute…</option>
                        </select>
                        {choice.field === ATTRIBUTE ? (
                          <div className="attribute-name">
                            <label htmlFor={`${id}-attribute`}>Attribute name for {column}</label>
                            <input
                              id={`${id}-attribute`}
                              className="input input-small input-mono"
                              value={choice.attribute}
                              spellCheck={false}
                              aria-describedby="attribute-hint"
                              onChange={(e) => set(i, { attribute: e.target.value })}
                            />
                          </div>
                        ) : null}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </TableRegion>
          <p className="hint" id="attribute-hint">
            Attribute names are lower-case letters, digits and underscores.
          </p>
          <DateTimeField
            form={form}
            name="collectedAt"
            label="When the data was collected"
            hint="Leave empty if it was collected now. Art 14 notice clocks start from this time."
            optional
          />
          <div className="form-actions">
            <SubmitButton form={form}>{form.busy ? 'Starting…' : 'Start import'}</SubmitButton>
            <button type="button" className="button button-secondary" onClick={() => void discard()}>
              Cancel and discard the file
            </button>
          </div>
        </form>
      </section>
    </>
  );
}

export function ImportWizardPage(): ReactNode {
  const { campaign } = useCampaign();
  const [upload, setUpload] = useState<ImportUpload | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  return (
    <Page
      title="Import people"
      context={campaign.name}
      lead="Upload a CSV file, check what it holds and say which column is which. The import rules check the source before any row is read."
    >
      <StatusMessage message={status} />
      <p>
        <Link to={`/c/${campaign.id}/imports`}>All imports</Link>
      </p>
      {upload ? (
        <MappingStep
          key={upload.import.id}
          upload={upload}
          onCancel={() => {
            setUpload(null);
            setStatus('The file was discarded.');
          }}
        />
      ) : (
        <UploadStep
          onUploaded={(next) => {
            setStatus(`${next.import.fileName} uploaded: check the columns below.`);
            setUpload(next);
          }}
        />
      )}
    </Page>
  );
}

// ---------------------------------------------------------------------------------------
// One import
// ---------------------------------------------------------------------------------------

function progressText(progress: ImportView['progress']): string {
  if (!progress) return 'Waiting to start…';
  const { done, total } = progress;
  if (total === null || total <= 0) return `${done.toLocaleString('en-GB')} rows done`;
  const percent = Math.min(100, Math.round((done / total) * 100));
  return `${done.toLocaleString('en-GB')} of ${total.toLocaleString('en-GB')} rows (${percent}%)`;
}

export function ImportPage(): ReactNode {
  const { campaign, can } = useCampaign();
  const { importId = '' } = useParams();
  const {
    data: imp,
    setData: setImp,
    error,
    setError,
    load,
  } = useLoad(async () => (await api.import(campaign.id, importId)).import, [campaign.id, importId]);
  const [status, setStatus] = useState<string | null>(null);
  const [cancelling, setCancelling] = useState(false);
  const base = `/c/${campaign.id}`;
  const viaJobs = can('jobs.read');

  const active = imp ? isActive(imp.status) : false;
  const jobId = imp?.jobId ?? null;
  const tick = useCallback(() => {
    if (!jobId || !viaJobs) {
      void load();
      return;
    }
    api.job(campaign.id, jobId).then(
      ({ job }) => {
        if (job.status === 'queued' || job.status === 'running') {
          setImp((current) =>
            current ? { ...current, status: job.status as ImportStatus, progress: job.progress } : current,
          );
        } else {
          void load();
        }
      },
      () => void load(),
    );
  }, [jobId, viaJobs, campaign.id, load, setImp]);
  useInterval(active, tick, 1000);

  const cancel = async (): Promise<void> => {
    if (!jobId) return;
    setCancelling(true);
    try {
      await api.cancelJob(campaign.id, jobId);
      setStatus('Cancellation requested: the import stops after the batch it is working on.');
    } catch (caught) {
      setError(sentence(describeError(caught)));
    } finally {
      setCancelling(false);
    }
  };

  if (!imp) {
    return error ? (
      <Page title="Import could not be loaded" context={campaign.name}>
        <ErrorNotice message={error} />
        <p>
          <Link to={`${base}/imports`}>All imports</Link>
        </p>
      </Page>
    ) : (
      <Loading what="the import" />
    );
  }

  const warnings = imp.decisions.filter((f) => f.outcome === 'warn');
  const blocking = imp.decisions.filter((f) => f.outcome !== 'warn');
  const finished = imp.status === 'completed' || imp.status === 'cancelled' || imp.status === 'failed';

  return (
    <Page title={`Import of ${imp.fileName}`} context={campaign.name} lead={`From ${imp.sourceName}`}>
      <StatusMessage message={status} />
      <ErrorNotice message={error} />
      <p>
        <Link to={`${base}/imports`}>All imports</Link>
      </p>
      <dl className="summary-list panel">
        <div>
          <dt>Status</dt>
          <dd>
            <StatusTag status={imp.status} />
          </dd>
        </div>
        {(
          [
            ['Uploaded', imp.createdAt],
            ['Started', imp.startedAt],
            ['Finished', imp.finishedAt],
          ] as const
        ).map(([label, iso]) => (
          <div key={label}>
            <dt>{label}</dt>
            <dd>
              <Time iso={iso} />
            </dd>
          </div>
        ))}
      </dl>
      {imp.status === 'refused' ? (
        <section className="notice notice-error" aria-labelledby="refused-heading">
          <h2 id="refused-heading">Refused</h2>
          <p>Nothing from the file was stored. Each rule that stopped it:</p>
          <FindingsList findings={blocking} />
        </section>
      ) : null}
      {warnings.length > 0 ? (
        <section className="notice notice-warning" aria-labelledby="warnings-heading">
          <h2 id="warnings-heading">Warnings</h2>
          <p>The import was allowed; these warnings are recorded in the audit trail.</p>
          <FindingsList findings={warnings} />
        </section>
      ) : null}
      {active ? (
        <section className="panel" aria-labelledby="progress-heading">
          <h2 id="progress-heading">Progress</h2>
          <div className="progress">
            <progress
              aria-label="Import progress"
              max={imp.progress?.total ?? undefined}
              value={imp.progress?.total ? Math.min(imp.progress.done, imp.progress.total) : undefined}
            />
            <p className="progress-text" role="status" aria-live="polite">
              {progressText(imp.progress)}
            </p>
          </div>
          {jobId && can('jobs.cancel') ? (
            <button
              type="button"
              className="button button-danger-outline"
              onClick={() => void cancel()}
              disabled={cancelling}
            >
              Cancel import
            </button>
          ) : null}
        </section>
      ) : null}
      {imp.summary ? (
        <section className="panel" aria-labelledby="summary-heading">
          <h2 id="summary-heading">Every row accounted for</h2>
          <dl className="counts">
            <div>
              <dt>Rows read</dt>
              <dd>{imp.summary.total.toLocaleString('en-GB')}</dd>
            </div>
            {COUNTS.map(([key, label]) => (
              <div key={key}>
                <dt>{label}</dt>
                <dd>{imp.summary![key].toLocaleString('en-GB')}</dd>
              </div>
            ))}
            {imp.summary.blankLines ? (
              <div>
                <dt>Blank lines (not rows)</dt>
                <dd>{imp.summary.blankLines.toLocaleString('en-GB')}</dd>
              </div>
            ) : null}
          </dl>
          {finished ? (
            <p>
              <a className="button button-secondary" href={api.importReportUrl(campaign.id, imp.id)} download>
                Download report (CSV)
              </a>
            </p>
          ) : null}
          <p className="hint">
            The report lists every row of the file with what happened to it: created, merged into an existing person,
            suppressed by an objection, rejected (with the column and the reason) or skipped as blank.
          </p>
        </section>
      ) : finished ? (
        <p>
          <a className="button button-secondary" href={api.importReportUrl(campaign.id, imp.id)} download>
            Download report (CSV)
          </a>
        </p>
      ) : null}
      {imp.status === 'uploaded' ? (
        <p>This file was uploaded but not started. Start a new import to choose its columns.</p>
      ) : null}
    </Page>
  );
}
