/**
 * People, consent, objections and erasure (tags and lists: routes/tags.ts). Bodies and queries
 * are validated by the use cases; the schemas here document the API (docs/api-contract.md, People).
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { recordConsent } from '../../app/consent.js';
import type { AppDeps } from '../../app/context.js';
import { erasePerson } from '../../app/erasure.js';
import { recordObjection, recordObjectionByIdentifier } from '../../app/objections.js';
import {
  art14NoticeSchema,
  createPerson,
  getPerson,
  listPeople,
  personInputSchema,
  recordArt14Notice,
} from '../../app/people.js';
import {
  consentInputSchema,
  erasureInputSchema,
  objectionByIdentifierSchema,
  objectionInputSchema,
  peopleQuerySchema,
} from '../../domain/people.js';
import { requirePrincipal } from '../auth.js';
import { campaignParams, idParam } from './common.js';

export function registerPeopleRoutes(app: FastifyInstance, deps: AppDeps): void {
  const personParams = campaignParams.extend({ personId: z.uuid() });
  const ids = (params: unknown): { campaignId: string; personId: string } => ({
    campaignId: idParam(params, 'campaignId', 'campaign'),
    personId: idParam(params, 'personId', 'person'),
  });

  app.get(
    '/campaigns/:campaignId/people',
    {
      schema: {
        tags: ['people'],
        summary:
          'Search people, newest first (q = an email, phone, postcode or the start of a surname); page with `after` = nextCursor',
        params: campaignParams,
        querystring: peopleQuerySchema,
      },
    },
    async (request) =>
      listPeople(
        deps,
        await requirePrincipal(deps, request),
        idParam(request.params, 'campaignId', 'campaign'),
        request.query,
      ),
  );

  app.post(
    '/campaigns/:campaignId/people',
    {
      schema: {
        tags: ['people'],
        summary:
          'Add a person by hand (screened against suppressions: 422 rule_refused DM-OBJECTION-ABSOLUTE; a held email or phone: 409 naming the person)',
        params: campaignParams,
        body: personInputSchema,
      },
    },
    async (request, reply) => {
      const principal = await requirePrincipal(deps, request);
      const person = await createPerson(
        deps,
        principal,
        idParam(request.params, 'campaignId', 'campaign'),
        request.body,
      );
      return reply.status(201).send({ person });
    },
  );

  app.get(
    '/campaigns/:campaignId/people/:personId',
    {
      schema: {
        tags: ['people'],
        summary:
          'A person: every value with its provenance, identifiers, tags, lists, sources, consent, objections, Art 14',
        params: personParams,
      },
    },
    async (request) => {
      const principal = await requirePrincipal(deps, request);
      const { campaignId, personId } = ids(request.params);
      return { person: await getPerson(deps, principal, campaignId, personId) };
    },
  );

  app.post(
    '/campaigns/:campaignId/people/:personId/consent',
    {
      schema: {
        tags: ['people'],
        summary: 'Record a consent or a withdrawal (append-only ledger; one record per channel)',
        params: personParams,
        body: consentInputSchema,
      },
    },
    async (request, reply) => {
      const principal = await requirePrincipal(deps, request);
      const { campaignId, personId } = ids(request.params);
      return reply.status(201).send(await recordConsent(deps, principal, campaignId, personId, request.body));
    },
  );

  app.post(
    '/campaigns/:campaignId/people/:personId/objection',
    {
      schema: {
        tags: ['people'],
        summary: "Record a person's objection to direct marketing (absolute; suppression entries for every identifier)",
        params: personParams,
        body: objectionInputSchema,
      },
    },
    async (request, reply) => {
      const principal = await requirePrincipal(deps, request);
      const { campaignId, personId } = ids(request.params);
      return reply.status(201).send(await recordObjection(deps, principal, campaignId, personId, request.body));
    },
  );

  app.post(
    '/campaigns/:campaignId/objections',
    {
      schema: {
        tags: ['people'],
        summary:
          'Record an objection by email, phone or name + postcode (the person may not be in the database); matching people are marked',
        params: campaignParams,
        body: objectionByIdentifierSchema,
      },
    },
    async (request, reply) => {
      const principal = await requirePrincipal(deps, request);
      return reply
        .status(201)
        .send(
          await recordObjectionByIdentifier(
            deps,
            principal,
            idParam(request.params, 'campaignId', 'campaign'),
            request.body,
          ),
        );
    },
  );

  app.post(
    '/campaigns/:campaignId/people/:personId/erase',
    {
      schema: {
        tags: ['people'],
        summary: "Erase a person (Art 17); an objector's suppression entries are kept, and the message says how many",
        params: personParams,
        body: erasureInputSchema,
      },
    },
    async (request) => {
      const principal = await requirePrincipal(deps, request);
      const { campaignId, personId } = ids(request.params);
      return erasePerson(deps, principal, campaignId, personId, request.body);
    },
  );

  app.post(
    '/campaigns/:campaignId/people/:personId/art14-notice',
    {
      schema: {
        tags: ['people'],
        summary: 'Record that the Art 14 privacy notice was given (TR-ART14-ONE-MONTH)',
        params: personParams,
        body: art14NoticeSchema,
      },
    },
    async (request) => {
      const principal = await requirePrincipal(deps, request);
      const { campaignId, personId } = ids(request.params);
      return { person: await recordArt14Notice(deps, principal, campaignId, personId, request.body) };
    },
  );
}
