/**
 * People: search and filters (kept in the address, so a search can be bookmarked and the
 * back button works), a page of results at a time with Next and Previous, and a link to
 * each person's record.
 */
import { useEffect, useState, type FormEvent, type ReactNode } from 'react';
import { Link, useSearchParams } from 'react-router';
import { api, describeError, type PersonSummary, type Source } from '../api.js';
import { useCampaign } from '../campaign-context.js';
import { Art14Tag, personName } from '../components/people-ui.js';
import { ErrorNotice, Loading, Page } from '../components/page.js';
import { PagerButtons, TableRegion } from '../components/table-region.js';
import { sentence } from '../format.js';
import { CONSENT_CHANNELS, CONSENT_CHANNEL_LABELS } from '../../shared/labels.js';

const PAGE_SIZE = 50;
const FILTERS = ['q', 'tag', 'list', 'sourceId', 'consentChannel', 'consent', 'objection', 'art14'] as const;
type Filter = (typeof FILTERS)[number];

function FilterSelect({
  name,
  label,
  value,
  options,
}: {
  name: Filter;
  label: string;
  value: string;
  options: readonly { value: string; label: string }[];
}): ReactNode {
  return (
    <div className="field">
      <label htmlFor={`people-${name}`}>{label}</label>
      <select id={`people-${name}`} name={name} className="input input-medium" defaultValue={value}>
        <option value="">Any</option>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  );
}

export function PeoplePage(): ReactNode {
  const { campaign, can } = useCampaign();
  const [params, setParams] = useSearchParams();
  const [cursors, setCursors] = useState<(string | undefined)[]>([undefined]);
  const [result, setResult] = useState<{ people: PersonSummary[]; nextCursor: string | null } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [options, setOptions] = useState<{ tags: string[]; lists: string[]; sources: Source[] }>({
    tags: [],
    lists: [],
    sources: [],
  });
  const filters = Object.fromEntries(FILTERS.map((f) => [f, params.get(f) ?? ''])) as Record<Filter, string>;
  const key = params.toString();
  const cursor = cursors[cursors.length - 1];
  const filtered = FILTERS.some((f) => filters[f] !== '');

  useEffect(() => setCursors([undefined]), [key]);

  useEffect(() => {
    let live = true;
    setResult(null);
    api.people(campaign.id, { ...filters, limit: PAGE_SIZE, ...(cursor ? { after: cursor } : {}) }).then(
      (answer) => {
        if (!live) return;
        setResult(answer);
        setError(null);
      },
      (caught: unknown) => live && setError(sentence(describeError(caught))),
    );
    return () => {
      live = false;
    };
    // `filters` is derived from `key`.
  }, [campaign.id, key, cursor]);

  useEffect(() => {
    const canSources = can('sources.read');
    Promise.all([
      api.tags(campaign.id).catch(() => ({ tags: [] })),
      api.lists(campaign.id).catch(() => ({ lists: [] })),
      canSources ? api.sources(campaign.id).catch(() => ({ sources: [] })) : { sources: [] },
    ]).then(
      ([t, l, s]) =>
        setOptions({ tags: t.tags.map((x) => x.name), lists: l.lists.map((x) => x.name), sources: s.sources }),
      () => undefined,
    );
  }, [campaign.id, can]);

  const search = (event: FormEvent<HTMLFormElement>): void => {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const next = new URLSearchParams();
    for (const f of FILTERS) {
      const value = data.get(f);
      if (typeof value === 'string' && value.trim()) next.set(f, value.trim());
    }
    setParams(next);
  };

  const base = `/c/${campaign.id}`;
  const canImport = can('imports.run');

  return (
    <Page
      title="People"
      context={campaign.name}
      lead="The supporters and contacts your campaign holds. Open a person to see where each fact came from, their consents and any objection."
      actions={
        <>
          {can('people.write') ? (
            <Link className="button button-primary" to={`${base}/people/new`}>
              Add a person
            </Link>
          ) : null}
          {canImport ? (
            <Link className="button button-secondary" to={`${base}/imports/new`}>
              Import people
            </Link>
          ) : null}
          {can('objections.record') ? (
            <Link className="button button-secondary" to={`${base}/objections`}>
              Record an objection
            </Link>
          ) : null}
        </>
      }
    >
      <form key={key} className="panel filters" role="search" aria-label="People" onSubmit={search}>
        <div className="field">
          <label htmlFor="people-q">Search</label>
          <p className="hint" id="people-q-hint">
            An email address, a phone number, a postcode or the start of a name.
          </p>
          <input
            id="people-q"
            name="q"
            type="search"
            className="input input-full"
            defaultValue={filters.q}
            aria-describedby="people-q-hint"
          />
        </div>
        <details className="disclosure disclosure-small" open={filtered && filters.q === '' ? true : undefined}>
          <summary>Filters</summary>
          <div className="form-row disclosure-body">
            <FilterSelect
              name="tag"
              label="Tag"
              value={filters.tag}
              options={options.tags.map((t) => ({ value: t, label: t }))}
            />
            <FilterSelect
              name="list"
              label="List"
              value={filters.list}
              options={options.lists.map((t) => ({ value: t, label: t }))}
            />
            <FilterSelect
              name="sourceId"
              label="Source"
              value={filters.sourceId}
              options={options.sources.map((s) => ({ value: s.id, label: s.name }))}
            />
            <FilterSelect
              name="consentChannel"
              label="Consent channel"
              value={filters.consentChannel}
              options={CONSENT_CHANNELS.map((c) => ({ value: c, label: CONSENT_CHANNEL_LABELS[c] }))}
            />
            <FilterSelect
              name="consent"
              label="Consent state"
              value={filters.consent}
              options={[
                { value: 'granted', label: 'Granted' },
                { value: 'withdrawn', label: 'Withdrawn' },
                { value: 'none', label: 'None recorded' },
              ]}
            />
            <FilterSelect
              name="objection"
              label="Objection"
              value={filters.objection}
              options={[
                { value: 'objected', label: 'Objected' },
                { value: 'not_objected', label: 'Not objected' },
              ]}
            />
            <FilterSelect
              name="art14"
              label="Art 14 notice"
              value={filters.art14}
              options={[
                { value: 'overdue', label: 'Overdue (day 30 passed)' },
                { value: 'warning', label: 'Due within 9 days' },
                { value: 'open', label: 'Not yet sent' },
              ]}
            />
          </div>
        </details>
        <div className="form-actions">
          <button type="submit" className="button button-primary">
            Search
          </button>
          {filtered ? (
            <button type="button" className="button button-link" onClick={() => setParams(new URLSearchParams())}>
              Clear search and filters
            </button>
          ) : null}
        </div>
      </form>
      <ErrorNotice message={error} />
      <div role="status" aria-live="polite" className="status-region">
        {result && filtered ? (
          <p className="hint">
            {result.people.length === 0
              ? 'No one matches this search.'
              : `Showing ${result.people.length}${result.nextCursor ? ' (more on the next page)' : ''} matching people.`}
          </p>
        ) : null}
      </div>
      {!result && !error ? <Loading what="people" /> : null}
      {result && result.people.length === 0 && !filtered && cursors.length === 1 ? (
        <div className="empty-state">
          <p className="empty-state-title">No people yet.</p>
          <p>
            People arrive through imports: each file comes from a source that records where the data came from and the
            lawful basis for holding it.
          </p>
          {canImport ? (
            <p>
              <Link to={`${base}/imports/new`}>Import people from a CSV file</Link>
            </p>
          ) : (
            <p className="hint">Ask a data manager to import your first file.</p>
          )}
        </div>
      ) : null}
      {result && result.people.length > 0 ? (
        <TableRegion label="People table">
          <table className="table">
            <caption className="visually-hidden">People</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Email</th>
                <th scope="col">Phone</th>
                <th scope="col">Postcode</th>
                <th scope="col">Status</th>
              </tr>
            </thead>
            <tbody>
              {result.people.map((person) => (
                <tr key={person.id}>
                  <td>
                    <Link to={`${base}/people/${person.id}`}>{personName(person)}</Link>
                  </td>
                  <td>{person.email ?? '—'}</td>
                  <td className="nowrap">{person.phone ?? '—'}</td>
                  <td className="nowrap">{person.postcode ?? '—'}</td>
                  <td>
                    {person.objected ? <span className="tag tag-objected">Objected</span> : null}
                    {person.art14Status !== 'not_applicable' ? <Art14Tag status={person.art14Status} /> : null}
                    {!person.objected && person.art14Status === 'not_applicable' ? '—' : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableRegion>
      ) : null}
      {result && (cursors.length > 1 || result.nextCursor) ? (
        <nav className="pager" aria-label="People pages">
          <p className="pager-info">Page {cursors.length}</p>
          <PagerButtons
            cursors={cursors}
            setCursors={setCursors}
            next={result.nextCursor || null}
            back="Previous"
            on="Next"
          />
        </nav>
      ) : null}
    </Page>
  );
}
