/**
 * A person's tags (or lists) on their record: each with where that fact came from, and, for
 * staff who may add facts about people, adding one (an existing tag, or a new name) with its
 * source and kind, and taking one off. Archived tags stay listed but take no one new.
 */
import { useId, useState, type FormEvent, type ReactNode } from 'react';
import { api, describeError, type CollectionKind, type Membership } from '../api.js';
import { useCampaign } from '../campaign-context.js';
import { formatDate, sentence } from '../format.js';
import { useLoad } from '../use-load.js';
import { DATA_KINDS, DATA_KIND_LABELS, type DataKind } from '../../shared/labels.js';
import { ChoiceGroup, ErrorSummary, Field, SubmitButton, textOf, useForm } from './form.js';
import { SourceBasis, SourceSelect, useCurrentSources } from './source-choice.js';

type Done = (message: string) => Promise<void>;

const KIND_HINTS: Record<DataKind, string> = {
  provided: 'Provided: the person told us, e.g. they asked to volunteer',
  observed: 'Observed: we saw it, e.g. they came to a meeting',
  inferred: 'Inferred: we concluded it, e.g. a likely supporter',
};

function AddForm({ kind, personId, onDone }: { kind: CollectionKind; personId: string; onDone: Done }): ReactNode {
  const { campaign } = useCampaign();
  const form = useForm(`add-${kind}`);
  const listId = useId();
  const [formKey, setFormKey] = useState(0);
  const [sourceId, setSourceId] = useState('');
  const { sources, error } = useCurrentSources(campaign.id);
  const existing = useLoad(
    async () =>
      (kind === 'tag' ? (await api.tags(campaign.id)).tags : (await api.lists(campaign.id)).lists).filter(
        (c) => !c.archivedAt,
      ),
    [campaign.id, kind, formKey],
  );
  const chosen = sourceId || (sources?.[0]?.type === 'manual_entry' ? sources[0].id : '');

  const submit = async (event: FormEvent<HTMLFormElement>): Promise<void> => {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const name = textOf(data, 'name');
    const source = textOf(data, 'sourceId');
    const dataKind = textOf(data, 'kind') as DataKind;
    const ok = form.check([
      ...(name ? [] : [{ field: 'name', message: `Enter the ${kind}: one from the list, or a new name` }]),
      ...(source ? [] : [{ field: 'sourceId', message: 'Choose where this comes from' }]),
      ...(DATA_KINDS.includes(dataKind) ? [] : [{ field: 'kind', message: 'Say how we know it' }]),
    ]);
    if (!ok) return;
    const match = existing.data?.find((c) => c.name.toLowerCase() === name.toLowerCase());
    const saved = await form.run(async () => {
      const { membership } = await api.addToCollection(campaign.id, kind, personId, {
        ...(match ? { id: match.id } : { name }),
        sourceId: source,
        kind: dataKind,
      });
      await onDone(kind === 'tag' ? `Tag ${membership.name} added.` : `Added to the list ${membership.name}.`);
    }, ['name', 'tagId', 'listId', 'sourceId', 'kind']);
    if (saved) setFormKey((k) => k + 1);
  };

  if (error) return <p className="field-error">{error}</p>;
  if (!sources) return null;
  return (
    <form key={formKey} className="form disclosure-body" noValidate onSubmit={(e) => void submit(e)}>
      <ErrorSummary form={form} />
      <Field
        form={form}
        name="name"
        label={kind === 'tag' ? 'Tag' : 'List'}
        hint={`Choose one, or type a new name to create the ${kind}.`}
      >
        {(control) => <input {...control} className="input input-medium" list={listId} autoComplete="off" required />}
      </Field>
      <datalist id={listId}>
        {(existing.data ?? []).map((c) => (
          <option key={c.id} value={c.name} />
        ))}
      </datalist>
      <SourceSelect form={form} sources={sources} value={chosen} onChange={setSourceId} label="Where this comes from" />
      <SourceBasis source={sources.find((s) => s.id === chosen)} />
      <ChoiceGroup
        form={form}
        name="kind"
        legend="How we know it"
        type="radio"
        options={DATA_KINDS.map((k) => ({ value: k, label: KIND_HINTS[k] }))}
      />
      <div className="form-actions">
        <SubmitButton form={form}>{kind === 'tag' ? 'Add tag' : 'Add to list'}</SubmitButton>
      </div>
    </form>
  );
}

function Item({
  kind,
  item,
  personId,
  canWrite,
  onDone,
}: {
  kind: CollectionKind;
  item: Membership;
  personId: string;
  canWrite: boolean;
  onDone: Done;
}): ReactNode {
  const { campaign } = useCampaign();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const p = item.provenance;
  const remove = async (): Promise<void> => {
    setBusy(true);
    setError(null);
    try {
      await api.removeFromCollection(campaign.id, kind, personId, item.id);
      await onDone(kind === 'tag' ? `Tag ${item.name} removed.` : `Removed from the list ${item.name}.`);
    } catch (caught) {
      setError(sentence(describeError(caught)));
      setBusy(false);
    }
  };
  return (
    <li>
      <span className="strong">{item.name}</span>
      {item.archived ? <span className="tag tag-muted">Archived</span> : null}
      <span className="code-hint">
        {p
          ? `${DATA_KIND_LABELS[p.kind] ?? p.kind} · ${p.sourceName ?? 'unknown source'} · ${formatDate(p.collectedAt ?? item.addedAt)}`
          : `Added ${formatDate(item.addedAt)}; no provenance recorded`}
      </span>
      {canWrite ? (
        <button type="button" className="button button-link button-small" disabled={busy} onClick={() => void remove()}>
          Remove<span className="visually-hidden"> {item.name}</span>
        </button>
      ) : null}
      {error ? <span className="field-error-inline">{error}</span> : null}
    </li>
  );
}

export function Memberships({
  kind,
  personId,
  items,
  onDone,
}: {
  kind: CollectionKind;
  personId: string;
  items: readonly Membership[];
  onDone: Done;
}): ReactNode {
  const { can } = useCampaign();
  const canWrite = can('people.write');
  // The form (and the sources and names it offers) loads when it is opened.
  const [adding, setAdding] = useState(false);
  return (
    <>
      {items.length === 0 ? (
        <p className="empty">{kind === 'tag' ? 'No tags.' : 'Not on any list.'}</p>
      ) : (
        <ul className="bullets">
          {items.map((item) => (
            <Item key={item.id} kind={kind} item={item} personId={personId} canWrite={canWrite} onDone={onDone} />
          ))}
        </ul>
      )}
      {canWrite ? (
        <details className="disclosure disclosure-small" onToggle={(e) => setAdding(e.currentTarget.open)}>
          <summary>{kind === 'tag' ? 'Add a tag' : 'Add to a list'}</summary>
          {adding ? <AddForm kind={kind} personId={personId} onDone={onDone} /> : null}
        </details>
      ) : null}
    </>
  );
}
