/**
 * The record of processing activities (UK GDPR Art 30): the list of activities with what
 * each still needs before it can be activated, the CSV download, and the printable record
 * (what the campaign hands the ICO on request, Art 30(4)).
 */
import { useState, type ReactNode } from 'react';
import { Link } from 'react-router';
import { useCampaign } from '../campaign-context.js';
import { ActivityDetails, transferLine } from '../components/activity-details.js';
import { ActivityStatusTag, OutcomeTag } from '../components/governance-ui.js';
import { ErrorNotice, ListState, Loading, Page } from '../components/page.js';
import { TableRegion } from '../components/table-region.js';
import { formatDate, formatDateTime } from '../format.js';
import { governanceApi } from '../governance-api.js';
import { useLoad } from '../use-load.js';
import { ART28_TERM_LABELS, PARTY_LABELS, RESPONSIBILITIES, RESPONSIBILITY_LABELS } from '../../shared/governance.js';

export function ProcessingActivitiesPage(): ReactNode {
  const { campaign, can } = useCampaign();
  const { data, error } = useLoad(async () => (await governanceApi.activities(campaign.id)).activities, [campaign.id]);
  const base = `/c/${campaign.id}/record-of-processing`;
  return (
    <Page
      title="Record of processing"
      context={campaign.name}
      lead="Every processing activity the campaign carries out, with its purposes, lawful basis, data, recipients, transfers, retention and security (UK GDPR Art 30). An activity can be activated only when its record is complete and every processor and joint-controller arrangement it relies on passes the rules."
      actions={
        <>
          {can('governance.manage') ? (
            <Link className="button button-primary" to={`${base}/new`}>
              Record an activity
            </Link>
          ) : null}
          <Link className="button button-secondary" to={`${base}/print`}>
            Printable record
          </Link>
          <a className="button button-secondary" href={governanceApi.recordCsvUrl(campaign.id, 'active')} download>
            Download CSV
          </a>
        </>
      }
    >
      <ListState items={data} error={error} what="processing activities" empty="No processing activities yet.">
        <p>Record each thing the campaign does with personal data: canvassing, email, list-based audiences, imports…</p>
      </ListState>
      {data && data.length > 0 ? (
        <TableRegion label="Processing activities table">
          <table className="table">
            <caption className="visually-hidden">Processing activities</caption>
            <thead>
              <tr>
                <th scope="col">Activity</th>
                <th scope="col">Status</th>
                <th scope="col">Rules</th>
                <th scope="col">What it still needs</th>
                <th scope="col">Changed</th>
              </tr>
            </thead>
            <tbody>
              {data.map((a) => {
                const blocking = [
                  ...new Set(a.decision.findings.filter((f) => f.outcome !== 'warn').map((f) => f.ruleId)),
                ];
                return (
                  <tr key={a.id}>
                    <td>
                      <Link to={`${base}/${a.id}`}>{a.name}</Link>
                    </td>
                    <td>
                      <ActivityStatusTag status={a.status} />
                    </td>
                    <td>
                      <OutcomeTag outcome={a.decision.outcome} />
                    </td>
                    <td>
                      {a.missing.length > 0
                        ? `${a.missing.length} field${a.missing.length === 1 ? '' : 's'} missing`
                        : null}
                      {blocking.length > 0 ? <span className="code-hint">{blocking.join(', ')}</span> : null}
                      {a.missing.length === 0 && blocking.length === 0 ? '—' : null}
                    </td>
                    <td className="nowrap">{formatDate(a.updatedAt)}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </TableRegion>
      ) : null}
    </Page>
  );
}

/** The whole record, laid out to print. Reading it is audited, like the CSV export. */
export function RecordPrintPage(): ReactNode {
  const { campaign } = useCampaign();
  const [include, setInclude] = useState<'active' | 'all'>('active');
  const { data: record, error } = useLoad(
    async () => (await governanceApi.record(campaign.id, include)).record,
    [campaign.id, include],
  );
  return (
    <Page
      title="Record of processing activities"
      context={campaign.name}
      lead="UK GDPR Article 30(1). Print it, or save it as PDF from the print dialogue."
      actions={
        <>
          <button
            type="button"
            className="button button-secondary"
            onClick={() => setInclude(include === 'active' ? 'all' : 'active')}
          >
            {include === 'active' ? 'Include drafts and retired activities' : 'Active activities only'}
          </button>
          <button type="button" className="button button-primary" onClick={() => window.print()}>
            Print
          </button>
        </>
      }
    >
      <p className="no-print">
        <Link to={`/c/${campaign.id}/record-of-processing`}>Back to the record of processing</Link>
      </p>
      <ErrorNotice message={error} />
      {!record && !error ? <Loading what="the record" /> : null}
      {record ? (
        <article className="record-print">
          <section className="section">
            <h2>Controller</h2>
            <dl className="summary-list">
              <div>
                <dt>Name</dt>
                <dd>{record.controller.name}</dd>
              </div>
              <div>
                <dt>Contact</dt>
                <dd className="preserve-lines">{record.controller.postalAddress}</dd>
              </div>
              <div>
                <dt>ICO registration</dt>
                <dd>{record.controller.icoRegistrationNumber ?? '—'}</dd>
              </div>
              <div>
                <dt>Data protection officer</dt>
                <dd>
                  {record.controller.dpo
                    ? `${record.controller.dpo.name}, ${record.controller.dpo.email}${record.controller.dpo.phone ? `, ${record.controller.dpo.phone}` : ''}`
                    : '—'}
                </dd>
              </div>
              <div>
                <dt>Produced</dt>
                <dd>{formatDateTime(record.generatedAt)}</dd>
              </div>
            </dl>
          </section>
          {record.activities.length === 0 ? (
            <p>No {include === 'active' ? 'active ' : ''}processing activities.</p>
          ) : null}
          {record.activities.map((a) => (
            <section className="section record-entry" key={a.id}>
              <h2>
                {a.name} <ActivityStatusTag status={a.status} />
              </h2>
              <ActivityDetails activity={a} />
            </section>
          ))}
          {record.processors.length > 0 ? (
            <section className="section record-entry">
              <h2>Processors</h2>
              {record.processors.map((p) => (
                <div key={p.id} className="section">
                  <h3>{p.name}</h3>
                  <p>{p.service || '—'}</p>
                  <p>
                    Contract: {p.contractReference ?? 'not recorded'}
                    {p.contractDate ? `, ${formatDate(p.contractDate)}` : ''}.{' '}
                    {p.missingTerms.length === 0
                      ? 'It has every Art 28(3) term.'
                      : `It lacks: ${p.missingTerms.map((t) => `${ART28_TERM_LABELS[t].citation} ${ART28_TERM_LABELS[t].label}`).join('; ')}.`}
                  </p>
                  <ul className="bullets">
                    {p.hosting.map((t, i) => (
                      <li key={i}>{transferLine(t, p.name)}</li>
                    ))}
                    {p.subProcessors.flatMap((s) =>
                      s.hosting.map((t, i) => (
                        <li key={`${s.name}-${i}`}>{transferLine(t, `${p.name} / ${s.name}`)}</li>
                      )),
                    )}
                  </ul>
                </div>
              ))}
            </section>
          ) : null}
          {record.arrangements.length > 0 ? (
            <section className="section record-entry">
              <h2>Joint-controller arrangements</h2>
              {record.arrangements.map((a) => (
                <div key={a.id} className="section">
                  <h3>
                    {a.platformName} — {a.scope.replaceAll('_', ' ')}
                  </h3>
                  <ul className="bullets">
                    {RESPONSIBILITIES.map((r) => (
                      <li key={r}>
                        {RESPONSIBILITY_LABELS[r]}:{' '}
                        {a.responsibilities[r].party ? (
                          PARTY_LABELS[a.responsibilities[r].party]
                        ) : (
                          <strong>unassigned</strong>
                        )}
                        {a.responsibilities[r].note ? ` — ${a.responsibilities[r].note}` : ''}
                      </li>
                    ))}
                  </ul>
                  <p className="preserve-lines">Essence for individuals: {a.essence || 'not written'}</p>
                </div>
              ))}
            </section>
          ) : null}
        </article>
      ) : null}
    </Page>
  );
}
