import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { AppDeps } from '../../app/context.js';
import { acceptInvitation, previewInvitation } from '../../app/invitations.js';
import { sessionView, signIn, signOut } from '../../app/sessions.js';
import { completeSetup, isSetupNeeded } from '../../app/setup.js';
import { campaignInputSchema } from '../../domain/campaign.js';
import { clearSessionCookie, optionalPrincipal, requirePrincipal, sessionSecretOf, setSessionCookie } from '../auth.js';

export function registerSessionRoutes(app: FastifyInstance, deps: AppDeps, limits: { signInRateLimit: number }): void {
  const rateLimit = { max: limits.signInRateLimit, timeWindow: '1 minute' };

  app.get(
    '/setup',
    { schema: { tags: ['setup'], summary: 'Whether the one-time setup is still needed' } },
    async () => ({
      needed: await isSetupNeeded(deps),
    }),
  );

  app.post(
    '/setup',
    {
      config: { rateLimit },
      schema: {
        tags: ['setup'],
        summary: 'Create the first owner and campaign with the one-time setup token',
        body: z.object({
          token: z.string(),
          user: z.object({ email: z.string(), displayName: z.string(), password: z.string() }),
          campaign: campaignInputSchema,
        }),
      },
    },
    async (request, reply) => {
      const result = await completeSetup(deps, request.body);
      setSessionCookie(request, reply, result.session.secret, result.session.expiresAt);
      return reply.status(201).send(await sessionView(deps.db, result.user.id, result.session.secret));
    },
  );

  app.post(
    '/session',
    {
      config: { rateLimit },
      schema: { tags: ['session'], summary: 'Sign in', body: z.object({ email: z.string(), password: z.string() }) },
    },
    async (request, reply) => {
      const session = await signIn(deps, request.body);
      setSessionCookie(request, reply, session.secret, session.expiresAt);
      return session.view;
    },
  );

  app.get(
    '/session',
    { schema: { tags: ['session'], summary: 'The signed-in user, CSRF token and campaigns' } },
    async (request) => {
      const principal = await requirePrincipal(deps, request);
      return sessionView(deps.db, principal.userId, await sessionSecretOf(deps, request));
    },
  );

  app.delete('/session', { schema: { tags: ['session'], summary: 'Sign out' } }, async (request, reply) => {
    await requirePrincipal(deps, request);
    const secret = await sessionSecretOf(deps, request);
    if (secret) await signOut(deps, secret);
    clearSessionCookie(request, reply);
    return reply.status(204).send();
  });

  app.post(
    '/invitations/preview',
    {
      config: { rateLimit },
      schema: {
        tags: ['invitations'],
        summary: 'What an invitation link offers',
        body: z.object({ token: z.string() }),
      },
    },
    async (request) => previewInvitation(deps, request.body),
  );

  app.post(
    '/invitations/accept',
    {
      config: { rateLimit },
      schema: {
        tags: ['invitations'],
        summary: 'Accept an invitation (creates the account if needed) and sign in',
        body: z.object({ token: z.string(), displayName: z.string().optional(), password: z.string().optional() }),
      },
    },
    async (request, reply) => {
      const session = await acceptInvitation(deps, request.body, await optionalPrincipal(deps, request));
      setSessionCookie(request, reply, session.secret, session.expiresAt);
      return session.view;
    },
  );
}
