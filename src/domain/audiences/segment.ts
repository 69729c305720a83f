/**
 * A saved segment (issue 5, item 1): who an audience is built from — people on tags or lists,
 * from sources, with attributes, in a consent state. The SQL that selects them is in
 * src/app/audience-segment-sql.ts (the domain imports no database library).
 *
 * The criteria combine with AND; within tags (and within lists) `match` says whether a person
 * needs any or all of them; within an attribute, any of its values (none given: any value).
 *
 * A segment can reveal special category data (UK GDPR Art 9): a list of members or pledged
 * supporters reveals political opinion, so does an inferred support score. `segmentCriteria`
 * names each criterion with the category it reveals — from the attribute's definition, from a
 * tag or list's name (src/domain/people.ts classifies names), or as staff declared it. A
 * declaration can add a category; it can never clear one the name or definition shows
 * (SCD-TARGETING-EXPLICIT-CONSENT reads the result).
 */
import { z } from 'zod';
import { CONSENT_CHANNELS, SPECIAL_CATEGORIES, type DataKind, type SpecialCategory } from '../../shared/labels.js';
import { classifyAttributeName, PURPOSE_PATTERN } from '../people.js';
import type { TargetingCriterion } from '../rules/facts.js';

export const MAX_SEGMENT_ITEMS = 50;

const collectionCriterion = z
  .object({
    id: z.uuid('must be the id of a tag or list'),
    /** Staff's declaration that the tag or list reveals a special category (added to what its name shows). */
    specialCategory: z.enum(SPECIAL_CATEGORIES).nullable().default(null),
  })
  .strict();

const ATTRIBUTE_NAME = /^[a-z0-9][a-z0-9_]{0,62}$/;

export const segmentDefinitionSchema = z
  .object({
    tags: z.array(collectionCriterion).max(MAX_SEGMENT_ITEMS).default([]),
    tagMatch: z.enum(['any', 'all']).default('any'),
    lists: z.array(collectionCriterion).max(MAX_SEGMENT_ITEMS).default([]),
    listMatch: z.enum(['any', 'all']).default('any'),
    /** People from any of these sources (the first source or a later one). */
    sources: z.array(z.uuid('must be the id of a source')).max(MAX_SEGMENT_ITEMS).default([]),
    attributes: z
      .array(
        z
          .object({
            name: z.string().trim().regex(ATTRIBUTE_NAME, 'an attribute name: lower-case letters, digits, underscores'),
            /** Any of these values; absent or empty: the attribute with any value. */
            values: z.array(z.string().trim().min(1).max(200)).max(100).default([]),
          })
          .strict(),
      )
      .max(MAX_SEGMENT_ITEMS)
      .default([]),
    /** People whose current consent for this purpose and channel is (or is not) granted. */
    consent: z
      .object({
        purpose: z.string().trim().regex(PURPOSE_PATTERN, 'a consent purpose, e.g. campaign_updates'),
        channel: z.enum(CONSENT_CHANNELS),
        state: z.enum(['granted', 'not_granted']).default('granted'),
      })
      .strict()
      .nullable()
      .default(null),
  })
  .strict()
  .superRefine((d, ctx) => {
    if (
      d.tags.length + d.lists.length + d.sources.length + d.attributes.length === 0 &&
      (d.consent === null || d.consent.state !== 'granted')
    ) {
      ctx.addIssue({
        code: 'custom',
        path: [],
        message: 'a segment selects by at least one tag, list, source, attribute or granted consent',
      });
    }
    const dup = (ids: readonly string[]): boolean => new Set(ids).size !== ids.length;
    if (dup(d.tags.map((t) => t.id))) ctx.addIssue({ code: 'custom', path: ['tags'], message: 'a tag is named twice' });
    if (dup(d.lists.map((t) => t.id)))
      ctx.addIssue({ code: 'custom', path: ['lists'], message: 'a list is named twice' });
    if (dup(d.attributes.map((a) => a.name)))
      ctx.addIssue({ code: 'custom', path: ['attributes'], message: 'an attribute is named twice' });
  });

export type SegmentDefinition = z.output<typeof segmentDefinitionSchema>;
export type SegmentDefinitionInput = z.input<typeof segmentDefinitionSchema>;

/** What the segment's named criteria are, as the rules need them. */
export interface SegmentLookups {
  tags: ReadonlyMap<string, { name: string }>;
  lists: ReadonlyMap<string, { name: string }>;
  /** The campaign's attribute definitions, by name. */
  attributes: ReadonlyMap<string, { specialCategory: SpecialCategory | null; kind: DataKind }>;
}

/** A tag or list name read the way attribute names are classified ("Pledged supporters" → pledged_supporters). */
const nameKey = (name: string): string =>
  name
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');

/**
 * The targeting criteria of a segment (SCD-TARGETING-EXPLICIT-CONSENT, TR-PROFILING-DISCLOSED),
 * each with the special category it reveals and whether it is inferred.
 */
export function segmentCriteria(d: SegmentDefinition, lookups: SegmentLookups): TargetingCriterion[] {
  const out: TargetingCriterion[] = [];
  const collection = (
    kind: 'tag' | 'list',
    items: readonly { id: string; specialCategory: SpecialCategory | null }[],
    names: ReadonlyMap<string, { name: string }>,
  ): void => {
    for (const item of items) {
      const name = names.get(item.id)?.name ?? item.id;
      const classified = classifyAttributeName(nameKey(name));
      out.push({
        name: `${kind} "${name}"`,
        specialCategory: item.specialCategory ?? classified.specialCategory,
        inferred: classified.specialCategory !== null && classified.kind === 'inferred',
      });
    }
  };
  collection('tag', d.tags, lookups.tags);
  collection('list', d.lists, lookups.lists);
  for (const a of d.attributes) {
    const defined = lookups.attributes.get(a.name);
    const classified = classifyAttributeName(a.name);
    const specialCategory = defined?.specialCategory ?? classified.specialCategory;
    out.push({
      name: `attribute "${a.name}"`,
      specialCategory,
      inferred: (defined?.kind ?? classified.kind) === 'inferred',
    });
  }
  return out;
}
