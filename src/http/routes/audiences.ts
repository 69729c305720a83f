/**
 * Audiences (issue 5): segments, audiences, preview, export behind the lawful gate, uploads,
 * removals, audited downloads. Bodies are validated by the use cases (src/app/audiences.ts,
 * src/app/audience-removals.ts); the schemas here document the API. Response shapes:
 * src/shared/audiences.ts.
 *
 * Files written through the API go under `<exportsDir>/<campaign>/` (exportsDir: the server's
 * audience-exports directory, in its data directory), one new directory per export; they are
 * downloaded through the audited file route and deleted at expiry.
 */
import { resolve } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { confirmAudienceRemovals, exportAudienceRemovals, listPendingRemovals } from '../../app/audience-removals.js';
import {
  audienceCreateSchema,
  audienceSettingsSchema,
  audienceUpdateSchema,
  createAudience,
  createSegment,
  exportAudience,
  explicitWordingSchema,
  getAudience,
  getAudienceSettings,
  listAudiences,
  listConsentWordings,
  markExplicitConsentWording,
  listSegments,
  openAudienceExportFile,
  previewAudience,
  recordAudienceUpload,
  segmentInputSchema,
  sweepExpiredAudienceFiles,
  updateAudience,
  updateAudienceSettings,
  updateSegment,
  uploadInputSchema,
} from '../../app/audiences.js';
import type { AppDeps } from '../../app/context.js';
import { uuidv7 } from '../../domain/people.js';
import { requirePrincipal } from '../auth.js';
import { campaignParams, idParam } from './common.js';

const tags = ['audiences'];
const audienceParams = campaignParams.extend({ audienceId: z.uuid() });
const segmentParams = campaignParams.extend({ segmentId: z.uuid() });
const exportParams = campaignParams.extend({ exportId: z.uuid() });
const wordingParams = campaignParams.extend({ wordingHash: z.string().regex(/^[0-9a-f]{64}$/) });
const fileParams = exportParams.extend({ fileName: z.string() });
const removalsQuery = z.object({ audienceId: z.uuid().optional() });
/** The audience a removals request is limited to, if any. */
const removalsAudienceOf = (query: unknown): string | undefined => {
  const parsed = removalsQuery.safeParse(query);
  return parsed.success ? parsed.data.audienceId : undefined;
};

const fileNameOf = (params: unknown): string => {
  const value = (params as { fileName?: unknown } | undefined)?.fileName;
  return typeof value === 'string' ? value : '';
};

export function registerAudienceRoutes(app: FastifyInstance, deps: AppDeps, exportsDir: string): void {
  /** Where the server writes a campaign's audience files. */
  const audienceExportsRoot = (campaignId: string): string => resolve(exportsDir, campaignId);
  const campaignOf = (params: unknown): string => idParam(params, 'campaignId', 'campaign');
  const audienceOf = (params: unknown): string => idParam(params, 'audienceId', 'audience');
  const exportOf = (params: unknown): string => idParam(params, 'exportId', 'audience export');

  app.get(
    '/campaigns/:campaignId/audience-segments',
    { schema: { tags, summary: 'Saved segments (audiences.read)', params: campaignParams } },
    async (request) => ({
      segments: await listSegments(deps, await requirePrincipal(deps, request), campaignOf(request.params)),
    }),
  );

  app.post(
    '/campaigns/:campaignId/audience-segments',
    {
      schema: {
        tags,
        summary: 'Save a segment: tags, lists, sources, attributes, consent state (audiences.manage)',
        params: campaignParams,
        body: segmentInputSchema,
      },
    },
    async (request, reply) => {
      const segment = await createSegment(
        deps,
        await requirePrincipal(deps, request),
        campaignOf(request.params),
        request.body,
      );
      return reply.status(201).send({ segment });
    },
  );

  app.put(
    '/campaigns/:campaignId/audience-segments/:segmentId',
    {
      schema: { tags, summary: 'Change a segment (audiences.manage)', params: segmentParams, body: segmentInputSchema },
    },
    async (request) => ({
      segment: await updateSegment(
        deps,
        await requirePrincipal(deps, request),
        campaignOf(request.params),
        idParam(request.params, 'segmentId', 'segment'),
        request.body,
      ),
    }),
  );

  app.get(
    '/campaigns/:campaignId/audiences',
    { schema: { tags, summary: 'Audiences, with pending removals (audiences.read)', params: campaignParams } },
    async (request) => ({
      audiences: await listAudiences(deps, await requirePrincipal(deps, request), campaignOf(request.params)),
    }),
  );

  app.post(
    '/campaigns/:campaignId/audiences',
    {
      schema: {
        tags,
        summary: 'Create an audience: platform, kind, activity, segment (audiences.manage)',
        params: campaignParams,
        body: audienceCreateSchema,
      },
    },
    async (request, reply) => {
      const audience = await createAudience(
        deps,
        await requirePrincipal(deps, request),
        campaignOf(request.params),
        request.body,
      );
      return reply.status(201).send({ audience });
    },
  );

  app.get(
    '/campaigns/:campaignId/audiences/:audienceId',
    { schema: { tags, summary: 'An audience, its segment and its exports', params: audienceParams } },
    async (request) =>
      getAudience(deps, await requirePrincipal(deps, request), campaignOf(request.params), audienceOf(request.params)),
  );

  app.patch(
    '/campaigns/:campaignId/audiences/:audienceId',
    {
      schema: {
        tags,
        summary: 'Change or retire an audience (audiences.manage)',
        params: audienceParams,
        body: audienceUpdateSchema,
      },
    },
    async (request) => ({
      audience: await updateAudience(
        deps,
        await requirePrincipal(deps, request),
        campaignOf(request.params),
        audienceOf(request.params),
        request.body,
      ),
    }),
  );

  app.get(
    '/campaigns/:campaignId/audiences/:audienceId/preview',
    {
      schema: {
        tags,
        summary: 'Who would be in the file, who is left out and why, and every rule finding with its fix',
        params: audienceParams,
      },
    },
    async (request) => ({
      preview: await previewAudience(
        deps,
        await requirePrincipal(deps, request),
        campaignOf(request.params),
        audienceOf(request.params),
      ),
    }),
  );

  app.post(
    '/campaigns/:campaignId/audiences/:audienceId/exports',
    {
      schema: {
        tags,
        summary:
          'Export the platform file behind the lawful gate (audiences.export); 422 rule_refused names every failing rule and its fix',
        params: audienceParams,
      },
    },
    async (request, reply) => {
      const campaignId = campaignOf(request.params);
      const view = await exportAudience(
        deps,
        await requirePrincipal(deps, request),
        campaignId,
        audienceOf(request.params),
        { directory: resolve(audienceExportsRoot(campaignId), uuidv7()) },
      );
      return reply.status(201).send({ export: view });
    },
  );

  app.get(
    '/campaigns/:campaignId/audience-exports/:exportId/files/:fileName',
    {
      schema: {
        tags,
        summary: 'Download a file of an export (audited; 409 invalid_state once the files expired)',
        params: fileParams,
      },
    },
    async (request, reply) => {
      const file = await openAudienceExportFile(
        deps,
        await requirePrincipal(deps, request),
        campaignOf(request.params),
        exportOf(request.params),
        fileNameOf(request.params),
      );
      return reply
        .type(file.contentType)
        .header('content-disposition', `attachment; filename="${file.name}"`)
        .header('cache-control', 'no-store')
        .send(file.stream);
    },
  );

  app.post(
    '/campaigns/:campaignId/audience-exports/:exportId/upload',
    {
      schema: {
        tags,
        summary: 'Record that the export was uploaded to the platform: the audience is live (audiences.export)',
        params: exportParams,
        body: uploadInputSchema,
      },
    },
    async (request) => ({
      audience: await recordAudienceUpload(
        deps,
        await requirePrincipal(deps, request),
        campaignOf(request.params),
        exportOf(request.params),
        request.body,
      ),
    }),
  );

  app.get(
    '/campaigns/:campaignId/audience-removals',
    {
      schema: {
        tags,
        summary: 'Pending removals from live audiences (DM-REMOVE-FROM-LIVE-AUDIENCES)',
        params: campaignParams,
        querystring: removalsQuery,
      },
    },
    async (request) => ({
      removals: await listPendingRemovals(
        deps,
        await requirePrincipal(deps, request),
        campaignOf(request.params),
        removalsAudienceOf(request.query),
      ),
    }),
  );

  app.post(
    '/campaigns/:campaignId/audience-removals/exports',
    {
      schema: {
        tags,
        summary: 'Write the removal file of every audience with pending removals (audiences.export)',
        params: campaignParams,
        querystring: removalsQuery,
      },
    },
    async (request, reply) => {
      const campaignId = campaignOf(request.params);
      const audienceId = removalsAudienceOf(request.query);
      const result = await exportAudienceRemovals(deps, await requirePrincipal(deps, request), campaignId, {
        directory: audienceExportsRoot(campaignId),
        ...(audienceId ? { audienceId } : {}),
      });
      return reply.status(201).send(result);
    },
  );

  app.post(
    '/campaigns/:campaignId/audience-exports/:exportId/confirm-removals',
    {
      schema: {
        tags,
        summary: 'Confirm that a removal file was uploaded to the platform (audiences.export)',
        params: exportParams,
      },
    },
    async (request) =>
      confirmAudienceRemovals(
        deps,
        await requirePrincipal(deps, request),
        campaignOf(request.params),
        exportOf(request.params),
      ),
  );

  app.put(
    '/campaigns/:campaignId/audience-settings',
    {
      schema: {
        tags,
        summary: 'How many days export files are kept before deletion (the manifest stays)',
        params: campaignParams,
        body: audienceSettingsSchema,
      },
    },
    async (request) => {
      const campaignId = campaignOf(request.params);
      const settings = await updateAudienceSettings(
        deps,
        await requirePrincipal(deps, request),
        campaignId,
        request.body,
      );
      await sweepExpiredAudienceFiles(deps, campaignId);
      return { settings };
    },
  );

  app.get(
    '/campaigns/:campaignId/audience-settings',
    {
      schema: {
        tags,
        summary: 'The campaign’s file expiry (days), and whether it is the default',
        params: campaignParams,
      },
    },
    async (request) => ({
      settings: await getAudienceSettings(deps, await requirePrincipal(deps, request), campaignOf(request.params)),
    }),
  );

  app.get(
    '/campaigns/:campaignId/consent-wordings',
    {
      schema: {
        tags,
        summary: 'The consent wordings people were asked with, and whether each is marked explicit (Art 9(2)(a))',
        params: campaignParams,
      },
    },
    async (request) => ({
      wordings: await listConsentWordings(deps, await requirePrincipal(deps, request), campaignOf(request.params)),
    }),
  );

  app.post(
    '/campaigns/:campaignId/consent-wordings/:wordingHash/explicit',
    {
      schema: {
        tags,
        summary:
          'Mark a consent wording an explicit statement covering special category data (SCD-TARGETING-EXPLICIT-CONSENT); append-only, audited',
        params: wordingParams,
        body: explicitWordingSchema.pick({ note: true }),
      },
    },
    async (request, reply) => {
      const campaignId = campaignOf(request.params);
      const wordingHash = (request.params as { wordingHash: string }).wordingHash;
      const principal = await requirePrincipal(deps, request);
      await markExplicitConsentWording(deps, principal, campaignId, {
        wordingHash,
        note: (request.body as { note?: unknown } | undefined)?.note,
      });
      const [wording] = await listConsentWordings(deps, principal, campaignId, wordingHash);
      return reply.code(201).send({ wording });
    },
  );
}
