/**
 * Recording an objection to direct marketing from someone identified only by their contact
 * details: a phone call, a letter, an email to the office — whether or not they are in the
 * database, or after their record was erased. Each detail becomes a suppression entry
 * (DM-SUPPRESSION), a keyed hash that outlives any erasure, so the person is refused by every
 * later import and manual entry; anyone held with those details is marked objected too
 * (DM-OBJECTION-ABSOLUTE, UK GDPR Art 21(2)–(3)). Every role may record one.
 */
import { useEffect, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { Link } from 'react-router';
import { api } from '../api.js';
import { useCampaign } from '../campaign-context.js';
import {
  DateTimeField,
  ErrorSummary,
  SubmitButton,
  TextAreaField,
  TextField,
  textOf,
  useForm,
} from '../components/form.js';
import { Page } from '../components/page.js';
import { isoFromLocal, localNow } from '../components/people-ui.js';
import { plural } from '../format.js';

const FIELDS = ['email', 'phone', 'name', 'postcode', 'method', 'receivedAt', 'note'];

interface Recorded {
  entries: number;
  peopleMarked: string[];
  given: string[];
}

function Result({ result, onAnother }: { result: Recorded; onAnother(): void }): ReactNode {
  const { campaign, can } = useCampaign();
  const { entries, peopleMarked, given } = result;
  // The form it replaces had focus: the outcome takes it, so it is read out and the next step is near.
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => box.current?.focus(), []);
  return (
    <div className="notice notice-success" role="status" tabIndex={-1} ref={box}>
      <p>
        <strong>Objection recorded.</strong>{' '}
        {entries === 0
          ? `The ${given.join(', ')} given ${given.length === 1 ? 'was' : 'were'} already suppressed: no new suppression entry was needed.`
          : `${plural(entries, 'suppression entry', 'suppression entries')} ${entries === 1 ? 'was' : 'were'} recorded, for the ${given.join(', ')} given${peopleMarked.length > 0 ? ' and the details of the people who match' : ''}.`}
      </p>
      <p>
        Suppression entries survive erasure: from now on every import and every manual entry with these details is
        refused, and they are kept even if the person&apos;s record is erased. They are keyed hashes, not the details
        themselves.
      </p>
      {peopleMarked.length === 0 ? (
        <p>No one held in this campaign has these details.</p>
      ) : (
        <>
          <p>
            {peopleMarked.length === 1
              ? 'One person held has these details, and is now marked as objecting'
              : `${peopleMarked.length} people held have these details, and are now marked as objecting`}
            : they are excluded from every channel, audience upload, lookalike seed and profiling.
          </p>
          {can('people.read') ? (
            <ul className="bullets">
              {peopleMarked.map((id, index) => (
                <li key={id}>
                  <Link to={`/c/${campaign.id}/people/${id}`}>
                    Open the record{peopleMarked.length > 1 ? ` of person ${index + 1}` : ''}
                  </Link>
                </li>
              ))}
            </ul>
          ) : null}
        </>
      )}
      <p>
        <button type="button" className="button button-secondary" onClick={onAnother}>
          Record another objection
        </button>
      </p>
    </div>
  );
}

export function ObjectionPage(): ReactNode {
  const { campaign } = useCampaign();
  const form = useForm('objection');
  const [result, setResult] = useState<Recorded | null>(null);
  const [formKey, setFormKey] = useState(0);

  const submit = async (event: FormEvent<HTMLFormElement>): Promise<void> => {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const value = (name: string): string | null => textOf(data, name) || null;
    const input = {
      email: value('email'),
      phone: value('phone'),
      name: value('name'),
      postcode: value('postcode'),
      method: textOf(data, 'method'),
      receivedAt: isoFromLocal(textOf(data, 'receivedAt')),
      note: value('note'),
    };
    const ok = form.check([
      ...(input.email || input.phone || input.name || input.postcode
        ? []
        : [{ field: '', message: 'Give an email address, a phone number, or a name and a postcode' }]),
      ...(input.name && !input.postcode ? [{ field: 'postcode', message: 'Give the postcode with the name' }] : []),
      ...(input.postcode && !input.name ? [{ field: 'name', message: 'Give the full name with the postcode' }] : []),
      ...(input.method ? [] : [{ field: 'method', message: 'Say how the objection arrived' }]),
      ...(input.receivedAt ? [] : [{ field: 'receivedAt', message: 'Enter when the objection was received' }]),
    ]);
    if (!ok) return;
    await form.run(async () => {
      const answer = await api.recordObjectionByIdentifier(campaign.id, input);
      setResult({
        entries: answer.suppressionEntriesAdded,
        peopleMarked: answer.peopleMarked,
        given: [
          ...(input.email ? ['email address'] : []),
          ...(input.phone ? ['phone number'] : []),
          ...(input.name ? ['name and postcode'] : []),
        ],
      });
    }, FIELDS);
  };

  return (
    <Page
      title="Record an objection"
      context={campaign.name}
      lead="For someone who objected to direct marketing by phone, letter or email: whether or not they are in your database, or after their record was erased."
    >
      {result ? (
        <Result
          result={result}
          onAnother={() => {
            setResult(null);
            setFormKey((k) => k + 1);
          }}
        />
      ) : (
        <>
          <div className="notice notice-info">
            <p>
              <strong>An objection to direct marketing is absolute</strong> (UK GDPR Art 21(3)). Each detail you give
              becomes a suppression entry: no import or manual entry with it is accepted again, and the entries are kept
              even when a person&apos;s record is erased. Anyone already held with these details is marked as objecting.
            </p>
            <p>If the person is on the People page, you can also record it from their record.</p>
          </div>
          <form key={formKey} className="form" noValidate onSubmit={(e) => void submit(e)}>
            <ErrorSummary form={form} />
            <fieldset className="fieldset">
              <legend>Who objected</legend>
              <p className="hint">
                Give every detail you have: an email address, a phone number, or a full name with a postcode.
              </p>
              <TextField
                form={form}
                name="email"
                label="Email address"
                type="email"
                optional
                autoComplete="off"
                spellCheck={false}
                width="medium"
              />
              <TextField form={form} name="phone" label="Phone number" optional autoComplete="off" width="medium" />
              <div className="form-row">
                <TextField form={form} name="name" label="Full name" optional autoComplete="off" width="medium" />
                <TextField form={form} name="postcode" label="Postcode" optional autoComplete="off" width="short" />
              </div>
            </fieldset>
            <TextField
              form={form}
              name="method"
              label="How the objection arrived"
              hint="For example: phone call, letter, email to the office."
              width="medium"
            />
            <DateTimeField form={form} name="receivedAt" label="When it was received" defaultValue={localNow()} />
            <TextAreaField form={form} name="note" label="Note" optional rows={2} />
            <div className="form-actions">
              <SubmitButton form={form}>Record objection</SubmitButton>
            </div>
          </form>
        </>
      )}
    </Page>
  );
}
