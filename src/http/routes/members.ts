import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { AppDeps } from '../../app/context.js';
import { inviteMember, listInvitations, revokeInvitation } from '../../app/invitations.js';
import { changeMemberRole, listMembers, removeMember } from '../../app/members.js';
import { ROLES } from '../../domain/permissions.js';
import { requirePrincipal } from '../auth.js';
import { campaignParams, idParam } from './common.js';

export function registerMemberRoutes(app: FastifyInstance, deps: AppDeps): void {
  const memberParams = campaignParams.extend({ userId: z.uuid() });
  const invitationParams = campaignParams.extend({ invitationId: z.uuid() });

  app.get(
    '/campaigns/:campaignId/members',
    { schema: { tags: ['members'], summary: 'Members of the campaign', params: campaignParams } },
    async (request) => ({
      members: await listMembers(
        deps,
        await requirePrincipal(deps, request),
        idParam(request.params, 'campaignId', 'campaign'),
      ),
    }),
  );

  app.patch(
    '/campaigns/:campaignId/members/:userId',
    {
      schema: {
        tags: ['members'],
        summary: "Change a member's role",
        params: memberParams,
        body: z.object({ role: z.enum(ROLES) }),
      },
    },
    async (request) => {
      const principal = await requirePrincipal(deps, request);
      const campaignId = idParam(request.params, 'campaignId', 'campaign');
      return {
        member: await changeMemberRole(
          deps,
          principal,
          campaignId,
          idParam(request.params, 'userId', 'member'),
          request.body,
        ),
      };
    },
  );

  app.delete(
    '/campaigns/:campaignId/members/:userId',
    { schema: { tags: ['members'], summary: 'Remove a member', params: memberParams } },
    async (request, reply) => {
      const principal = await requirePrincipal(deps, request);
      const campaignId = idParam(request.params, 'campaignId', 'campaign');
      await removeMember(deps, principal, campaignId, idParam(request.params, 'userId', 'member'));
      return reply.status(204).send();
    },
  );

  app.get(
    '/campaigns/:campaignId/invitations',
    { schema: { tags: ['members'], summary: 'Invitations of the campaign', params: campaignParams } },
    async (request) => ({
      invitations: await listInvitations(
        deps,
        await requirePrincipal(deps, request),
        idParam(request.params, 'campaignId', 'campaign'),
      ),
    }),
  );

  app.post(
    '/campaigns/:campaignId/invitations',
    {
      schema: {
        tags: ['members'],
        summary: 'Invite someone (the accept link is shown once)',
        params: campaignParams,
        body: z.object({ email: z.string(), role: z.enum(ROLES) }),
      },
    },
    async (request, reply) => {
      const principal = await requirePrincipal(deps, request);
      const result = await inviteMember(
        deps,
        principal,
        idParam(request.params, 'campaignId', 'campaign'),
        request.body,
      );
      return reply.status(201).send({ invitation: result.invitation, acceptUrl: result.acceptUrl });
    },
  );

  app.delete(
    '/campaigns/:campaignId/invitations/:invitationId',
    { schema: { tags: ['members'], summary: 'Revoke a pending invitation', params: invitationParams } },
    async (request, reply) => {
      const principal = await requirePrincipal(deps, request);
      const campaignId = idParam(request.params, 'campaignId', 'campaign');
      await revokeInvitation(deps, principal, campaignId, idParam(request.params, 'invitationId', 'invitation'));
      return reply.status(204).send();
    },
  );
}
