/**
 * Audiences (issue 5): the list of a campaign's list-based audiences and lookalike seeds, the
 * builder (platform, kind, the processing activity it serves, the segment it is drawn from and
 * what to do with people never told about list matching), and the pending removals from live
 * audiences (DM-REMOVE-FROM-LIVE-AUDIENCES). One audience's preview, refusals, exports and
 * uploads are on its own page (audience.tsx).
 *
 * Pending removals are shown as counts per audience and reason only: the people behind them
 * are not named here.
 */
import { useCallback, useState, type FormEvent, type ReactNode } from 'react';
import { Link, useNavigate } from 'react-router';
import { api, describeError } from '../api.js';
import { audiencesApi } from '../audiences-api.js';
import { useCampaign } from '../campaign-context.js';
import {
  ChoiceGroup,
  ErrorSummary,
  Field,
  SelectField,
  SubmitButton,
  TextField,
  textOf,
  useForm,
  type FormState,
} from '../components/form.js';
import {
  AUDIENCE_FIELD_LABELS,
  AUDIENCE_KIND_LABELS,
  AudienceStatusTag,
  UNINFORMED_OPTIONS,
} from '../components/audience-ui.js';
import { ErrorNotice, ListState, Page, StatusMessage } from '../components/page.js';
import { AudienceFileExpiry, ConsentWordings } from '../components/audience-settings.js';
import { TableRegion } from '../components/table-region.js';
import { formatDateTime, plural, sentence } from '../format.js';
import { useLoad } from '../use-load.js';
import { governanceApi } from '../governance-api.js';
import {
  AUDIENCE_FIELD_NAMES,
  AUDIENCE_PLATFORMS,
  REMOVAL_REASONS,
  type AudienceCreateBody,
  type AudienceExportView,
  type AudienceKind,
  type AudienceView,
  type PendingRemovalView,
  type RemovalReason,
  type SegmentDefinitionBody,
} from '../../shared/audiences.js';
import { PLATFORM_LABELS } from '../../shared/governance.js';
import {
  CONSENT_CHANNELS,
  CONSENT_CHANNEL_LABELS,
  SPECIAL_CATEGORIES,
  SPECIAL_CATEGORY_LABELS,
} from '../../shared/labels.js';

const REASON_LABELS: Record<RemovalReason, string> = {
  objection: 'Objected',
  consent_withdrawn: 'Withdrew consent',
  erased: 'Erased',
};

function lastExportText(last: AudienceView['lastExport']): string {
  if (!last) return 'Never';
  return `${formatDateTime(last.createdAt)}${last.uploadedAt ? ', uploaded' : ', not uploaded yet'}`;
}

export function AudiencesPage(): ReactNode {
  const { campaign, can } = useCampaign();
  const { data: audiences, error } = useLoad(
    async () => (await audiencesApi.list(campaign.id)).audiences,
    [campaign.id],
  );
  const base = `/c/${campaign.id}/audiences`;
  const pending = audiences?.reduce((sum, a) => sum + a.pendingRemovals, 0) ?? 0;
  return (
    <Page
      title="Audiences"
      context={campaign.name}
      lead="Hashed customer lists for advertising platforms, and the seeds of lookalike audiences. Each is built from a saved segment for a purpose in the record of processing, and checked against the law before any file is written: objectors, people never told about list matching and people without the consent relied on are left out, counted by reason."
      actions={
        <>
          {can('audiences.manage') ? (
            <Link className="button button-primary" to={`${base}/new`}>
              Build an audience
            </Link>
          ) : null}
          <Link className="button button-secondary" to={`${base}/removals`}>
            Pending removals
          </Link>
        </>
      }
    >
      {pending > 0 ? (
        <div className="notice notice-warning">
          <p>
            {plural(pending, 'person is', 'people are')} waiting to be removed from live audiences
            (DM-REMOVE-FROM-LIVE-AUDIENCES). <Link to={`${base}/removals`}>Write the removal files</Link>
          </p>
        </div>
      ) : null}
      <ListState items={audiences} error={error} what="audiences" empty="No audiences yet.">
        <p>Build one from a tag, a list, a source, an attribute or a consent.</p>
      </ListState>
      {audiences && audiences.length > 0 ? (
        <TableRegion label="Audiences table">
          <table className="table">
            <caption className="visually-hidden">Audiences</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Platform</th>
                <th scope="col">Kind</th>
                <th scope="col">Status</th>
                <th scope="col">Last export</th>
                <th scope="col" className="num">
                  Pending removals
                </th>
              </tr>
            </thead>
            <tbody>
              {audiences.map((a) => (
                <tr key={a.id}>
                  <td>
                    <Link to={`${base}/${a.id}`}>{a.name}</Link>
                    {a.needsRebuild ? (
                      <span className="code-hint">
                        <span className="tag tag-finding-warn">Needs rebuild</span> {a.needsRebuildReason ?? ''}
                      </span>
                    ) : null}
                  </td>
                  <td>{PLATFORM_LABELS[a.platform]}</td>
                  <td>{AUDIENCE_KIND_LABELS[a.kind]}</td>
                  <td>
                    <AudienceStatusTag status={a.status} />
                  </td>
                  <td>{lastExportText(a.lastExport)}</td>
                  <td className="num">{a.pendingRemovals}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableRegion>
      ) : null}
      <AudienceFileExpiry />
      <ConsentWordings />
    </Page>
  );
}

// ---------------------------------------------------------------------------------------
// The builder
// ---------------------------------------------------------------------------------------

const FORM_FIELDS = [
  'name',
  'platform',
  'kind',
  'activityId',
  'seedAudienceId',
  'segmentId',
  'segmentName',
  'segment',
  'tags',
  'lists',
  'sources',
  'attributes',
  'consent',
  'consentPurpose',
  'uninformed',
  'fields',
  'fileExpiryDays',
] as const;

/** The builder's field for an API field path, e.g. segment.definition.tags.0 → tags. */
function fieldOf(path: string): string {
  const parts = path.split('.');
  if (parts[0] === 'segment') {
    if (parts[1] === 'name') return 'segmentName';
    if (parts[1] !== 'definition' || parts.length === 2) return 'segment';
    const key = parts[2]!;
    return key === 'tagMatch' ? 'tags' : key === 'listMatch' ? 'lists' : key;
  }
  return parts[0] ?? '';
}

/** An error of a group of controls (a fieldset), tied to it with aria-describedby. */
function GroupError({ form, name }: { form: FormState; name: string }): ReactNode {
  const error = form.errors.fields[name];
  if (!error) return null;
  return (
    <p className="field-error" id={`${form.fieldId(name)}-error`}>
      <span className="visually-hidden">Error: </span>
      {error}
    </p>
  );
}

const describedBy = (form: FormState, name: string, hint?: string): string | undefined =>
  [hint, form.errors.fields[name] ? `${form.fieldId(name)}-error` : undefined].filter(Boolean).join(' ') || undefined;

function definitionOf(data: FormData, attributeRows: readonly number[]): SegmentDefinitionBody {
  const ids = (name: string): string[] => data.getAll(name).filter((v): v is string => typeof v === 'string');
  const attributes = attributeRows.flatMap((row) => {
    const name = textOf(data, `attribute-${row}-name`);
    if (!name) return [];
    const values = textOf(data, `attribute-${row}-values`)
      .split(',')
      .map((v) => v.trim())
      .filter(Boolean);
    return [{ name, values }];
  });
  // Staff's declaration adds to what the names show; it never clears a category (SCD-TARGETING-EXPLICIT-CONSENT).
  const reveals = textOf(data, 'reveals') || null;
  const purpose = textOf(data, 'consent-purpose');
  const channel = textOf(data, 'consent-channel');
  const state = textOf(data, 'consent-state') === 'not_granted' ? 'not_granted' : 'granted';
  return {
    tags: ids('tags').map((id) => ({ id, specialCategory: reveals })),
    tagMatch: textOf(data, 'tagMatch') === 'all' ? 'all' : 'any',
    lists: ids('lists').map((id) => ({ id, specialCategory: reveals })),
    listMatch: textOf(data, 'listMatch') === 'all' ? 'all' : 'any',
    sources: ids('sources'),
    attributes,
    consent: purpose ? { purpose, channel, state } : null,
  };
}

export function AudienceBuilderPage(): ReactNode {
  const { campaign } = useCampaign();
  const navigate = useNavigate();
  const form = useForm('audience', fieldOf);
  const [kind, setKind] = useState<AudienceKind>('list');
  const [useSaved, setUseSaved] = useState(false);
  const [attributeRows, setAttributeRows] = useState<number[]>([0]);
  const c = campaign.id;
  const { data: choices, error } = useLoad(async () => {
    const [activities, tags, lists, sources, segments, audiences] = await Promise.all([
      governanceApi.activities(c, 'active'),
      api.tags(c),
      api.lists(c),
      api.sources(c),
      audiencesApi.segments(c),
      audiencesApi.list(c),
    ]);
    return {
      activities: activities.activities,
      tags: tags.tags.filter((t) => !t.archivedAt),
      lists: lists.lists.filter((l) => !l.archivedAt),
      sources: sources.sources.filter((s) => !s.archivedAt),
      segments: segments.segments,
      audiences: audiences.audiences.filter((a) => a.kind === 'list' && a.status !== 'retired'),
    };
  }, [c]);

  const submit = async (event: FormEvent<HTMLFormElement>): Promise<void> => {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const name = textOf(data, 'name');
    const activityId = textOf(data, 'activityId');
    const segmentId = textOf(data, 'segmentId');
    const issues = [
      ...(name ? [] : [{ field: 'name', message: 'Give the audience a name' }]),
      ...(activityId ? [] : [{ field: 'activityId', message: 'Choose the processing activity the audience serves' }]),
      ...(useSaved && !segmentId ? [{ field: 'segmentId', message: 'Choose a saved segment' }] : []),
    ];
    if (!form.check(issues)) return;
    const expiry = textOf(data, 'fileExpiryDays');
    const seed = textOf(data, 'seedAudienceId');
    const body: AudienceCreateBody = {
      name,
      platform: textOf(data, 'platform') as AudienceCreateBody['platform'],
      kind,
      activityId,
      ...(useSaved
        ? { segmentId }
        : {
            segment: {
              name: textOf(data, 'segmentName') || name,
              definition: definitionOf(data, attributeRows),
            },
          }),
      consentPurpose: textOf(data, 'consentPurpose'),
      electionAds: data.get('electionAds') !== null,
      uninformed: textOf(data, 'uninformed') === 'refuse' ? 'refuse' : 'exclude',
      fields: data.getAll('fields').filter((v): v is (typeof AUDIENCE_FIELD_NAMES)[number] => typeof v === 'string'),
      fileExpiryDays: expiry ? Number(expiry) : null,
      ...(kind === 'lookalike_seed' && seed ? { seedAudienceId: seed } : {}),
    };
    await form.run(async () => {
      const { audience } = await audiencesApi.create(c, body);
      void navigate(`/c/${c}/audiences/${audience.id}`);
    }, FORM_FIELDS);
  };

  const options = <T extends { id: string; name: string }>(items: readonly T[]) =>
    items.map((i) => ({ value: i.id, label: i.name }));

  return (
    <Page
      title="Build an audience"
      context={campaign.name}
      lead="Say who the audience is drawn from, for which platform and for which purpose. Saving it writes no file: the next page previews who would be uploaded, who would be left out and why, and whether the law allows the upload."
    >
      <p>
        <Link to={`/c/${c}/audiences`}>Back to audiences</Link>
      </p>
      <ErrorNotice message={error} />
      {choices ? (
        <form className="form" noValidate onSubmit={(e) => void submit(e)} aria-label="Audience builder">
          <ErrorSummary form={form} />
          <TextField form={form} name="name" label="Name of the audience" width="medium" autoComplete="off" />
          <SelectField
            form={form}
            name="platform"
            label="Platform"
            hint="LinkedIn and TikTok refuse political advertisers; Google does not allow customer lists for UK election adverts."
            options={AUDIENCE_PLATFORMS.map((p) => ({ value: p, label: PLATFORM_LABELS[p] }))}
            defaultValue="meta"
          />
          <fieldset className="fieldset choices">
            <legend>Kind</legend>
            {(['list', 'lookalike_seed'] as const).map((k) => (
              <div className="choice" key={k}>
                <input
                  type="radio"
                  id={`audience-kind-${k}`}
                  name="kind"
                  value={k}
                  checked={kind === k}
                  onChange={() => setKind(k)}
                />
                <label htmlFor={`audience-kind-${k}`}>
                  {k === 'list'
                    ? 'List-based audience (a customer list the platform matches to its users)'
                    : 'Lookalike seed (the platform finds people like those on the list)'}
                </label>
              </div>
            ))}
          </fieldset>
          {kind === 'lookalike_seed' ? (
            <SelectField
              form={form}
              name="seedAudienceId"
              label="Built from the audience"
              hint="Optional. When that audience loses someone, this seed is flagged for rebuild."
              options={[{ value: '', label: 'None: from the segment below' }, ...options(choices.audiences)]}
              defaultValue=""
            />
          ) : null}
          {choices.activities.length === 0 ? (
            <div className="notice notice-warning">
              <p>
                No processing activity is active. An audience serves a purpose recorded in the{' '}
                <Link to={`/c/${c}/record-of-processing`}>record of processing</Link>: activate one that lists custom or
                lookalike audiences first.
              </p>
            </div>
          ) : null}
          <SelectField
            form={form}
            name="activityId"
            label="Processing activity (the purpose, from the record of processing)"
            hint="Only active activities are listed. The activity must list custom audiences (or lookalike audiences for a seed)."
            options={choices.activities.map((a) => ({ value: a.id, label: a.name }))}
            placeholder="Choose an activity"
          />

          <fieldset
            className={form.errors.fields.segment ? 'fieldset field-invalid' : 'fieldset'}
            aria-describedby={describedBy(form, 'segment')}
          >
            <legend>Who is in it</legend>
            <GroupError form={form} name="segment" />
            {choices.segments.length > 0 ? (
              <div className="choice">
                <input
                  type="checkbox"
                  id="audience-useSaved"
                  checked={useSaved}
                  onChange={(e) => setUseSaved(e.target.checked)}
                />
                <label htmlFor="audience-useSaved">Use a saved segment</label>
              </div>
            ) : null}
            {useSaved ? (
              <SelectField
                form={form}
                name="segmentId"
                label="Saved segment"
                options={options(choices.segments)}
                placeholder="Choose a segment"
              />
            ) : (
              <NewSegment
                form={form}
                choices={choices}
                attributeRows={attributeRows}
                setAttributeRows={setAttributeRows}
              />
            )}
          </fieldset>

          <TextField
            form={form}
            name="consentPurpose"
            label="Consent purpose relied on"
            hint="For people whose data rests on consent: the purpose their consent must cover, e.g. campaign_updates. Anyone without standing consent for it and for list matching is left out (LB-CONSENT-EVIDENCE)."
            width="medium"
            autoComplete="off"
          />
          <ChoiceGroup
            form={form}
            name="uninformed"
            legend="People never given a privacy notice that explains list matching"
            hint="TR-LIST-MATCHING-DISCLOSED: people must have been told, clearly, that their details may be matched with a platform's users."
            type="radio"
            options={UNINFORMED_OPTIONS}
            defaultValue={['exclude']}
          />
          <ChoiceGroup
            form={form}
            name="fields"
            legend="Identifiers in the file"
            hint="None ticked: the platform's usual identifiers. Each is normalized and hashed as the platform requires; fewer is better (data minimisation)."
            type="checkbox"
            options={AUDIENCE_FIELD_NAMES.map((f) => ({ value: f, label: AUDIENCE_FIELD_LABELS[f] }))}
          />
          <div className="choices">
            <div className="choice">
              <input type="checkbox" id="audience-electionAds" name="electionAds" value="yes" defaultChecked />
              <label htmlFor="audience-electionAds">For election or political adverts</label>
            </div>
          </div>
          <TextField
            form={form}
            name="fileExpiryDays"
            label="Delete the files after (days)"
            hint="1 to 90. Empty: the campaign's setting (7 days unless changed). The manifest is kept."
            type="number"
            inputMode="numeric"
            optional
            width="short"
          />
          <div className="form-actions">
            <SubmitButton form={form}>{form.busy ? 'Saving…' : 'Save and preview'}</SubmitButton>
          </div>
        </form>
      ) : error ? null : (
        <p className="loading" role="status">
          Loading the campaign’s records…
        </p>
      )}
    </Page>
  );
}

interface Choices {
  tags: { id: string; name: string }[];
  lists: { id: string; name: string }[];
  sources: { id: string; name: string }[];
}

function NewSegment({
  form,
  choices,
  attributeRows,
  setAttributeRows,
}: {
  form: FormState;
  choices: Choices;
  attributeRows: number[];
  setAttributeRows(rows: number[]): void;
}): ReactNode {
  const match = (name: 'tagMatch' | 'listMatch', what: string): ReactNode => (
    <div className="choice">
      <input type="checkbox" id={`audience-${name}`} name={name} value="all" />
      <label htmlFor={`audience-${name}`}>People on every {what} ticked (otherwise: on any of them)</label>
    </div>
  );
  const group = (name: 'tags' | 'lists' | 'sources', legend: string, items: Choices['tags'], empty: string) =>
    items.length === 0 ? (
      <p className="hint">{empty}</p>
    ) : (
      <ChoiceGroup
        form={form}
        name={name}
        legend={legend}
        type="checkbox"
        options={items.map((i) => ({ value: i.id, label: i.name }))}
      />
    );
  const attributesError = describedBy(form, 'attributes');
  const consentError = describedBy(form, 'consent');
  return (
    <>
      <TextField
        form={form}
        name="segmentName"
        label="Save the segment as"
        hint="Empty: the audience's name."
        optional
        width="medium"
        autoComplete="off"
      />
      <p className="hint">The criteria combine: a person must meet each one given.</p>
      {group('tags', 'Tags', choices.tags, 'No tags yet.')}
      {choices.tags.length > 1 ? match('tagMatch', 'tag') : null}
      {group('lists', 'Lists', choices.lists, 'No lists yet.')}
      {choices.lists.length > 1 ? match('listMatch', 'list') : null}
      {choices.tags.length + choices.lists.length > 0 ? (
        <SelectField
          form={form}
          name="reveals"
          label="What the ticked tags and lists reveal about people"
          hint="A list of members, pledges or supporters reveals political opinion: targeting by it then needs each person's explicit consent (SCD-TARGETING-EXPLICIT-CONSENT). Canvass also reads it from their names."
          options={[
            { value: '', label: 'Nothing beyond what their names show' },
            ...SPECIAL_CATEGORIES.map((c) => ({ value: c, label: SPECIAL_CATEGORY_LABELS[c] })),
          ]}
          defaultValue=""
        />
      ) : null}
      {group('sources', 'Sources', choices.sources, 'No sources yet.')}
      <fieldset
        className={form.errors.fields.attributes ? 'fieldset field-invalid' : 'fieldset'}
        aria-describedby={attributesError}
      >
        <legend>Attributes</legend>
        <GroupError form={form} name="attributes" />
        {attributeRows.map((row, index) => (
          <div className="form-row" key={row}>
            <Field form={form} name={`attribute-${row}-name`} label={`Attribute ${index + 1}`} optional>
              {(control) => <input {...control} className="input input-medium" autoComplete="off" />}
            </Field>
            <Field
              form={form}
              name={`attribute-${row}-values`}
              label={`Values of attribute ${index + 1}`}
              hint="Separated by commas; empty: any value."
              optional
            >
              {(control) => <input {...control} className="input input-medium" autoComplete="off" />}
            </Field>
          </div>
        ))}
        <button
          type="button"
          className="button button-secondary button-small"
          onClick={() => setAttributeRows([...attributeRows, Math.max(...attributeRows) + 1])}
        >
          Add an attribute
        </button>
      </fieldset>
      <fieldset
        className={form.errors.fields.consent ? 'fieldset field-invalid' : 'fieldset'}
        aria-describedby={consentError}
      >
        <legend>Consent state</legend>
        <GroupError form={form} name="consent" />
        <div className="form-row">
          <Field form={form} name="consent-purpose" label="Consent purpose" hint="Empty: any consent state." optional>
            {(control) => <input {...control} className="input input-medium" autoComplete="off" />}
          </Field>
          <Field form={form} name="consent-channel" label="Channel">
            {(control) => (
              <select {...control} className="input input-medium" defaultValue="social_list_matching">
                {CONSENT_CHANNELS.map((ch) => (
                  <option key={ch} value={ch}>
                    {CONSENT_CHANNEL_LABELS[ch]}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field form={form} name="consent-state" label="State">
            {(control) => (
              <select {...control} className="input input-medium" defaultValue="granted">
                <option value="granted">Granted</option>
                <option value="not_granted">Not granted</option>
              </select>
            )}
          </Field>
        </div>
      </fieldset>
    </>
  );
}

// ---------------------------------------------------------------------------------------
// Pending removals
// ---------------------------------------------------------------------------------------

interface RemovalGroup {
  audienceId: string;
  audienceName: string;
  platform: PendingRemovalView['platform'];
  byReason: Record<RemovalReason, number>;
  total: number;
  /** The removal exports that carry some of them (written, not confirmed). */
  exportIds: string[];
}

/** Counts per audience and reason: no person is named. */
function groupRemovals(removals: readonly PendingRemovalView[]): RemovalGroup[] {
  const groups = new Map<string, RemovalGroup>();
  for (const r of removals) {
    const g = groups.get(r.audienceId) ?? {
      audienceId: r.audienceId,
      audienceName: r.audienceName,
      platform: r.platform,
      byReason: { objection: 0, consent_withdrawn: 0, erased: 0 },
      total: 0,
      exportIds: [],
    };
    g.byReason[r.reason] += 1;
    g.total += 1;
    if (r.removalExportId && !g.exportIds.includes(r.removalExportId)) g.exportIds.push(r.removalExportId);
    groups.set(r.audienceId, g);
  }
  return [...groups.values()];
}

export function AudienceRemovalsPage(): ReactNode {
  const { campaign, can } = useCampaign();
  const c = campaign.id;
  const [message, setMessage] = useState<string | null>(null);
  const [actionError, setActionError] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const fetchAll = useCallback(async () => {
    const groups = groupRemovals((await audiencesApi.removals(c)).removals);
    // The removal files written for each audience, for their download links.
    const files = new Map<string, AudienceExportView>();
    for (const g of groups.filter((x) => x.exportIds.length > 0)) {
      for (const e of (await audiencesApi.get(c, g.audienceId)).exports) {
        if (g.exportIds.includes(e.id)) files.set(e.id, e);
      }
    }
    return { groups, files };
  }, [c]);
  const { data, error, load } = useLoad(fetchAll, [fetchAll]);

  const act = async (key: string, action: () => Promise<string>): Promise<void> => {
    setBusy(key);
    setActionError(null);
    setMessage(null);
    try {
      setMessage(await action());
      await load();
    } catch (caught) {
      setActionError(sentence(describeError(caught)));
    } finally {
      setBusy(null);
    }
  };
  const writeFiles = () =>
    act('write', async () => {
      const result = await audiencesApi.exportRemovals(c);
      return `Removal files written for ${plural(result.exports.length, 'audience')} (${plural(result.removals, 'person', 'people')}). Download each, upload it to the platform, then confirm it here.`;
    });
  const confirm = (exportId: string) =>
    act(exportId, async () => {
      const result = await audiencesApi.confirmRemovals(c, exportId);
      return `${plural(result.confirmed, 'removal')} confirmed as uploaded.`;
    });

  const groups = data?.groups ?? null;
  return (
    <Page
      title="Pending removals"
      context={campaign.name}
      lead="People who objected, withdrew the consent an audience relied on, or were erased after being uploaded must be removed from every live audience they are in (UK GDPR Art 21(3); DM-REMOVE-FROM-LIVE-AUDIENCES). Write the platform's removal file, upload it to the platform, then confirm it here. Only counts are shown."
    >
      <p>
        <Link to={`/c/${c}/audiences`}>Back to audiences</Link>
      </p>
      <StatusMessage message={message} />
      <ErrorNotice message={actionError} />
      <ListState items={groups} error={error} what="pending removals" empty="Nothing is waiting to be removed.">
        <p>Every removal has been confirmed as uploaded.</p>
      </ListState>
      {groups && groups.length > 0 ? (
        <>
          <TableRegion label="Pending removals table">
            <table className="table">
              <caption className="visually-hidden">Pending removals by audience and reason</caption>
              <thead>
                <tr>
                  <th scope="col">Audience</th>
                  <th scope="col">Platform</th>
                  {REMOVAL_REASONS.map((r) => (
                    <th scope="col" className="num" key={r}>
                      {REASON_LABELS[r]}
                    </th>
                  ))}
                  <th scope="col" className="num">
                    People
                  </th>
                  <th scope="col">Removal file</th>
                </tr>
              </thead>
              <tbody>
                {groups.map((g) => (
                  <tr key={g.audienceId}>
                    <th scope="row">
                      <Link to={`/c/${c}/audiences/${g.audienceId}`}>{g.audienceName}</Link>
                    </th>
                    <td>{PLATFORM_LABELS[g.platform]}</td>
                    {REMOVAL_REASONS.map((r) => (
                      <td className="num" key={r}>
                        {g.byReason[r]}
                      </td>
                    ))}
                    <td className="num">{g.total}</td>
                    <td>
                      {g.exportIds.length === 0 ? 'Not written yet' : null}
                      {g.exportIds.map((id) => {
                        const exp = data?.files.get(id);
                        return (
                          <div key={id} className="row-actions">
                            {exp?.files.map((f) => (
                              <a key={f.name} href={audiencesApi.fileUrl(c, id, f.name)} download={f.name}>
                                Download {f.name}
                              </a>
                            ))}
                            {can('audiences.export') ? (
                              <button
                                type="button"
                                className="button button-secondary button-small"
                                disabled={busy !== null}
                                onClick={() => void confirm(id)}
                              >
                                {busy === id ? 'Confirming…' : `Confirm the upload to ${PLATFORM_LABELS[g.platform]}`}
                              </button>
                            ) : null}
                          </div>
                        );
                      })}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableRegion>
          {can('audiences.export') ? (
            <div className="form-actions" aria-busy={busy === 'write' || undefined}>
              <button
                type="button"
                className="button button-primary"
                disabled={busy !== null}
                onClick={() => void writeFiles()}
              >
                {busy === 'write' ? 'Writing the removal files…' : 'Write the removal files'}
              </button>
            </div>
          ) : (
            <p className="hint">A data manager or the owner writes the removal files.</p>
          )}
        </>
      ) : null}
    </Page>
  );
}
