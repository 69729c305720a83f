/**
 * Tags and lists: what there is, how many people are on each, and (by role) creating,
 * renaming, archiving, restoring and deleting them. Each membership carries where it came
 * from, so one that people are on is archived rather than deleted: it keeps its people and
 * their provenance, and takes no new ones. Only an empty tag or list can be deleted.
 */
import { useState, type FormEvent, type ReactNode } from 'react';
import { Link } from 'react-router';
import { api, describeError, type CollectionKind, type TagView } from '../api.js';
import { useCampaign } from '../campaign-context.js';
import { ErrorSummary, SubmitButton, TextField, textOf, useForm } from '../components/form.js';
import { ErrorNotice, ListState, Page, StatusMessage } from '../components/page.js';
import { TableRegion } from '../components/table-region.js';
import { formatDate, plural, sentence } from '../format.js';
import { useLoad } from '../use-load.js';

type Item = TagView & { description?: string };

const TITLES = { tag: 'Tags', list: 'Lists' } as const;

interface Handlers {
  onDone(message: string): Promise<void>;
  onError(message: string): void;
}

function CreateForm({ kind, onDone }: { kind: CollectionKind; onDone(message: string): Promise<void> }): ReactNode {
  const { campaign } = useCampaign();
  const form = useForm(`create-${kind}`);
  const [formKey, setFormKey] = useState(0);
  const submit = async (event: FormEvent<HTMLFormElement>): Promise<void> => {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const name = textOf(data, 'name');
    if (!form.check(name ? [] : [{ field: 'name', message: `Enter a name for the ${kind}` }])) return;
    const saved = await form.run(async () => {
      await api.createCollection(
        campaign.id,
        kind,
        kind === 'list' ? { name, description: textOf(data, 'description') } : { name },
      );
      await onDone(`The ${kind} ${name} was created.`);
    }, ['name', 'description']);
    if (saved) setFormKey((k) => k + 1);
  };
  return (
    <form key={formKey} className="form" noValidate onSubmit={(e) => void submit(e)}>
      <ErrorSummary form={form} />
      <div className="form-row">
        <TextField form={form} name="name" label={`Name of the new ${kind}`} width="medium" autoComplete="off" />
        {kind === 'list' ? (
          <TextField form={form} name="description" label="What the list is for" optional autoComplete="off" />
        ) : null}
      </div>
      <div className="form-actions">
        <SubmitButton form={form} variant="secondary">
          Create {kind}
        </SubmitButton>
      </div>
    </form>
  );
}

function EditForm({
  kind,
  item,
  onClose,
  onDone,
}: {
  kind: CollectionKind;
  item: Item;
  onClose(): void;
  onDone(message: string): Promise<void>;
}): ReactNode {
  const { campaign } = useCampaign();
  const form = useForm(`edit-${kind}-${item.id}`);
  const submit = async (event: FormEvent<HTMLFormElement>): Promise<void> => {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const name = textOf(data, 'name');
    if (!form.check(name ? [] : [{ field: 'name', message: `Enter a name for the ${kind}` }])) return;
    await form.run(async () => {
      await api.updateCollection(
        campaign.id,
        kind,
        item.id,
        kind === 'list' ? { name, description: textOf(data, 'description') } : { name },
      );
      await onDone(name === item.name ? `The ${kind} ${name} was saved.` : `${item.name} is now called ${name}.`);
      onClose();
    }, ['name', 'description']);
  };
  return (
    <form className="form" noValidate onSubmit={(e) => void submit(e)}>
      <ErrorSummary form={form} />
      <TextField form={form} name="name" label={`New name for ${item.name}`} defaultValue={item.name} width="medium" />
      {kind === 'list' ? (
        <TextField form={form} name="description" label="What the list is for" defaultValue={item.description ?? ''} />
      ) : null}
      <div className="form-actions">
        <SubmitButton form={form} variant="secondary">
          Save
        </SubmitButton>
        <button type="button" className="button button-link" onClick={onClose}>
          Cancel
        </button>
      </div>
    </form>
  );
}

function Row({ kind, item, onDone, onError }: { kind: CollectionKind; item: Item } & Handlers): ReactNode {
  const { campaign, can } = useCampaign();
  const [editing, setEditing] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const manage = can('tags.manage');
  // The people search filters by `?tag=` or `?list=` and the name.
  const peopleLink = `/c/${campaign.id}/people?${new URLSearchParams({ [kind]: item.name }).toString()}`;

  const act = async (action: () => Promise<unknown>, message: string): Promise<void> => {
    setBusy(true);
    try {
      await action();
      await onDone(message);
    } catch (caught) {
      onError(sentence(describeError(caught)));
    } finally {
      setBusy(false);
      setConfirming(false);
    }
  };
  const archive = (archived: boolean): Promise<void> =>
    act(
      () => api.updateCollection(campaign.id, kind, item.id, { archived }),
      archived
        ? `The ${kind} ${item.name} was archived: its people stay on it, and no one new can be added.`
        : `The ${kind} ${item.name} was restored.`,
    );

  return (
    <tr>
      <td>
        <span className="strong">{item.name}</span>
        {item.archivedAt ? <span className="tag tag-muted">Archived</span> : null}
        {item.description ? <span className="code-hint">{item.description}</span> : null}
        {editing ? <EditForm kind={kind} item={item} onClose={() => setEditing(false)} onDone={onDone} /> : null}
      </td>
      <td className="num">
        {item.people > 0 ? (
          <Link to={peopleLink}>
            {item.people.toLocaleString('en-GB')}
            <span className="visually-hidden">
              {' '}
              {item.people === 1 ? 'person' : 'people'} on {item.name}
            </span>
          </Link>
        ) : (
          '0'
        )}
      </td>
      <td className="nowrap">{formatDate(item.createdAt)}</td>
      {manage ? (
        <td>
          <div className="row-actions">
            {!editing ? (
              <button type="button" className="button button-secondary button-small" onClick={() => setEditing(true)}>
                {kind === 'list' ? 'Edit' : 'Rename'}
                <span className="visually-hidden"> {item.name}</span>
              </button>
            ) : null}
            <button
              type="button"
              className="button button-secondary button-small"
              disabled={busy}
              onClick={() => void archive(!item.archivedAt)}
            >
              {item.archivedAt ? 'Restore' : 'Archive'}
              <span className="visually-hidden"> {item.name}</span>
            </button>
            {item.people === 0 ? (
              confirming ? (
                <span className="confirm">
                  <span>Delete {item.name}?</span>
                  <button
                    type="button"
                    className="button button-danger button-small"
                    disabled={busy}
                    onClick={() =>
                      void act(
                        () => api.deleteCollection(campaign.id, kind, item.id),
                        `The ${kind} ${item.name} was deleted.`,
                      )
                    }
                  >
                    Yes, delete
                  </button>
                  <button
                    type="button"
                    className="button button-link button-small"
                    onClick={() => setConfirming(false)}
                  >
                    Keep
                  </button>
                </span>
              ) : (
                <button
                  type="button"
                  className="button button-danger-outline button-small"
                  onClick={() => setConfirming(true)}
                >
                  Delete<span className="visually-hidden"> {item.name}</span>
                </button>
              )
            ) : null}
          </div>
        </td>
      ) : null}
    </tr>
  );
}

function Collection({ kind, onDone, onError }: { kind: CollectionKind } & Handlers): ReactNode {
  const { campaign, can } = useCampaign();
  const title = TITLES[kind];
  const { data, error, load } = useLoad<Item[]>(
    async () => (kind === 'tag' ? (await api.tags(campaign.id)).tags : (await api.lists(campaign.id)).lists),
    [campaign.id, kind],
  );
  const done = async (message: string): Promise<void> => {
    await load();
    await onDone(message);
  };
  const headingId = `${kind}s-heading`;
  return (
    <section className="section" aria-labelledby={headingId}>
      <h2 id={headingId}>{title}</h2>
      <ListState items={data} error={error} what={`${kind}s`} empty={`No ${kind}s yet.`}>
        <p>
          {kind === 'tag'
            ? 'Tags label people, for example Volunteer or Donor. Imports can add them from a column, and staff from a person’s record.'
            : 'Lists are named lists of people, for example a phone bank’s call list.'}
        </p>
      </ListState>
      {data && data.length > 0 ? (
        <TableRegion label={`${title} table`}>
          <table className="table">
            <caption className="visually-hidden">
              {title}, with the number of people on each ({plural(data.length, kind)})
            </caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col" className="num">
                  People
                </th>
                <th scope="col">Created</th>
                {can('tags.manage') ? <th scope="col">Actions</th> : null}
              </tr>
            </thead>
            <tbody>
              {data.map((item) => (
                <Row key={item.id} kind={kind} item={item} onDone={done} onError={onError} />
              ))}
            </tbody>
          </table>
        </TableRegion>
      ) : null}
      {can('people.write') ? (
        <div className="panel">
          <h3>Create {kind === 'tag' ? 'a tag' : 'a list'}</h3>
          <CreateForm kind={kind} onDone={done} />
        </div>
      ) : null}
    </section>
  );
}

export function TagsPage(): ReactNode {
  const { campaign } = useCampaign();
  const [status, setStatus] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const handlers: Handlers = {
    onDone: async (message) => {
      setError(null);
      setStatus(message);
    },
    onError: (message) => {
      setStatus(null);
      setError(message);
    },
  };
  return (
    <Page
      title="Tags and lists"
      context={campaign.name}
      lead="Who is on each tag and list is a fact about them, kept with where it came from. A tag or list that people are on is archived rather than deleted: it keeps its people and that record, and takes no one new. Only an empty one can be deleted."
    >
      <StatusMessage message={status} />
      <ErrorNotice message={error} />
      <Collection kind="tag" {...handlers} />
      <Collection kind="list" {...handlers} />
    </Page>
  );
}
