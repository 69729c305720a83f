/**
 * DPIAs (UK GDPR Art 35): the list, with what each needs next, and the screening form that
 * says whether processing needs a DPIA — every reason with its citation — and starts one.
 */
import { useState, type FormEvent, type ReactNode } from 'react';
import { Link, useNavigate } from 'react-router';
import { useCampaign } from '../campaign-context.js';
import { LevelTag, ReviewTag, ScreeningResultView, StatusTag } from '../components/dpia-ui.js';
import { ErrorSummary, SelectField, SubmitButton, TextField, textOf, useForm } from '../components/form.js';
import { ListState, Page, StatusMessage } from '../components/page.js';
import { TableRegion } from '../components/table-region.js';
import { dpiaApi, type ScreeningInput } from '../dpia-api.js';
import { formatDate } from '../format.js';
import { useLoad } from '../use-load.js';
import {
  ACTIVITY_KINDS,
  ACTIVITY_KIND_LABELS,
  SCREENING_FACT_KEYS,
  SCREENING_FACT_QUESTIONS,
  type ActivityKind,
  type Screening,
  type ScreeningFactKey,
} from '../../shared/dpia.js';
import { SPECIAL_CATEGORIES, SPECIAL_CATEGORY_LABELS, type SpecialCategory } from '../../shared/labels.js';

export function DpiasPage(): ReactNode {
  const { campaign, can } = useCampaign();
  const { data: dpias, error } = useLoad(async () => (await dpiaApi.list(campaign.id)).dpias, [campaign.id]);
  const base = `/c/${campaign.id}/dpias`;
  return (
    <Page
      title="Data protection impact assessments"
      context={campaign.name}
      lead="Processing likely to result in a high risk to people needs a DPIA before it starts (UK GDPR Art 35). Screen an activity to find out, then work through the ICO's seven steps; an approved DPIA unlocks the activities linked to it until its review date."
      actions={
        <Link className="button button-primary" to={`${base}/screen`}>
          {can('dpias.write') ? 'Screen an activity or start a DPIA' : 'Screen an activity'}
        </Link>
      }
    >
      <ListState items={dpias} error={error} what="DPIAs" empty="No DPIAs yet.">
        <p>Screen an activity — a list-based audience, a pixel, support scoring — to see whether it needs one.</p>
      </ListState>
      {dpias && dpias.length > 0 ? (
        <TableRegion label="DPIAs table">
          <table className="table">
            <caption className="visually-hidden">DPIAs</caption>
            <thead>
              <tr>
                <th scope="col">Title</th>
                <th scope="col">Newest version</th>
                <th scope="col">In force</th>
                <th scope="col">Highest risk after measures</th>
                <th scope="col">Action plan</th>
              </tr>
            </thead>
            <tbody>
              {dpias.map((d) => (
                <tr key={d.id}>
                  <td>
                    <Link to={`${base}/${d.id}`}>{d.title}</Link>
                    {d.screeningRequired ? null : (
                      <span className="code-hint">Not legally required (good practice)</span>
                    )}
                  </td>
                  <td className="nowrap">
                    v{d.latestVersion} <StatusTag status={d.latestStatus} />
                  </td>
                  <td>
                    {d.inForce ? (
                      <>
                        Version {d.inForce.version}, review by {formatDate(d.inForce.reviewDate)}{' '}
                        <ReviewTag state={d.inForce.reviewState} />
                      </>
                    ) : (
                      'No approval'
                    )}
                  </td>
                  <td>
                    <LevelTag level={d.highestResidualLevel} />
                  </td>
                  <td>
                    {d.openActions === 0 ? 'Nothing open' : `${d.openActions} open`}
                    {d.overdueActions > 0 ? <span className="tag tag-failed">{d.overdueActions} overdue</span> : null}
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

const isKind = (value: string): value is ActivityKind => (ACTIVITY_KINDS as readonly string[]).includes(value);

export function DpiaScreenPage(): ReactNode {
  const { campaign, can } = useCampaign();
  const navigate = useNavigate();
  const form = useForm('screen');
  const startForm = useForm('start');
  const [kind, setKind] = useState<ActivityKind>('custom_audience');
  /** Answers the user gave; anything else follows from the activity. */
  const [answers, setAnswers] = useState<Partial<Record<ScreeningFactKey, boolean>>>({});
  const [categories, setCategories] = useState<SpecialCategory[] | null>(null);
  const [screening, setScreening] = useState<Screening | null>(null);
  const [input, setInput] = useState<ScreeningInput | null>(null);

  const inputOf = (data: FormData): ScreeningInput => {
    const platform = textOf(data, 'platform');
    const facts = { ...answers, ...(categories ? { specialCategories: categories } : {}) };
    return {
      activity: {
        kind,
        platform: platform || null,
        ...(data.get('listNotPolitical') ? { listRevealsPoliticalOpinion: false } : {}),
      },
      ...(Object.keys(facts).length > 0 ? { facts } : {}),
    };
  };

  const submit = async (event: FormEvent<HTMLFormElement>): Promise<void> => {
    event.preventDefault();
    const next = inputOf(new FormData(event.currentTarget));
    await form.run(async () => {
      setScreening((await dpiaApi.screen(campaign.id, next)).screening);
      setInput(next);
    });
  };

  const start = async (event: FormEvent<HTMLFormElement>): Promise<void> => {
    event.preventDefault();
    if (!input) return;
    const data = new FormData(event.currentTarget);
    const title = textOf(data, 'title');
    const activityId = textOf(data, 'activityId');
    if (!startForm.check(title ? [] : [{ field: 'title', message: 'Give the DPIA a title' }])) return;
    await startForm.run(async () => {
      const created = await dpiaApi.create(campaign.id, { title, activityId: activityId || null, screening: input });
      void navigate(`/c/${campaign.id}/dpias/${created.dpia.id}`);
    }, ['title', 'activityId']);
  };

  const fact = (key: ScreeningFactKey): boolean => answers[key] ?? screening?.facts[key] ?? false;
  const category = (c: SpecialCategory): boolean =>
    (categories ?? screening?.facts.specialCategories ?? []).includes(c);

  return (
    <Page
      title="Screen for a DPIA"
      context={campaign.name}
      lead="Describe the activity. Canvass works out the facts that follow from it and checks them against Art 35(3), the ICO's list of high-risk processing and the ICO's guidance on political campaigning online. Correct any answer and screen again."
    >
      <p>
        <Link to={`/c/${campaign.id}/dpias`}>Back to DPIAs</Link>
      </p>
      <form className="form" noValidate onSubmit={(e) => void submit(e)}>
        <ErrorSummary form={form} />
        <SelectField
          form={form}
          name="activity.kind"
          label="What is the activity?"
          options={ACTIVITY_KINDS.map((k) => ({ value: k, label: ACTIVITY_KIND_LABELS[k] }))}
          defaultValue={kind}
          onChange={(value) => {
            if (isKind(value)) setKind(value);
            setAnswers({});
            setCategories(null);
            setScreening(null);
          }}
        />
        <TextField
          form={form}
          name="platform"
          label="Platform"
          hint="For example Meta, Google or X."
          optional
          width="medium"
        />
        <div className="choices">
          <div className="choice">
            <input type="checkbox" id="screen-listNotPolitical" name="listNotPolitical" value="yes" />
            <label htmlFor="screen-listNotPolitical">
              The list is not made of supporters, members, pledges or donors (it does not reveal political opinions)
            </label>
          </div>
        </div>
        {screening ? (
          <fieldset className="fieldset choices">
            <legend>The answers screened (change any that are wrong)</legend>
            {SCREENING_FACT_KEYS.map((key) => (
              <div className="choice" key={key}>
                <input
                  type="checkbox"
                  id={`fact-${key}`}
                  checked={fact(key)}
                  onChange={(e) => setAnswers((a) => ({ ...a, [key]: e.target.checked }))}
                />
                <label htmlFor={`fact-${key}`}>{SCREENING_FACT_QUESTIONS[key]}</label>
              </div>
            ))}
            <fieldset className="fieldset choices">
              <legend>Special category data involved, collected or inferred</legend>
              {SPECIAL_CATEGORIES.map((c) => (
                <div className="choice" key={c}>
                  <input
                    type="checkbox"
                    id={`category-${c}`}
                    checked={category(c)}
                    onChange={(e) => {
                      const current = categories ?? screening.facts.specialCategories;
                      setCategories(e.target.checked ? [...current, c] : current.filter((x) => x !== c));
                    }}
                  />
                  <label htmlFor={`category-${c}`}>{SPECIAL_CATEGORY_LABELS[c]}</label>
                </div>
              ))}
            </fieldset>
          </fieldset>
        ) : null}
        <div className="form-actions">
          <SubmitButton form={form}>{screening ? 'Screen again' : 'Screen'}</SubmitButton>
        </div>
      </form>
      <StatusMessage
        message={
          screening
            ? `Screened: ${screening.result.required ? `a DPIA is required (${screening.result.reasons.length} reason${screening.result.reasons.length === 1 ? '' : 's'})` : 'a DPIA is not required'}.`
            : null
        }
      />
      {screening ? <ScreeningResultView screening={screening} /> : null}
      {screening && can('dpias.write') ? (
        <section className="panel" aria-labelledby="start-heading">
          <h2 id="start-heading">Start a DPIA from this screening</h2>
          <p>The screening is kept as step 1. You can link the DPIA to a processing activity now or later.</p>
          <form className="form" noValidate onSubmit={(e) => void start(e)}>
            <ErrorSummary form={startForm} />
            <TextField
              form={startForm}
              name="title"
              label="Title"
              hint="For example: Supporters audience on Meta, 2027 election."
            />
            <TextField
              form={startForm}
              name="activityId"
              label="Processing activity id"
              hint="The id of the activity in the record of processing this DPIA covers."
              optional
              width="medium"
            />
            <div className="form-actions">
              <SubmitButton form={startForm}>Start the DPIA</SubmitButton>
            </div>
          </form>
        </section>
      ) : null}
    </Page>
  );
}
