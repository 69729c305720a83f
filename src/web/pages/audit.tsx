/**
 * The campaign's audit trail, newest first, a page at a time, and verification of its hash
 * chain (each event's hash commits to the one before it, so tampering is detectable).
 */
import { useCallback, useEffect, useState, type ReactNode } from 'react';
import { api, describeError, type AuditEventView, type ChainVerification } from '../api.js';
import { useCampaign } from '../campaign-context.js';
import { PagerButtons, TableRegion } from '../components/table-region.js';
import { ErrorNotice, Loading, Page } from '../components/page.js';
import { formatDateTime, plural, sentence } from '../format.js';
import { auditEventLabel, JOB_STATUS_LABELS, roleLabel } from '../../shared/labels.js';

const PAGE_SIZE = 25;

type Names = ReadonlyMap<string, string>;

function shortId(id: string): string {
  return id.length > 8 ? `${id.slice(0, 8)}…` : id;
}

function personName(id: unknown, names: Names): string {
  if (typeof id !== 'string') return 'someone';
  return names.get(id) ?? `user ${shortId(id)}`;
}

function actorText(actor: AuditEventView['actor'], names: Names): string {
  switch (actor.type) {
    case 'user':
      return actor.id ? (names.get(actor.id) ?? `User ${shortId(actor.id)}`) : 'User';
    case 'api_token':
      return actor.id ? `API token ${shortId(actor.id)}` : 'API token';
    case 'system':
      return 'Canvass (system)';
    case 'public':
      return 'Public visitor';
    default:
      return actor.type;
  }
}

const VIA: Record<string, string> = {
  setup: 'during setup',
  invitation: 'by invitation',
  campaign_creation: 'by creating the campaign',
  cli: 'from the command line',
};

function detailsText(event: AuditEventView, names: Names): string {
  const d = event.data;
  const str = (key: string): string => {
    const value = d[key];
    return typeof value === 'string' ? value : '';
  };
  switch (event.type) {
    case 'campaign.created':
      return `“${str('name')}”`;
    case 'campaign.updated':
      return Array.isArray(d.fields) ? `Changed: ${d.fields.map(String).join(', ')}` : '';
    case 'member.invited':
      return `As ${roleLabel(str('role'))}`;
    case 'invitation.revoked':
      return `Invitation ${shortId(str('invitationId'))}`;
    case 'member.joined':
      return `${personName(d.userId, names)} as ${roleLabel(str('role'))} ${VIA[str('via')] ?? ''}`.trim();
    case 'member.role_changed':
      return `${personName(d.userId, names)}: ${roleLabel(str('from'))} → ${roleLabel(str('to'))}`;
    case 'member.removed':
      return `${personName(d.userId, names)} (${roleLabel(str('role'))})`;
    case 'job.queued':
    case 'job.cancel_requested':
      return `${str('name')} (${shortId(str('jobId'))})`;
    case 'job.finished': {
      const status = str('status');
      const label = status in JOB_STATUS_LABELS ? JOB_STATUS_LABELS[status as keyof typeof JOB_STATUS_LABELS] : status;
      return `${str('name')}: ${label}`;
    }
    case 'audit.verified':
      return d.ok === true
        ? `Intact, ${plural(Number(d.eventsChecked) || 0, 'event')} checked`
        : `Problem found at event ${typeof d.problemSeq === 'number' ? d.problemSeq : '?'}`;
    default:
      return Object.entries(d)
        .map(([key, value]) => `${key}: ${typeof value === 'string' ? value : JSON.stringify(value)}`)
        .join('; ');
  }
}

function VerificationResult({ result }: { result: ChainVerification }): ReactNode {
  if (result.ok) {
    return (
      <>
        <strong>Verified: the audit trail is intact.</strong> {plural(result.eventsChecked, 'event')} checked, up to
        event {result.headSeq}.
      </>
    );
  }
  return null;
}

export function AuditPage(): ReactNode {
  const { campaign, can } = useCampaign();
  const [cursors, setCursors] = useState<(number | undefined)[]>([undefined]);
  const [page, setPage] = useState<{ events: AuditEventView[]; nextBefore: number | null } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [names, setNames] = useState<Names>(new Map());
  const [verifying, setVerifying] = useState(false);
  const [verification, setVerification] = useState<ChainVerification | null>(null);
  const [verifyError, setVerifyError] = useState<string | null>(null);
  const cursor = cursors[cursors.length - 1];
  const canReadMembers = can('members.read');

  const load = useCallback(async () => {
    try {
      setPage(await api.audit(campaign.id, { limit: PAGE_SIZE, ...(cursor === undefined ? {} : { before: cursor }) }));
      setError(null);
    } catch (caught) {
      setError(sentence(describeError(caught)));
    }
  }, [campaign.id, cursor]);

  useEffect(() => {
    void load();
  }, [load]);

  useEffect(() => {
    if (!canReadMembers) return;
    api.members(campaign.id).then(
      ({ members }) => setNames(new Map(members.map((m) => [m.userId, m.displayName]))),
      () => undefined,
    );
  }, [campaign.id, canReadMembers]);

  const verify = async (): Promise<void> => {
    setVerifying(true);
    setVerification(null);
    setVerifyError(null);
    try {
      const result = await api.verifyAudit(campaign.id);
      setVerification(result);
      if (cursor === undefined) await load();
    } catch (caught) {
      setVerifyError(sentence(describeError(caught)));
    } finally {
      setVerifying(false);
    }
  };

  const first = page?.events[0];
  const last = page?.events[page.events.length - 1];

  return (
    <Page
      title="Audit trail"
      context={campaign.name}
      lead="Every change to this campaign, recorded as it happens. Each event is chained to the one before it by a hash, so any alteration, insertion or deletion can be detected."
      actions={
        can('audit.verify') ? (
          <button type="button" className="button button-primary" onClick={() => void verify()} disabled={verifying}>
            {verifying ? 'Verifying…' : 'Verify chain'}
          </button>
        ) : null
      }
    >
      <div role="status" aria-live="polite" className="status-region">
        {verification?.ok ? (
          <p className="notice notice-success">
            <VerificationResult result={verification} />
          </p>
        ) : null}
      </div>
      {verification && !verification.ok ? (
        <div className="notice notice-error" role="alert">
          <p>
            <strong>Verification failed: the audit trail has been tampered with.</strong>{' '}
            {verification.problem ? sentence(verification.problem.message) : ''}
          </p>
          <p>
            {plural(verification.eventsChecked, 'event')} checked before the problem. Keep a copy of this result and
            tell your Data Protection Officer.
          </p>
        </div>
      ) : null}
      <ErrorNotice message={verifyError} />
      <ErrorNotice message={error} />
      {!page && !error ? <Loading what="events" /> : null}
      {page && page.events.length === 0 ? <p className="empty">No events on this page.</p> : null}
      {page && page.events.length > 0 ? (
        <TableRegion label="Audit events table">
          <table className="table">
            <caption className="visually-hidden">Audit events, newest first</caption>
            <thead>
              <tr>
                <th scope="col" className="num">
                  #
                </th>
                <th scope="col">When</th>
                <th scope="col">Event</th>
                <th scope="col">By</th>
                <th scope="col">Details</th>
              </tr>
            </thead>
            <tbody>
              {page.events.map((event) => (
                <tr key={event.eventId}>
                  <td className="num">{event.seq}</td>
                  <td className="nowrap">
                    <time dateTime={event.occurredAt}>{formatDateTime(event.occurredAt)}</time>
                  </td>
                  <td>
                    {auditEventLabel(event.type)}
                    <span className="code-hint">{event.type}</span>
                  </td>
                  <td>{actorText(event.actor, names)}</td>
                  <td>{detailsText(event, names)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableRegion>
      ) : null}
      {page ? (
        <nav className="pager" aria-label="Audit trail pages">
          <p className="pager-info">{first && last ? `Events ${last.seq} to ${first.seq}` : ''}</p>
          {cursors.length > 1 || page.nextBefore !== null ? (
            <PagerButtons
              cursors={cursors}
              setCursors={setCursors}
              next={page.nextBefore}
              back="Newer events"
              on="Older events"
            />
          ) : null}
        </nav>
      ) : null}
    </Page>
  );
}
