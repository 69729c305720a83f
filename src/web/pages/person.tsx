/**
 * One person: every value held with its provenance, tags and lists (each with its provenance,
 * added and removed here), sources, the consent ledger (current state and full history with
 * the wording), objections, the Art 14 notice, and the staff actions the member's role allows.
 */
import { NOTICE_DELIVERY_METHOD_LABELS } from '../../shared/privacy-notice.js';
import { useCallback, useEffect, useState, type ReactNode } from 'react';
import { Link, useLocation, useParams } from 'react-router';
import { api, ApiError, describeError, type PersonDetail, type Provenance as ProvenanceView } from '../api.js';
import { useCampaign } from '../campaign-context.js';
import { ErrorNotice, Loading, Page, StatusMessage } from '../components/page.js';
import { Art14Tag, fieldLabel, personName, Time } from '../components/people-ui.js';
import { Memberships } from '../components/memberships.js';
import { ConsentForm, EraseAction, NoticeForm, ObjectionForm } from '../components/person-actions.js';
import { TableRegion } from '../components/table-region.js';
import { formatDate, sentence } from '../format.js';
import {
  CONSENT_CHANNEL_LABELS,
  DATA_KIND_LABELS,
  LAWFUL_BASIS_LABELS,
  SOURCE_TYPE_LABELS,
  SPECIAL_CATEGORY_LABELS,
} from '../../shared/labels.js';

function label<K extends string>(labels: Record<K, string>, value: string | null | undefined): string {
  if (!value) return '—';
  return (labels as Record<string, string>)[value] ?? value;
}

function Provenance({ provenance: p, base }: { provenance: ProvenanceView; base: string }): ReactNode {
  return (
    <>
      <td>{label(DATA_KIND_LABELS, p.kind)}</td>
      <td>
        {p.sourceId && p.sourceName ? (
          <Link to={`${base}/sources/${p.sourceId}`}>{p.sourceName}</Link>
        ) : (
          (p.sourceName ?? '—')
        )}
        {p.sourceType ? <span className="code-hint">{label(SOURCE_TYPE_LABELS, p.sourceType)}</span> : null}
      </td>
      <td>{label(LAWFUL_BASIS_LABELS, p.lawfulBasis)}</td>
      <td className="nowrap">
        <Time iso={p.collectedAt} />
      </td>
      <td className="nowrap">
        <Time iso={p.recordedAt} />
      </td>
    </>
  );
}

function Facts({ person, base }: { person: PersonDetail; base: string }): ReactNode {
  if (person.facts.length === 0) return <p className="empty">No values are held.</p>;
  return (
    <TableRegion label="Values and their provenance">
      <table className="table">
        <caption className="visually-hidden">Every value held, with where it came from</caption>
        <thead>
          <tr>
            <th scope="col">Field</th>
            <th scope="col">Value</th>
            <th scope="col">Kind</th>
            <th scope="col">Source</th>
            <th scope="col">Lawful basis</th>
            <th scope="col">Collected</th>
            <th scope="col">Recorded</th>
          </tr>
        </thead>
        <tbody>
          {person.facts.map((fact, index) => (
            <tr key={`${fact.field}-${index}`}>
              <th scope="row">{fieldLabel(fact.field)}</th>
              <td>
                {fact.value}
                {fact.specialCategory ? (
                  <span className="tag tag-special">
                    Special category: {label(SPECIAL_CATEGORY_LABELS, fact.specialCategory)}
                  </span>
                ) : null}
              </td>
              {fact.provenance ? (
                <Provenance provenance={fact.provenance} base={base} />
              ) : (
                <td colSpan={5}>No provenance recorded</td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </TableRegion>
  );
}

function Consent({ person }: { person: PersonDetail }): ReactNode {
  const { current, history } = person.consent;
  return (
    <>
      <h3>Current state</h3>
      {current.length === 0 ? (
        <p className="empty">No consent has been recorded.</p>
      ) : (
        <TableRegion label="Current consent">
          <table className="table">
            <caption className="visually-hidden">Current consent by purpose and channel</caption>
            <thead>
              <tr>
                <th scope="col">Purpose</th>
                <th scope="col">Channel</th>
                <th scope="col">State</th>
                <th scope="col">Since</th>
              </tr>
            </thead>
            <tbody>
              {current.map((c) => (
                <tr key={`${c.purpose}-${c.channel}`}>
                  <td>{c.purpose}</td>
                  <td>{label(CONSENT_CHANNEL_LABELS, c.channel)}</td>
                  <td>
                    <span className={c.granted ? 'tag tag-completed' : 'tag tag-cancelled'}>
                      {c.granted ? 'Granted' : 'Withdrawn'}
                    </span>
                  </td>
                  <td className="nowrap">
                    <Time iso={c.occurredAt} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableRegion>
      )}
      <h3>History</h3>
      {history.length === 0 ? (
        <p className="empty">The consent ledger has no records for this person.</p>
      ) : (
        <TableRegion label="Consent history">
          <table className="table">
            <caption className="visually-hidden">Every consent record, as recorded; nothing is rewritten</caption>
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Action</th>
                <th scope="col">Purpose and channel</th>
                <th scope="col">Method</th>
                <th scope="col">Wording</th>
              </tr>
            </thead>
            <tbody>
              {history.map((h) => (
                <tr key={h.recordId}>
                  <td className="nowrap">
                    <Time iso={h.occurredAt} />
                    <span className="code-hint">
                      Recorded <Time iso={h.recordedAt} />
                    </span>
                  </td>
                  <td>{h.action === 'granted' ? 'Granted' : 'Withdrawn'}</td>
                  <td>
                    {h.purpose}
                    <span className="code-hint">{label(CONSENT_CHANNEL_LABELS, h.channel)}</span>
                  </td>
                  <td>{h.method}</td>
                  <td>
                    {h.wording ? (
                      <details className="disclosure-small">
                        <summary>Version {h.wordingVersion ?? '—'}</summary>
                        <p className="preserve-lines wording">{h.wording}</p>
                        {h.wordingHash ? <span className="code-hint">SHA-256 {h.wordingHash}</span> : null}
                      </details>
                    ) : (
                      '—'
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableRegion>
      )}
    </>
  );
}

export function PersonPage(): ReactNode {
  const { campaign, can } = useCampaign();
  const { personId = '' } = useParams();
  const [person, setPerson] = useState<PersonDetail | null>(null);
  const [error, setError] = useState<{ message: string; missing: boolean } | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const [erased, setErased] = useState<string | null>(null);
  const base = `/c/${campaign.id}`;
  // Arriving from "Add a person" (src/web/pages/person-new.tsx).
  const created = (useLocation().state as { created?: boolean } | null)?.created === true;
  useEffect(() => {
    if (created) setStatus('Person added.');
  }, [created]);

  const load = useCallback(async () => {
    try {
      setPerson((await api.person(campaign.id, personId)).person);
      setError(null);
    } catch (caught) {
      setError({
        message: sentence(describeError(caught)),
        missing: caught instanceof ApiError && caught.status === 404,
      });
    }
  }, [campaign.id, personId]);

  useEffect(() => {
    void load();
  }, [load]);

  const done = async (message: string): Promise<void> => {
    setStatus(message);
    await load();
  };

  if (erased !== null) {
    return (
      <Page title="Person erased" context={campaign.name}>
        <div role="status" className="notice notice-success">
          <p>{erased}</p>
        </div>
        <p>
          <Link to={`${base}/people`}>Back to people</Link>
        </p>
      </Page>
    );
  }
  if (error) {
    return (
      <Page title={error.missing ? 'Person not found' : 'Person could not be loaded'} context={campaign.name}>
        {error.missing ? <p>There is no such person in this campaign; they may have been erased.</p> : null}
        <ErrorNotice message={error.missing ? null : error.message} />
        <p>
          <Link to={`${base}/people`}>Back to people</Link>
        </p>
      </Page>
    );
  }
  if (!person) return <Loading what="the person" />;

  const name = personName(person);
  const summary = [person.email, person.phone, person.postcode].filter(Boolean).join(' · ');

  return (
    <Page title={name} context={campaign.name} lead={summary || undefined}>
      <StatusMessage message={status} />
      <p>
        <Link to={`${base}/people`}>Back to people</Link>
      </p>
      {person.objected ? (
        <div className="notice notice-error">
          <p>
            <strong>
              Objected to direct marketing{person.objectedAt ? ` on ${formatDate(person.objectedAt)}` : ''}.
            </strong>{' '}
            This person is excluded from every channel, audience upload, lookalike seed and profiling, and stays
            suppressed even if their record is erased.
          </p>
        </div>
      ) : null}

      <section className="section" aria-labelledby="identifiers-heading">
        <h2 id="identifiers-heading">Identifiers</h2>
        {person.identifiers.length === 0 ? (
          <p className="empty">No email address or phone number is held.</p>
        ) : (
          <ul className="bullets">
            {person.identifiers.map((identifier) => (
              <li key={`${identifier.kind}-${identifier.value}`}>
                {identifier.kind === 'email' ? 'Email' : identifier.kind === 'phone' ? 'Phone' : identifier.kind}:{' '}
                {identifier.value}
                {identifier.primary ? <span className="tag tag-muted">Primary</span> : null}
              </li>
            ))}
          </ul>
        )}
      </section>

      <section className="section" aria-labelledby="facts-heading">
        <h2 id="facts-heading">Values and where they came from</h2>
        <Facts person={person} base={base} />
      </section>

      <div className="grid-3">
        <section className="panel" aria-labelledby="sources-heading">
          <h2 id="sources-heading">Sources</h2>
          {person.sources.length === 0 ? (
            <p className="empty">No source is recorded.</p>
          ) : (
            <ul className="bullets">
              {person.sources.map((source) => (
                <li key={source.id}>
                  <Link to={`${base}/sources/${source.id}`}>{source.name}</Link> (
                  {label(SOURCE_TYPE_LABELS, source.type)}){source.first ? ', first source' : ''}
                </li>
              ))}
            </ul>
          )}
        </section>
        <section className="panel" aria-labelledby="tags-heading">
          <h2 id="tags-heading">Tags</h2>
          <Memberships kind="tag" personId={person.id} items={person.tags} onDone={done} />
        </section>
        <section className="panel" aria-labelledby="lists-heading">
          <h2 id="lists-heading">Lists</h2>
          <Memberships kind="list" personId={person.id} items={person.lists} onDone={done} />
        </section>
      </div>

      <section className="section" aria-labelledby="art14-heading">
        <h2 id="art14-heading">Privacy notice (UK GDPR Art 14)</h2>
        {person.art14.status === 'not_applicable' ? (
          <p>Not needed: this person gave us their data themselves, so they were told at the time.</p>
        ) : (
          <>
            <p>
              <Art14Tag status={person.art14.status} />{' '}
              {person.art14.notifiedAt ? (
                <>
                  Sent <Time iso={person.art14.notifiedAt} />.
                </>
              ) : (
                <>
                  This person&apos;s data came from a third party: they must be sent the privacy notice by{' '}
                  <Time iso={person.art14.dueAt} />.
                </>
              )}
            </p>
            {person.art14.status !== 'notified' && can('people.write') ? (
              <NoticeForm personId={person.id} onDone={done} />
            ) : null}
          </>
        )}
        {person.noticeDeliveries.length > 0 ? (
          <>
            <h3>Versions of the privacy notice given</h3>
            <ul>
              {person.noticeDeliveries.map((d) => (
                <li key={d.id}>
                  Version {d.version} ({d.language === 'cy' ? 'Welsh' : 'English'}),{' '}
                  {NOTICE_DELIVERY_METHOD_LABELS[d.method]}, <Time iso={d.deliveredAt} />
                  {d.note ? ` — ${d.note}` : ''}
                </li>
              ))}
            </ul>
          </>
        ) : null}
      </section>

      <section className="section" aria-labelledby="consent-heading">
        <h2 id="consent-heading">Consent</h2>
        <Consent person={person} />
        {can('consent.record') ? (
          <div>
            <details className="panel disclosure-panel">
              <summary>Record consent</summary>
              <ConsentForm action="granted" personId={person.id} onDone={done} />
            </details>
            <details className="panel disclosure-panel">
              <summary>Record a withdrawal of consent</summary>
              <ConsentForm action="withdrawn" personId={person.id} onDone={done} />
            </details>
          </div>
        ) : null}
      </section>

      <section className="section" aria-labelledby="objections-heading">
        <h2 id="objections-heading">Objections</h2>
        {person.objections.length === 0 ? (
          <p className="empty">No objection has been recorded.</p>
        ) : (
          <TableRegion label="Objections table">
            <table className="table">
              <caption className="visually-hidden">Objections to direct marketing</caption>
              <thead>
                <tr>
                  <th scope="col">Received</th>
                  <th scope="col">Method</th>
                  <th scope="col">Note</th>
                  <th scope="col">Recorded</th>
                </tr>
              </thead>
              <tbody>
                {person.objections.map((o) => (
                  <tr key={o.id}>
                    <td className="nowrap">
                      <Time iso={o.receivedAt} />
                    </td>
                    <td>{o.method}</td>
                    <td>{o.note ?? '—'}</td>
                    <td className="nowrap">
                      <Time iso={o.recordedAt} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableRegion>
        )}
        {can('objections.record') && !person.objected ? (
          <details className="panel disclosure-panel">
            <summary>Record an objection</summary>
            <ObjectionForm personId={person.id} onDone={done} />
          </details>
        ) : null}
      </section>

      {can('people.erase') ? (
        <section className="section panel panel-danger" aria-labelledby="erase-heading">
          <h2 id="erase-heading">Erase this person</h2>
          <EraseAction personId={person.id} name={name} onErased={setErased} />
        </section>
      ) : null}
    </Page>
  );
}
