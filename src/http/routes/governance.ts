/**
 * Governance records (issue 4): the record of processing activities (UK GDPR Art 30) with its
 * export, processors (Art 28) and joint-controller arrangements (Art 26), and the platform
 * presets arrangements start from.
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { AppDeps } from '../../app/context.js';
import { parseInput } from '../../app/validate.js';
import {
  createJointControllerArrangement,
  getJointControllerArrangement,
  listJointControllerArrangements,
  listPlatformPresets,
  updateJointControllerArrangement,
} from '../../app/joint-controllers.js';
import {
  activateProcessingActivity,
  createProcessingActivity,
  getProcessingActivity,
  listProcessingActivities,
  retireProcessingActivity,
  updateProcessingActivity,
} from '../../app/processing-activities.js';
import { createProcessor, getProcessor, listProcessors, updateProcessor } from '../../app/processors.js';
import { exportRecordOfProcessing, recordOfProcessingCsv } from '../../app/record-of-processing.js';
import {
  ACTIVITY_STATUSES,
  activityCreateSchema,
  activityUpdateSchema,
  arrangementCreateSchema,
  arrangementUpdateSchema,
  processorCreateSchema,
  processorUpdateSchema,
} from '../../domain/governance.js';
import { requirePrincipal } from '../auth.js';
import { campaignParams, idParam } from './common.js';

const activityParams = campaignParams.extend({ activityId: z.uuid() });
const processorParams = campaignParams.extend({ processorId: z.uuid() });
const arrangementParams = campaignParams.extend({ arrangementId: z.uuid() });
const listQuery = z.object({ status: z.enum(ACTIVITY_STATUSES).optional() });
const recordQuery = z.object({
  include: z.enum(['active', 'all']).optional(),
  format: z.enum(['json', 'print']).optional(),
});

export function registerGovernanceRoutes(app: FastifyInstance, deps: AppDeps): void {
  const campaign = (params: unknown): string => idParam(params, 'campaignId', 'campaign');

  // -------------------------------------------------------------------------------------
  // Record of processing activities
  // -------------------------------------------------------------------------------------

  app.get(
    '/campaigns/:campaignId/processing-activities',
    {
      schema: {
        tags: ['governance'],
        summary: 'Processing activities by name, each with its current rule decision (?status= filters)',
        params: campaignParams,
        querystring: listQuery,
      },
    },
    async (request) => {
      const { status } = parseInput(listQuery, request.query ?? {});
      return {
        activities: await listProcessingActivities(
          deps,
          await requirePrincipal(deps, request),
          campaign(request.params),
          status === undefined ? {} : { status },
        ),
      };
    },
  );

  app.post(
    '/campaigns/:campaignId/processing-activities',
    {
      schema: {
        tags: ['governance'],
        summary:
          'Record a processing activity (a draft; status "active" creates and activates it — 422 rule_refused names the rules and what is missing)',
        params: campaignParams,
        body: activityCreateSchema,
      },
    },
    async (request, reply) =>
      reply.status(201).send({
        activity: await createProcessingActivity(
          deps,
          await requirePrincipal(deps, request),
          campaign(request.params),
          request.body,
        ),
      }),
  );

  app.get(
    '/campaigns/:campaignId/processing-activities/:activityId',
    { schema: { tags: ['governance'], summary: 'One processing activity', params: activityParams } },
    async (request) => ({
      activity: await getProcessingActivity(
        deps,
        await requirePrincipal(deps, request),
        campaign(request.params),
        idParam(request.params, 'activityId', 'processing activity'),
      ),
    }),
  );

  app.patch(
    '/campaigns/:campaignId/processing-activities/:activityId',
    {
      schema: {
        tags: ['governance'],
        summary:
          'Change a processing activity (only the fields sent; an active one must still pass the rules: 422 rule_refused)',
        params: activityParams,
        body: activityUpdateSchema,
      },
    },
    async (request) => ({
      activity: await updateProcessingActivity(
        deps,
        await requirePrincipal(deps, request),
        campaign(request.params),
        idParam(request.params, 'activityId', 'processing activity'),
        request.body,
      ),
    }),
  );

  app.post(
    '/campaigns/:campaignId/processing-activities/:activityId/activate',
    {
      schema: {
        tags: ['governance'],
        summary:
          'Activate a draft (422 rule_refused: ROPA-COMPLETE, ONL-ARRANGEMENT-GAPS, CTRL-ART28-CONTRACT, XFER-MECHANISM…, naming what is missing)',
        params: activityParams,
      },
    },
    async (request) => ({
      activity: await activateProcessingActivity(
        deps,
        await requirePrincipal(deps, request),
        campaign(request.params),
        idParam(request.params, 'activityId', 'processing activity'),
      ),
    }),
  );

  app.post(
    '/campaigns/:campaignId/processing-activities/:activityId/retire',
    {
      schema: {
        tags: ['governance'],
        summary: 'Retire a processing activity (its record is kept)',
        params: activityParams,
      },
    },
    async (request) => ({
      activity: await retireProcessingActivity(
        deps,
        await requirePrincipal(deps, request),
        campaign(request.params),
        idParam(request.params, 'activityId', 'processing activity'),
      ),
    }),
  );

  app.get(
    '/campaigns/:campaignId/record-of-processing',
    {
      schema: {
        tags: ['governance'],
        summary:
          'The record of processing activities (Art 30) as one document: active activities, or ?include=all; ?format=print for the printable page (audited)',
        params: campaignParams,
        querystring: recordQuery,
      },
    },
    async (request) => {
      const query = parseInput(recordQuery, request.query ?? {});
      return {
        record: await exportRecordOfProcessing(deps, await requirePrincipal(deps, request), campaign(request.params), {
          format: query.format ?? 'json',
          ...(query.include !== undefined ? { include: query.include } : {}),
        }),
      };
    },
  );

  app.get(
    '/campaigns/:campaignId/record-of-processing.csv',
    {
      schema: {
        tags: ['governance'],
        summary:
          'The record of processing activities as CSV, one row per activity, formula-neutralised (?include=all adds drafts and retired ones; the download is audited)',
        params: campaignParams,
        querystring: recordQuery.pick({ include: true }),
      },
    },
    async (request, reply) => {
      const query = parseInput(recordQuery.pick({ include: true }), request.query ?? {});
      const record = await exportRecordOfProcessing(
        deps,
        await requirePrincipal(deps, request),
        campaign(request.params),
        { format: 'csv', ...(query.include !== undefined ? { include: query.include } : {}) },
      );
      return reply
        .type('text/csv; charset=utf-8')
        .header(
          'content-disposition',
          `attachment; filename="record-of-processing-${record.generatedAt.slice(0, 10)}.csv"`,
        )
        .send(recordOfProcessingCsv(record));
    },
  );

  // -------------------------------------------------------------------------------------
  // Processors
  // -------------------------------------------------------------------------------------

  app.get(
    '/campaigns/:campaignId/processors',
    { schema: { tags: ['governance'], summary: 'Processors by name, with their findings', params: campaignParams } },
    async (request) => ({
      processors: await listProcessors(deps, await requirePrincipal(deps, request), campaign(request.params)),
    }),
  );

  app.post(
    '/campaigns/:campaignId/processors',
    {
      schema: {
        tags: ['governance'],
        summary: 'Record a processor: Art 28(3) terms, hosting and transfers, sub-processors, segregation',
        params: campaignParams,
        body: processorCreateSchema,
      },
    },
    async (request, reply) =>
      reply.status(201).send({
        processor: await createProcessor(
          deps,
          await requirePrincipal(deps, request),
          campaign(request.params),
          request.body,
        ),
      }),
  );

  app.get(
    '/campaigns/:campaignId/processors/:processorId',
    { schema: { tags: ['governance'], summary: 'One processor', params: processorParams } },
    async (request) => ({
      processor: await getProcessor(
        deps,
        await requirePrincipal(deps, request),
        campaign(request.params),
        idParam(request.params, 'processorId', 'processor'),
      ),
    }),
  );

  app.patch(
    '/campaigns/:campaignId/processors/:processorId',
    {
      schema: {
        tags: ['governance'],
        summary: 'Change a processor (only the fields and terms sent); archived: true archives it',
        params: processorParams,
        body: processorUpdateSchema,
      },
    },
    async (request) => ({
      processor: await updateProcessor(
        deps,
        await requirePrincipal(deps, request),
        campaign(request.params),
        idParam(request.params, 'processorId', 'processor'),
        request.body,
      ),
    }),
  );

  // -------------------------------------------------------------------------------------
  // Joint-controller arrangements
  // -------------------------------------------------------------------------------------

  app.get(
    '/campaigns/:campaignId/joint-controller-arrangements',
    {
      schema: {
        tags: ['governance'],
        summary: 'Art 26 arrangements with their responsibility matrix, gaps and review status',
        params: campaignParams,
      },
    },
    async (request) => ({
      arrangements: await listJointControllerArrangements(
        deps,
        await requirePrincipal(deps, request),
        campaign(request.params),
      ),
    }),
  );

  app.post(
    '/campaigns/:campaignId/joint-controller-arrangements',
    {
      schema: {
        tags: ['governance'],
        summary:
          'Record an arrangement for a platform and scope (fromPreset: true fills in what the platform’s terms cover; every party is left to assign)',
        params: campaignParams,
        body: arrangementCreateSchema,
      },
    },
    async (request, reply) =>
      reply.status(201).send({
        arrangement: await createJointControllerArrangement(
          deps,
          await requirePrincipal(deps, request),
          campaign(request.params),
          request.body,
        ),
      }),
  );

  app.get(
    '/campaigns/:campaignId/joint-controller-arrangements/:arrangementId',
    { schema: { tags: ['governance'], summary: 'One joint-controller arrangement', params: arrangementParams } },
    async (request) => ({
      arrangement: await getJointControllerArrangement(
        deps,
        await requirePrincipal(deps, request),
        campaign(request.params),
        idParam(request.params, 'arrangementId', 'joint-controller arrangement'),
      ),
    }),
  );

  app.patch(
    '/campaigns/:campaignId/joint-controller-arrangements/:arrangementId',
    {
      schema: {
        tags: ['governance'],
        summary: 'Change an arrangement (only the fields and responsibilities sent); archived: true archives it',
        params: arrangementParams,
        body: arrangementUpdateSchema,
      },
    },
    async (request) => ({
      arrangement: await updateJointControllerArrangement(
        deps,
        await requirePrincipal(deps, request),
        campaign(request.params),
        idParam(request.params, 'arrangementId', 'joint-controller arrangement'),
        request.body,
      ),
    }),
  );

  app.get(
    '/platform-presets',
    {
      schema: {
        tags: ['governance'],
        summary:
          'Platform presets: UK political-advertising eligibility and what each platform’s standard terms cover, with sources',
      },
    },
    async (request) => {
      await requirePrincipal(deps, request);
      return { presets: listPlatformPresets() };
    },
  );
}
