/**
 * One-time setup: the link printed by the server is `<url>/setup#token=…`. The token stays
 * in the fragment, which browsers never send to a server or in a Referer header.
 */
import { useEffect, useState, type FormEvent, type ReactNode } from 'react';
import { Link, useLocation, useNavigate } from 'react-router';
import { api, type FieldIssue } from '../api.js';
import { CAMPAIGN_FIELDS, CampaignFields, readCampaign } from '../components/campaign-fields.js';
import { ErrorSummary, SubmitButton, TextField, rawOf, textOf, useForm } from '../components/form.js';
import { Loading, Page } from '../components/page.js';
import { PublicShell } from '../components/shell.js';
import { useSession } from '../session.js';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '../../shared/labels.js';

export function tokenFromHash(hash: string): string | null {
  const token = new URLSearchParams(hash.replace(/^#/, '')).get('token');
  return token && token.trim() ? token.trim() : null;
}

const SETUP_FIELDS = [
  'user.displayName',
  'user.email',
  'user.password',
  ...CAMPAIGN_FIELDS.map((f) => `campaign.${f}`),
];

export function passwordIssues(field: string, password: string): FieldIssue[] {
  if (password.length < PASSWORD_MIN_LENGTH)
    return [{ field, message: `Use at least ${PASSWORD_MIN_LENGTH} characters` }];
  if (password.length > PASSWORD_MAX_LENGTH)
    return [{ field, message: `Use at most ${PASSWORD_MAX_LENGTH} characters` }];
  return [];
}

export function SetupPage(): ReactNode {
  const location = useLocation();
  const navigate = useNavigate();
  const { setSession } = useSession();
  const [token] = useState(() => tokenFromHash(location.hash));
  const [needed, setNeeded] = useState<boolean | null>(null);
  const form = useForm('setup');

  useEffect(() => {
    api.setupStatus().then(
      (status) => setNeeded(status.needed),
      () => setNeeded(true), // let the form try; the server will say what is wrong
    );
  }, []);

  const submit = async (event: FormEvent<HTMLFormElement>): Promise<void> => {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const displayName = textOf(data, 'user.displayName');
    const email = textOf(data, 'user.email');
    const password = rawOf(data, 'user.password');
    const campaign = readCampaign(data, 'campaign.');
    const issues: FieldIssue[] = [
      ...(displayName ? [] : [{ field: 'user.displayName', message: 'Enter your name' }]),
      ...(email ? [] : [{ field: 'user.email', message: 'Enter your email address' }]),
      ...passwordIssues('user.password', password),
      ...campaign.issues,
    ];
    if (!form.check(issues) || !token) return;
    await form.run(async () => {
      const session = await api.setup({ token, user: { displayName, email, password }, campaign: campaign.input });
      setSession(session);
      const first = session.campaigns[0];
      await navigate(first ? `/c/${first.id}` : '/', { replace: true });
    }, SETUP_FIELDS);
  };

  return (
    <PublicShell>
      <Page title="Set up Canvass" lead="Create the first account and the campaign it manages. You will be its owner.">
        {needed === null ? (
          <Loading what="setup status" />
        ) : !needed ? (
          <div className="notice notice-info">
            <p>Canvass has already been set up, so this link can no longer be used.</p>
            <p>
              <Link to="/login">Sign in</Link>, or ask the campaign's owner to invite you.
            </p>
          </div>
        ) : !token ? (
          <div className="notice notice-error" role="alert">
            <p>This setup link is incomplete: it has no token.</p>
            <p>Open the full link that the server printed when it started, including the part after “#token=”.</p>
          </div>
        ) : (
          <form className="form" noValidate onSubmit={(e) => void submit(e)} aria-describedby="setup-note">
            <ErrorSummary form={form} />
            <fieldset className="fieldset">
              <legend>Your account</legend>
              <TextField form={form} name="user.displayName" label="Your name" autoComplete="name" width="medium" />
              <TextField
                form={form}
                name="user.email"
                label="Email address"
                type="email"
                autoComplete="email"
                width="medium"
                spellCheck={false}
              />
              <TextField
                form={form}
                name="user.password"
                label="Password"
                type="password"
                autoComplete="new-password"
                width="medium"
                hint={`At least ${PASSWORD_MIN_LENGTH} characters. A phrase of several unrelated words works well.`}
              />
            </fieldset>
            <fieldset className="fieldset">
              <legend>Your campaign</legend>
              <p className="hint" id="setup-note">
                The campaign is the data controller: the organisation responsible for the personal data Canvass holds.
              </p>
              <CampaignFields form={form} prefix="campaign." />
            </fieldset>
            <div className="form-actions">
              <SubmitButton form={form}>{form.busy ? 'Setting up…' : 'Create account and campaign'}</SubmitButton>
            </div>
          </form>
        )}
      </Page>
    </PublicShell>
  );
}
