import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { AppDeps } from '../../app/context.js';
import { createSource, getSource, listSources, updateSource } from '../../app/sources.js';
import { sourceInputSchema, sourceUpdateSchema } from '../../domain/sources.js';
import { requirePrincipal } from '../auth.js';
import { campaignParams, idParam } from './common.js';

const sourceParams = campaignParams.extend({ sourceId: z.uuid() });

export function registerSourceRoutes(app: FastifyInstance, deps: AppDeps): void {
  app.get(
    '/campaigns/:campaignId/sources',
    { schema: { tags: ['sources'], summary: 'Sources of personal data, newest first', params: campaignParams } },
    async (request) => ({
      sources: await listSources(
        deps,
        await requirePrincipal(deps, request),
        idParam(request.params, 'campaignId', 'campaign'),
      ),
    }),
  );

  app.post(
    '/campaigns/:campaignId/sources',
    {
      schema: {
        tags: ['sources'],
        summary: 'Record a source with its lawful basis and duties',
        params: campaignParams,
        body: sourceInputSchema,
      },
    },
    async (request, reply) =>
      reply.status(201).send({
        source: await createSource(
          deps,
          await requirePrincipal(deps, request),
          idParam(request.params, 'campaignId', 'campaign'),
          request.body,
        ),
      }),
  );

  app.get(
    '/campaigns/:campaignId/sources/:sourceId',
    { schema: { tags: ['sources'], summary: 'One source', params: sourceParams } },
    async (request) => ({
      source: await getSource(
        deps,
        await requirePrincipal(deps, request),
        idParam(request.params, 'campaignId', 'campaign'),
        idParam(request.params, 'sourceId', 'source'),
      ),
    }),
  );

  app.patch(
    '/campaigns/:campaignId/sources/:sourceId',
    {
      schema: {
        tags: ['sources'],
        summary: 'Change a source (only the fields sent); archived: true archives it',
        params: sourceParams,
        body: sourceUpdateSchema,
      },
    },
    async (request) => ({
      source: await updateSource(
        deps,
        await requirePrincipal(deps, request),
        idParam(request.params, 'campaignId', 'campaign'),
        idParam(request.params, 'sourceId', 'source'),
        request.body,
      ),
    }),
  );
}
