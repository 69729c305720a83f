/**
 * What staff record about a person: consent and its withdrawal (with the evidence Art 7(1)
 * asks for), an objection (absolute: DM-OBJECTION-ABSOLUTE), the Art 14 notice, and erasure.
 */
import { useState, type FormEvent, type ReactNode } from 'react';
import { api, type ConsentInput } from '../api.js';
import { useCampaign } from '../campaign-context.js';
import {
  ChoiceGroup,
  DateTimeField,
  ErrorSummary,
  SubmitButton,
  TextAreaField,
  TextField,
  textOf,
  useForm,
} from './form.js';
import { Dialog, isoFromLocal, localNow } from './people-ui.js';
import { plural } from '../format.js';
import { CONSENT_CHANNELS, CONSENT_CHANNEL_LABELS, type ConsentChannel } from '../../shared/labels.js';

const CHANNEL_OPTIONS = CONSENT_CHANNELS.map((c) => ({ value: c, label: CONSENT_CHANNEL_LABELS[c] }));

type Done = (message: string) => Promise<void>;

export function ConsentForm({
  action,
  personId,
  onDone,
}: {
  action: 'granted' | 'withdrawn';
  personId: string;
  onDone: Done;
}): ReactNode {
  const { campaign } = useCampaign();
  const form = useForm(action === 'granted' ? 'consent' : 'withdrawal');
  const [formKey, setFormKey] = useState(0);
  const granting = action === 'granted';
  const fields = ['purpose', 'channels', 'method', 'wording', 'wordingVersion', 'occurredAt', 'note'];

  const submit = async (event: FormEvent<HTMLFormElement>): Promise<void> => {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const channels = data.getAll('channels').map(String) as ConsentChannel[];
    const occurredAt = isoFromLocal(textOf(data, 'occurredAt'));
    const note = textOf(data, 'note') || null;
    const base = { purpose: textOf(data, 'purpose'), channels, method: textOf(data, 'method'), occurredAt, note };
    const input: ConsentInput = granting
      ? { ...base, action, wording: textOf(data, 'wording'), wordingVersion: textOf(data, 'wordingVersion') }
      : { ...base, action };
    const ok = form.check([
      ...(base.purpose ? [] : [{ field: 'purpose', message: 'Enter the purpose, e.g. campaign_updates' }]),
      ...(channels.length ? [] : [{ field: 'channels', message: 'Choose at least one channel' }]),
      ...(base.method ? [] : [{ field: 'method', message: 'Say how it was given, e.g. web form or phone call' }]),
      ...(granting && !textOf(data, 'wording')
        ? [{ field: 'wording', message: 'Enter the exact wording the person agreed to' }]
        : []),
      ...(granting && !textOf(data, 'wordingVersion')
        ? [{ field: 'wordingVersion', message: 'Enter the version of the wording' }]
        : []),
      ...(occurredAt ? [] : [{ field: 'occurredAt', message: 'Enter when it happened' }]),
    ]);
    if (!ok) return;
    const saved = await form.run(async () => {
      const { records } = await api.recordConsent(campaign.id, personId, input);
      await onDone(
        `${granting ? 'Consent' : 'Withdrawal'} recorded for ${input.purpose}: ${plural(records.length, 'channel')}.`,
      );
    }, fields);
    if (saved) setFormKey((k) => k + 1);
  };

  return (
    <form key={formKey} className="form disclosure-body" noValidate onSubmit={(e) => void submit(e)}>
      <ErrorSummary form={form} />
      <TextField
        form={form}
        name="purpose"
        label="Purpose"
        hint="Lower-case letters, digits and underscores, e.g. campaign_updates or volunteering."
        spellCheck={false}
        width="medium"
      />
      <ChoiceGroup form={form} name="channels" legend="Channels" type="checkbox" options={CHANNEL_OPTIONS} />
      <TextField
        form={form}
        name="method"
        label={granting ? 'How consent was given' : 'How the withdrawal arrived'}
        hint={
          granting ? 'For example: web form, paper form, phone call.' : 'For example: email, phone, unsubscribe link.'
        }
        width="medium"
      />
      {granting ? (
        <>
          <TextAreaField
            form={form}
            name="wording"
            label="Exact wording shown to the person"
            hint="Copy it word for word: it is the evidence of what they agreed to."
            rows={4}
          />
          <TextField form={form} name="wordingVersion" label="Version of the wording" width="short" />
        </>
      ) : null}
      <DateTimeField
        form={form}
        name="occurredAt"
        label={granting ? 'When consent was given' : 'When it was withdrawn'}
        defaultValue={localNow()}
      />
      <TextField form={form} name="note" label="Note" optional />
      <div className="form-actions">
        <SubmitButton form={form}>{granting ? 'Record consent' : 'Record withdrawal'}</SubmitButton>
      </div>
    </form>
  );
}

export function ObjectionForm({ personId, onDone }: { personId: string; onDone: Done }): ReactNode {
  const { campaign } = useCampaign();
  const form = useForm('objection');
  const submit = async (event: FormEvent<HTMLFormElement>): Promise<void> => {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const method = textOf(data, 'method');
    const receivedAt = isoFromLocal(textOf(data, 'receivedAt'));
    const ok = form.check([
      ...(method ? [] : [{ field: 'method', message: 'Say how the objection arrived' }]),
      ...(receivedAt ? [] : [{ field: 'receivedAt', message: 'Enter when the objection was received' }]),
    ]);
    if (!ok) return;
    await form.run(async () => {
      const answer = await api.recordObjection(campaign.id, personId, {
        method,
        receivedAt,
        note: textOf(data, 'note') || null,
      });
      await onDone(
        `Objection recorded. ${plural(answer.suppressionEntriesAdded, 'suppression entry', 'suppression entries')} added.`,
      );
    }, ['method', 'receivedAt', 'note']);
  };
  return (
    <form className="form disclosure-body" noValidate onSubmit={(e) => void submit(e)}>
      <div className="notice notice-info">
        <p>
          <strong>An objection to direct marketing is absolute</strong> (UK GDPR Art 21(3)). Once recorded, this person
          is excluded from every channel — email, SMS, phone, post — and from audience uploads, lookalike seeds and
          profiling. It cannot be undone by staff, and suppression entries keep them out of future imports even if their
          record is erased.
        </p>
      </div>
      <ErrorSummary form={form} />
      <TextField
        form={form}
        name="method"
        label="How the objection arrived"
        hint="For example: email, phone, on the doorstep, letter."
        width="medium"
      />
      <DateTimeField form={form} name="receivedAt" label="When it was received" defaultValue={localNow()} />
      <TextAreaField form={form} name="note" label="Note" optional rows={2} />
      <div className="form-actions">
        <SubmitButton form={form}>Record objection</SubmitButton>
      </div>
    </form>
  );
}

export function NoticeForm({ personId, onDone }: { personId: string; onDone: Done }): ReactNode {
  const { campaign } = useCampaign();
  const form = useForm('art14');
  const submit = async (event: FormEvent<HTMLFormElement>): Promise<void> => {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const method = textOf(data, 'method');
    const sentAt = isoFromLocal(textOf(data, 'sentAt'));
    const ok = form.check([
      ...(method ? [] : [{ field: 'method', message: 'Say how the notice was sent' }]),
      ...(sentAt ? [] : [{ field: 'sentAt', message: 'Enter when the notice was sent' }]),
    ]);
    if (!ok) return;
    await form.run(async () => {
      await api.recordArt14Notice(campaign.id, personId, { sentAt, method });
      await onDone('The privacy notice was recorded as sent.');
    }, ['method', 'sentAt']);
  };
  return (
    <details className="panel disclosure-panel">
      <summary>Record the notice as sent</summary>
      <form className="form disclosure-body" noValidate onSubmit={(e) => void submit(e)}>
        <ErrorSummary form={form} />
        <TextField
          form={form}
          name="method"
          label="How it was sent"
          hint="For example: letter, email, leaflet."
          width="medium"
        />
        <DateTimeField form={form} name="sentAt" label="When it was sent" defaultValue={localNow()} />
        <div className="form-actions">
          <SubmitButton form={form}>Record notice sent</SubmitButton>
        </div>
      </form>
    </details>
  );
}

export function EraseAction({
  personId,
  name,
  onErased,
}: {
  personId: string;
  name: string;
  onErased(message: string): void;
}): ReactNode {
  const { campaign } = useCampaign();
  const [open, setOpen] = useState(false);
  const form = useForm('erase');
  const submit = async (event: FormEvent<HTMLFormElement>): Promise<void> => {
    event.preventDefault();
    const reason = textOf(new FormData(event.currentTarget), 'reason');
    if (!form.check(reason ? [] : [{ field: 'reason', message: 'Record why the person is erased' }])) return;
    await form.run(async () => {
      const answer = await api.erasePerson(campaign.id, personId, { reason });
      setOpen(false);
      onErased(answer.message);
    }, ['reason']);
  };
  return (
    <>
      <p>
        Erasure removes this person&apos;s record, values and consent records for good. Any suppression entries are
        kept, so that someone who objected is never imported again.
      </p>
      <button type="button" className="button button-danger" onClick={() => setOpen(true)}>
        Erase {name}…
      </button>
      <Dialog
        open={open}
        title={`Erase ${name}?`}
        onClose={() => {
          setOpen(false);
          form.reset();
        }}
      >
        <form className="form" noValidate onSubmit={(e) => void submit(e)}>
          <p>This cannot be undone.</p>
          <ErrorSummary form={form} />
          <TextAreaField
            form={form}
            name="reason"
            label="Reason for erasure"
            hint="For example: erasure request received by email on 29 November 2026."
            rows={3}
          />
          <div className="form-actions">
            <button type="submit" className="button button-danger" disabled={form.busy}>
              {form.busy ? 'Erasing…' : 'Erase permanently'}
            </button>
            <button type="button" className="button button-secondary" onClick={() => setOpen(false)}>
              Keep this person
            </button>
          </div>
        </form>
      </Dialog>
    </>
  );
}
