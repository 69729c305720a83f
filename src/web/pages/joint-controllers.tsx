/**
 * Joint-controller arrangements (UK GDPR Art 26): one per platform and scope, with the
 * responsibility matrix — each responsibility given to the campaign, the platform or both —
 * its gaps highlighted, the review date, and the essence written for individuals. A new
 * arrangement starts from the platform's preset: its political-advertising eligibility and
 * what its standard terms do and do not cover, each fact with its source.
 */
import { useEffect, useState, type FormEvent, type ReactNode } from 'react';
import { Link, useLocation, useNavigate, useParams } from 'react-router';
import { ApiError, describeError } from '../api.js';
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
import { DecisionPanel, OutcomeTag, orNull } from '../components/governance-ui.js';
import { ErrorNotice, ListState, Loading, Page, StatusMessage } from '../components/page.js';
import { TableRegion } from '../components/table-region.js';
import { formatDate, sentence } from '../format.js';
import { governanceApi } from '../governance-api.js';
import { useLoad } from '../use-load.js';
import {
  JOINT_CONTROLLER_SCOPES,
  PARTIES,
  PARTY_LABELS,
  PLATFORMS,
  PLATFORM_LABELS,
  RESPONSIBILITIES,
  RESPONSIBILITY_HINTS,
  RESPONSIBILITY_LABELS,
  type AllocationView,
  type ArrangementView,
  type JointControllerScope,
  type Party,
  type Platform,
  type PlatformPresetView,
  type Responsibility,
} from '../../shared/governance.js';

const SCOPE_LABELS: Record<JointControllerScope, string> = {
  custom_audiences: 'Custom (list-based) audiences',
  lookalikes: 'Lookalike audiences',
  pixels_plugins: 'Pixels and social plugins',
  page_insights: 'Page insights',
};
const REVIEW_LABELS: Record<ArrangementView['review'], string> = {
  scheduled: 'Scheduled',
  overdue: 'Overdue',
  not_scheduled: 'No review date',
};
const isPlatform = (v: string): v is Platform => (PLATFORMS as readonly string[]).includes(v);
const isScope = (v: string): v is JointControllerScope => (JOINT_CONTROLLER_SCOPES as readonly string[]).includes(v);
const isParty = (v: string): v is Party => (PARTIES as readonly string[]).includes(v);

export function JointControllersPage(): ReactNode {
  const { campaign, can } = useCampaign();
  const { data, error } = useLoad(
    async () => (await governanceApi.arrangements(campaign.id)).arrangements,
    [campaign.id],
  );
  const base = `/c/${campaign.id}/joint-controllers`;
  return (
    <Page
      title="Joint controllers"
      context={campaign.name}
      lead="Custom audiences, lookalikes, pixels and page insights make the campaign a joint controller with the platform (UK GDPR Art 26). Each arrangement must give every responsibility to someone, with no gaps, and its essence must be available to individuals. What happens in practice counts, not the paper."
      actions={
        can('governance.manage') ? (
          <Link className="button button-primary" to={`${base}/new`}>
            Record an arrangement
          </Link>
        ) : null
      }
    >
      <ListState items={data} error={error} what="arrangements" empty="No joint-controller arrangements yet.">
        <p>Record one for each platform and each way you use it, starting from the platform’s preset.</p>
      </ListState>
      {data && data.length > 0 ? (
        <TableRegion label="Joint-controller arrangements table">
          <table className="table">
            <caption className="visually-hidden">Joint-controller arrangements</caption>
            <thead>
              <tr>
                <th scope="col">Platform and scope</th>
                <th scope="col">Gaps</th>
                <th scope="col">Review</th>
                <th scope="col">Rules</th>
                <th scope="col">Activities</th>
              </tr>
            </thead>
            <tbody>
              {data.map((a) => (
                <tr key={a.id} className={a.gaps.length > 0 ? 'row-invalid' : undefined}>
                  <th scope="row">
                    <Link to={`${base}/${a.id}`}>
                      {a.platformName} — {SCOPE_LABELS[a.scope]}
                    </Link>
                    {a.archivedAt ? <span className="tag tag-muted">Archived</span> : null}
                  </th>
                  <td>{a.gaps.length === 0 ? 'None' : a.gaps.map((g) => g.label).join(', ')}</td>
                  <td>
                    {REVIEW_LABELS[a.review]}
                    {a.reviewDueOn ? <span className="code-hint">{formatDate(a.reviewDueOn)}</span> : null}
                  </td>
                  <td>
                    <OutcomeTag outcome={a.decision.outcome} />
                  </td>
                  <td className="num">{a.activities.length}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableRegion>
      ) : null}
    </Page>
  );
}

function Sources({ sources }: { sources: readonly string[] }): ReactNode {
  return <p className="hint">Source: {sources.join('; ')}</p>;
}

/** What the preset says about a platform and scope. */
function PresetFacts({ preset, scope }: { preset: PlatformPresetView; scope: JointControllerScope }): ReactNode {
  const terms = preset.scopes[scope];
  const forbidden = preset.eligibility.forbiddenScopes.includes(scope);
  return (
    <section className="panel section" aria-labelledby="preset-heading">
      <h2 id="preset-heading">
        What Canvass knows about {preset.name} (preset {preset.version})
      </h2>
      <div className={`notice ${forbidden ? 'notice-error' : 'notice-info'}`}>
        <p>
          <strong>UK political advertising:</strong> {preset.eligibility.summary}
          {preset.eligibility.condition ? ` Needs: ${preset.eligibility.condition}.` : ''}
          {forbidden ? ' Political use of this scope is refused (ONL-PLATFORM-ELIGIBILITY).' : ''}
        </p>
        <Sources sources={preset.eligibility.sources} />
      </div>
      <p>
        <strong>
          {terms.covered === true
            ? 'The standard terms cover this scope.'
            : terms.covered === false
              ? 'The standard terms do not cover this scope.'
              : 'Not researched.'}
        </strong>{' '}
        {terms.coverage}
      </p>
      <Sources sources={terms.sources} />
    </section>
  );
}

function NewArrangement(): ReactNode {
  const { campaign } = useCampaign();
  const navigate = useNavigate();
  const form = useForm('arrangement');
  const { data: presets, error } = useLoad(async () => (await governanceApi.presets()).presets, []);
  const [platform, setPlatform] = useState<Platform | ''>('');
  const [scope, setScope] = useState<JointControllerScope | ''>('');
  const preset = presets?.find((p) => p.platform === platform) ?? null;

  const submit = async (event: FormEvent<HTMLFormElement>): Promise<void> => {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const ok = form.check([
      ...(platform ? [] : [{ field: 'platform', message: 'Choose the platform' }]),
      ...(scope ? [] : [{ field: 'scope', message: 'Choose what the arrangement covers' }]),
      ...(platform === 'other' && !textOf(data, 'platformName')
        ? [{ field: 'platformName', message: 'Name the platform' }]
        : []),
    ]);
    if (!ok || !platform || !scope) return;
    await form.run(async () => {
      const { arrangement } = await governanceApi.createArrangement(campaign.id, {
        platform,
        scope,
        ...(platform === 'other' ? { platformName: textOf(data, 'platformName') } : { fromPreset: true }),
      });
      void navigate(`/c/${campaign.id}/joint-controllers/${arrangement.id}`, { state: { created: true } });
    }, ['platform', 'scope', 'platformName']);
  };

  return (
    <Page
      title="Record a joint-controller arrangement"
      context={campaign.name}
      lead="Choose the platform and what you use it for. The preset fills in what the platform’s terms cover; you assign each responsibility."
    >
      <ErrorNotice message={error} />
      <form className="form" noValidate onSubmit={(e) => void submit(e)}>
        <ErrorSummary form={form} />
        <SelectField
          form={form}
          name="platform"
          label="Platform"
          placeholder="Choose a platform"
          options={PLATFORMS.map((p) => ({ value: p, label: PLATFORM_LABELS[p] }))}
          onChange={(v) => setPlatform(isPlatform(v) ? v : '')}
        />
        {platform === 'other' ? (
          <TextField form={form} name="platformName" label="Platform name" width="medium" />
        ) : null}
        <SelectField
          form={form}
          name="scope"
          label="What the arrangement covers"
          placeholder="Choose a scope"
          options={JOINT_CONTROLLER_SCOPES.map((s) => ({ value: s, label: SCOPE_LABELS[s] }))}
          onChange={(v) => setScope(isScope(v) ? v : '')}
        />
        {preset && scope ? <PresetFacts preset={preset} scope={scope} /> : null}
        <div className="form-actions">
          <SubmitButton form={form}>Record arrangement</SubmitButton>
        </div>
      </form>
    </Page>
  );
}

function ArrangementForm({
  arrangement,
  onSaved,
}: {
  arrangement: ArrangementView;
  onSaved(saved: ArrangementView): void;
}): ReactNode {
  const { campaign } = useCampaign();
  const form = useForm('arrangement');
  const [matrix, setMatrix] = useState<Record<Responsibility, AllocationView>>(arrangement.responsibilities);
  const gapOf = new Map(arrangement.gaps.map((g) => [g.item, g]));
  const set = (r: Responsibility, patch: Partial<AllocationView>): void =>
    setMatrix({ ...matrix, [r]: { ...matrix[r], ...patch } });

  const submit = async (event: FormEvent<HTMLFormElement>): Promise<void> => {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    await form.run(async () => {
      const { arrangement: saved } = await governanceApi.updateArrangement(campaign.id, arrangement.id, {
        ...(arrangement.platform === 'other' ? { platformName: textOf(data, 'platformName') } : {}),
        termsReference: orNull(textOf(data, 'termsReference')),
        responsibilities: matrix,
        essence: textOf(data, 'essence'),
        eligibilityConfirmation: orNull(textOf(data, 'eligibilityConfirmation')),
        reviewDueOn: orNull(textOf(data, 'reviewDueOn')),
        lastReviewedOn: orNull(textOf(data, 'lastReviewedOn')),
        notes: textOf(data, 'notes'),
      });
      onSaved(saved);
    }, [
      'platformName',
      'termsReference',
      'essence',
      'eligibilityConfirmation',
      'reviewDueOn',
      'lastReviewedOn',
      'notes',
    ]);
  };

  return (
    <form className="form" noValidate onSubmit={(e) => void submit(e)}>
      <ErrorSummary form={form} />
      {arrangement.platform === 'other' ? (
        <TextField
          form={form}
          name="platformName"
          label="Platform name"
          width="medium"
          defaultValue={arrangement.platformName}
        />
      ) : null}
      <TextAreaField
        form={form}
        name="termsReference"
        label="The platform’s terms relied on"
        optional
        defaultValue={arrangement.termsReference ?? ''}
      />
      <TableRegion label="Responsibility matrix">
        <table className="table">
          <caption>Who is responsible for what (Art 26(1))</caption>
          <thead>
            <tr>
              <th scope="col">Responsibility</th>
              <th scope="col">Given to</th>
              <th scope="col">How it is done in practice</th>
            </tr>
          </thead>
          <tbody>
            {RESPONSIBILITIES.map((r) => {
              const gap = gapOf.get(r);
              return (
                <tr key={r} className={gap ? 'row-invalid' : undefined}>
                  <th scope="row">
                    {RESPONSIBILITY_LABELS[r]}
                    <span className="code-hint">{RESPONSIBILITY_HINTS[r]}</span>
                    {gap ? (
                      <span className="tag tag-finding-refuse">
                        {gap.problem === 'unassigned' ? 'Unassigned' : 'Shared: say who does what'}
                      </span>
                    ) : null}
                  </th>
                  <td>
                    <label htmlFor={`party-${r}`} className="visually-hidden">
                      {RESPONSIBILITY_LABELS[r]}: given to
                    </label>
                    <select
                      id={`party-${r}`}
                      className="input input-short"
                      value={matrix[r].party ?? ''}
                      onChange={(e) => set(r, { party: isParty(e.target.value) ? e.target.value : null })}
                    >
                      <option value="">Unassigned</option>
                      {PARTIES.map((p) => (
                        <option key={p} value={p}>
                          {PARTY_LABELS[p]}
                        </option>
                      ))}
                    </select>
                  </td>
                  <td>
                    <label htmlFor={`note-${r}`} className="visually-hidden">
                      {RESPONSIBILITY_LABELS[r]}: how it is done
                    </label>
                    <textarea
                      id={`note-${r}`}
                      className="input input-full"
                      rows={2}
                      value={matrix[r].note}
                      onChange={(e) => set(r, { note: e.target.value })}
                    />
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </TableRegion>
      <TextAreaField
        form={form}
        name="essence"
        label="The essence of the arrangement, for individuals"
        hint="Plain words for the privacy notice (Art 26(2)): who does what, and that people can exercise their rights with either party."
        optional
        rows={5}
        defaultValue={arrangement.essence}
      />
      <TextAreaField
        form={form}
        name="eligibilityConfirmation"
        label="How the platform’s political-advertising condition is met"
        hint={
          arrangement.eligibility.condition ?? 'For example, the date the platform’s political-ads policy was checked.'
        }
        optional
        defaultValue={arrangement.eligibilityConfirmation ?? ''}
      />
      <div className="form-row">
        <TextField
          form={form}
          name="lastReviewedOn"
          label="Last reviewed on"
          type="date"
          width="short"
          optional
          defaultValue={arrangement.lastReviewedOn ?? ''}
        />
        <TextField
          form={form}
          name="reviewDueOn"
          label="Next review due"
          type="date"
          width="short"
          optional
          defaultValue={arrangement.reviewDueOn ?? ''}
        />
      </div>
      <TextAreaField form={form} name="notes" label="Notes" optional defaultValue={arrangement.notes} />
      <div className="form-actions">
        <SubmitButton form={form}>Save arrangement</SubmitButton>
      </div>
    </form>
  );
}

export function JointControllerPage(): ReactNode {
  const { campaign, can } = useCampaign();
  const { arrangementId } = useParams();
  const location = useLocation();
  const [arrangement, setArrangement] = useState<ArrangementView | null>(null);
  const [presets, setPresets] = useState<PlatformPresetView[] | null>(null);
  const [error, setError] = useState<{ message: string; missing: boolean } | null>(null);
  const [actionError, setActionError] = useState<string | null>(null);
  const [status, setStatus] = useState<string | null>(
    (location.state as { created?: boolean } | null)?.created
      ? 'Arrangement recorded: assign each responsibility.'
      : null,
  );
  const base = `/c/${campaign.id}/joint-controllers`;

  useEffect(() => {
    if (arrangementId === undefined) return;
    const fail = (caught: unknown): void =>
      setError({
        message: sentence(describeError(caught)),
        missing: caught instanceof ApiError && caught.status === 404,
      });
    governanceApi.arrangement(campaign.id, arrangementId).then((a) => setArrangement(a.arrangement), fail);
    governanceApi.presets().then((p) => setPresets(p.presets), fail);
  }, [campaign.id, arrangementId]);

  if (arrangementId === undefined) return <NewArrangement />;
  if (error) {
    return (
      <Page title={error.missing ? 'Arrangement not found' : 'Arrangement could not be loaded'} context={campaign.name}>
        <ErrorNotice message={error.missing ? null : error.message} />
        <p>
          <Link to={base}>Back to joint controllers</Link>
        </p>
      </Page>
    );
  }
  if (!arrangement || !presets) return <Loading what="the arrangement" />;
  const preset = presets.find((p) => p.platform === arrangement.platform) ?? null;
  const manage = can('governance.manage');

  const archive = async (archived: boolean): Promise<void> => {
    setActionError(null);
    try {
      setArrangement((await governanceApi.updateArrangement(campaign.id, arrangement.id, { archived })).arrangement);
      setStatus(archived ? 'Arrangement archived.' : 'Arrangement restored.');
    } catch (caught) {
      setActionError(sentence(describeError(caught)));
    }
  };

  return (
    <Page
      title={`${arrangement.platformName} — ${SCOPE_LABELS[arrangement.scope]}`}
      context={campaign.name}
      lead={`Review: ${REVIEW_LABELS[arrangement.review]}${arrangement.reviewDueOn ? ` (${formatDate(arrangement.reviewDueOn)})` : ''}`}
      actions={
        manage ? (
          <button
            type="button"
            className="button button-secondary"
            onClick={() => void archive(!arrangement.archivedAt)}
          >
            {arrangement.archivedAt ? 'Restore' : 'Archive'}
          </button>
        ) : null
      }
    >
      <StatusMessage message={status} />
      <ErrorNotice message={actionError} />
      <p>
        <Link to={base}>Back to joint controllers</Link>
      </p>
      {arrangement.presetOutdated ? (
        <p className="notice notice-warning">
          This arrangement started from an older version of the {arrangement.platformName} preset (
          {arrangement.presetVersion}
          ): the facts below are the current ones; check that the arrangement still matches them.
        </p>
      ) : null}
      <DecisionPanel
        title="May activities rely on it?"
        decision={arrangement.decision}
        allowText="Every responsibility is assigned, its essence is written, and its review is scheduled."
      />
      {preset ? <PresetFacts preset={preset} scope={arrangement.scope} /> : null}
      {manage ? (
        <ArrangementForm
          key={arrangement.updatedAt}
          arrangement={arrangement}
          onSaved={(saved) => {
            setArrangement(saved);
            setStatus(saved.gaps.length === 0 ? 'Arrangement saved: no gaps.' : 'Arrangement saved.');
          }}
        />
      ) : (
        <ul className="bullets">
          {RESPONSIBILITIES.map((r) => {
            const party = arrangement.responsibilities[r].party;
            return (
              <li key={r}>
                {RESPONSIBILITY_LABELS[r]}: {party ? PARTY_LABELS[party] : <strong>unassigned</strong>}
              </li>
            );
          })}
        </ul>
      )}
    </Page>
  );
}
