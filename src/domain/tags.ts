/**
 * Tags and lists: the inputs staff give to manage them and to put people on them. A
 * membership is a fact about a person like any other, so adding one asks where it came from
 * (a source, whose lawful basis it carries) and what kind of data it is — provided by the
 * person, observed, or inferred (ICO guidance on political campaigning; UK GDPR Art 5(2)).
 */
import { z } from 'zod';
import { DATA_KINDS } from '../shared/labels.js';

/** A tag labels people; a list is a named list of people (e.g. a phone bank's call list). */
export const COLLECTION_KINDS = ['tag', 'list'] as const;
export type CollectionKind = (typeof COLLECTION_KINDS)[number];

export const COLLECTION_NAME_MAX = 100;
export const LIST_DESCRIPTION_MAX = 2000;

const name = z
  .string('a name is required')
  .trim()
  .min(1, 'a name is required')
  .max(COLLECTION_NAME_MAX, `at most ${COLLECTION_NAME_MAX} characters`);
const description = z.string().trim().max(LIST_DESCRIPTION_MAX, `at most ${LIST_DESCRIPTION_MAX} characters`);

export const tagInputSchema = z.object({ name }).strict();
export const listInputSchema = z.object({ name, description: description.default('') }).strict();

/** Rename (and, for a list, describe), archive (`archived: true`) or restore (`archived: false`). */
export const tagUpdateSchema = z
  .object({ name: name.optional(), archived: z.boolean().optional() })
  .strict()
  .refine((v) => v.name !== undefined || v.archived !== undefined, {
    message: 'send a new name, or archived: true or false',
  });
export const listUpdateSchema = z
  .object({ name: name.optional(), description: description.optional(), archived: z.boolean().optional() })
  .strict()
  .refine((v) => v.name !== undefined || v.description !== undefined || v.archived !== undefined, {
    message: 'send a new name or description, or archived: true or false',
  });

const membershipFields = {
  /** An existing tag or list by name (case-insensitive), or a new one by that name. */
  name: name.optional(),
  sourceId: z.uuid('choose the source this comes from'),
  kind: z.enum(DATA_KINDS, 'say how we know it: provided by the person, observed, or inferred'),
};

/** Puts a person on a tag: by the tag's id, or by its name (a new name creates the tag). */
export const tagMembershipSchema = z
  .object({ tagId: z.uuid('not a tag id').optional(), ...membershipFields })
  .strict()
  .refine((v) => (v.tagId === undefined) !== (v.name === undefined), {
    message: 'give the tag: its id (tagId) or its name, not both',
    path: ['name'],
  });
export const listMembershipSchema = z
  .object({ listId: z.uuid('not a list id').optional(), ...membershipFields })
  .strict()
  .refine((v) => (v.listId === undefined) !== (v.name === undefined), {
    message: 'give the list: its id (listId) or its name, not both',
    path: ['name'],
  });
export type MembershipInput = { id: string | undefined; name: string | undefined } & Pick<
  z.infer<typeof tagMembershipSchema>,
  'sourceId' | 'kind'
>;
