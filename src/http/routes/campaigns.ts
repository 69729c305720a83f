import type { FastifyInstance } from 'fastify';
import { createCampaign, getCampaign, updateCampaign } from '../../app/campaigns.js';
import type { AppDeps } from '../../app/context.js';
import { campaignInputSchema, campaignUpdateSchema } from '../../domain/campaign.js';
import { requirePrincipal } from '../auth.js';
import { campaignParams, idParam } from './common.js';

export function registerCampaignRoutes(app: FastifyInstance, deps: AppDeps): void {
  app.post(
    '/campaigns',
    { schema: { tags: ['campaigns'], summary: 'Create a campaign (you become its owner)', body: campaignInputSchema } },
    async (request, reply) =>
      reply
        .status(201)
        .send({ campaign: await createCampaign(deps, await requirePrincipal(deps, request), request.body) }),
  );

  app.get(
    '/campaigns/:campaignId',
    { schema: { tags: ['campaigns'], summary: 'A campaign, your role and abilities in it', params: campaignParams } },
    async (request) =>
      getCampaign(deps, await requirePrincipal(deps, request), idParam(request.params, 'campaignId', 'campaign')),
  );

  app.patch(
    '/campaigns/:campaignId',
    {
      schema: {
        tags: ['campaigns'],
        summary: 'Change the campaign details',
        params: campaignParams,
        body: campaignUpdateSchema,
      },
    },
    async (request) => ({
      campaign: await updateCampaign(
        deps,
        await requirePrincipal(deps, request),
        idParam(request.params, 'campaignId', 'campaign'),
        request.body,
      ),
    }),
  );
}
