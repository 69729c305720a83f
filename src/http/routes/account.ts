import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { createApiToken, listApiTokens, revokeApiToken } from '../../app/api-tokens.js';
import type { AppDeps } from '../../app/context.js';
import { changePassword, getAccount, updateAccount } from '../../app/users.js';
import { hashSecret } from '../../domain/credentials.js';
import { requirePrincipal, sessionSecretOf } from '../auth.js';
import { idParam } from './common.js';

export function registerAccountRoutes(app: FastifyInstance, deps: AppDeps): void {
  app.get('/account', { schema: { tags: ['account'], summary: 'Your account' } }, async (request) => ({
    user: await getAccount(deps, await requirePrincipal(deps, request)),
  }));

  app.patch(
    '/account',
    { schema: { tags: ['account'], summary: 'Change your display name', body: z.object({ displayName: z.string() }) } },
    async (request) => ({ user: await updateAccount(deps, await requirePrincipal(deps, request), request.body) }),
  );

  app.post(
    '/account/password',
    {
      schema: {
        tags: ['account'],
        summary: 'Change your password (signs out your other sessions)',
        body: z.object({ currentPassword: z.string(), newPassword: z.string() }),
      },
    },
    async (request, reply) => {
      const principal = await requirePrincipal(deps, request);
      const secret = await sessionSecretOf(deps, request);
      await changePassword(deps, principal, request.body, secret ? hashSecret(secret) : null);
      return reply.status(204).send();
    },
  );

  app.get(
    '/account/tokens',
    { schema: { tags: ['account'], summary: 'Your personal API tokens' } },
    async (request) => ({
      tokens: await listApiTokens(deps, await requirePrincipal(deps, request)),
    }),
  );

  app.post(
    '/account/tokens',
    {
      schema: {
        tags: ['account'],
        summary: 'Create a personal API token (the secret is shown once)',
        body: z.object({ name: z.string(), expiresInDays: z.number().int().optional() }),
      },
    },
    async (request, reply) =>
      reply.status(201).send(await createApiToken(deps, await requirePrincipal(deps, request), request.body)),
  );

  app.delete(
    '/account/tokens/:tokenId',
    { schema: { tags: ['account'], summary: 'Revoke a personal API token', params: z.object({ tokenId: z.uuid() }) } },
    async (request, reply) => {
      await revokeApiToken(
        deps,
        await requirePrincipal(deps, request),
        idParam(request.params, 'tokenId', 'API token'),
      );
      return reply.status(204).send();
    },
  );
}
