/**
 * DPIAs (UK GDPR Art 35–36): screening, the seven-step assessment in versions, review and
 * sign-off, the action plan, and the DPIA cover of an activity. Bodies are validated by the
 * use cases; the schemas here document the API (docs/api-contract.md, DPIAs).
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { AppDeps } from '../../app/context.js';
import {
  addDpiaAction,
  approveDpia,
  createDpia,
  dpiaCoverForActivity,
  dpiaCreateSchema,
  dpiaRejectSchema,
  dpiaTransitionSchema,
  dpiaUpdateSchema,
  getDpia,
  listDpias,
  rejectDpia,
  returnDpiaToDraft,
  screenDpiaNeed,
  startDpiaVersion,
  submitDpia,
  updateDpia,
  updateDpiaAction,
} from '../../app/dpias.js';
import { parseInput } from '../../app/validate.js';
import { actionInputSchema, actionUpdateSchema } from '../../domain/dpia-assessment.js';
import { screeningInputSchema } from '../../domain/dpia.js';
import { requirePrincipal } from '../auth.js';
import { campaignParams, idParam } from './common.js';

const dpiaParams = campaignParams.extend({ dpiaId: z.uuid() });
const actionParams = dpiaParams.extend({ actionId: z.uuid() });
const coverParams = campaignParams.extend({ activityId: z.uuid() });
const listQuery = z.object({ activityId: z.uuid('the activity id is a UUID').optional() }).strict();
const versionQuery = z.object({ version: z.coerce.number().int().min(1).optional() }).strict();

export function registerDpiaRoutes(app: FastifyInstance, deps: AppDeps): void {
  const campaign = (params: unknown): string => idParam(params, 'campaignId', 'campaign');
  const dpia = (params: unknown): string => idParam(params, 'dpiaId', 'DPIA');
  const tags = ['dpias'];

  app.post(
    '/campaigns/:campaignId/dpias/screen',
    {
      schema: {
        tags,
        summary:
          'Screen processing for the need of a DPIA (Art 35): from an activity description and/or facts; answers required or not with every reason. Writes nothing',
        params: campaignParams,
        body: screeningInputSchema,
      },
    },
    async (request) => ({
      screening: await screenDpiaNeed(
        deps,
        await requirePrincipal(deps, request),
        campaign(request.params),
        request.body,
      ),
    }),
  );

  app.get(
    '/campaigns/:campaignId/dpias',
    {
      schema: {
        tags,
        summary: 'DPIAs, most recently changed first (filter by linked activity with activityId)',
        params: campaignParams,
        querystring: listQuery,
      },
    },
    async (request) => {
      const principal = await requirePrincipal(deps, request);
      const query = parseInput(listQuery, request.query);
      return { dpias: await listDpias(deps, principal, campaign(request.params), query) };
    },
  );

  app.post(
    '/campaigns/:campaignId/dpias',
    {
      schema: {
        tags,
        summary: 'Start a DPIA from a screening (version 1, draft)',
        params: campaignParams,
        body: dpiaCreateSchema,
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(await createDpia(deps, await requirePrincipal(deps, request), campaign(request.params), request.body)),
  );

  app.get(
    '/campaigns/:campaignId/dpias/:dpiaId',
    {
      schema: {
        tags,
        summary: 'A DPIA: its newest version (or ?version=N), the version list, the action plan and the risk map',
        params: dpiaParams,
        querystring: versionQuery,
      },
    },
    async (request) => {
      const principal = await requirePrincipal(deps, request);
      const { version } = parseInput(versionQuery, request.query);
      return getDpia(deps, principal, campaign(request.params), dpia(request.params), version);
    },
  );

  app.patch(
    '/campaigns/:campaignId/dpias/:dpiaId',
    {
      schema: {
        tags,
        summary:
          'Change the open version (draft or in review): object sections change only the fields sent; risks, consultation entries and icoConsultation are replaced whole',
        params: dpiaParams,
        body: dpiaUpdateSchema,
      },
    },
    async (request) =>
      updateDpia(
        deps,
        await requirePrincipal(deps, request),
        campaign(request.params),
        dpia(request.params),
        request.body,
      ),
  );

  const transitions = [
    [
      'versions',
      'Start a new version as a copy of the newest, decided one (201)',
      startDpiaVersion,
      dpiaTransitionSchema,
      201,
    ],
    ['submit', 'Send the draft for review (steps 1–6 complete)', submitDpia, dpiaTransitionSchema, 200],
    ['return-to-draft', 'Return a version in review to draft', returnDpiaToDraft, dpiaTransitionSchema, 200],
    [
      'approve',
      'Approve the version in review (all seven steps; DPIA-RESIDUAL-HIGH: 422 rule_refused until the ICO consultation is recorded)',
      approveDpia,
      dpiaTransitionSchema,
      200,
    ],
    ['reject', 'Reject the version in review, with the reason', rejectDpia, dpiaRejectSchema, 200],
  ] as const;
  for (const [path, summary, useCase, body, status] of transitions) {
    app.post(
      `/campaigns/:campaignId/dpias/:dpiaId/${path}`,
      { schema: { tags, summary, params: dpiaParams, body } },
      async (request, reply) =>
        reply
          .status(status)
          .send(
            await useCase(
              deps,
              await requirePrincipal(deps, request),
              campaign(request.params),
              dpia(request.params),
              request.body,
            ),
          ),
    );
  }

  app.post(
    '/campaigns/:campaignId/dpias/:dpiaId/actions',
    {
      schema: {
        tags,
        summary: 'Add an action to the plan (owner, due date, optionally the risk it addresses)',
        params: dpiaParams,
        body: actionInputSchema,
      },
    },
    async (request, reply) =>
      reply.status(201).send({
        action: await addDpiaAction(
          deps,
          await requirePrincipal(deps, request),
          campaign(request.params),
          dpia(request.params),
          request.body,
        ),
      }),
  );

  app.patch(
    '/campaigns/:campaignId/dpias/:dpiaId/actions/:actionId',
    {
      schema: {
        tags,
        summary: 'Change an action, or mark it done (done: true)',
        params: actionParams,
        body: actionUpdateSchema,
      },
    },
    async (request) => ({
      action: await updateDpiaAction(
        deps,
        await requirePrincipal(deps, request),
        campaign(request.params),
        dpia(request.params),
        idParam(request.params, 'actionId', 'action'),
        request.body,
      ),
    }),
  );

  app.get(
    '/campaigns/:campaignId/dpia-cover/:activityId',
    {
      schema: {
        tags,
        summary:
          'Whether an approved, unexpired DPIA covers a processing activity (DPIA-HIGH-RISK): covered, and the state (none, in_progress, approved, expired, rejected)',
        params: coverParams,
      },
    },
    async (request) => ({
      cover: await dpiaCoverForActivity(
        deps,
        await requirePrincipal(deps, request),
        campaign(request.params),
        idParam(request.params, 'activityId', 'activity'),
      ),
    }),
  );
}
