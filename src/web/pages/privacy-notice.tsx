/**
 * The privacy notice (UK GDPR Arts 12–14): the next version, composed from the records, beside
 * the published one; what blocks publishing (each finding with its rule id); the settings the
 * notice needs (objection page, privacy inbox, complaint form); the Welsh text of each section;
 * the publish buttons; and every published version with its public address.
 */
import { useState, type FormEvent, type ReactNode } from 'react';
import { useCampaign } from '../campaign-context.js';
import { ErrorSummary, SubmitButton, TextAreaField, TextField, textOf, useForm } from '../components/form.js';
import { ErrorNotice, Loading, Page, StatusMessage } from '../components/page.js';
import { FindingsList } from '../components/people-ui.js';
import { TableRegion } from '../components/table-region.js';
import { describeError } from '../api.js';
import { formatDate, formatDateTime, sentence } from '../format.js';
import { noticeApi } from '../privacy-notice-api.js';
import { useLoad } from '../use-load.js';
import {
  NOTICE_SECTION_LABELS,
  type NoticeBlock,
  type NoticeDocument,
  type NoticeInline,
  type NoticeOverview,
  type SectionForTranslation,
  type SectionTranslationState,
} from '../../shared/privacy-notice.js';

function Runs({ runs }: { runs: readonly NoticeInline[] }): ReactNode {
  return runs.map((run, i) =>
    run.missing ? (
      <mark key={i}>{run.text}</mark>
    ) : run.href && /^(https?:|mailto:)/i.test(run.href) ? (
      <a key={i} href={run.href} rel="noreferrer" target={run.href.startsWith('mailto:') ? undefined : '_blank'}>
        {run.text}
      </a>
    ) : (
      <span key={i}>{run.text}</span>
    ),
  );
}

function Block({ block }: { block: NoticeBlock }): ReactNode {
  return block.kind === 'paragraph' ? (
    <p>
      <Runs runs={block.content} />
    </p>
  ) : (
    <ul className="bullets">
      {block.items.map((item, i) => (
        <li key={i}>
          <Runs runs={item} />
        </li>
      ))}
    </ul>
  );
}

/** A notice as the public will read it (section headings under the panel’s h2). */
function NoticeView({ document }: { document: NoticeDocument }): ReactNode {
  return (
    <div lang={document.language}>
      <p className="strong">{document.title}</p>
      {document.sections.map((section) => (
        <div key={section.id}>
          <h3>{section.heading}</h3>
          {section.blocks.map((block, i) => (
            <Block key={i} block={block} />
          ))}
        </div>
      ))}
    </div>
  );
}

const WELSH_STATUS: Record<SectionTranslationState['status'], string> = {
  translated: 'Translated',
  missing: 'No Welsh text',
  outdated: 'The English changed since it was translated',
  links_missing: 'The Welsh text leaves out a link of the English',
};

function PublishPanel({
  overview,
  onPublished,
}: {
  overview: NoticeOverview;
  onPublished(message: string): Promise<void>;
}): ReactNode {
  const { campaign, can } = useCampaign();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const { preview, published } = overview;
  const blocked = preview.outcome === 'refuse' || preview.outcome === 'require';
  const welshReady =
    published.en !== null && published.cy === null && published.welsh.every((s) => s.status === 'translated');
  const publish = async (language: 'en' | 'cy'): Promise<void> => {
    setBusy(true);
    setError(null);
    try {
      const result = await noticeApi.publish(campaign.id, language);
      const made = result.created.map((v) => `version ${v.version} in ${v.language === 'cy' ? 'Welsh' : 'English'}`);
      await onPublished(
        made.length > 0
          ? `Published ${made.join(' and ')}.`
          : `Nothing changed: version ${result.version} is already published.`,
      );
    } catch (caught) {
      setError(sentence(describeError(caught)));
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className="panel" aria-labelledby="publish-heading">
      <h2 id="publish-heading">Publish</h2>
      {published.en ? (
        <p>
          Published: version {published.en.version}, {formatDate(published.en.publishedAt)}
          {published.cy ? ', in English and Welsh.' : ', in English.'}{' '}
          <a href={overview.urls.notice} target="_blank" rel="noreferrer">
            Open the public notice
          </a>
          {published.cy ? (
            <>
              {' · '}
              <a href={overview.urls.welsh} target="_blank" rel="noreferrer" hrefLang="cy">
                Cymraeg
              </a>
            </>
          ) : null}
        </p>
      ) : (
        <p>
          Nothing is published yet. People must be given privacy information when their data is collected (Art 13) or
          within a month of obtaining it from elsewhere (Art 14).
        </p>
      )}
      <p className="muted">Public address (no sign-in): {overview.urls.notice}</p>
      {blocked ? (
        <>
          <p>The next version cannot be published until the records say what it must:</p>
          <FindingsList findings={preview.findings} />
        </>
      ) : preview.findings.length > 0 ? (
        <FindingsList findings={preview.findings} />
      ) : null}
      <ErrorNotice message={error} />
      {can('privacy_notice.publish') ? (
        <div className="form-actions">
          <button
            type="button"
            className="button button-primary"
            disabled={busy || blocked || !preview.changed}
            onClick={() => void publish('en')}
          >
            {preview.changed ? `Publish version ${(published.en?.version ?? 0) + 1}` : 'No changes to publish'}
          </button>
          <button
            type="button"
            className="button button-secondary"
            disabled={busy || !welshReady}
            onClick={() => void publish('cy')}
          >
            Publish the Welsh version
          </button>
        </div>
      ) : (
        <p className="muted">The DPO or an owner publishes the notice.</p>
      )}
    </section>
  );
}

function SettingsForm({
  overview,
  onSaved,
}: {
  overview: NoticeOverview;
  onSaved(message: string): Promise<void>;
}): ReactNode {
  const { campaign, can } = useCampaign();
  const form = useForm('notice-settings');
  const editable = can('privacy_notice.edit');
  const submit = async (event: FormEvent<HTMLFormElement>): Promise<void> => {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const value = (name: string): string | null => textOf(data, name) || null;
    await form.run(async () => {
      await noticeApi.updateSettings(campaign.id, {
        objectionUrl: value('objectionUrl'),
        privacyEmail: value('privacyEmail'),
        complaintUrl: value('complaintUrl'),
      });
      await onSaved('The notice settings were saved. The preview below uses them.');
    }, ['objectionUrl', 'privacyEmail', 'complaintUrl']);
  };
  const s = overview.settings;
  if (!editable) {
    return (
      <section className="panel" aria-labelledby="settings-heading">
        <h2 id="settings-heading">How people object and complain</h2>
        <dl className="summary-list">
          <dt>Objection page</dt>
          <dd>{s.objectionUrl ?? 'Not set: people object by email'}</dd>
          <dt>Privacy inbox</dt>
          <dd>{s.privacyEmail ?? 'Not set: the DPO’s email is used'}</dd>
          <dt>Complaint form</dt>
          <dd>{s.complaintUrl ?? 'Not set'}</dd>
        </dl>
      </section>
    );
  }
  return (
    <section className="panel" aria-labelledby="settings-heading">
      <h2 id="settings-heading">How people object and complain</h2>
      <form className="form" noValidate onSubmit={(e) => void submit(e)}>
        <ErrorSummary form={form} />
        <TextField
          form={form}
          name="objectionUrl"
          label="Objection page"
          hint="Where people object to your campaigning (Art 21). Linked from the top of the notice. https:// only."
          spellCheck={false}
          optional
          defaultValue={s.objectionUrl ?? ''}
        />
        <TextField
          form={form}
          name="privacyEmail"
          label="Privacy inbox"
          hint="For rights requests and objections by email. Without it, the DPO’s email is used."
          type="email"
          optional
          defaultValue={s.privacyEmail ?? ''}
        />
        <TextField
          form={form}
          name="complaintUrl"
          label="Complaint form"
          hint="An online form for data protection complaints (DPA 2018 s.164A). Without it, people complain by email or post."
          spellCheck={false}
          optional
          defaultValue={s.complaintUrl ?? ''}
        />
        <div className="form-actions">
          <SubmitButton form={form}>Save settings</SubmitButton>
        </div>
      </form>
    </section>
  );
}

function SectionEditor({
  section,
  state,
  saved,
  onSaved,
}: {
  section: SectionForTranslation;
  state: SectionTranslationState | undefined;
  saved: { heading: string; body: string } | undefined;
  onSaved(message: string): Promise<void>;
}): ReactNode {
  const { campaign } = useCampaign();
  const form = useForm(`cy-${section.id}`);
  const submit = async (event: FormEvent<HTMLFormElement>): Promise<void> => {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    await form.run(async () => {
      await noticeApi.saveTranslation(campaign.id, section.id, {
        heading: textOf(data, 'heading'),
        body: textOf(data, 'body'),
        sourceSha256: section.sha256,
      });
      await onSaved(`The Welsh text of “${section.heading}” was saved.`);
    }, ['heading', 'body']);
  };
  const status = state?.status ?? 'missing';
  return (
    <details className="disclosure">
      <summary>
        {NOTICE_SECTION_LABELS[section.id]}{' '}
        <span className={`tag ${status === 'translated' ? 'tag-completed' : 'tag-muted'}`}>{WELSH_STATUS[status]}</span>
      </summary>
      <div className="disclosure-body grid-2">
        <div>
          <p className="strong">English</p>
          <p className="preserve-lines">{section.text}</p>
        </div>
        <form className="form" noValidate onSubmit={(e) => void submit(e)} lang="cy">
          <ErrorSummary form={form} />
          {state && state.missingLinks.length > 0 ? (
            <p className="notice notice-warning">Keep these links in the Welsh text: {state.missingLinks.join(', ')}</p>
          ) : null}
          <TextField form={form} name="heading" label="Welsh heading" defaultValue={saved?.heading ?? ''} />
          <TextAreaField
            form={form}
            name="body"
            label="Welsh text"
            hint="A blank line between paragraphs; start list items with “- ”. Keep every web and email address of the English: they become links."
            rows={8}
            defaultValue={saved?.body ?? ''}
          />
          <div className="form-actions">
            <SubmitButton form={form} variant="secondary">
              Save the Welsh text
            </SubmitButton>
          </div>
        </form>
      </div>
    </details>
  );
}

function WelshEditor({
  overview,
  onSaved,
}: {
  overview: NoticeOverview;
  onSaved(message: string): Promise<void>;
}): ReactNode {
  const { can } = useCampaign();
  const states = new Map(overview.preview.welsh.map((s) => [s.sectionId, s]));
  const saved = new Map(overview.translations.map((t) => [t.sectionId, t]));
  const done = overview.preview.welsh.filter((s) => s.status === 'translated').length;
  return (
    <section className="panel" aria-labelledby="welsh-heading">
      <h2 id="welsh-heading">Welsh (Cymraeg)</h2>
      <p>
        The Welsh notice is published only when every section has Welsh text for the current English: {done} of{' '}
        {overview.preview.sections.length} sections are ready.
        {overview.preview.changed && overview.published.en
          ? ' The texts below are for the next version: publish it in English first, then the Welsh.'
          : ''}
      </p>
      {can('privacy_notice.edit')
        ? overview.preview.sections.map((section) => (
            <SectionEditor
              key={`${section.id}-${section.sha256}`}
              section={section}
              state={states.get(section.id)}
              saved={saved.get(section.id)}
              onSaved={onSaved}
            />
          ))
        : null}
    </section>
  );
}

function History({ overview }: { overview: NoticeOverview }): ReactNode {
  if (overview.history.length === 0) return null;
  return (
    <section aria-labelledby="history-heading">
      <h2 id="history-heading">Published versions</h2>
      <TableRegion label="Published versions table">
        <table className="table">
          <caption className="visually-hidden">Published versions, newest first</caption>
          <thead>
            <tr>
              <th scope="col">Version</th>
              <th scope="col">Published</th>
              <th scope="col">Languages</th>
              <th scope="col">SHA-256 (English)</th>
            </tr>
          </thead>
          <tbody>
            {overview.history.map((h) => (
              <tr key={h.version}>
                <th scope="row">{h.version}</th>
                <td>{formatDateTime(h.publishedAt)}</td>
                <td>
                  {h.languages.map((l, i) => (
                    <span key={l.language}>
                      {i > 0 ? ' · ' : ''}
                      <a
                        href={`${overview.urls.versions}/${h.version}${l.language === 'cy' ? '?lang=cy' : ''}`}
                        target="_blank"
                        rel="noreferrer"
                        hrefLang={l.language}
                      >
                        {l.language === 'cy' ? 'Cymraeg' : 'English'}
                      </a>
                    </span>
                  ))}
                </td>
                <td className="input-mono">{h.languages.find((l) => l.language === 'en')?.sha256.slice(0, 16)}…</td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableRegion>
    </section>
  );
}

export function PrivacyNoticePage(): ReactNode {
  const { campaign } = useCampaign();
  const { data: overview, error, load } = useLoad(() => noticeApi.overview(campaign.id), [campaign.id]);
  const [message, setMessage] = useState<string | null>(null);
  const reload = async (text: string): Promise<void> => {
    setMessage(text);
    await load();
  };
  return (
    <Page
      title="Privacy notice"
      context={campaign.name}
      lead="Written from your records of processing, sources, joint-controller arrangements and processors, and published at a public address. Matching people’s details with social-media platforms and profiling are explained near the top, as the ICO expects."
    >
      <StatusMessage message={message} />
      <ErrorNotice message={error} />
      {overview === null ? (
        error ? null : (
          <Loading what="the privacy notice" />
        )
      ) : (
        <>
          <PublishPanel overview={overview} onPublished={reload} />
          <SettingsForm overview={overview} onSaved={reload} />
          <div className="grid-2">
            <section className="panel" aria-labelledby="preview-heading">
              <h2 id="preview-heading">
                Next version{' '}
                <span className={`tag ${overview.preview.changed ? 'tag-queued' : 'tag-muted'}`}>
                  {overview.preview.changed ? 'Changed' : 'Same as published'}
                </span>
              </h2>
              <NoticeView document={overview.preview.document} />
            </section>
            <section className="panel" aria-labelledby="published-heading">
              <h2 id="published-heading">
                {overview.published.en ? `Published version ${overview.published.en.version}` : 'Published version'}
              </h2>
              {overview.published.en ? <NoticeView document={overview.published.en.document} /> : <p>None yet.</p>}
            </section>
          </div>
          <WelshEditor overview={overview} onSaved={reload} />
          <History overview={overview} />
        </>
      )}
    </Page>
  );
}
