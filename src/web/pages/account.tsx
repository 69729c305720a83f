/** The signed-in person's account: name, password, personal API tokens, signing out. */
import { useCallback, useEffect, useState, type FormEvent, type ReactNode } from 'react';
import { Link } from 'react-router';
import { api, describeError, type ApiToken } from '../api.js';
import { CopyField } from '../components/copy-field.js';
import { TableRegion } from '../components/table-region.js';
import { ErrorSummary, SelectField, SubmitButton, TextField, rawOf, textOf, useForm } from '../components/form.js';
import { ErrorNotice, Loading, Page, StatusMessage } from '../components/page.js';
import { AppShell } from '../components/shell.js';
import { formatDate, formatDateTime, sentence } from '../format.js';
import { useSignedIn } from '../session.js';
import { passwordIssues } from './setup.js';

const EXPIRY_OPTIONS = [
  { value: '30', label: '30 days' },
  { value: '90', label: '90 days' },
  { value: '365', label: '1 year' },
  { value: 'never', label: 'Never' },
];

function ProfileForm({ onSaved }: { onSaved(message: string): void }): ReactNode {
  const { session, refresh } = useSignedIn();
  const form = useForm('profile');
  const submit = async (event: FormEvent<HTMLFormElement>): Promise<void> => {
    event.preventDefault();
    const displayName = textOf(new FormData(event.currentTarget), 'displayName');
    if (!form.check(displayName ? [] : [{ field: 'displayName', message: 'Enter your name' }])) return;
    const ok = await form.run(async () => {
      await api.updateAccount({ displayName });
      await refresh();
    }, ['displayName']);
    if (ok) onSaved('Your name was saved.');
  };
  return (
    <form className="form" noValidate onSubmit={(e) => void submit(e)}>
      <ErrorSummary form={form} />
      <TextField
        form={form}
        name="displayName"
        label="Display name"
        hint="Shown to other members and in the audit trail."
        autoComplete="name"
        width="medium"
        defaultValue={session.user.displayName}
      />
      <p className="hint">
        Email address: <span className="strong">{session.user.email}</span>
      </p>
      <div className="form-actions">
        <SubmitButton form={form} variant="secondary">
          {form.busy ? 'Saving…' : 'Save name'}
        </SubmitButton>
      </div>
    </form>
  );
}

function PasswordForm({ onSaved }: { onSaved(message: string): void }): ReactNode {
  const form = useForm('password');
  const [formKey, setFormKey] = useState(0);
  const submit = async (event: FormEvent<HTMLFormElement>): Promise<void> => {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const currentPassword = rawOf(data, 'currentPassword');
    const newPassword = rawOf(data, 'newPassword');
    const issues = [
      ...(currentPassword ? [] : [{ field: 'currentPassword', message: 'Enter your current password' }]),
      ...passwordIssues('newPassword', newPassword),
    ];
    if (!form.check(issues)) return;
    const ok = await form.run(async () => {
      await api.changePassword({ currentPassword, newPassword });
    }, ['currentPassword', 'newPassword']);
    if (ok) {
      setFormKey((k) => k + 1);
      onSaved('Your password was changed. Any other sessions you had open were signed out.');
    }
  };
  return (
    <form key={formKey} className="form" noValidate onSubmit={(e) => void submit(e)}>
      <ErrorSummary form={form} />
      <TextField
        form={form}
        name="currentPassword"
        label="Current password"
        type="password"
        autoComplete="current-password"
        width="medium"
      />
      <TextField
        form={form}
        name="newPassword"
        label="New password"
        type="password"
        autoComplete="new-password"
        width="medium"
        hint="At least 12 characters. Changing it signs out your other sessions."
      />
      <div className="form-actions">
        <SubmitButton form={form} variant="secondary">
          {form.busy ? 'Changing…' : 'Change password'}
        </SubmitButton>
      </div>
    </form>
  );
}

function TokensSection({ onStatus }: { onStatus(message: string): void }): ReactNode {
  const form = useForm('token');
  const [tokens, setTokens] = useState<ApiToken[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [secret, setSecret] = useState<{ name: string; secret: string } | null>(null);
  const [formKey, setFormKey] = useState(0);

  const load = useCallback(async () => {
    try {
      setTokens((await api.tokens()).tokens);
    } catch (caught) {
      setError(sentence(describeError(caught)));
    }
  }, []);

  useEffect(() => {
    void load();
  }, [load]);

  const create = async (event: FormEvent<HTMLFormElement>): Promise<void> => {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const name = textOf(data, 'name');
    const expiry = textOf(data, 'expiresInDays');
    if (!form.check(name ? [] : [{ field: 'name', message: 'Name the token, e.g. after the script that uses it' }]))
      return;
    const ok = await form.run(async () => {
      const answer = await api.createToken({
        name,
        ...(expiry && expiry !== 'never' ? { expiresInDays: Number(expiry) } : {}),
      });
      setSecret({ name: answer.token.name, secret: answer.secret });
      await load();
    }, ['name', 'expiresInDays']);
    if (ok) {
      setFormKey((k) => k + 1);
      onStatus(`Token “${name}” created. Copy it now: it will not be shown again.`);
    }
  };

  const revoke = async (token: ApiToken): Promise<void> => {
    setError(null);
    try {
      await api.revokeToken(token.id);
      if (secret?.name === token.name) setSecret(null);
      await load();
      onStatus(`Token “${token.name}” was revoked.`);
    } catch (caught) {
      setError(sentence(describeError(caught)));
    }
  };

  return (
    <section className="panel section" aria-labelledby="tokens-heading">
      <h2 id="tokens-heading">Personal API tokens</h2>
      <p className="hint">
        A token lets a script use the API as you, with your roles. Treat it like a password, and revoke any token you no
        longer use.
      </p>
      <ErrorNotice message={error} />
      {secret ? (
        <div className="notice notice-success notice-block">
          <p>
            <strong>Your new token “{secret.name}”.</strong> Copy it now: it is shown only once. Send it as{' '}
            <code>Authorization: Bearer …</code>.
          </p>
          <CopyField label="Token secret" value={secret.secret} />
          <button type="button" className="button button-link" onClick={() => setSecret(null)}>
            Done
          </button>
        </div>
      ) : null}
      {tokens === null && !error ? <Loading what="tokens" /> : null}
      {tokens && tokens.length === 0 ? <p className="empty">You have no tokens.</p> : null}
      {tokens && tokens.length > 0 ? (
        <TableRegion label="API tokens table">
          <table className="table">
            <caption className="visually-hidden">Your API tokens</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Starts with</th>
                <th scope="col">Created</th>
                <th scope="col">Expires</th>
                <th scope="col">Last used</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {tokens.map((token) => (
                <tr key={token.id}>
                  <td>{token.name}</td>
                  <td>
                    <code>{token.prefix}…</code>
                  </td>
                  <td className="nowrap">{formatDate(token.createdAt)}</td>
                  <td className="nowrap">{token.expiresAt ? formatDate(token.expiresAt) : 'Never'}</td>
                  <td className="nowrap">{token.lastUsedAt ? formatDateTime(token.lastUsedAt) : 'Never'}</td>
                  <td>
                    <button
                      type="button"
                      className="button button-danger-outline button-small"
                      onClick={() => void revoke(token)}
                    >
                      Revoke<span className="visually-hidden"> token {token.name}</span>
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableRegion>
      ) : null}
      <h3>Create a token</h3>
      <form key={formKey} className="form" noValidate onSubmit={(e) => void create(e)}>
        <ErrorSummary form={form} />
        <div className="form-row">
          <TextField
            form={form}
            name="name"
            label="Token name"
            hint="What it is for, e.g. “nightly export script”."
            autoComplete="off"
            width="medium"
          />
          <SelectField
            form={form}
            name="expiresInDays"
            label="Expires after"
            hint="The token stops working then."
            options={EXPIRY_OPTIONS}
            defaultValue="90"
          />
        </div>
        <div className="form-actions">
          <SubmitButton form={form} variant="secondary">
            {form.busy ? 'Creating…' : 'Create token'}
          </SubmitButton>
        </div>
      </form>
    </section>
  );
}

export function AccountPage(): ReactNode {
  const { session, setSession } = useSignedIn();
  const [status, setStatus] = useState<string | null>(null);
  const [signingOut, setSigningOut] = useState(false);

  const signOut = async (): Promise<void> => {
    setSigningOut(true);
    try {
      await api.signOut();
    } catch {
      // The dashboard forgets the session either way.
    }
    setSession(null, { signedOut: true });
  };

  return (
    <AppShell>
      <Page title="Your account" lead={`Signed in as ${session.user.email}.`}>
        <p>
          <Link to="/">Back to your campaigns</Link>
        </p>
        <StatusMessage message={status} />
        <div className="grid-2">
          <section className="panel" aria-labelledby="profile-heading">
            <h2 id="profile-heading">Your details</h2>
            <ProfileForm onSaved={setStatus} />
          </section>
          <section className="panel" aria-labelledby="password-heading">
            <h2 id="password-heading">Password</h2>
            <PasswordForm onSaved={setStatus} />
          </section>
        </div>
        <TokensSection onStatus={setStatus} />
        <section className="panel section" aria-labelledby="signout-heading">
          <h2 id="signout-heading">Sign out</h2>
          <p>Signing out ends this session in this browser.</p>
          <button
            type="button"
            className="button button-secondary"
            onClick={() => void signOut()}
            disabled={signingOut}
          >
            Sign out of Canvass
          </button>
        </section>
      </Page>
    </AppShell>
  );
}
