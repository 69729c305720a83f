/** Sign in with email and password. */
import { useEffect, useState, type FormEvent, type ReactNode } from 'react';
import { Navigate, useLocation, useNavigate } from 'react-router';
import { api, ApiError } from '../api.js';
import { ErrorSummary, SubmitButton, TextField, rawOf, textOf, useForm } from '../components/form.js';
import { Page, StatusMessage } from '../components/page.js';
import { PublicShell } from '../components/shell.js';
import { useSession } from '../session.js';

/** Where to go after signing in: the page that asked for it, if any. */
function fromOf(state: unknown): string | undefined {
  if (typeof state !== 'object' || state === null) return undefined;
  const { from } = state as Record<string, unknown>;
  return typeof from === 'string' && from.startsWith('/') && !from.startsWith('//') ? from : undefined;
}

export function LoginPage(): ReactNode {
  const { state: session, setSession } = useSession();
  const location = useLocation();
  const navigate = useNavigate();
  const from = fromOf(location.state);
  const signedOut = session.status === 'signed-out' && session.signedOut;
  const form = useForm('login');
  const [hint, setHint] = useState<string | null>(null);
  const [setupNeeded, setSetupNeeded] = useState(false);
  const [attempted, setAttempted] = useState(false);

  useEffect(() => {
    api.setupStatus().then(
      (status) => setSetupNeeded(status.needed),
      () => undefined,
    );
  }, []);

  if (session.status === 'signed-in' && !form.busy) return <Navigate to={from ?? '/'} replace />;

  const submit = async (event: FormEvent<HTMLFormElement>): Promise<void> => {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const email = textOf(data, 'email');
    const password = rawOf(data, 'password');
    setHint(null);
    setAttempted(true);
    const ok = form.check([
      ...(email ? [] : [{ field: 'email', message: 'Enter your email address' }]),
      ...(password ? [] : [{ field: 'password', message: 'Enter your password' }]),
    ]);
    if (!ok) return;
    await form.run(async () => {
      try {
        const next = await api.signIn({ email, password });
        setSession(next);
        await navigate(from ?? '/', { replace: true });
      } catch (error) {
        if (error instanceof ApiError && error.code === 'account_locked') {
          const until = typeof error.details.lockedUntil === 'string' ? new Date(error.details.lockedUntil) : null;
          const when =
            until && !Number.isNaN(until.getTime())
              ? ` until ${until.toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit' })}`
              : ' for a while';
          setHint(`To protect it, the account is locked${when}. You can try again then.`);
        } else if (error instanceof ApiError && error.code === 'rate_limited') {
          setHint('Too many attempts from here in a short time. Wait a minute, then try again.');
        }
        throw error;
      }
    }, ['email', 'password']);
  };

  return (
    <PublicShell narrow>
      <Page title="Sign in">
        <StatusMessage message={signedOut && !attempted ? 'You have signed out.' : null} />
        {setupNeeded ? (
          <div className="notice notice-info">
            <p>
              Canvass has not been set up yet. Open the one-time setup link that the server printed when it started.
            </p>
          </div>
        ) : null}
        <form className="form" noValidate onSubmit={(e) => void submit(e)}>
          <ErrorSummary form={form} extra={hint} />
          <TextField
            form={form}
            name="email"
            label="Email address"
            type="email"
            autoComplete="username"
            spellCheck={false}
          />
          <TextField form={form} name="password" label="Password" type="password" autoComplete="current-password" />
          <div className="form-actions">
            <SubmitButton form={form}>{form.busy ? 'Signing in…' : 'Sign in'}</SubmitButton>
          </div>
        </form>
        <p className="aside">
          New to a campaign? Open the invitation link that you were sent; it lets you create your account.
        </p>
      </Page>
    </PublicShell>
  );
}
