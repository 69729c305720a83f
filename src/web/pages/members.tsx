/** Members of the campaign and invitations to join it. */
import { useCallback, useEffect, useState, type FormEvent, type ReactNode } from 'react';
import { api, describeError, type Invitation, type Member } from '../api.js';
import { useCampaign } from '../campaign-context.js';
import { TableRegion } from '../components/table-region.js';
import { CopyField } from '../components/copy-field.js';
import { ErrorSummary, SelectField, SubmitButton, TextField, textOf, useForm } from '../components/form.js';
import { ErrorNotice, Loading, Page, StatusMessage } from '../components/page.js';
import { formatDate, sentence } from '../format.js';
import { useSignedIn } from '../session.js';
import { ROLE_DESCRIPTIONS, ROLE_LABELS, ROLES, isRole, roleLabel, type Role } from '../../shared/labels.js';

const STATUS_LABELS: Record<Invitation['status'], string> = {
  pending: 'Pending',
  accepted: 'Accepted',
  revoked: 'Revoked',
  expired: 'Expired',
};

function grantableRoles(myRole: Role): Role[] {
  // Only an owner may make (or unmake) an owner; the server enforces the same rule.
  return ROLES.filter((role) => role !== 'owner' || myRole === 'owner');
}

function InviteForm({
  roles,
  onInvited,
}: {
  roles: Role[];
  onInvited(email: string, acceptUrl: string): Promise<void>;
}): ReactNode {
  const { campaign } = useCampaign();
  const form = useForm('invite-member');
  const [formKey, setFormKey] = useState(0);
  const submit = async (event: FormEvent<HTMLFormElement>): Promise<void> => {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const email = textOf(data, 'email');
    const role = textOf(data, 'role');
    const ok = form.check([
      ...(email ? [] : [{ field: 'email', message: 'Enter the email address of the person to invite' }]),
      ...(isRole(role) ? [] : [{ field: 'role', message: 'Choose a role' }]),
    ]);
    if (!ok || !isRole(role)) return;
    const done = await form.run(async () => {
      const { acceptUrl } = await api.invite(campaign.id, { email, role });
      await onInvited(email, acceptUrl);
    }, ['email', 'role']);
    if (done) setFormKey((k) => k + 1);
  };
  return (
    <form key={formKey} className="form form-inline-wide" noValidate onSubmit={(e) => void submit(e)}>
      <ErrorSummary form={form} />
      <div className="form-row">
        <TextField
          form={form}
          name="email"
          label="Email address"
          type="email"
          autoComplete="off"
          spellCheck={false}
          width="medium"
        />
        <SelectField
          form={form}
          name="role"
          label="Role"
          options={roles.map((role) => ({ value: role, label: ROLE_LABELS[role] }))}
          defaultValue="volunteer"
        />
      </div>
      <details className="disclosure disclosure-small">
        <summary>What each role may do</summary>
        <dl className="summary-list disclosure-body">
          {roles.map((role) => (
            <div key={role}>
              <dt>{ROLE_LABELS[role]}</dt>
              <dd>{ROLE_DESCRIPTIONS[role]}</dd>
            </div>
          ))}
        </dl>
      </details>
      <div className="form-actions">
        <SubmitButton form={form}>{form.busy ? 'Creating invitation…' : 'Create invitation'}</SubmitButton>
      </div>
    </form>
  );
}

function MemberRow({
  member,
  isMe,
  canManage,
  roles,
  onChanged,
  onError,
}: {
  member: Member;
  isMe: boolean;
  canManage: boolean;
  roles: Role[];
  onChanged(message: string): Promise<void>;
  onError(message: string): void;
}): ReactNode {
  const { campaign } = useCampaign();
  const [role, setRole] = useState<Role>(member.role);
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  useEffect(() => setRole(member.role), [member.role]);
  const manageable = canManage && !isMe && (member.role !== 'owner' || roles.includes('owner'));
  const selectId = `role-${member.userId}`;

  const act = async (action: () => Promise<void>, message: string): Promise<void> => {
    setBusy(true);
    try {
      await action();
      await onChanged(message);
    } catch (caught) {
      onError(sentence(describeError(caught)));
    } finally {
      setBusy(false);
      setConfirming(false);
    }
  };

  return (
    <tr>
      <td>
        <span className="strong">{member.displayName}</span>
        {isMe ? <span className="tag tag-muted">You</span> : null}
        <span className="code-hint">{member.email}</span>
      </td>
      <td>{roleLabel(member.role)}</td>
      <td className="nowrap">{formatDate(member.joinedAt)}</td>
      {canManage ? (
        <td>
          {manageable ? (
            <div className="row-actions">
              <form
                className="inline-form"
                onSubmit={(e) => {
                  e.preventDefault();
                  if (role !== member.role)
                    void act(
                      async () => {
                        await api.changeRole(campaign.id, member.userId, role);
                      },
                      `${member.displayName} is now ${roleLabel(role)}.`,
                    );
                }}
              >
                <label htmlFor={selectId} className="visually-hidden">
                  Role for {member.displayName}
                </label>
                <select
                  id={selectId}
                  className="input input-small"
                  value={role}
                  onChange={(e) => isRole(e.target.value) && setRole(e.target.value)}
                >
                  {roles.map((r) => (
                    <option key={r} value={r}>
                      {ROLE_LABELS[r]}
                    </option>
                  ))}
                </select>
                <button
                  type="submit"
                  className="button button-secondary button-small"
                  disabled={busy || role === member.role}
                >
                  Change role<span className="visually-hidden"> of {member.displayName}</span>
                </button>
              </form>
              {confirming ? (
                <span className="confirm">
                  <span>Remove {member.displayName}?</span>
                  <button
                    type="button"
                    className="button button-danger button-small"
                    disabled={busy}
                    onClick={() =>
                      void act(async () => {
                        await api.removeMember(campaign.id, member.userId);
                      }, `${member.displayName} was removed from the campaign.`)
                    }
                  >
                    Yes, remove
                  </button>
                  <button
                    type="button"
                    className="button button-link button-small"
                    onClick={() => setConfirming(false)}
                  >
                    Keep
                  </button>
                </span>
              ) : (
                <button
                  type="button"
                  className="button button-danger-outline button-small"
                  onClick={() => setConfirming(true)}
                >
                  Remove<span className="visually-hidden"> {member.displayName}</span>
                </button>
              )}
            </div>
          ) : null}
        </td>
      ) : null}
    </tr>
  );
}

export function MembersPage(): ReactNode {
  const { campaign, role: myRole, can } = useCampaign();
  const { session, refresh } = useSignedIn();
  const [members, setMembers] = useState<Member[] | null>(null);
  const [invitations, setInvitations] = useState<Invitation[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const [created, setCreated] = useState<{ email: string; acceptUrl: string } | null>(null);
  const canInvite = can('members.invite');
  const canManage = can('members.manage');
  const roles = grantableRoles(myRole);

  const load = useCallback(async () => {
    try {
      const [m, i] = await Promise.all([
        api.members(campaign.id),
        canInvite ? api.invitations(campaign.id) : Promise.resolve({ invitations: [] as Invitation[] }),
      ]);
      setMembers(m.members);
      setInvitations(i.invitations);
    } catch (caught) {
      setError(sentence(describeError(caught)));
    }
  }, [campaign.id, canInvite]);

  useEffect(() => {
    void load();
  }, [load]);

  const changed = async (message: string): Promise<void> => {
    setError(null);
    setStatus(message);
    await load();
    await refresh();
  };

  const revoke = async (invitation: Invitation): Promise<void> => {
    setStatus(null);
    try {
      await api.revokeInvitation(campaign.id, invitation.id);
      if (created && created.email === invitation.email) setCreated(null);
      await changed(`The invitation for ${invitation.email} was revoked.`);
    } catch (caught) {
      setError(sentence(describeError(caught)));
    }
  };

  return (
    <Page
      title="Members"
      context={campaign.name}
      lead="The people who work on this campaign, and what their role lets them do."
    >
      <StatusMessage message={status} />
      <ErrorNotice message={error} />
      {members === null && !error ? <Loading what="members" /> : null}
      {members ? (
        <section aria-labelledby="members-heading" className="section">
          <h2 id="members-heading">Members ({members.length})</h2>
          <TableRegion label="Members table">
            <table className="table" aria-labelledby="members-heading">
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Role</th>
                  <th scope="col">Joined</th>
                  {canManage ? <th scope="col">Manage</th> : null}
                </tr>
              </thead>
              <tbody>
                {members.map((member) => (
                  <MemberRow
                    key={member.userId}
                    member={member}
                    isMe={member.userId === session.user.id}
                    canManage={canManage}
                    roles={roles}
                    onChanged={changed}
                    onError={(message) => {
                      setStatus(null);
                      setError(message);
                    }}
                  />
                ))}
              </tbody>
            </table>
          </TableRegion>
        </section>
      ) : null}
      {canInvite ? (
        <section aria-labelledby="invite-heading" className="section panel">
          <h2 id="invite-heading">Invite someone</h2>
          <p className="hint">
            Canvass does not send email. Creating an invitation gives you a link to pass on to the person yourself; only
            they should open it.
          </p>
          {created ? (
            <div className="notice notice-success notice-block">
              <p>
                <strong>Invitation created for {created.email}.</strong> Send them this link. It is shown only once: if
                you lose it, revoke the invitation and create a new one.
              </p>
              <CopyField label="Invitation link" value={created.acceptUrl} />
              <button type="button" className="button button-link" onClick={() => setCreated(null)}>
                Done
              </button>
            </div>
          ) : null}
          <InviteForm
            roles={roles}
            onInvited={async (email, acceptUrl) => {
              setCreated({ email, acceptUrl });
              setStatus(`Invitation created for ${email}.`);
              await load();
            }}
          />
        </section>
      ) : null}
      {canInvite && invitations && invitations.length > 0 ? (
        <section aria-labelledby="invitations-heading" className="section">
          <h2 id="invitations-heading">Invitations</h2>
          <TableRegion label="Invitations table">
            <table className="table" aria-labelledby="invitations-heading">
              <thead>
                <tr>
                  <th scope="col">Email</th>
                  <th scope="col">Role</th>
                  <th scope="col">Status</th>
                  <th scope="col">Expires</th>
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {invitations.map((invitation) => (
                  <tr key={invitation.id}>
                    <td>{invitation.email}</td>
                    <td>{roleLabel(invitation.role)}</td>
                    <td>
                      <span className={`tag tag-invite-${invitation.status}`}>
                        {STATUS_LABELS[invitation.status] ?? invitation.status}
                      </span>
                    </td>
                    <td className="nowrap">
                      {invitation.status === 'pending' ? formatDate(invitation.expiresAt) : '—'}
                    </td>
                    <td>
                      {invitation.status === 'pending' ? (
                        <button
                          type="button"
                          className="button button-danger-outline button-small"
                          onClick={() => void revoke(invitation)}
                        >
                          Revoke<span className="visually-hidden"> invitation for {invitation.email}</span>
                        </button>
                      ) : null}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableRegion>
        </section>
      ) : null}
    </Page>
  );
}
