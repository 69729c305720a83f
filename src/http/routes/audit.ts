import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { listAuditEvents, verifyCampaignAudit } from '../../app/audit.js';
import type { AppDeps } from '../../app/context.js';
import { parseInput } from '../../app/validate.js';
import { requirePrincipal } from '../auth.js';
import { campaignParams, idParam } from './common.js';

const pageQuery = z
  .object({
    limit: z.coerce.number().int('must be a whole number').min(1).max(200).optional(),
    before: z.coerce.number().int('must be a whole number').min(1).optional(),
  })
  .strict();

export function registerAuditRoutes(app: FastifyInstance, deps: AppDeps): void {
  app.get(
    '/campaigns/:campaignId/audit',
    {
      schema: {
        tags: ['audit'],
        summary: 'Audit events, newest first',
        params: campaignParams,
        querystring: pageQuery,
      },
    },
    async (request) => {
      const principal = await requirePrincipal(deps, request);
      const campaignId = idParam(request.params, 'campaignId', 'campaign');
      const query = parseInput(pageQuery, request.query);
      return listAuditEvents(deps, principal, campaignId, query);
    },
  );

  app.post(
    '/campaigns/:campaignId/audit/verify',
    { schema: { tags: ['audit'], summary: "Check the campaign's audit hash chain", params: campaignParams } },
    async (request) =>
      verifyCampaignAudit(
        deps,
        await requirePrincipal(deps, request),
        idParam(request.params, 'campaignId', 'campaign'),
      ),
  );
}
