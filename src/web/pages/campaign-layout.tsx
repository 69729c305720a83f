/** The frame of every campaign page: loads the campaign and the member's abilities. */
import { useCallback, useEffect, useMemo, useState, type FormEvent, type ReactNode } from 'react';
import { NavLink, Outlet, useNavigate, useParams } from 'react-router';
import { api, ApiError, type CampaignAccess } from '../api.js';
import { AREAS, SECTIONS } from '../areas.js';
import { CampaignContext, type CampaignContextValue } from '../campaign-context.js';
import { AppShell } from '../components/shell.js';
import { ErrorNotice, Loading, Page } from '../components/page.js';
import { PageSuspense } from '../components/page-loader.js';
import { useSignedIn } from '../session.js';
import { roleLabel, type Ability } from '../../shared/labels.js';

function CampaignSwitcher({ currentId }: { currentId: string }): ReactNode {
  const { session } = useSignedIn();
  const navigate = useNavigate();
  const [target, setTarget] = useState(currentId);
  useEffect(() => setTarget(currentId), [currentId]);
  if (session.campaigns.length < 2) return null;
  const submit = (event: FormEvent<HTMLFormElement>): void => {
    event.preventDefault();
    if (target !== currentId) void navigate(`/c/${target}`);
  };
  return (
    <form className="switcher" onSubmit={submit}>
      <label htmlFor="campaign-switcher">Switch campaign</label>
      <div className="switcher-row">
        <select id="campaign-switcher" className="input" value={target} onChange={(e) => setTarget(e.target.value)}>
          {session.campaigns.map((c) => (
            <option key={c.id} value={c.id}>
              {c.name}
            </option>
          ))}
        </select>
        <button type="submit" className="button button-secondary button-small">
          Go
        </button>
      </div>
    </form>
  );
}

function CampaignNav({ access }: { access: CampaignAccess }): ReactNode {
  const { campaign, role, abilities } = access;
  const base = `/c/${campaign.id}`;
  const visible = AREAS.filter((area) => !area.needs || abilities.includes(area.needs));
  return (
    <nav className="side-nav" aria-label="Campaign">
      <div className="side-nav-campaign">
        <p className="side-nav-name">{campaign.name}</p>
        <p className="side-nav-role">Your role: {roleLabel(role)}</p>
        <CampaignSwitcher currentId={campaign.id} />
      </div>
      {SECTIONS.map((section) => {
        const items = visible.filter((area) => area.section === section);
        if (items.length === 0) return null;
        const headingId = `nav-${section.toLowerCase().replace(/\W+/g, '-')}`;
        return (
          <div key={section} className="side-nav-section">
            <p id={headingId} className="side-nav-heading">
              {section}
            </p>
            <ul aria-labelledby={headingId}>
              {items.map((area) => (
                <li key={area.path}>
                  <NavLink to={area.path ? `${base}/${area.path}` : base} end className="side-nav-link">
                    {area.label}
                    {area.upcoming ? <span className="tag tag-muted">Soon</span> : null}
                  </NavLink>
                </li>
              ))}
            </ul>
          </div>
        );
      })}
    </nav>
  );
}

export function CampaignLayout(): ReactNode {
  const { campaignId = '' } = useParams();
  const [access, setAccess] = useState<CampaignAccess | null>(null);
  const [error, setError] = useState<ApiError | Error | null>(null);

  const load = useCallback(async () => {
    try {
      const next = await api.campaign(campaignId);
      setAccess(next);
      setError(null);
    } catch (caught) {
      setError(caught instanceof Error ? caught : new Error('The campaign could not be loaded.'));
    }
  }, [campaignId]);

  useEffect(() => {
    setAccess(null);
    setError(null);
    void load();
  }, [load]);

  const value = useMemo<CampaignContextValue | null>(
    () => (access ? { ...access, can: (ability: Ability) => access.abilities.includes(ability), reload: load } : null),
    [access, load],
  );

  if (error) {
    const missing = error instanceof ApiError && (error.status === 404 || error.status === 403);
    return (
      <AppShell>
        <Page title={missing ? 'Campaign not found' : 'Campaign could not be loaded'}>
          {missing ? (
            <p>This campaign does not exist, or you are not a member of it.</p>
          ) : (
            <ErrorNotice message={error.message} />
          )}
          <p>
            <NavLink to="/">Go to your campaigns</NavLink>
          </p>
        </Page>
      </AppShell>
    );
  }
  if (!value || !access) {
    return (
      <AppShell>
        <Loading what="campaign" />
      </AppShell>
    );
  }
  return (
    <CampaignContext.Provider value={value}>
      <AppShell nav={<CampaignNav access={access} />}>
        <PageSuspense>
          <Outlet />
        </PageSuspense>
      </AppShell>
    </CampaignContext.Provider>
  );
}
