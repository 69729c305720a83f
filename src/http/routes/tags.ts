/**
 * Tags and lists, and the people on them (docs/api-contract.md, "Tags and lists"). The two
 * kinds have the same routes: /tags and /lists, /people/:personId/tags and …/lists. Bodies are
 * validated by the use cases (src/app/tags.ts); the schemas here document the API.
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { AppDeps } from '../../app/context.js';
import {
  addPersonToCollection,
  createCollection,
  deleteCollection,
  listCollections,
  removePersonFromCollection,
  updateCollection,
} from '../../app/tags.js';
import {
  listInputSchema,
  listMembershipSchema,
  listUpdateSchema,
  tagInputSchema,
  tagMembershipSchema,
  tagUpdateSchema,
  type CollectionKind,
} from '../../domain/tags.js';
import { requirePrincipal } from '../auth.js';
import { campaignParams, idParam } from './common.js';

const KINDS = {
  tag: {
    plural: 'tags',
    idParam: 'tagId',
    input: tagInputSchema,
    update: tagUpdateSchema,
    membership: tagMembershipSchema,
    what: 'a tag',
  },
  list: {
    plural: 'lists',
    idParam: 'listId',
    input: listInputSchema,
    update: listUpdateSchema,
    membership: listMembershipSchema,
    what: 'a list',
  },
} as const;

export function registerTagRoutes(app: FastifyInstance, deps: AppDeps): void {
  for (const kind of ['tag', 'list'] as const satisfies readonly CollectionKind[]) registerKind(app, deps, kind);
}

function registerKind(app: FastifyInstance, deps: AppDeps, kind: CollectionKind): void {
  const k = KINDS[kind];
  const base = `/campaigns/:campaignId/${k.plural}`;
  const itemParams = campaignParams.extend({ [k.idParam]: z.uuid() });
  const personParams = campaignParams.extend({ personId: z.uuid() });
  const membershipParams = personParams.extend({ [k.idParam]: z.uuid() });
  const campaignOf = (params: unknown): string => idParam(params, 'campaignId', 'campaign');
  const itemOf = (params: unknown): string => idParam(params, k.idParam, kind);
  const personOf = (params: unknown): string => idParam(params, 'personId', 'person');
  const tags = ['tags and lists'];

  app.get(
    base,
    {
      schema: {
        tags,
        summary: `Every ${kind} (archived ones too, with archivedAt), by name, with the number of people on each`,
        params: campaignParams,
      },
    },
    async (request) => ({
      [k.plural]: await listCollections(deps, await requirePrincipal(deps, request), campaignOf(request.params), kind),
    }),
  );

  app.post(
    base,
    {
      schema: {
        tags,
        summary: `Create ${k.what} (people.write); 409 conflict when the name is taken, whatever its case`,
        params: campaignParams,
        body: k.input,
      },
    },
    async (request, reply) => {
      const principal = await requirePrincipal(deps, request);
      const created = await createCollection(deps, principal, campaignOf(request.params), kind, request.body);
      return reply.status(201).send({ [kind]: created });
    },
  );

  app.patch(
    `${base}/:${k.idParam}`,
    {
      schema: {
        tags,
        summary: `Rename${kind === 'list' ? ' or describe' : ''} ${k.what}, archive it (archived: true: it keeps its people and takes no new ones) or restore it (tags.manage)`,
        params: itemParams,
        body: k.update,
      },
    },
    async (request) => {
      const principal = await requirePrincipal(deps, request);
      const id = itemOf(request.params);
      return { [kind]: await updateCollection(deps, principal, campaignOf(request.params), kind, id, request.body) };
    },
  );

  app.delete(
    `${base}/:${k.idParam}`,
    {
      schema: {
        tags,
        summary: `Delete ${k.what} nobody is on (tags.manage); one that people are on: 409 invalid_state (archive it instead)`,
        params: itemParams,
      },
    },
    async (request, reply) => {
      const principal = await requirePrincipal(deps, request);
      await deleteCollection(deps, principal, campaignOf(request.params), kind, itemOf(request.params));
      return reply.status(204).send();
    },
  );

  app.post(
    `/campaigns/:campaignId/people/:personId/${k.plural}`,
    {
      schema: {
        tags,
        summary: `Put a person on ${k.what}, by ${k.idParam} or name (a new name creates it), with the source and kind of the fact (people.write)`,
        params: personParams,
        body: k.membership,
      },
    },
    async (request, reply) => {
      const principal = await requirePrincipal(deps, request);
      const membership = await addPersonToCollection(
        deps,
        principal,
        campaignOf(request.params),
        kind,
        personOf(request.params),
        request.body,
      );
      return reply.status(201).send({ membership });
    },
  );

  app.delete(
    `/campaigns/:campaignId/people/:personId/${k.plural}/:${k.idParam}`,
    {
      schema: { tags, summary: `Take a person off ${k.what} (people.write)`, params: membershipParams },
    },
    async (request, reply) => {
      const principal = await requirePrincipal(deps, request);
      await removePersonFromCollection(
        deps,
        principal,
        campaignOf(request.params),
        kind,
        personOf(request.params),
        itemOf(request.params),
      );
      return reply.status(204).send();
    },
  );
}
