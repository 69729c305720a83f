/**
 * Website consent (issue 6): the campaign's websites, each with its banner configuration —
 * categories and their services (added from presets), texts in English and Welsh, the revision —
 * the install snippet, a live preview of the real banner, consent rates over time, receipt
 * search by consent id, export, and how long receipts are kept.
 *
 * Saving asks the rules engine: a refusal (PECR-R6-PRIOR-CONSENT, PECR-R6-EXCEPTION-SCOPE,
 * ONL-JOINT-CONTROLLER) is shown with the rule, why and what would make it allowed.
 */
import { useState, type FormEvent, type ReactNode } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { ApiError, describeError, type Finding } from '../api.js';
import { useCampaign } from '../campaign-context.js';
import { CopyField } from '../components/copy-field.js';
import { textOf } from '../components/form.js';
import { ErrorNotice, ListState, Loading, Page, StatusMessage } from '../components/page.js';
import { FindingsList } from '../components/people-ui.js';
import { TableRegion } from '../components/table-region.js';
import {
  consentSitesApi,
  type ConsentRateBucket,
  type ConsentReceiptView,
  type ConsentSiteView,
  type ServicePresetView,
  type SiteConfig,
  type SiteService,
} from '../consent-sites-api.js';
import { formatDateTime, plural, sentence } from '../format.js';
import { useLoad } from '../use-load.js';
import {
  BANNER_LANGUAGES,
  CONSENT_CATEGORIES,
  type BannerLanguage,
  type BannerTexts,
  type ConsentCategory,
} from '../../shared/consent-banner.js';
import { SERVICE_PURPOSE_LABELS, SERVICE_PURPOSES } from '../../shared/consent-sites.js';

const CATEGORY_LABELS: Record<ConsentCategory, string> = {
  necessary: 'Strictly necessary',
  statistics: 'Statistics',
  appearance: 'Appearance and preferences',
  advertising: 'Advertising',
  social: 'Social media and embedded content',
};
const LANGUAGE_LABELS: Record<BannerLanguage, string> = { en: 'English', cy: 'Welsh (Cymraeg)' };
const short = (hash: string | undefined): string => (hash ? hash.slice(0, 12) : '—');

// ---------------------------------------------------------------------------------------
// The list
// ---------------------------------------------------------------------------------------

export function ConsentSitesPage(): ReactNode {
  const { campaign, can } = useCampaign();
  const navigate = useNavigate();
  const { data, error } = useLoad(async () => (await consentSitesApi.list(campaign.id)).sites, [campaign.id]);
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const base = `/c/${campaign.id}/website-consent`;

  const register = async (event: FormEvent<HTMLFormElement>): Promise<void> => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const origins = textOf(form, 'origins').split(/\s+/).filter(Boolean);
    setBusy(true);
    try {
      const { site } = await consentSitesApi.create(campaign.id, { name: textOf(form, 'name'), origins });
      void navigate(`${base}/${site.id}`);
    } catch (caught) {
      setProblem(sentence(describeError(caught)));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Page
      title="Website consent"
      context={campaign.name}
      lead="A consent banner for each campaign website: nothing non-essential runs before the visitor chooses (PECR regulation 6), and every choice is kept as proof."
    >
      <ListState items={data} error={error} what="websites" empty="No websites registered yet.">
        <p>Register a website to get its banner and install snippet.</p>
      </ListState>
      {data && data.length > 0 ? (
        <TableRegion label="Websites table">
          <table className="table">
            <caption className="visually-hidden">Websites</caption>
            <thead>
              <tr>
                <th scope="col">Website</th>
                <th scope="col">Origins</th>
                <th scope="col">Revision</th>
                <th scope="col">Published</th>
              </tr>
            </thead>
            <tbody>
              {data.map((s) => (
                <tr key={s.id}>
                  <th scope="row">
                    <Link to={`${base}/${s.id}`}>{s.name}</Link>
                  </th>
                  <td>{s.origins.join(', ')}</td>
                  <td className="num">{s.revision}</td>
                  <td>
                    {s.published ? `Version ${s.published.version}, ${formatDateTime(s.published.publishedAt)}` : '—'}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableRegion>
      ) : null}
      {can('governance.manage') ? (
        <section className="panel section" aria-labelledby="register-heading">
          <h2 id="register-heading">Register a website</h2>
          <ErrorNotice message={problem} />
          <form className="form" onSubmit={(e) => void register(e)}>
            <div className="field">
              <label htmlFor="site-name">Name</label>
              <input id="site-name" name="name" className="input input-full" required maxLength={200} />
            </div>
            <div className="field">
              <label htmlFor="site-origins">Origins</label>
              <p className="hint" id="site-origins-hint">
                The addresses the website is served from, one per line, e.g. https://www.example.org. The banner records
                consent only from these.
              </p>
              <textarea
                id="site-origins"
                name="origins"
                className="input input-full"
                rows={3}
                required
                aria-describedby="site-origins-hint"
              />
            </div>
            <div className="form-actions">
              <button type="submit" className="button button-primary" disabled={busy}>
                Register website
              </button>
            </div>
          </form>
        </section>
      ) : null}
    </Page>
  );
}

// ---------------------------------------------------------------------------------------
// One website
// ---------------------------------------------------------------------------------------

export function ConsentSitePage(): ReactNode {
  const { campaign } = useCampaign();
  const { siteId = '' } = useParams();
  const loaded = useLoad(async () => {
    const [{ site }, { presets }] = await Promise.all([
      consentSitesApi.get(campaign.id, siteId),
      consentSitesApi.presets(campaign.id),
    ]);
    return { site, presets };
  }, [campaign.id, siteId]);
  // Kept here: the editor below starts afresh from each saved version.
  const [status, setStatus] = useState<string | null>(null);
  if (!loaded.data) {
    return (
      <Page title="Website consent" context={campaign.name}>
        <ErrorNotice message={loaded.error} />
        {loaded.error ? null : <Loading what="the website" />}
      </Page>
    );
  }
  const { site, presets } = loaded.data;
  return (
    <SiteEditor
      key={`${site.id}-${site.published?.version ?? 0}-${site.revision}`}
      site={site}
      presets={presets}
      status={status}
      onSaved={(next, message) => {
        setStatus(message);
        loaded.setData({ site: next, presets });
      }}
    />
  );
}

/** A save's outcome: refused (with the rule findings), invalid (with field issues), or a message. */
interface SaveProblem {
  message: string;
  findings: Finding[];
  issues: { field: string; message: string }[];
}

function problemOf(caught: unknown): SaveProblem {
  if (caught instanceof ApiError) {
    const findings = Array.isArray(caught.details['findings']) ? (caught.details['findings'] as Finding[]) : [];
    return {
      message:
        caught.code === 'rule_refused'
          ? 'The configuration was not saved: the rules refuse it.'
          : sentence(caught.message),
      findings,
      issues: caught.issues,
    };
  }
  return { message: sentence(describeError(caught)), findings: [], issues: [] };
}

function SiteEditor({
  site,
  presets,
  status,
  onSaved,
}: {
  site: ConsentSiteView;
  presets: ServicePresetView[];
  status: string | null;
  onSaved: (site: ConsentSiteView, message: string | null) => void;
}): ReactNode {
  const { campaign, can } = useCampaign();
  const editable = can('governance.manage');
  const [config, setConfig] = useState<SiteConfig>(site.config);
  const [problem, setProblem] = useState<SaveProblem | null>(null);
  const [busy, setBusy] = useState(false);

  const save = async (change: Parameters<typeof consentSitesApi.update>[2], done: string): Promise<void> => {
    setBusy(true);
    setProblem(null);
    try {
      const { site: next } = await consentSitesApi.update(campaign.id, site.id, {
        ...change,
        expectedRevision: site.revision,
      });
      onSaved(next, done);
    } catch (caught) {
      setProblem(problemOf(caught));
    } finally {
      setBusy(false);
    }
  };

  const setCategory = (id: ConsentCategory, patch: Partial<SiteConfig['categories'][number]>): void =>
    setConfig((c) => ({ ...c, categories: c.categories.map((cat) => (cat.id === id ? { ...cat, ...patch } : cat)) }));

  return (
    <Page
      title={site.name}
      context={campaign.name}
      lead={`Revision ${site.revision}. ${
        site.published
          ? `Version ${site.published.version} published ${formatDateTime(site.published.publishedAt)}, configuration ${short(site.published.configHash)}.`
          : 'Nothing published.'
      }`}
      actions={
        <Link className="button button-secondary" to={`/c/${campaign.id}/website-consent`}>
          All websites
        </Link>
      }
    >
      <StatusMessage message={status} />
      {problem ? (
        <section className="notice notice-error" role="alert" aria-labelledby="problem-heading">
          <h2 id="problem-heading">{problem.message}</h2>
          {problem.findings.length > 0 ? <FindingsList findings={problem.findings} /> : null}
          {problem.issues.length > 0 ? (
            <ul className="bullets">
              {problem.issues.map((i) => (
                <li key={`${i.field}-${i.message}`}>
                  {i.field ? <code>{i.field}</code> : null} {i.message}
                </li>
              ))}
            </ul>
          ) : null}
        </section>
      ) : null}

      <Install site={site} />

      <section className="panel section" aria-labelledby="categories-heading">
        <h2 id="categories-heading">Categories and services</h2>
        <p className="hint">
          Nothing is switched on before the visitor chooses, except strictly necessary services and statistics or
          appearance that you run yourself relying on the exception in PECR Schedule A1 (the banner tells visitors and
          lets them object with one click). Advertising and social media never qualify.
        </p>
        {config.categories.map((category) => (
          <fieldset className="fieldset" key={category.id} disabled={!editable}>
            <legend>{CATEGORY_LABELS[category.id]}</legend>
            {category.id === 'necessary' ? (
              <p className="hint">Always on; visitors cannot switch it off.</p>
            ) : (
              <div className="choices">
                <div className="choice">
                  <input
                    type="checkbox"
                    id={`${category.id}-default-on`}
                    checked={category.defaultOn}
                    onChange={(e) => setCategory(category.id, { defaultOn: e.currentTarget.checked })}
                  />
                  <label htmlFor={`${category.id}-default-on`}>On before the visitor chooses (pre-ticked)</label>
                </div>
                <div className="choice">
                  <input
                    type="checkbox"
                    id={`${category.id}-exempt`}
                    checked={category.exempt}
                    onChange={(e) => setCategory(category.id, { exempt: e.currentTarget.checked })}
                  />
                  <label htmlFor={`${category.id}-exempt`}>
                    Relies on the Schedule A1 exception (first-party statistics or appearance only)
                  </label>
                </div>
              </div>
            )}
            {category.services.length === 0 ? (
              <p className="muted">No services.</p>
            ) : (
              <ul className="bullets">
                {category.services.map((service) => (
                  <li key={service.id}>
                    <strong>{service.name}</strong> — {service.provider} ({SERVICE_PURPOSE_LABELS[service.purpose]}
                    {service.jointController ? ', joint controller' : ''}); {plural(service.cookies.length, 'cookie')}:{' '}
                    {service.cookies.map((k) => k.name).join(', ') || 'none'}
                    {editable ? (
                      <>
                        {' '}
                        <button
                          type="button"
                          className="button-link"
                          onClick={() =>
                            setCategory(category.id, {
                              services: category.services.filter((s) => s.id !== service.id),
                            })
                          }
                        >
                          Remove {service.name}
                        </button>
                      </>
                    ) : null}
                  </li>
                ))}
              </ul>
            )}
          </fieldset>
        ))}
        {editable ? <AddPreset presets={presets} config={config} setConfig={setConfig} /> : null}
        {editable ? <AddOwnService config={config} setConfig={setConfig} /> : null}
      </section>

      <Texts config={config} setConfig={setConfig} editable={editable} />

      {editable ? (
        <section className="panel section" aria-labelledby="save-heading">
          <h2 id="save-heading">Save and publish</h2>
          <p className="hint">
            Saving checks the configuration against the rules and publishes it at once. A change to categories,
            services, cookies or purposes asks every visitor again; a change of wording does not.
          </p>
          <div className="form-actions">
            <button
              type="button"
              className="button button-primary"
              disabled={busy}
              onClick={() => void save({ config }, 'Configuration saved and published.')}
            >
              Save configuration
            </button>
            <button
              type="button"
              className="button button-secondary"
              disabled={busy}
              onClick={() => {
                if (window.confirm('Ask every visitor to choose again? This bumps the revision.')) {
                  void save(
                    { bumpRevision: true },
                    `Revision ${site.revision + 1} published: visitors will be asked again.`,
                  );
                }
              }}
            >
              Ask every visitor again (revision {site.revision + 1})
            </button>
          </div>
        </section>
      ) : null}

      {editable ? <NameAndOrigins site={site} busy={busy} save={save} /> : null}
      <Preview site={site} />
      <Rates site={site} />
      <Receipts site={site} />
      <Retention site={site} editable={editable} onSaved={(next) => onSaved(next, null)} />
      <Versions site={site} />
      {editable ? <Retire site={site} /> : null}
    </Page>
  );
}

function AddPreset({
  presets,
  config,
  setConfig,
}: {
  presets: ServicePresetView[];
  config: SiteConfig;
  setConfig: (f: (c: SiteConfig) => SiteConfig) => void;
}): ReactNode {
  const used = new Set(config.categories.flatMap((c) => c.services.map((s) => s.id)));
  const available = presets.filter((p) => !used.has(p.service.id));
  const [chosen, setChosen] = useState('');
  const preset = available.find((p) => p.id === chosen);
  if (available.length === 0) return <p className="muted">Every preset is in use.</p>;
  return (
    <div className="inline-form">
      <div className="field">
        <label htmlFor="preset">Add a service from the presets</label>
        <select id="preset" className="input" value={chosen} onChange={(e) => setChosen(e.currentTarget.value)}>
          <option value="">Choose a service…</option>
          {available.map((p) => (
            <option key={p.id} value={p.id}>
              {p.service.name} ({CATEGORY_LABELS[p.category]})
            </option>
          ))}
        </select>
      </div>
      {preset ? <p className="hint">{preset.note}</p> : null}
      <button
        type="button"
        className="button button-secondary"
        disabled={!preset}
        onClick={() => {
          if (!preset) return;
          setConfig((c) => ({
            ...c,
            categories: c.categories.map((cat) =>
              cat.id === preset.category ? { ...cat, services: [...cat.services, preset.service] } : cat,
            ),
          }));
          setChosen('');
        }}
      >
        Add service
      </button>
    </div>
  );
}

const slug = (name: string): string =>
  name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60) || 'service';

/**
 * A service of the campaign's own or one without a preset: its cookies one per line as
 * "name | how long | what for". First-party statistics and appearance services are the ones the
 * Schedule A1 exception can cover.
 */
function AddOwnService({
  config,
  setConfig,
}: {
  config: SiteConfig;
  setConfig: (f: (c: SiteConfig) => SiteConfig) => void;
}): ReactNode {
  const [problem, setProblem] = useState<string | null>(null);
  const add = (event: FormEvent<HTMLFormElement>): void => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const name = textOf(form, 'own-name');
    const used = new Set(config.categories.flatMap((c) => c.services.map((s) => s.id)));
    let id = slug(name);
    for (let n = 2; used.has(id); n++) id = `${slug(name)}-${n}`;
    const cookies = textOf(form, 'own-cookies')
      .split('\n')
      .map((line) => line.split('|').map((part) => part.trim()))
      .filter((parts) => parts[0])
      .map(([cookie = '', duration = '', purpose = '']) => ({
        name: cookie.replace(/\*$/, ''),
        prefix: cookie.endsWith('*'),
        duration: duration || 'session',
        purpose: purpose || name,
        storage: 'cookie' as const,
      }));
    const category = textOf(form, 'own-category') as ConsentCategory;
    const purpose = textOf(form, 'own-purpose') as SiteService['purpose'];
    if (!name || !textOf(form, 'own-provider')) {
      setProblem('Give the service a name and say who runs it.');
      return;
    }
    setProblem(null);
    const service: SiteService = {
      id,
      name,
      provider: textOf(form, 'own-provider'),
      privacyPolicyUrl: null,
      cookies,
      consentMode: [],
      purpose,
      platform: null,
      firstParty: form.get('own-first-party') === 'on',
      jointController: false,
      presetId: null,
    };
    setConfig((c) => ({
      ...c,
      categories: c.categories.map((cat) =>
        cat.id === category ? { ...cat, services: [...cat.services, service] } : cat,
      ),
    }));
    event.currentTarget.reset();
  };
  return (
    <details className="disclosure">
      <summary>Add a service of your own</summary>
      <form className="form disclosure-body" onSubmit={add}>
        <ErrorNotice message={problem} />
        <div className="field">
          <label htmlFor="own-name">Name</label>
          <input id="own-name" name="own-name" className="input input-full" maxLength={100} />
        </div>
        <div className="field">
          <label htmlFor="own-provider">Who runs it</label>
          <input id="own-provider" name="own-provider" className="input input-full" maxLength={200} />
        </div>
        <div className="field">
          <label htmlFor="own-category">Category</label>
          <select id="own-category" name="own-category" className="input">
            {CONSENT_CATEGORIES.map((c) => (
              <option key={c} value={c}>
                {CATEGORY_LABELS[c]}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="own-purpose">What it is used for</label>
          <select id="own-purpose" name="own-purpose" className="input">
            {SERVICE_PURPOSES.map((p) => (
              <option key={p} value={p}>
                {SERVICE_PURPOSE_LABELS[p]}
              </option>
            ))}
          </select>
        </div>
        <div className="choice">
          <input type="checkbox" id="own-first-party" name="own-first-party" />
          <label htmlFor="own-first-party">Run by the campaign itself (first-party)</label>
        </div>
        <div className="field">
          <label htmlFor="own-cookies">Cookies, one per line</label>
          <p className="hint" id="own-cookies-hint">
            name | how long | what for — end a name with * for a prefix (e.g. _ga_*)
          </p>
          <textarea
            id="own-cookies"
            name="own-cookies"
            className="input input-full"
            rows={3}
            aria-describedby="own-cookies-hint"
          />
        </div>
        <div className="form-actions">
          <button type="submit" className="button button-secondary">
            Add this service
          </button>
        </div>
      </form>
    </details>
  );
}

/** The text fields, in the order the banner shows them; long ones get a text area. */
const TEXT_FIELDS: readonly [Exclude<keyof BannerTexts, 'categories' | 'cookieTableHeadings'>, string, boolean][] = [
  ['regionLabel', 'Label of the banner region', false],
  ['title', 'Title', false],
  ['body', 'Text', true],
  ['acceptAll', 'Accept button', false],
  ['rejectAll', 'Reject button', false],
  ['manage', 'Manage button', false],
  ['dialogTitle', 'Choices: title', false],
  ['dialogBody', 'Choices: text', true],
  ['save', 'Choices: save button', false],
  ['closeDialog', 'Choices: close button', false],
  ['withdrawLink', 'Link to change choices', false],
  ['savedAnnouncement', 'Announced after a choice ({consentId} is replaced)', false],
  ['consentIdLabel', 'Consent ID label', false],
  ['gpcNotice', 'Global Privacy Control notice', true],
  ['exemptNotice', 'Exception notice (statistics and appearance)', true],
  ['objectLabel', 'Object button', false],
  ['placeholder', 'Blocked embed placeholder', true],
  ['placeholderLoad', 'Load embed button', false],
  ['privacyNoticeLink', 'Privacy notice link', false],
];

function Texts({
  config,
  setConfig,
  editable,
}: {
  config: SiteConfig;
  setConfig: (f: (c: SiteConfig) => SiteConfig) => void;
  editable: boolean;
}): ReactNode {
  const [language, setLanguage] = useState<BannerLanguage>(config.defaultLanguage);
  const texts = config.texts[language];
  const setText = (patch: Partial<BannerTexts>): void =>
    setConfig((c) => {
      const current = c.texts[language];
      return current ? { ...c, texts: { ...c.texts, [language]: { ...current, ...patch } } } : c;
    });
  return (
    <section className="panel section" aria-labelledby="texts-heading">
      <h2 id="texts-heading">Texts</h2>
      <fieldset className="fieldset choices" disabled={!editable}>
        <legend>Languages the banner offers</legend>
        {BANNER_LANGUAGES.map((l) => (
          <div className="choice" key={l}>
            <input
              type="checkbox"
              id={`language-${l}`}
              checked={config.languages.includes(l)}
              onChange={(e) => {
                const on = e.currentTarget.checked;
                setConfig((c) => {
                  const languages = on ? [...c.languages, l] : c.languages.filter((x) => x !== l);
                  return {
                    ...c,
                    languages,
                    defaultLanguage: languages.includes(c.defaultLanguage) ? c.defaultLanguage : (languages[0] ?? 'en'),
                  };
                });
              }}
            />
            <label htmlFor={`language-${l}`}>{LANGUAGE_LABELS[l]}</label>
          </div>
        ))}
      </fieldset>
      <div className="field">
        <label htmlFor="text-language">Edit the texts in</label>
        <select
          id="text-language"
          className="input"
          value={language}
          onChange={(e) => setLanguage(e.currentTarget.value as BannerLanguage)}
        >
          {BANNER_LANGUAGES.map((l) => (
            <option key={l} value={l}>
              {LANGUAGE_LABELS[l]}
            </option>
          ))}
        </select>
      </div>
      {!texts ? (
        <p className="muted">No texts in {LANGUAGE_LABELS[language]}.</p>
      ) : (
        <fieldset className="fieldset" disabled={!editable} lang={language}>
          <legend>{LANGUAGE_LABELS[language]}</legend>
          {TEXT_FIELDS.map(([key, label, long]) => (
            <div className="field" key={key}>
              <label htmlFor={`text-${language}-${key}`}>{label}</label>
              {long ? (
                <textarea
                  id={`text-${language}-${key}`}
                  className="input input-full"
                  rows={3}
                  value={texts[key]}
                  onChange={(e) => setText({ [key]: e.currentTarget.value })}
                />
              ) : (
                <input
                  id={`text-${language}-${key}`}
                  className="input input-full"
                  value={texts[key]}
                  onChange={(e) => setText({ [key]: e.currentTarget.value })}
                />
              )}
            </div>
          ))}
          {CONSENT_CATEGORIES.map((c) => (
            <div className="grid-2" key={c}>
              <div className="field">
                <label htmlFor={`text-${language}-${c}-name`}>{CATEGORY_LABELS[c]}: name</label>
                <input
                  id={`text-${language}-${c}-name`}
                  className="input input-full"
                  value={texts.categories[c].name}
                  onChange={(e) => {
                    const name = e.currentTarget.value;
                    setText({ categories: { ...texts.categories, [c]: { ...texts.categories[c], name } } });
                  }}
                />
              </div>
              <div className="field">
                <label htmlFor={`text-${language}-${c}-description`}>{CATEGORY_LABELS[c]}: description</label>
                <textarea
                  id={`text-${language}-${c}-description`}
                  className="input input-full"
                  rows={2}
                  value={texts.categories[c].description}
                  onChange={(e) => {
                    const description = e.currentTarget.value;
                    setText({ categories: { ...texts.categories, [c]: { ...texts.categories[c], description } } });
                  }}
                />
              </div>
            </div>
          ))}
        </fieldset>
      )}
    </section>
  );
}

function NameAndOrigins({
  site,
  busy,
  save,
}: {
  site: ConsentSiteView;
  busy: boolean;
  save: (change: { name?: string; origins?: string[] }, done: string) => Promise<void>;
}): ReactNode {
  return (
    <section className="panel section" aria-labelledby="origins-heading">
      <h2 id="origins-heading">Name and origins</h2>
      <form
        className="form"
        onSubmit={(e) => {
          e.preventDefault();
          const form = new FormData(e.currentTarget);
          void save(
            {
              name: textOf(form, 'name'),
              origins: textOf(form, 'origins').split(/\s+/).filter(Boolean),
            },
            'Name and origins saved.',
          );
        }}
      >
        <div className="field">
          <label htmlFor="edit-name">Name</label>
          <input id="edit-name" name="name" className="input input-full" defaultValue={site.name} required />
        </div>
        <div className="field">
          <label htmlFor="edit-origins">Origins, one per line</label>
          <textarea
            id="edit-origins"
            name="origins"
            className="input input-full"
            rows={3}
            defaultValue={site.origins.join('\n')}
            required
          />
        </div>
        <div className="form-actions">
          <button type="submit" className="button button-secondary" disabled={busy}>
            Save name and origins
          </button>
        </div>
      </form>
    </section>
  );
}

function Install({ site }: { site: ConsentSiteView }): ReactNode {
  return (
    <section className="panel section" aria-labelledby="install-heading">
      <h2 id="install-heading">Install</h2>
      <CopyField
        label="Put this tag in the head of every page"
        value={site.install.snippet}
        hint="The banner loads its configuration from Canvass and records each choice here."
      />
      <p>Then mark each tag that must wait for consent, for example:</p>
      <pre className="wording">
        {`<script type="text/plain" data-category="advertising" data-service="meta-pixel">…</script>
<template data-category="social" data-service="x-embeds">…</template>
<iframe data-src="https://www.youtube-nocookie.com/embed/…" data-category="social" data-service="youtube"></iframe>`}
      </pre>
    </section>
  );
}

function Preview({ site }: { site: ConsentSiteView }): ReactNode {
  const [language, setLanguage] = useState<BannerLanguage>(site.config.defaultLanguage);
  return (
    <section className="panel section" aria-labelledby="preview-heading">
      <h2 id="preview-heading">Preview</h2>
      <p className="hint">The real banner with the published configuration. Choices made here are not recorded.</p>
      <div className="field">
        <label htmlFor="preview-language">Language</label>
        <select
          id="preview-language"
          className="input"
          value={language}
          onChange={(e) => setLanguage(e.currentTarget.value as BannerLanguage)}
        >
          {site.config.languages.map((l) => (
            <option key={l} value={l}>
              {LANGUAGE_LABELS[l]}
            </option>
          ))}
        </select>
      </div>
      <iframe
        key={`${site.published?.version ?? 0}-${language}`}
        title={`Preview of the banner of ${site.name}`}
        src={`/c/${site.id}/preview?lang=${language}`}
        width="100%"
        height="480"
      />
    </section>
  );
}

// ---------------------------------------------------------------------------------------
// Consent rates: a line per category, the share of receipts that granted it, per day
// ---------------------------------------------------------------------------------------

const CHART_COLOURS: Record<ConsentCategory, string> = {
  necessary: '#6b7280',
  statistics: '#1d70b8',
  appearance: '#00703c',
  advertising: '#d4351c',
  social: '#912b88',
};
const CHART = { width: 640, height: 220, left: 40, right: 10, top: 10, bottom: 30 };

export function RatesChart({ buckets }: { buckets: readonly ConsentRateBucket[] }): ReactNode {
  const plotW = CHART.width - CHART.left - CHART.right;
  const plotH = CHART.height - CHART.top - CHART.bottom;
  const x = (i: number): number =>
    CHART.left + (buckets.length === 1 ? plotW / 2 : (i * plotW) / Math.max(buckets.length - 1, 1));
  const y = (share: number): number => CHART.top + plotH * (1 - share);
  const shown = CONSENT_CATEGORIES.filter((c) => c !== 'necessary');
  return (
    <figure>
      <svg viewBox={`0 0 ${CHART.width} ${CHART.height}`} width="100%" role="img" aria-labelledby="rates-chart-title">
        <title id="rates-chart-title">Share of receipts granting each category, per day</title>
        {[0, 0.25, 0.5, 0.75, 1].map((t) => (
          <g key={t}>
            <line x1={CHART.left} x2={CHART.width - CHART.right} y1={y(t)} y2={y(t)} stroke="#d1d5db" />
            <text x={CHART.left - 6} y={y(t) + 4} fontSize="11" textAnchor="end" fill="#374151">
              {Math.round(t * 100)}%
            </text>
          </g>
        ))}
        {buckets.map((b, i) =>
          i === 0 || i === buckets.length - 1 || buckets.length <= 8 ? (
            <text key={b.day} x={x(i)} y={CHART.height - 10} fontSize="11" textAnchor="middle" fill="#374151">
              {b.day.slice(5)}
            </text>
          ) : null,
        )}
        {shown.map((c) => {
          const points = buckets.map((b, i) => `${x(i)},${y(b.receipts ? b.granted[c] / b.receipts : 0)}`);
          return (
            <g key={c}>
              <polyline points={points.join(' ')} fill="none" stroke={CHART_COLOURS[c]} strokeWidth="2" />
              {buckets.map((b, i) => (
                <circle
                  key={b.day}
                  cx={x(i)}
                  cy={y(b.receipts ? b.granted[c] / b.receipts : 0)}
                  r="3"
                  fill={CHART_COLOURS[c]}
                />
              ))}
            </g>
          );
        })}
      </svg>
      <figcaption>
        <ul className="link-list">
          {shown.map((c) => (
            <li key={c}>
              <svg width="12" height="12" aria-hidden="true">
                <rect width="12" height="12" fill={CHART_COLOURS[c]} />
              </svg>{' '}
              {CATEGORY_LABELS[c]}
            </li>
          ))}
        </ul>
      </figcaption>
    </figure>
  );
}

function Rates({ site }: { site: ConsentSiteView }): ReactNode {
  const { campaign } = useCampaign();
  const [days, setDays] = useState(30);
  const { data, error } = useLoad(
    async () => (await consentSitesApi.rates(campaign.id, site.id, days)).rates,
    [campaign.id, site.id, days],
  );
  return (
    <section className="panel section" aria-labelledby="rates-heading">
      <h2 id="rates-heading">Consent rates</h2>
      <div className="field">
        <label htmlFor="rates-days">Period</label>
        <select id="rates-days" className="input" value={days} onChange={(e) => setDays(Number(e.currentTarget.value))}>
          {[7, 30, 90, 365].map((d) => (
            <option key={d} value={d}>
              Last {d} days
            </option>
          ))}
        </select>
      </div>
      <ListState items={data} error={error} what="consent rates" empty="No receipts in this period.">
        <p>Rates appear once visitors make choices on the website.</p>
      </ListState>
      {data && data.length > 0 ? (
        <>
          <RatesChart buckets={data} />
          <TableRegion label="Consent rates table">
            <table className="table">
              <caption>Receipts per day, and how many granted each category</caption>
              <thead>
                <tr>
                  <th scope="col">Day</th>
                  <th scope="col">Receipts</th>
                  {CONSENT_CATEGORIES.filter((c) => c !== 'necessary').map((c) => (
                    <th scope="col" key={c}>
                      {CATEGORY_LABELS[c]}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {data.map((b) => (
                  <tr key={b.day}>
                    <th scope="row">{b.day}</th>
                    <td className="num">{b.receipts}</td>
                    {CONSENT_CATEGORIES.filter((c) => c !== 'necessary').map((c) => (
                      <td className="num" key={c}>
                        {b.granted[c]} ({Math.round((100 * b.granted[c]) / b.receipts)}%)
                      </td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </TableRegion>
        </>
      ) : null}
    </section>
  );
}

function Receipts({ site }: { site: ConsentSiteView }): ReactNode {
  const { campaign, can } = useCampaign();
  const [consentId, setConsentId] = useState('');
  const [receipts, setReceipts] = useState<ConsentReceiptView[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const search = async (event: FormEvent<HTMLFormElement>): Promise<void> => {
    event.preventDefault();
    try {
      setReceipts((await consentSitesApi.receipts(campaign.id, site.id, consentId.trim() || undefined)).receipts);
      setError(null);
    } catch (caught) {
      setError(sentence(describeError(caught)));
    }
  };
  return (
    <section className="panel section" aria-labelledby="receipts-heading">
      <h2 id="receipts-heading">Receipts</h2>
      <form className="inline-form" onSubmit={(e) => void search(e)}>
        <div className="field">
          <label htmlFor="consent-id">Consent ID</label>
          <p className="hint" id="consent-id-hint">
            The ID the banner showed the visitor. Leave it empty for the latest receipts.
          </p>
          <input
            id="consent-id"
            className="input input-medium input-mono"
            value={consentId}
            onChange={(e) => setConsentId(e.currentTarget.value)}
            aria-describedby="consent-id-hint"
            spellCheck={false}
          />
        </div>
        <button type="submit" className="button button-secondary">
          Find receipts
        </button>
      </form>
      <ErrorNotice message={error} />
      {receipts ? (
        receipts.length === 0 ? (
          <p role="status">No receipts found.</p>
        ) : (
          <TableRegion label="Receipts table">
            <table className="table">
              <caption className="visually-hidden">Receipts</caption>
              <thead>
                <tr>
                  <th scope="col">Stored</th>
                  <th scope="col">Consent ID</th>
                  <th scope="col">Action</th>
                  <th scope="col">Granted</th>
                  <th scope="col">Configuration</th>
                  <th scope="col">Language</th>
                  <th scope="col">GPC</th>
                  <th scope="col">Page</th>
                </tr>
              </thead>
              <tbody>
                {receipts.map((r) => (
                  <tr key={r.receiptId}>
                    <th scope="row">{formatDateTime(r.storedAt)}</th>
                    <td className="input-mono">{r.consentId}</td>
                    <td>{r.action.replace('_', ' ')}</td>
                    <td>
                      {CONSENT_CATEGORIES.filter((c) => r.categories[c])
                        .map((c) => CATEGORY_LABELS[c])
                        .join(', ') || 'none'}
                    </td>
                    <td>
                      {short(r.configHash)} r{r.revision}
                    </td>
                    <td>{r.language}</td>
                    <td>{r.gpc ? 'Yes' : 'No'}</td>
                    <td>{r.pageUrl}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableRegion>
        )
      ) : null}
      {can('governance.manage') ? (
        <p>
          Export every receipt (the download is recorded in the audit trail):{' '}
          <a className="button button-secondary" href={consentSitesApi.exportUrl(campaign.id, site.id, 'csv')} download>
            Download CSV
          </a>{' '}
          <a
            className="button button-secondary"
            href={consentSitesApi.exportUrl(campaign.id, site.id, 'json')}
            download
          >
            Download JSON
          </a>
        </p>
      ) : null}
    </section>
  );
}

function Retention({
  site,
  editable,
  onSaved,
}: {
  site: ConsentSiteView;
  editable: boolean;
  onSaved: (site: ConsentSiteView) => void;
}): ReactNode {
  const { campaign } = useCampaign();
  const [days, setDays] = useState(site.retentionDays === null ? '' : String(site.retentionDays));
  const [status, setStatus] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const run = async (action: () => Promise<string>): Promise<void> => {
    try {
      setStatus(await action());
      setError(null);
    } catch (caught) {
      setError(sentence(describeError(caught)));
    }
  };
  return (
    <section className="panel section" aria-labelledby="retention-heading">
      <h2 id="retention-heading">Keeping receipts</h2>
      <p>
        {site.retentionDays === null
          ? 'Receipts are kept until the website is retired.'
          : `Receipts are kept for ${plural(site.retentionDays, 'day')}.`}{' '}
        Keep them as long as you rely on the consent they prove, and no longer.
      </p>
      <StatusMessage message={status} />
      <ErrorNotice message={error} />
      {editable ? (
        <>
          <form
            className="inline-form"
            onSubmit={(e) => {
              e.preventDefault();
              void run(async () => {
                const retentionDays = days.trim() === '' ? null : Number(days);
                await consentSitesApi.setRetention(campaign.id, site.id, retentionDays);
                onSaved({ ...site, retentionDays });
                return retentionDays === null ? 'Receipts are kept until the website is retired.' : 'Retention saved.';
              });
            }}
          >
            <div className="field">
              <label htmlFor="retention-days">Days to keep receipts (30 to 3650; empty: until retired)</label>
              <input
                id="retention-days"
                className="input input-short"
                inputMode="numeric"
                value={days}
                onChange={(e) => setDays(e.currentTarget.value)}
              />
            </div>
            <button type="submit" className="button button-secondary">
              Save retention
            </button>
          </form>
          {site.retentionDays !== null ? (
            <button
              type="button"
              className="button button-danger-outline"
              onClick={() => {
                if (!window.confirm(`Delete every receipt older than ${plural(site.retentionDays ?? 0, 'day')}?`))
                  return;
                void run(async () => {
                  const { purged } = await consentSitesApi.purge(campaign.id, site.id);
                  return `${plural(purged, 'receipt')} deleted.`;
                });
              }}
            >
              Delete receipts older than {plural(site.retentionDays, 'day')}
            </button>
          ) : null}
        </>
      ) : null}
    </section>
  );
}

function Retire({ site }: { site: ConsentSiteView }): ReactNode {
  const { campaign } = useCampaign();
  const navigate = useNavigate();
  const [error, setError] = useState<string | null>(null);
  return (
    <section className="panel panel-danger section" aria-labelledby="retire-heading">
      <h2 id="retire-heading">Retire this website</h2>
      <p>
        The banner stops loading its configuration and no more choices are recorded. Published versions and receipts are
        kept as proof of the consent given.
      </p>
      <ErrorNotice message={error} />
      <button
        type="button"
        className="button button-danger-outline"
        onClick={() => {
          if (!window.confirm(`Retire ${site.name}? Its banner will stop working.`)) return;
          void consentSitesApi
            .archive(campaign.id, site.id)
            .then(() => navigate(`/c/${campaign.id}/website-consent`))
            .catch((caught: unknown) => setError(sentence(describeError(caught))));
        }}
      >
        Retire {site.name}
      </button>
    </section>
  );
}

function Versions({ site }: { site: ConsentSiteView }): ReactNode {
  return (
    <section className="panel section" aria-labelledby="versions-heading">
      <h2 id="versions-heading">Published versions</h2>
      <p className="hint">
        Every version stays on record: a receipt names the configuration and the text its visitor saw.
      </p>
      <TableRegion label="Published versions table">
        <table className="table">
          <caption className="visually-hidden">Published versions</caption>
          <thead>
            <tr>
              <th scope="col">Version</th>
              <th scope="col">Revision</th>
              <th scope="col">Configuration hash</th>
              <th scope="col">Text hashes</th>
              <th scope="col">Published</th>
            </tr>
          </thead>
          <tbody>
            {site.versions.map((v) => (
              <tr key={v.version}>
                <th scope="row">{v.version}</th>
                <td className="num">{v.revision}</td>
                <td className="input-mono">{short(v.configHash)}</td>
                <td className="input-mono">
                  {BANNER_LANGUAGES.filter((l) => v.textHashes[l])
                    .map((l) => `${l} ${short(v.textHashes[l])}`)
                    .join(', ')}
                </td>
                <td>{formatDateTime(v.publishedAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableRegion>
    </section>
  );
}
