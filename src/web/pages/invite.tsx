/**
 * Accepting an invitation from `<url>/invite#token=…`: a preview says which campaign and
 * role it is for; a new account gives a name and password, an existing account its
 * password (or nothing, when already signed in as that person).
 */
import { useEffect, useState, type FormEvent, type ReactNode } from 'react';
import { Link, useLocation, useNavigate } from 'react-router';
import { api, type InvitationPreview, type SessionView } from '../api.js';
import { ErrorSummary, SubmitButton, TextField, rawOf, textOf, useForm } from '../components/form.js';
import { ErrorNotice, Loading, Page } from '../components/page.js';
import { AppShell, PublicShell } from '../components/shell.js';
import { sentence } from '../format.js';
import { useSession } from '../session.js';
import { ROLE_DESCRIPTIONS, roleLabel, isRole } from '../../shared/labels.js';
import { passwordIssues, tokenFromHash } from './setup.js';

function campaignPathAfterJoining(session: SessionView, preview: InvitationPreview): string {
  return session.campaigns.some((c) => c.id === preview.campaignId) ? `/c/${preview.campaignId}` : '/';
}

export function InvitePage(): ReactNode {
  const location = useLocation();
  const navigate = useNavigate();
  const { state: sessionState, setSession } = useSession();
  const [token] = useState(() => tokenFromHash(location.hash));
  const [preview, setPreview] = useState<InvitationPreview | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const form = useForm('invite');

  useEffect(() => {
    if (!token) return;
    api
      .previewInvitation(token)
      .then(setPreview, (error: unknown) =>
        setLoadError(error instanceof Error ? sentence(error.message) : 'The invitation could not be read.'),
      );
  }, [token]);

  const signedInUser = sessionState.status === 'signed-in' ? sessionState.session.user : null;
  const signedInAsInvitee = Boolean(
    signedInUser && preview && signedInUser.email.toLowerCase() === preview.email.toLowerCase(),
  );

  const submit = async (event: FormEvent<HTMLFormElement>): Promise<void> => {
    event.preventDefault();
    if (!token || !preview) return;
    const data = new FormData(event.currentTarget);
    let input: { token: string; displayName?: string; password?: string } = { token };
    if (!preview.accountExists) {
      const displayName = textOf(data, 'displayName');
      const password = rawOf(data, 'password');
      const issues = [
        ...(displayName ? [] : [{ field: 'displayName', message: 'Enter your name' }]),
        ...passwordIssues('password', password),
      ];
      if (!form.check(issues)) return;
      input = { token, displayName, password };
    } else if (!signedInAsInvitee) {
      const password = rawOf(data, 'password');
      if (!form.check(password ? [] : [{ field: 'password', message: 'Enter your password' }])) return;
      input = { token, password };
    }
    await form.run(async () => {
      const session = await api.acceptInvitation(input);
      setSession(session);
      await navigate(campaignPathAfterJoining(session, preview), { replace: true });
    }, ['displayName', 'password']);
  };

  const Shell = signedInUser ? AppShell : PublicShell;
  const role = preview && isRole(preview.role) ? preview.role : null;

  return (
    <Shell>
      <Page title={preview ? `Join ${preview.campaignName}` : 'Accept an invitation'}>
        {!token ? (
          <div className="notice notice-error" role="alert">
            <p>This invitation link is incomplete: it has no token.</p>
            <p>Open the full link you were sent, including the part after “#token=”.</p>
          </div>
        ) : loadError ? (
          <>
            <ErrorNotice message={loadError} />
            <p>
              The invitation may have expired, been revoked or been used already. Ask the person who invited you for a
              new one.
            </p>
          </>
        ) : !preview ? (
          <Loading what="invitation" />
        ) : (
          <>
            <dl className="summary-list">
              <div>
                <dt>Campaign</dt>
                <dd>{preview.campaignName}</dd>
              </div>
              <div>
                <dt>Your role</dt>
                <dd>
                  <span className="strong">{roleLabel(preview.role)}</span>
                  {role ? <span className="code-hint">{ROLE_DESCRIPTIONS[role]}</span> : null}
                </dd>
              </div>
              <div>
                <dt>For</dt>
                <dd>{preview.email}</dd>
              </div>
            </dl>
            <form className="form" noValidate onSubmit={(e) => void submit(e)}>
              <ErrorSummary form={form} />
              {!preview.accountExists ? (
                <>
                  <p>Create your account to join. You will sign in with {preview.email}.</p>
                  <TextField form={form} name="displayName" label="Your name" autoComplete="name" width="medium" />
                  <TextField
                    form={form}
                    name="password"
                    label="Choose a password"
                    type="password"
                    autoComplete="new-password"
                    width="medium"
                    hint="At least 12 characters. A phrase of several unrelated words works well."
                  />
                </>
              ) : signedInAsInvitee ? (
                <p>You are signed in as {preview.email}.</p>
              ) : (
                <>
                  {signedInUser ? (
                    <p className="notice notice-info">
                      You are signed in as {signedInUser.email}. Accepting signs you in as {preview.email} instead.
                    </p>
                  ) : (
                    <p>You already have a Canvass account. Enter its password to join.</p>
                  )}
                  <TextField
                    form={form}
                    name="password"
                    label={`Password for ${preview.email}`}
                    type="password"
                    autoComplete="current-password"
                    width="medium"
                  />
                </>
              )}
              <div className="form-actions">
                <SubmitButton form={form}>{form.busy ? 'Joining…' : 'Accept invitation'}</SubmitButton>
                {signedInUser ? (
                  <Link to="/" className="button button-link">
                    Not now
                  </Link>
                ) : null}
              </div>
            </form>
          </>
        )}
      </Page>
    </Shell>
  );
}
