/**
 * One audience (issue 5): the preview — how many people the segment selects, how many would be
 * uploaded, and who would be left out by reason, as a bar chart with a table for screen readers
 * — the rules' verdict (every failing rule with its citation, what is wrong, the fix and a link
 * to where it is fixed), the export behind the lawful gate with each export's manifest summary
 * and audited downloads, recording the upload (which makes the audience live), and the pending
 * removals of this audience as counts by reason.
 */
import { useCallback, useState, type FormEvent, type ReactNode } from 'react';
import { Link, useParams } from 'react-router';
import { api, ApiError, describeError } from '../api.js';
import { audiencesApi } from '../audiences-api.js';
import { useCampaign } from '../campaign-context.js';
import {
  ChoiceGroup,
  DateTimeField,
  ErrorSummary,
  SelectField,
  SubmitButton,
  TextField,
  textOf,
  useForm,
} from '../components/form.js';
import {
  AUDIENCE_FIELD_LABELS,
  AUDIENCE_KIND_LABELS,
  AudienceStatusTag,
  UNINFORMED_OPTIONS,
} from '../components/audience-ui.js';
import { ErrorNotice, Loading, Page, StatusMessage } from '../components/page.js';
import { isoFromLocal, localNow } from '../components/people-ui.js';
import { TableRegion } from '../components/table-region.js';
import { formatDate, formatDateTime, plural, sentence } from '../format.js';
import { useLoad } from '../use-load.js';
import type { Finding } from '../../shared/views.js';
import {
  AUDIENCE_FIELD_NAMES,
  REMOVAL_REASONS,
  type AudienceFieldName,
  type AudienceUpdateBody,
  type SegmentDefinitionBody,
  type SegmentView,
  type AudienceExportView,
  type AudiencePreview,
  type AudienceView,
  type ExclusionCount,
  type RemovalReason,
} from '../../shared/audiences.js';
import { PLATFORM_LABELS } from '../../shared/governance.js';

const REASONS: Record<RemovalReason, string> = {
  objection: 'objected',
  consent_withdrawn: 'withdrew consent',
  erased: 'were erased',
};
const OUTCOMES: Record<Finding['outcome'], string> = {
  refuse: 'Refused',
  require: 'Needs a record first',
  warn: 'Warning',
};

/** Where a rule's problem is fixed: the page, and its name. Null when nothing can fix it (an objection). */
function fixOf(finding: Finding, base: string, activityId: string): { to: string; label: string } | null {
  const { ruleId, remedy } = finding;
  const activity = { to: `${base}/record-of-processing/${activityId}`, label: 'the processing activity' };
  const joint = { to: `${base}/joint-controllers`, label: 'joint controllers' };
  if (ruleId === 'DM-OBJECTION-ABSOLUTE') return null;
  if (ruleId === 'ONL-PLATFORM-ELIGIBILITY') {
    // A condition the platform sets (Meta's authorisation) is recorded on the arrangement; a ban is
    // met only by another platform.
    if (remedy && /arrangement/i.test(remedy)) return joint;
    if (remedy && /activity/i.test(remedy)) return activity;
    return { to: `${base}/audiences/new`, label: 'a new audience on another platform' };
  }
  if (ruleId.startsWith('ONL-')) return joint;
  if (ruleId.startsWith('DPIA-')) return { to: `${base}/dpias`, label: 'DPIAs' };
  if (ruleId.startsWith('TR-')) return { to: `${base}/privacy-notice`, label: 'the privacy notice' };
  if (ruleId.startsWith('CTRL-') || ruleId.startsWith('XFER-'))
    return { to: `${base}/processors`, label: 'processors' };
  if (/^(LB|ROPA|SCD|PURP)-/.test(ruleId)) return activity;
  return { to: `${base}/dpo`, label: 'what needs the DPO' };
}

/** The rules' findings, each with its rule, citation, explanation, fix and where it is fixed. */
function FindingItems({ findings, activityId }: { findings: readonly Finding[]; activityId: string }): ReactNode {
  const { campaign } = useCampaign();
  return (
    <ul className="outstanding-list">
      {findings.map((f, i) => {
        const fix = fixOf(f, `/c/${campaign.id}`, activityId);
        return (
          <li
            key={`${f.ruleId}-${i}`}
            className={`outstanding outstanding-${f.outcome === 'warn' ? 'due' : 'blocked'}`}
          >
            <h4>
              <span className={`tag tag-finding-${f.outcome}`}>{OUTCOMES[f.outcome]}</span>{' '}
              <abbr title={f.citation}>{f.ruleId}</abbr> ({f.citation})
            </h4>
            <p>{f.explanation}</p>
            <p>
              <strong>Fix:</strong> {f.remedy ?? 'Nothing can make this allowed.'}
            </p>
            {fix ? (
              <p className="hint">
                Fixed in <Link to={fix.to}>{fix.label}</Link>
              </p>
            ) : null}
          </li>
        );
      })}
    </ul>
  );
}

/** The refusal: every blocking rule; then any warnings. */
function Verdict({
  findings,
  activityId,
  id = 'preview',
  title = 'The law does not allow this audience yet',
}: {
  findings: readonly Finding[];
  activityId: string;
  /** Tells apart the preview's verdict from an export's. */
  id?: string;
  title?: string;
}): ReactNode {
  const blocking = findings.filter((f) => f.outcome !== 'warn');
  const warnings = findings.filter((f) => f.outcome === 'warn');
  return (
    <>
      {blocking.length > 0 ? (
        <section className="panel panel-danger" aria-labelledby={`${id}-refusal-heading`}>
          <h3 id={`${id}-refusal-heading`}>{title}</h3>
          <p>
            No file can be written while {blocking.length === 1 ? 'this rule refuses' : 'these rules refuse'} it. Fix
            each, then preview again.
          </p>
          <FindingItems findings={blocking} activityId={activityId} />
        </section>
      ) : null}
      {warnings.length > 0 ? (
        <section className="panel" aria-labelledby={`${id}-warnings-heading`}>
          <h3 id={`${id}-warnings-heading`}>Warnings</h3>
          <FindingItems findings={warnings} activityId={activityId} />
        </section>
      ) : null}
    </>
  );
}

const BAR_HEIGHT = 18;
const ROW_HEIGHT = 48;
const WIDTH = 640;

/**
 * Who is left out, by reason: an inline SVG bar chart (hidden from screen readers, which read
 * the table after it instead).
 */
function ExclusionChart({ exclusions }: { exclusions: readonly ExclusionCount[] }): ReactNode {
  const max = Math.max(1, ...exclusions.map((e) => e.count));
  const height = exclusions.length * ROW_HEIGHT;
  return (
    <figure className="section">
      <svg
        viewBox={`0 0 ${WIDTH} ${height}`}
        width="100%"
        height={height}
        preserveAspectRatio="xMinYMin meet"
        aria-hidden="true"
        focusable="false"
      >
        {exclusions.map((e, i) => {
          const y = i * ROW_HEIGHT;
          const w = Math.max(2, Math.round((e.count / max) * (WIDTH - 80)));
          return (
            <g key={e.reason}>
              <text x={0} y={y + 14} fontSize={13} fill="#1d2939">
                {e.reason}
              </text>
              <rect x={0} y={y + 20} width={w} height={BAR_HEIGHT} rx={3} fill="#b42318" />
              <text x={w + 8} y={y + 34} fontSize={13} fontWeight={600} fill="#1d2939">
                {e.count.toLocaleString('en-GB')}
              </text>
            </g>
          );
        })}
      </svg>
      <figcaption className="hint">People left out, by the rule that leaves them out.</figcaption>
      <table className="table visually-hidden">
        <caption>People left out, by reason</caption>
        <thead>
          <tr>
            <th scope="col">Reason</th>
            <th scope="col">Rule</th>
            <th scope="col">People</th>
          </tr>
        </thead>
        <tbody>
          {exclusions.map((e) => (
            <tr key={e.reason}>
              <td>{e.label}</td>
              <td>{e.reason}</td>
              <td>{e.count}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}

function PreviewPanel({ preview, activityId }: { preview: AudiencePreview; activityId: string }): ReactNode {
  return (
    <>
      <dl className="counts">
        <div>
          <dt>Selected by the segment</dt>
          <dd>{preview.segmentCount.toLocaleString('en-GB')}</dd>
        </div>
        <div>
          <dt>Would be uploaded</dt>
          <dd>{preview.includedCount.toLocaleString('en-GB')}</dd>
        </div>
        <div>
          <dt>Left out</dt>
          <dd>{preview.excludedCount.toLocaleString('en-GB')}</dd>
        </div>
      </dl>
      {preview.exclusions.length > 0 ? (
        <>
          <h3>Who is left out, and why</h3>
          <ExclusionChart exclusions={preview.exclusions} />
          <ul className="bullets">
            {preview.exclusions.map((e) => (
              <li key={e.reason}>
                {plural(e.count, 'person', 'people')}: {e.label}
              </li>
            ))}
          </ul>
        </>
      ) : (
        <p>Nobody in the segment is left out.</p>
      )}
      <Verdict findings={preview.findings} activityId={activityId} />
      {preview.findings.length === 0 || preview.outcome === 'allow' || preview.outcome === 'warn' ? (
        <p className="notice notice-success">The rules allow this audience: its files can be written.</p>
      ) : null}
    </>
  );
}

/** Manifest keys of exclusions are the reasons' labels; show them, and the rule each names. */
function excludedRows(excluded: Record<string, number>): [string, number][] {
  return Object.entries(excluded).filter(([, n]) => n > 0);
}

function ExportPanel({
  exp,
  audience,
  onChanged,
  pendingExportIds,
}: {
  exp: AudienceExportView;
  audience: AudienceView;
  onChanged(message: string): Promise<void>;
  pendingExportIds: readonly string[];
}): ReactNode {
  const { campaign, can } = useCampaign();
  const form = useForm(`upload-${exp.id}`);
  const c = campaign.id;
  const removal = exp.operation === 'remove';
  const [shownNow] = useState(localNow);
  const recordUpload = async (event: FormEvent<HTMLFormElement>): Promise<void> => {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const typed = textOf(data, 'uploadedAt');
    // Left as shown (now, to the minute): the exact time, which is never before the export.
    const uploadedAt = typed === shownNow ? new Date().toISOString() : isoFromLocal(typed);
    if (!form.check(uploadedAt ? [] : [{ field: 'uploadedAt', message: 'Enter when the file was uploaded' }])) return;
    const note = textOf(data, 'note');
    await form.run(async () => {
      await audiencesApi.recordUpload(c, exp.id, { uploadedAt, note: note || null });
      await onChanged(`Upload recorded: ${audience.name} is live on ${PLATFORM_LABELS[audience.platform]}.`);
    }, ['uploadedAt', 'note']);
  };
  const confirm = async (): Promise<void> => {
    await form.run(async () => {
      const result = await audiencesApi.confirmRemovals(c, exp.id);
      await onChanged(`${plural(result.confirmed, 'removal')} confirmed as uploaded.`);
    });
  };
  const rows = excludedRows(exp.excluded);
  const heading = `${removal ? 'Removal file' : 'Export'} of ${formatDateTime(exp.createdAt)}`;
  return (
    <article className="panel" aria-label={heading}>
      <h3>
        {heading}{' '}
        {exp.uploadedAt ? <span className="tag tag-completed">Uploaded {formatDateTime(exp.uploadedAt)}</span> : null}
      </h3>
      <dl className="summary-list">
        <div>
          <dt>{removal ? 'People to remove' : 'People in the file'}</dt>
          <dd>{exp.peopleCount.toLocaleString('en-GB')}</dd>
        </div>
        <div>
          <dt>Rows and files</dt>
          <dd>
            {plural(exp.rowsWritten, 'row')} in {plural(exp.files.length, 'file')}
          </dd>
        </div>
        <div>
          <dt>Files</dt>
          <dd>
            {exp.filesDeletedAt
              ? `Deleted on ${formatDate(exp.filesDeletedAt)}; the manifest is kept`
              : `Kept until ${formatDate(exp.expiresAt)}, then deleted; the manifest is kept`}
          </dd>
        </div>
        <div>
          <dt>Normalization rules</dt>
          <dd>{exp.normalizationRulesVersion}</dd>
        </div>
        {removal ? null : (
          <div>
            <dt>Left out</dt>
            <dd>
              {rows.length === 0 ? (
                'Nobody'
              ) : (
                <ul className="bullets">
                  {rows.map(([label, n]) => (
                    <li key={label}>
                      {n.toLocaleString('en-GB')}: {label}
                    </li>
                  ))}
                </ul>
              )}
            </dd>
          </div>
        )}
      </dl>
      {exp.warnings.length > 0 ? (
        <div className="notice notice-warning">
          <p>
            <strong>Warnings</strong>
          </p>
          <ul className="bullets">
            {exp.warnings.map((w) => (
              <li key={w}>{w}</li>
            ))}
          </ul>
        </div>
      ) : null}
      {can('audiences.export') ? (
        <TableRegion label={`Files of the ${heading.toLowerCase()}`}>
          <table className="table">
            <caption className="visually-hidden">Files of the {heading.toLowerCase()}</caption>
            <thead>
              <tr>
                <th scope="col">File</th>
                <th scope="col" className="num">
                  Rows
                </th>
                <th scope="col">SHA-256</th>
              </tr>
            </thead>
            <tbody>
              {exp.files.map((f) => (
                <tr key={f.name}>
                  <td>
                    {exp.downloadable ? (
                      <a href={audiencesApi.fileUrl(c, exp.id, f.name)} download={f.name}>
                        Download {f.name}
                      </a>
                    ) : (
                      `${f.name} (deleted)`
                    )}
                  </td>
                  <td className="num">{f.rows.toLocaleString('en-GB')}</td>
                  <td>
                    <code title={f.sha256}>{f.sha256.slice(0, 16)}…</code>
                  </td>
                </tr>
              ))}
              <tr>
                <td>
                  <a href={audiencesApi.fileUrl(c, exp.id, 'manifest.json')} download="manifest.json">
                    Download manifest.json
                  </a>
                </td>
                <td className="num">—</td>
                <td>The record of this export</td>
              </tr>
            </tbody>
          </table>
        </TableRegion>
      ) : null}
      <ErrorSummary form={form} />
      {can('audiences.export') && !removal && !exp.uploadedAt && exp.downloadable && audience.status !== 'retired' ? (
        <form className="form" noValidate onSubmit={(e) => void recordUpload(e)}>
          <h4>Record the upload</h4>
          <p className="hint">Once you have uploaded the file to the platform, record it: the audience becomes live.</p>
          <div className="form-row">
            <DateTimeField form={form} name="uploadedAt" label="Uploaded at" defaultValue={shownNow} />
            <TextField form={form} name="note" label="Note" optional width="medium" autoComplete="off" />
          </div>
          <SubmitButton form={form} variant="secondary">
            {form.busy ? 'Recording…' : 'Record the upload'}
          </SubmitButton>
        </form>
      ) : null}
      {can('audiences.export') && removal && pendingExportIds.includes(exp.id) ? (
        <div className="form-actions">
          <button type="button" className="button button-secondary" disabled={form.busy} onClick={() => void confirm()}>
            {form.busy ? 'Confirming…' : `Confirm this removal file was uploaded to ${PLATFORM_LABELS[exp.platform]}`}
          </button>
        </div>
      ) : null}
    </article>
  );
}

/** The segment's criteria in words: all of them apply together. */
function SegmentSummary({
  definition: d,
  names,
}: {
  definition: SegmentDefinitionBody;
  names: ReadonlyMap<string, string>;
}): ReactNode {
  const named = (ids: readonly string[]): string => ids.map((id) => names.get(id) ?? 'an archived record').join(', ');
  const parts: string[] = [];
  if (d.tags?.length)
    parts.push(`on ${d.tagMatch === 'all' ? 'every' : 'any'} tag of ${named(d.tags.map((t) => t.id))}`);
  if (d.lists?.length)
    parts.push(`on ${d.listMatch === 'all' ? 'every' : 'any'} list of ${named(d.lists.map((t) => t.id))}`);
  const declared = [...(d.tags ?? []), ...(d.lists ?? [])].flatMap((t) =>
    t.specialCategory ? [t.specialCategory.replace(/_/g, ' ')] : [],
  );
  if (declared.length > 0) parts.push(`declared to reveal ${[...new Set(declared)].join(', ')}`);
  if (d.sources?.length) parts.push(`from ${named(d.sources)}`);
  for (const a of d.attributes ?? []) {
    parts.push(a.values?.length ? `${a.name} is ${a.values.join(' or ')}` : `with any ${a.name}`);
  }
  if (d.consent) {
    parts.push(
      `consent to ${d.consent.purpose} by ${d.consent.channel.replace(/_/g, ' ')} ${d.consent.state === 'not_granted' ? 'not ' : ''}granted`,
    );
  }
  return parts.length === 0 ? (
    'Nobody'
  ) : (
    <ul className="bullets">
      {parts.map((p) => (
        <li key={p}>{p}</li>
      ))}
    </ul>
  );
}

/** Changes what the next build uses: name, segment, consent purpose, the uninformed choice, identifiers, expiry. */
function SettingsForm({
  audience,
  segments,
  onSaved,
}: {
  audience: AudienceView;
  segments: readonly SegmentView[];
  onSaved(message: string): Promise<void>;
}): ReactNode {
  const { campaign } = useCampaign();
  const form = useForm(`settings-${audience.id}`);
  const submit = async (event: FormEvent<HTMLFormElement>): Promise<void> => {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const expiry = textOf(data, 'fileExpiryDays');
    const body: AudienceUpdateBody = {
      name: textOf(data, 'name'),
      segmentId: textOf(data, 'segmentId'),
      consentPurpose: textOf(data, 'consentPurpose'),
      uninformed: textOf(data, 'uninformed') === 'refuse' ? 'refuse' : 'exclude',
      fields: data.getAll('fields').filter((v): v is AudienceFieldName => typeof v === 'string'),
      fileExpiryDays: expiry ? Number(expiry) : null,
    };
    await form.run(async () => {
      await audiencesApi.update(campaign.id, audience.id, body);
      await onSaved('Changes saved. The preview below is up to date.');
    }, ['name', 'segmentId', 'consentPurpose', 'uninformed', 'fields', 'fileExpiryDays']);
  };
  return (
    <form className="form" noValidate onSubmit={(e) => void submit(e)} aria-label="Change the audience">
      <ErrorSummary form={form} />
      <TextField form={form} name="name" label="Name" defaultValue={audience.name} width="medium" autoComplete="off" />
      <SelectField
        form={form}
        name="segmentId"
        label="Segment"
        options={segments.map((x) => ({ value: x.id, label: x.name }))}
        defaultValue={audience.segmentId}
      />
      <TextField
        form={form}
        name="consentPurpose"
        label="Consent purpose relied on"
        defaultValue={audience.consentPurpose}
        width="medium"
        autoComplete="off"
      />
      <ChoiceGroup
        form={form}
        name="uninformed"
        legend="People never given a privacy notice that explains list matching"
        type="radio"
        options={UNINFORMED_OPTIONS}
        defaultValue={[audience.uninformed]}
      />
      <ChoiceGroup
        form={form}
        name="fields"
        legend="Identifiers in the file"
        hint="None ticked: the platform's usual identifiers."
        type="checkbox"
        options={AUDIENCE_FIELD_NAMES.map((f) => ({ value: f, label: AUDIENCE_FIELD_LABELS[f] }))}
        defaultValue={audience.fields}
      />
      <TextField
        form={form}
        name="fileExpiryDays"
        label="Delete the files after (days)"
        hint="1 to 90. Empty: the campaign's setting."
        type="number"
        inputMode="numeric"
        optional
        width="short"
        defaultValue={audience.fileExpiryDays === null ? '' : String(audience.fileExpiryDays)}
      />
      <SubmitButton form={form} variant="secondary">
        {form.busy ? 'Saving…' : 'Save the changes'}
      </SubmitButton>
    </form>
  );
}

export function AudiencePage(): ReactNode {
  const { campaign, can } = useCampaign();
  const { audienceId = '' } = useParams();
  const c = campaign.id;
  const fetchAll = useCallback(async () => {
    const [detail, removals, segments] = await Promise.all([
      audiencesApi.get(c, audienceId),
      audiencesApi.removals(c, audienceId),
      audiencesApi.segments(c),
    ]);
    const d = detail.segment.definition;
    // The names of the segment's tags, lists and sources, read only when it has any.
    const [tags, lists, sources] = await Promise.all([
      d.tags?.length ? api.tags(c).then((r) => r.tags) : [],
      d.lists?.length ? api.lists(c).then((r) => r.lists) : [],
      d.sources?.length ? api.sources(c).then((r) => r.sources) : [],
    ]);
    const names = new Map<string, string>([...tags, ...lists, ...sources].map((x) => [x.id, x.name]));
    return { ...detail, removals: removals.removals, segments: segments.segments, names };
  }, [c, audienceId]);
  const { data, error, load } = useLoad(fetchAll, [fetchAll]);
  // Once the audience is known: a retired one is never previewed (nothing is built from it).
  const status = data?.audience.status;
  const previewLoad = useLoad(
    async () => (status && status !== 'retired' ? (await audiencesApi.preview(c, audienceId)).preview : null),
    [c, audienceId, status],
  );
  const [exporting, setExporting] = useState(false);
  const [exportError, setExportError] = useState<string | null>(null);
  const [refusal, setRefusal] = useState<Finding[] | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [previewing, setPreviewing] = useState(false);
  const [retiring, setRetiring] = useState(false);

  const previewAgain = async (): Promise<void> => {
    setPreviewing(true);
    setRefusal(null);
    setExportError(null);
    try {
      await previewLoad.load();
    } finally {
      setPreviewing(false);
    }
  };

  const retire = async (): Promise<void> => {
    setBusy(true);
    setExportError(null);
    try {
      await audiencesApi.update(c, audienceId, { status: 'retired' });
      setRetiring(false);
      await changed('The audience is retired: nothing more is built from it.');
    } catch (caught) {
      setExportError(sentence(describeError(caught)));
    } finally {
      setBusy(false);
    }
  };

  const changed = async (text: string): Promise<void> => {
    setMessage(text);
    await load();
  };

  const exportFiles = async (): Promise<void> => {
    setExporting(true);
    setExportError(null);
    setRefusal(null);
    setMessage(null);
    try {
      const { export: exp } = await audiencesApi.exportFiles(c, audienceId);
      await changed(
        `Files written: ${plural(exp.rowsWritten, 'row')} in ${plural(exp.files.length, 'file')}. Download them, upload them to ${PLATFORM_LABELS[exp.platform]}, then record the upload.`,
      );
    } catch (caught) {
      if (caught instanceof ApiError && caught.code === 'rule_refused' && Array.isArray(caught.details.findings)) {
        const findings = caught.details.findings as Finding[];
        const rules = findings.filter((f) => f.outcome !== 'warn').map((f) => f.ruleId);
        setRefusal(findings);
        setExportError(
          `The files were not written: ${rules.join(', ')} ${rules.length === 1 ? 'refuses' : 'refuse'} this audience now. Each rule, what is wrong and the fix are listed below.`,
        );
      } else {
        setExportError(sentence(describeError(caught)));
      }
      void previewLoad.load();
    } finally {
      setExporting(false);
    }
  };

  const writeRemovals = async (): Promise<void> => {
    setBusy(true);
    setExportError(null);
    try {
      const result = await audiencesApi.exportRemovals(c, audienceId);
      await changed(`Removal file written for ${plural(result.removals, 'person', 'people')}. Download it below.`);
    } catch (caught) {
      setExportError(sentence(describeError(caught)));
    } finally {
      setBusy(false);
    }
  };

  if (!data) {
    return (
      <Page title="Audience" context={campaign.name}>
        <ErrorNotice message={error} />
        {error ? null : <Loading what="the audience" />}
      </Page>
    );
  }
  const { audience, segment, exports, removals } = data;
  const preview = previewLoad.data;
  const pendingExportIds = removals.flatMap((r) => (r.removalExportId ? [r.removalExportId] : []));
  const unwritten = removals.filter((r) => !r.removalExportId).length;
  const refused = preview !== null && (preview.outcome === 'refuse' || preview.outcome === 'require');
  return (
    <Page
      title={audience.name}
      context={campaign.name}
      lead={`${AUDIENCE_KIND_LABELS[audience.kind]} for ${PLATFORM_LABELS[audience.platform]}, from the segment “${segment.name}”.`}
    >
      <p>
        <Link to={`/c/${c}/audiences`}>Back to audiences</Link>
      </p>
      <StatusMessage message={message} />
      <dl className="summary-list">
        <div>
          <dt>Status</dt>
          <dd>
            <AudienceStatusTag status={audience.status} />
            {audience.liveAt ? ` since ${formatDateTime(audience.liveAt)}` : ''}
          </dd>
        </div>
        <div>
          <dt>Purpose</dt>
          <dd>
            <Link to={`/c/${c}/record-of-processing/${audience.activityId}`}>The processing activity</Link> · consent
            purpose <code>{audience.consentPurpose}</code>
          </dd>
        </div>
        <div>
          <dt>Segment</dt>
          <dd>
            <SegmentSummary definition={segment.definition} names={data.names} />
          </dd>
        </div>
        <div>
          <dt>People never told about list matching</dt>
          <dd>{audience.uninformed === 'exclude' ? 'Left out' : 'The audience is refused'}</dd>
        </div>
      </dl>
      {audience.needsRebuild ? (
        <div className="notice notice-warning">
          <p>
            <strong>Needs rebuild.</strong>{' '}
            {audience.needsRebuildReason ?? 'Someone it was built from must be removed.'} Export it again and replace it
            on the platform.
          </p>
        </div>
      ) : null}

      {can('audiences.manage') && audience.status !== 'retired' ? (
        <details className="disclosure disclosure-panel">
          <summary>Change the audience</summary>
          <div className="disclosure-body">
            <SettingsForm
              audience={audience}
              segments={data.segments}
              onSaved={async (text) => {
                await changed(text);
                await previewAgain();
              }}
            />
          </div>
        </details>
      ) : null}
      {audience.status === 'retired' ? (
        <p className="notice notice-info">
          Retired {formatDateTime(audience.retiredAt)}: nothing more is built from this audience.
        </p>
      ) : (
        <section className="section" aria-labelledby="preview-heading">
          <h2 id="preview-heading">Preview</h2>
          <p className="hint">Who would be in the file if it were written now. Nothing is written by a preview.</p>
          <ErrorNotice message={previewLoad.error} />
          {preview ? (
            <PreviewPanel preview={preview} activityId={audience.activityId} />
          ) : previewLoad.error ? null : (
            <Loading what="the preview" />
          )}
          <div className="form-actions">
            <button
              type="button"
              className="button button-secondary"
              disabled={previewing}
              onClick={() => void previewAgain()}
            >
              {previewing ? 'Previewing…' : 'Preview again'}
            </button>
          </div>
        </section>
      )}

      <section className="section" aria-labelledby="exports-heading" aria-busy={exporting || undefined}>
        <h2 id="exports-heading">Files</h2>
        {can('audiences.export') && audience.status !== 'retired' ? (
          <>
            <p className="hint">
              Writing the files checks every rule again, then normalizes and hashes each identifier as{' '}
              {PLATFORM_LABELS[audience.platform]} requires. Downloads are recorded in the audit trail.
            </p>
            <div className="form-actions">
              <button
                type="button"
                className="button button-primary"
                disabled={exporting || refused}
                aria-disabled={exporting || refused || undefined}
                aria-describedby={refused ? 'export-refused-hint' : undefined}
                onClick={() => void exportFiles()}
              >
                {exporting ? 'Writing the files…' : `Write the files for ${PLATFORM_LABELS[audience.platform]}`}
              </button>
            </div>
            {refused ? (
              <p className="hint" id="export-refused-hint">
                The preview shows rules that refuse this audience: fix them first.
              </p>
            ) : null}
            {exporting ? (
              <div className="progress" role="status">
                <progress aria-label="Writing the files" />
                <span className="progress-text">
                  Checking the rules and writing the files. A large audience takes a few minutes; keep this page open.
                </span>
              </div>
            ) : null}
          </>
        ) : can('audiences.export') ? null : (
          <p className="hint">A data manager or the owner writes the files.</p>
        )}
        <ErrorNotice message={exportError} />
        {refusal ? (
          <Verdict
            findings={refusal.filter((f) => f.outcome !== 'warn')}
            activityId={audience.activityId}
            id="export"
            title="Why the files were refused"
          />
        ) : null}
        {exports.length === 0 ? <p>No files written yet.</p> : null}
        {exports.map((exp) => (
          <ExportPanel
            key={exp.id}
            exp={exp}
            audience={audience}
            onChanged={changed}
            pendingExportIds={pendingExportIds}
          />
        ))}
      </section>

      <section className="section" aria-labelledby="removals-heading">
        <h2 id="removals-heading">Pending removals</h2>
        {removals.length === 0 ? (
          <p>Nobody is waiting to be removed from this audience.</p>
        ) : (
          <>
            <ul className="bullets">
              {REMOVAL_REASONS.map((reason) => {
                const n = removals.filter((r) => r.reason === reason).length;
                return n > 0 ? (
                  <li key={reason}>
                    {plural(n, 'person', 'people')} {REASONS[reason]}
                  </li>
                ) : null;
              })}
            </ul>
            {unwritten > 0 && can('audiences.export') ? (
              <button
                type="button"
                className="button button-primary"
                disabled={busy}
                onClick={() => void writeRemovals()}
              >
                {busy ? 'Writing the removal file…' : 'Write the removal file'}
              </button>
            ) : unwritten === 0 ? (
              <p>The removal file is written: download it above, upload it, then confirm it.</p>
            ) : null}
          </>
        )}
      </section>

      {can('audiences.manage') && audience.status !== 'retired' ? (
        <section className="section" aria-labelledby="retire-heading">
          <h2 id="retire-heading">Retire</h2>
          <p className="hint">
            A retired audience is kept with its exports and manifests, but no file is built from it again. Delete it on
            the platform yourself; removals already pending stay pending.
          </p>
          {retiring ? (
            <div className="confirm" role="group" aria-label="Confirm retiring">
              <p>Retire “{audience.name}”? This cannot be undone.</p>
              <button type="button" className="button button-danger" disabled={busy} onClick={() => void retire()}>
                Retire it
              </button>{' '}
              <button type="button" className="button button-secondary" onClick={() => setRetiring(false)}>
                Keep it
              </button>
            </div>
          ) : (
            <button type="button" className="button button-danger-outline" onClick={() => setRetiring(true)}>
              Retire this audience
            </button>
          )}
        </section>
      ) : null}
    </Page>
  );
}
