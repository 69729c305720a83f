/**
 * Two settings of the audiences area (issue 5): how long export files are kept before they are
 * deleted (the manifests stay), and the consent wordings the DPO marks as explicit statements
 * covering special category data — what SCD-TARGETING-EXPLICIT-CONSENT reads when an audience
 * is defined by political opinion or another special category attribute.
 */
import { useState, type FormEvent, type ReactNode } from 'react';
import { audiencesApi } from '../audiences-api.js';
import { useCampaign } from '../campaign-context.js';
import { ErrorSummary, SubmitButton, TextAreaField, TextField, textOf, useForm } from './form.js';
import { ErrorNotice, ListState, StatusMessage } from './page.js';
import { formatDateTime, plural } from '../format.js';
import { useLoad } from '../use-load.js';
import type { ConsentWordingView } from '../../shared/audiences.js';

/** The campaign's file expiry, and a form to change it for those who may export. */
export function AudienceFileExpiry(): ReactNode {
  const { campaign, can } = useCampaign();
  const {
    data: settings,
    error,
    load,
  } = useLoad(async () => (await audiencesApi.settings(campaign.id)).settings, [campaign.id]);
  const form = useForm('file-expiry');
  const [status, setStatus] = useState<string | null>(null);
  const submit = async (event: FormEvent<HTMLFormElement>): Promise<void> => {
    event.preventDefault();
    setStatus(null);
    const text = textOf(new FormData(event.currentTarget), 'fileExpiryDays');
    const days = Number(text);
    if (
      !form.check(
        text === '' || !Number.isInteger(days)
          ? [{ field: 'fileExpiryDays', message: 'enter a whole number of days' }]
          : [],
      )
    )
      return;
    const ok = await form.run(async () => {
      await audiencesApi.updateSettings(campaign.id, { fileExpiryDays: days });
    }, ['fileExpiryDays']);
    if (ok) {
      setStatus(`Export files are now deleted ${plural(days, 'day', 'days')} after each export.`);
      await load();
    }
  };
  return (
    <section aria-labelledby="file-expiry-heading">
      <h2 id="file-expiry-heading">How long export files are kept</h2>
      <ErrorNotice message={error} />
      {settings ? (
        <p>
          Files are deleted {plural(settings.fileExpiryDays, 'day', 'days')} after each export
          {settings.isDefault
            ? ' (the default)'
            : settings.updatedAt
              ? `, set ${formatDateTime(settings.updatedAt)}`
              : ''}
          . Each manifest is kept. An audience may set its own period.
        </p>
      ) : null}
      {settings && can('audiences.export') ? (
        <form onSubmit={(e) => void submit(e)} noValidate>
          <ErrorSummary form={form} />
          <TextField
            form={form}
            name="fileExpiryDays"
            label="Days to keep export files"
            hint={`1 to 90. Keep personal data no longer than the upload needs it (default ${settings.defaultFileExpiryDays}).`}
            type="number"
            inputMode="numeric"
            width="short"
            defaultValue={String(settings.fileExpiryDays)}
          />
          <SubmitButton form={form} variant="secondary">
            Save
          </SubmitButton>
        </form>
      ) : null}
      <StatusMessage message={status} />
    </section>
  );
}

/** One wording: its text, its use, and — for the DPO or the owner — the form that marks it explicit. */
function WordingRow({ wording, onMarked }: { wording: ConsentWordingView; onMarked: () => Promise<void> }): ReactNode {
  const { campaign, can } = useCampaign();
  const [open, setOpen] = useState(false);
  const form = useForm(`wording-${wording.wordingHash.slice(0, 12)}`);
  const submit = async (event: FormEvent<HTMLFormElement>): Promise<void> => {
    event.preventDefault();
    const note = textOf(new FormData(event.currentTarget), 'note');
    if (!form.check(note === '' ? [{ field: 'note', message: 'say why this wording is an explicit statement' }] : []))
      return;
    const ok = await form.run(async () => {
      await audiencesApi.markExplicit(campaign.id, wording.wordingHash, note);
    }, ['note']);
    if (ok) await onMarked();
  };
  return (
    <li>
      <blockquote>{wording.text}</blockquote>
      <p className="code-hint">
        {plural(wording.grantedConsents, 'consent', 'consents')} given with it
        {wording.versions.length > 0 ? ` (version ${wording.versions.join(', ')})` : ''}; first used{' '}
        {formatDateTime(wording.firstSeenAt)}. SHA-256 <code>{wording.wordingHash}</code>
      </p>
      {wording.explicit ? (
        <p>
          <span className="tag tag-explicit">Explicit</span> since {formatDateTime(wording.explicit.recordedAt)}:{' '}
          {wording.explicit.note}
        </p>
      ) : can('governance.manage') ? (
        open ? (
          <form onSubmit={(e) => void submit(e)} noValidate>
            <ErrorSummary form={form} />
            <TextAreaField
              form={form}
              name="note"
              label="Why this wording is an explicit statement (UK GDPR Art 9(2)(a))"
              hint="For example: a separate, unticked box that names political opinions and the adverts. This cannot be undone."
            />
            <SubmitButton form={form}>Mark explicit</SubmitButton>{' '}
            <button type="button" className="button button-secondary" onClick={() => setOpen(false)}>
              Cancel
            </button>
          </form>
        ) : (
          <button type="button" className="button button-secondary" onClick={() => setOpen(true)}>
            Mark as explicit consent…
          </button>
        )
      ) : (
        <p>Not marked explicit.</p>
      )}
    </li>
  );
}

/** The consent wordings of the campaign, for SCD-TARGETING-EXPLICIT-CONSENT. */
export function ConsentWordings(): ReactNode {
  const { campaign } = useCampaign();
  const {
    data: wordings,
    error,
    load,
  } = useLoad(async () => (await audiencesApi.wordings(campaign.id)).wordings, [campaign.id]);
  return (
    <section aria-labelledby="wordings-heading">
      <h2 id="wordings-heading">Consent wordings and explicit consent</h2>
      <p>
        An audience drawn on political opinions or another special category needs explicit consent from everyone in it
        (SCD-TARGETING-EXPLICIT-CONSENT). A consent counts as explicit only when its wording is marked here by the DPO
        or the owner.
      </p>
      <ListState
        items={wordings}
        error={error}
        what="consent wordings"
        empty="No consent has been recorded with a wording yet."
      >
        <p>Wordings appear here once a consent is recorded with one (a form, an import, staff).</p>
      </ListState>
      {wordings && wordings.length > 0 ? (
        <ul className="wording-list">
          {wordings.map((w) => (
            <WordingRow key={w.wordingHash} wording={w} onMarked={load} />
          ))}
        </ul>
      ) : null}
    </section>
  );
}
