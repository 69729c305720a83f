import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../../app/context.js';
import { getDpoOverview } from '../../app/dpo-overview.js';
import { requirePrincipal } from '../auth.js';
import { campaignParams, idParam } from './common.js';

export function registerDpoRoutes(app: FastifyInstance, deps: AppDeps): void {
  app.get(
    '/campaigns/:campaignId/dpo/outstanding',
    {
      schema: {
        tags: ['governance'],
        summary: "What is outstanding in the campaign's compliance records, most pressing first",
        description:
          'Each item names its rule (id and citation), how pressing it is (breach, blocked, due, warning), how many records it concerns and the dashboard page where it is fixed.',
        params: campaignParams,
      },
    },
    async (request) =>
      getDpoOverview(deps, await requirePrincipal(deps, request), idParam(request.params, 'campaignId', 'campaign')),
  );
}
