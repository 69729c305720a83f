/**
 * Processors (UK GDPR Art 28; issue 4): the parties that process personal data on the
 * campaign's behalf — campaign platforms, email and SMS providers, printers — with the
 * Art 28(3) terms of their contract, where they host the data and on what transfer mechanism
 * (Arts 44A, 45A, 46), their sub-processors, how they keep this campaign's data apart from
 * other campaigns' and whether they use it for "service improvement" (ICO guidance).
 *
 * Saving a processor records facts: it is never refused for what the facts show. Its
 * findings (CTRL-ART28-CONTRACT, CTRL-SEGREGATION, XFER-MECHANISM) are shown with it,
 * written to the audit trail with each change, and refuse any activity that shares data with
 * it (see processing-activities.ts).
 */
import { sql } from 'kysely';
import { inCampaign, type Tx } from '../db/scope.js';
import { conflict, notFound } from '../domain/errors.js';
import {
  emptyProcessorFields,
  mergeArt28Terms,
  processorCreateSchema,
  processorUpdateSchema,
  type Processor,
  type ProcessorFields,
} from '../domain/governance.js';
import { uuidv7 } from '../domain/people.js';
import { decideProcessor } from '../domain/rules/governance-rules.js';
import type { ProcessorView } from '../shared/governance.js';
import { appendAuditEvent } from './audit.js';
import { actorOf, authorize, membershipRole, nowOf, type AppDeps, type Principal } from './context.js';
import {
  archiveChange,
  definedOnly,
  findingData,
  loadGovernanceGraph,
  lockReliedOn,
  presentProcessor,
  todayOf,
} from './governance-records.js';
import { parseInput } from './validate.js';

function columnsOf(f: ProcessorFields) {
  return {
    name: f.name,
    service: f.service,
    contract_reference: f.contractReference,
    contract_date: f.contractDate,
    art28_terms: JSON.stringify(f.art28Terms),
    hosting: JSON.stringify(f.hosting),
    sub_processors: JSON.stringify(f.subProcessors),
    segregation: f.segregation,
    service_improvement: f.serviceImprovement,
    service_improvement_note: f.serviceImprovementNote,
    notes: f.notes,
  };
}

const fieldsOf = (p: Processor): ProcessorFields => {
  const { id: _id, createdAt: _c, updatedAt: _u, archivedAt: _a, ...fields } = p;
  return fields;
};

async function assertNameFree(tx: Tx, campaignId: string, name: string, except: string | null): Promise<void> {
  const clash = await tx
    .selectFrom('processors')
    .select('processor_id')
    .where('campaign_id', '=', campaignId)
    .where(sql<string>`lower(name)`, '=', name.toLowerCase())
    .executeTakeFirst();
  if (clash && clash.processor_id !== except) {
    throw conflict(`a processor named "${name}" already exists`, { field: 'name', processorId: clash.processor_id });
  }
}

async function viewOf(tx: Tx, deps: AppDeps, campaignId: string, processorId: string): Promise<ProcessorView> {
  const graph = await loadGovernanceGraph(tx, campaignId, todayOf(deps));
  const processor = graph.processors.get(processorId);
  if (!processor) throw notFound('processor');
  return presentProcessor(processor, graph);
}

export async function createProcessor(
  deps: AppDeps,
  principal: Principal,
  campaignId: string,
  input: unknown,
): Promise<ProcessorView> {
  return inCampaign(deps.db, campaignId, async (tx) => {
    await membershipRole(tx, principal, campaignId);
    const parsed = parseInput(processorCreateSchema, input);
    await authorize(tx, principal, campaignId, 'governance.manage');
    await assertNameFree(tx, campaignId, parsed.name, null);
    const { art28Terms, ...given } = definedOnly(parsed);
    const empty = emptyProcessorFields(parsed.name);
    const fields: ProcessorFields = {
      ...empty,
      ...given,
      art28Terms: mergeArt28Terms(empty.art28Terms, art28Terms && definedOnly(art28Terms)),
    };
    const now = nowOf(deps);
    const processorId = uuidv7(now.getTime());
    await tx
      .insertInto('processors')
      .values({
        campaign_id: campaignId,
        processor_id: processorId,
        ...columnsOf(fields),
        created_at: now,
        created_by: principal.userId,
        updated_at: now,
      })
      .execute();
    await appendAuditEvent(
      tx,
      campaignId,
      actorOf(principal),
      {
        type: 'processor.created',
        data: { processorId, name: fields.name, findings: findingData(decideProcessor(fields).findings) },
      },
      now,
    );
    return viewOf(tx, deps, campaignId, processorId);
  });
}

export async function listProcessors(
  deps: AppDeps,
  principal: Principal,
  campaignId: string,
): Promise<ProcessorView[]> {
  return inCampaign(deps.db, campaignId, async (tx) => {
    await authorize(tx, principal, campaignId, 'governance.read');
    const graph = await loadGovernanceGraph(tx, campaignId, todayOf(deps));
    return [...graph.processors.values()].map((p) => presentProcessor(p, graph));
  });
}

export async function getProcessor(
  deps: AppDeps,
  principal: Principal,
  campaignId: string,
  processorId: string,
): Promise<ProcessorView> {
  return inCampaign(deps.db, campaignId, async (tx) => {
    await authorize(tx, principal, campaignId, 'governance.read');
    return viewOf(tx, deps, campaignId, processorId);
  });
}

/**
 * Changes the fields sent; `archived: true` archives a processor that no activity still
 * relies on. The audit event names the active activities the change reaches, with the
 * processor's findings, so a change that makes them fail the rules is on the record.
 */
export async function updateProcessor(
  deps: AppDeps,
  principal: Principal,
  campaignId: string,
  processorId: string,
  input: unknown,
): Promise<ProcessorView> {
  return inCampaign(deps.db, campaignId, async (tx) => {
    await membershipRole(tx, principal, campaignId);
    const { archived, ...parsed } = parseInput(processorUpdateSchema, input);
    await authorize(tx, principal, campaignId, 'governance.manage');
    const { before, linked } = await lockReliedOn(tx, deps, campaignId, 'processor', processorId);
    const { art28Terms, ...changes } = definedOnly(parsed);
    const sent: string[] = [
      ...Object.keys(changes),
      ...(art28Terms ? Object.keys(definedOnly(art28Terms)).map((t) => `art28Terms.${t}`) : []),
    ];
    const fields: ProcessorFields = {
      ...fieldsOf(before),
      ...changes,
      art28Terms: mergeArt28Terms(before.art28Terms, art28Terms && definedOnly(art28Terms)),
    };
    if (changes.name !== undefined) await assertNameFree(tx, campaignId, fields.name, processorId);
    const now = nowOf(deps);
    const archivedAt = archiveChange('processor', archived, before, linked, now);
    if (archivedAt !== undefined) sent.push('archived');
    await tx
      .updateTable('processors')
      .set({ ...columnsOf(fields), updated_at: now, ...(archivedAt !== undefined ? { archived_at: archivedAt } : {}) })
      .where('campaign_id', '=', campaignId)
      .where('processor_id', '=', processorId)
      .execute();
    if (sent.length > 0) {
      await appendAuditEvent(
        tx,
        campaignId,
        actorOf(principal),
        {
          type: 'processor.updated',
          data: {
            processorId,
            fields: sent,
            findings: findingData(decideProcessor(fields).findings),
            activeActivityIds: linked.filter((a) => a.status === 'active').map((a) => a.id),
          },
        },
        now,
      );
    }
    return viewOf(tx, deps, campaignId, processorId);
  });
}
