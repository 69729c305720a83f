/**
 * Campaigns: each is a data controller and a tenant. Creating one makes its creator the
 * owner; every change is recorded in the campaign's audit trail in the same transaction.
 */
import { randomUUID } from 'node:crypto';
import type { CampaignRow, CampaignUpdate } from '../db/schema.js';
import { inCampaign, type Tx } from '../db/scope.js';
import type { AuditActor } from '../domain/audit.js';
import {
  campaignInputSchema,
  campaignUpdateSchema,
  type Campaign,
  type CampaignInput,
  type ControllerType,
} from '../domain/campaign.js';
import { notFound } from '../domain/errors.js';
import { abilitiesOf, type Action, type Role } from '../domain/permissions.js';
import { appendAuditEvent } from './audit.js';
import { actorOf, authorize, membershipRole, nowOf, type AppDeps, type Principal } from './context.js';
import { parseInput } from './validate.js';

export function presentCampaign(row: CampaignRow): Campaign {
  return {
    id: row.campaign_id,
    name: row.name,
    controllerType: row.controller_type as ControllerType,
    postalAddress: row.postal_address,
    icoRegistrationNumber: row.ico_registration_number,
    dpo: row.dpo_name && row.dpo_email ? { name: row.dpo_name, email: row.dpo_email, phone: row.dpo_phone } : null,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** Inserts the campaign, its first owner and the opening audit events. */
export async function insertCampaign(
  tx: Tx,
  input: CampaignInput,
  owner: { userId: string; via: 'setup' | 'campaign_creation' | 'cli' },
  actor: AuditActor,
  now: Date,
  campaignId: string,
): Promise<Campaign> {
  const [row] = await tx
    .insertInto('campaigns')
    .values({
      campaign_id: campaignId,
      name: input.name,
      controller_type: input.controllerType,
      postal_address: input.postalAddress,
      ico_registration_number: input.icoRegistrationNumber ?? null,
      dpo_name: input.dpo?.name ?? null,
      dpo_email: input.dpo?.email ?? null,
      dpo_phone: input.dpo?.phone ?? null,
      created_at: now,
      updated_at: now,
    })
    .returningAll()
    .execute();
  await tx
    .insertInto('memberships')
    .values({ campaign_id: campaignId, user_id: owner.userId, role: 'owner', created_at: now })
    .execute();
  await appendAuditEvent(
    tx,
    campaignId,
    actor,
    { type: 'campaign.created', data: { name: input.name, controllerType: input.controllerType } },
    now,
  );
  await appendAuditEvent(
    tx,
    campaignId,
    actor,
    { type: 'member.joined', data: { userId: owner.userId, role: 'owner', via: owner.via } },
    now,
  );
  return presentCampaign(row!);
}

export async function createCampaign(deps: AppDeps, principal: Principal, input: unknown): Promise<Campaign> {
  const parsed = parseInput(campaignInputSchema, input);
  const campaignId = randomUUID();
  return inCampaign(deps.db, campaignId, (tx) =>
    insertCampaign(
      tx,
      parsed,
      { userId: principal.userId, via: principal.via === 'cli' ? 'cli' : 'campaign_creation' },
      actorOf(principal),
      nowOf(deps),
      campaignId,
    ),
  );
}

export interface CampaignAccess {
  campaign: Campaign;
  role: Role;
  abilities: Action[];
}

export async function getCampaign(deps: AppDeps, principal: Principal, campaignId: string): Promise<CampaignAccess> {
  return inCampaign(deps.db, campaignId, async (tx) => {
    const role = await authorize(tx, principal, campaignId, 'campaign.read');
    const row = await tx.selectFrom('campaigns').selectAll().where('campaign_id', '=', campaignId).executeTakeFirst();
    if (!row) throw notFound('campaign');
    return { campaign: presentCampaign(row), role, abilities: abilitiesOf({ role }) };
  });
}

export async function updateCampaign(
  deps: AppDeps,
  principal: Principal,
  campaignId: string,
  input: unknown,
): Promise<Campaign> {
  return inCampaign(deps.db, campaignId, async (tx) => {
    // Authorize before validating, so a non-member learns nothing from validation errors.
    await membershipRole(tx, principal, campaignId);
    const parsed = parseInput(campaignUpdateSchema, input);
    await authorize(tx, principal, campaignId, 'campaign.update');
    const now = nowOf(deps);
    const set: CampaignUpdate = { updated_at: now };
    const fields: string[] = [];
    if (parsed.name !== undefined) {
      set.name = parsed.name;
      fields.push('name');
    }
    if (parsed.controllerType !== undefined) {
      set.controller_type = parsed.controllerType;
      fields.push('controllerType');
    }
    if (parsed.postalAddress !== undefined) {
      set.postal_address = parsed.postalAddress;
      fields.push('postalAddress');
    }
    if ('icoRegistrationNumber' in parsed) {
      set.ico_registration_number = parsed.icoRegistrationNumber ?? null;
      fields.push('icoRegistrationNumber');
    }
    if ('dpo' in parsed) {
      set.dpo_name = parsed.dpo?.name ?? null;
      set.dpo_email = parsed.dpo?.email ?? null;
      set.dpo_phone = parsed.dpo?.phone ?? null;
      fields.push('dpo');
    }
    const row = await tx
      .updateTable('campaigns')
      .set(set)
      .where('campaign_id', '=', campaignId)
      .returningAll()
      .executeTakeFirst();
    if (!row) throw notFound('campaign');
    if (fields.length > 0) {
      await appendAuditEvent(tx, campaignId, actorOf(principal), { type: 'campaign.updated', data: { fields } }, now);
    }
    return presentCampaign(row);
  });
}
