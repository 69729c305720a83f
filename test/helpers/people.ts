/**
 * People test helpers: sources inserted directly (the sources use case has its own tests),
 * people created through the real createPerson use case, tags and lists inserted directly.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll } from 'vitest';
import type { AppDeps, Principal } from '../../src/app/context.js';
import { createPerson, type PersonDetail } from '../../src/app/people.js';
import { inCampaign } from '../../src/db/scope.js';
import { AppError } from '../../src/domain/errors.js';
import type { SourceType } from '../../src/domain/sources.js';
import { createTestDatabase, type TestDatabase } from './db.js';
import { testDeps } from './factories.js';

export interface TestContext {
  /** This file's own database (set once beforeAll has run). */
  readonly t: TestDatabase;
  /** Application dependencies over it (set once beforeAll has run). */
  readonly deps: AppDeps;
}

/** Gives the calling test file its own database: opened before all its tests, closed after. */
export function useTestDatabase(): TestContext {
  let t: TestDatabase | undefined;
  let deps: AppDeps | undefined;
  beforeAll(async () => {
    t = await createTestDatabase();
    deps = testDeps(t.db);
  });
  afterAll(async () => {
    await t?.close();
  });
  return {
    get t() {
      return t!;
    },
    get deps() {
      return deps!;
    },
  };
}

/** The AppError a promise rejects with (anything else is rethrown; fulfilling is a failure). */
export async function caughtAppError(p: Promise<unknown>): Promise<AppError> {
  try {
    await p;
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('expected an AppError');
}

export async function insertSource(
  deps: AppDeps,
  campaignId: string,
  options: { type?: SourceType; name?: string; archived?: boolean; lawfulBasis?: string } = {},
): Promise<string> {
  const sourceId = randomUUID();
  await inCampaign(deps.db, campaignId, (tx) =>
    tx
      .insertInto('sources')
      .values({
        campaign_id: campaignId,
        source_id: sourceId,
        name: options.name ?? `Source ${sourceId.slice(0, 8)}`,
        type: options.type ?? 'manual_entry',
        lawful_basis: options.lawfulBasis ?? 'legitimate_interests',
        lawful_basis_note: null,
        art9_condition: null,
        due_diligence: null,
        art14_plan: null,
        compatibility_assessment: null,
        created_by: null,
        archived_at: options.archived ? new Date() : null,
      })
      .execute(),
  );
  return sourceId;
}

export interface PersonFields {
  firstName?: string;
  lastName?: string;
  email?: string;
  phone?: string;
  addressLine1?: string;
  town?: string;
  postcode?: string;
}

export async function makePerson(
  deps: AppDeps,
  principal: Principal,
  campaignId: string,
  sourceId: string,
  fields: PersonFields,
): Promise<PersonDetail> {
  return createPerson(deps, principal, campaignId, { sourceId, ...fields });
}

/** Tags a person (creating the tag by name if needed). */
export async function tagPerson(deps: AppDeps, campaignId: string, personId: string, name: string): Promise<string> {
  return inCampaign(deps.db, campaignId, async (tx) => {
    const existing = await tx
      .selectFrom('tags')
      .select('tag_id')
      .where('campaign_id', '=', campaignId)
      .where('name', '=', name)
      .executeTakeFirst();
    const tagId = existing?.tag_id ?? randomUUID();
    if (!existing) await tx.insertInto('tags').values({ campaign_id: campaignId, tag_id: tagId, name }).execute();
    await tx
      .insertInto('person_tags')
      .values({ campaign_id: campaignId, tag_id: tagId, person_id: personId, provenance_id: null })
      .execute();
    return tagId;
  });
}

export async function listPerson(deps: AppDeps, campaignId: string, personId: string, name: string): Promise<string> {
  return inCampaign(deps.db, campaignId, async (tx) => {
    const existing = await tx
      .selectFrom('lists')
      .select('list_id')
      .where('campaign_id', '=', campaignId)
      .where('name', '=', name)
      .executeTakeFirst();
    const listId = existing?.list_id ?? randomUUID();
    if (!existing) await tx.insertInto('lists').values({ campaign_id: campaignId, list_id: listId, name }).execute();
    await tx
      .insertInto('list_members')
      .values({ campaign_id: campaignId, list_id: listId, person_id: personId, provenance_id: null })
      .execute();
    return listId;
  });
}

export const NOW_ISO = (): string => new Date().toISOString();
