/**
 * The HTTP server: the JSON API under /api, /health, the OpenAPI document at /api/docs,
 * and the staff dashboard (dist/web) for every other GET.
 *
 * Handlers do four things: parse the path, authorize (via the use case), call the use case,
 * present. Bodies are validated once, by the use case's schema, so the API and the CLI give
 * the same errors; the route schemas here feed the OpenAPI document.
 */
import { existsSync, readFileSync } from 'node:fs';
import { relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyCookie from '@fastify/cookie';
import fastifyHelmet from '@fastify/helmet';
import fastifyRateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { jsonSchemaTransform } from 'fastify-type-provider-zod';
import type { AppDeps } from '../app/context.js';
import { AppError } from '../domain/errors.js';
import { checkOrigin } from './auth.js';
import { handleError } from './errors.js';
import { registerAccountRoutes } from './routes/account.js';
import { registerAudienceRoutes } from './routes/audiences.js';
import { registerAuditRoutes } from './routes/audit.js';
import { registerCampaignRoutes } from './routes/campaigns.js';
import { registerConsentSiteRoutes, registerPublicConsentRoutes } from './routes/consent-sites.js';
import { registerDpoRoutes } from './routes/dpo.js';
import { registerDpiaRoutes } from './routes/dpias.js';
import { registerGovernanceRoutes } from './routes/governance.js';
import { registerHealthRoutes } from './routes/health.js';
import { registerImportRoutes } from './routes/imports.js';
import { registerJobRoutes, type JobsFacade } from './routes/jobs.js';
import { registerMemberRoutes } from './routes/members.js';
import { registerPeopleRoutes } from './routes/people.js';
import { registerPrivacyNoticeRoutes, registerPublicNoticeRoutes } from './routes/privacy-notice.js';
import { registerSessionRoutes } from './routes/session.js';
import { registerSourceRoutes } from './routes/sources.js';
import { registerTagRoutes } from './routes/tags.js';

export const VERSION: string = (
  JSON.parse(readFileSync(fileURLToPath(new URL('../../package.json', import.meta.url)), 'utf8')) as { version: string }
).version;

export const DEFAULT_WEB_ROOT = fileURLToPath(new URL('../../dist/web/', import.meta.url));

export interface ServerOptions {
  deps: AppDeps;
  logLevel?: string;
  trustProxy?: boolean;
  /** Built dashboard; defaults to dist/web. */
  webRoot?: string;
  jobs?: JobsFacade | null;
  /** Sign-in attempts per IP per minute. */
  signInRateLimit?: number;
  /** Where log lines go (default stdout); tests pass a stream to inspect them. */
  logStream?: { write(line: string): void };
  /**
   * Where audience files written through the API go, one directory per campaign: the
   * configuration's data directory + audience-exports (src/cli/server.ts); tests pass a
   * temporary one. Default ./data/audience-exports.
   */
  audienceExportsDir?: string;
}

export const BODY_LIMIT_BYTES = 256 * 1024;

/** How long browsers may keep a content-hashed dashboard asset: a year, the longest commonly honoured. */
export const IMMUTABLE_MAX_AGE_SECONDS = 365 * 24 * 60 * 60;

/**
 * Logs carry no personal data and no secrets: the request line is logged as its route
 * pattern (e.g. /api/campaigns/:campaignId) without query string, and no headers, cookies,
 * bodies or client addresses are logged.
 */
function loggerOptions(level: string): FastifyServerOptions['logger'] & object {
  return {
    level,
    redact: {
      paths: ['req.headers', 'headers', 'password', '*.password', 'token', '*.token', 'secret', '*.secret'],
      remove: true,
    },
    serializers: {
      req(req: { method: string; routeOptions?: { url?: string | undefined }; id: string }) {
        return { id: req.id, method: req.method, route: req.routeOptions?.url ?? 'unmatched' };
      },
      res(res: { statusCode: number }) {
        return { statusCode: res.statusCode };
      },
    },
  };
}

export async function buildServer(options: ServerOptions): Promise<FastifyInstance> {
  const { deps } = options;
  const logger = loggerOptions(options.logLevel ?? 'info') as Record<string, unknown>;
  const app = Fastify({
    logger: options.logStream ? { ...logger, stream: options.logStream } : logger,
    trustProxy: options.trustProxy ?? false,
    bodyLimit: BODY_LIMIT_BYTES,
    ajv: { customOptions: { removeAdditional: false } },
  });

  // Validation happens once, in the use case (see file comment); route schemas document.
  app.setValidatorCompiler(() => (data: unknown) => ({ value: data }));
  app.setErrorHandler((error, request, reply) => handleError(error, request, reply));
  // The API speaks JSON only: any other body type is answered 415.
  app.removeContentTypeParser(['text/plain']);

  await app.register(fastifyCookie);
  await app.register(fastifyHelmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        fontSrc: ["'self'"],
        objectSrc: ["'none'"],
        frameAncestors: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
      },
    },
    crossOriginEmbedderPolicy: false,
  });
  await app.register(fastifyRateLimit, {
    global: false,
    errorResponseBuilder: (_request, context) =>
      new AppError('rate_limited', `too many attempts: try again in ${Math.ceil(context.ttl / 1000)} seconds`),
  });

  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Canvass API',
        version: VERSION,
        description:
          'Staff API of Canvass. Authenticate with the dashboard session cookie (writes need the x-csrf-token header) or a personal API token as `Authorization: Bearer cvs_…`. Errors are `{ error: { code, message, details? } }`.',
      },
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer', description: 'Personal API token (cvs_…)' },
          session: { type: 'apiKey', in: 'cookie', name: 'canvass_session' },
        },
      },
      security: [{ bearer: [] }, { session: [] }],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/api/docs', staticCSP: true });

  app.addHook('onRequest', async (request) => {
    if (request.url.startsWith('/api/')) checkOrigin(request, deps.settings.publicUrl);
  });
  app.addHook('onSend', async (request, reply, payload) => {
    if (request.url.startsWith('/api/') && !request.url.startsWith('/api/docs'))
      reply.header('cache-control', 'no-store');
    return payload;
  });

  registerHealthRoutes(app, deps);
  // Public, no sign-in: the campaign's published privacy notice (/p/:campaignId/privacy-notice).
  registerPublicNoticeRoutes(app, deps);
  await registerPublicConsentRoutes(app, deps);
  await app.register(
    async (api) => {
      registerSessionRoutes(api, deps, { signInRateLimit: options.signInRateLimit ?? 20 });
      registerAccountRoutes(api, deps);
      registerCampaignRoutes(api, deps);
      registerMemberRoutes(api, deps);
      registerAuditRoutes(api, deps);
      registerJobRoutes(api, deps, options.jobs ?? null);
      registerSourceRoutes(api, deps);
      registerImportRoutes(api, deps, options.jobs ?? null);
      registerPeopleRoutes(api, deps);
      registerDpoRoutes(api, deps);
      registerDpiaRoutes(api, deps);
      registerGovernanceRoutes(api, deps);
      registerTagRoutes(api, deps);
      registerAudienceRoutes(api, deps, options.audienceExportsDir ?? resolve('data', 'audience-exports'));
      registerPrivacyNoticeRoutes(api, deps);
      registerConsentSiteRoutes(api, deps);
    },
    { prefix: '/api' },
  );

  const webRoot = options.webRoot ?? DEFAULT_WEB_ROOT;
  const hasDashboard = existsSync(`${webRoot}/index.html`);
  if (hasDashboard) {
    // The build names every script and style after a hash of its content (dist/web/assets),
    // and the pages are chunks loaded on demand: each file may be cached for good. index.html
    // names the current files, so the browser revalidates it on every visit. Files are listed
    // when the server starts (wildcard: false), so only the build that was there is served.
    await app.register(fastifyStatic, {
      root: webRoot,
      prefix: '/',
      wildcard: false,
      index: false,
      cacheControl: false,
      setHeaders: (reply, path) => {
        const hashed = relative(webRoot, path).split(sep)[0] === 'assets';
        reply.header('cache-control', hashed ? `public, max-age=${IMMUTABLE_MAX_AGE_SECONDS}, immutable` : 'no-cache');
      },
    });
  }
  app.setNotFoundHandler(async (request, reply) => {
    const path = request.url.split('?')[0] ?? '';
    // A missing asset is a 404, not the dashboard: a page chunk of an older build must fail as
    // such (the dashboard then offers a reload), not arrive as HTML.
    if (request.method !== 'GET' || path.startsWith('/api') || path.startsWith('/assets/') || path === '/health') {
      throw new AppError(
        'not_found',
        `no such endpoint: ${request.method} ${path.startsWith('/api') ? path.replace(/[0-9a-f-]{36}/g, ':id') : path}`,
      );
    }
    if (!hasDashboard) {
      return reply
        .status(503)
        .type('text/plain; charset=utf-8')
        .send('The Canvass dashboard is not built. Run `npm run build` (npm start does this), then reload.');
    }
    reply.header('cache-control', 'no-cache');
    return reply.type('text/html; charset=utf-8').sendFile('index.html');
  });

  return app;
}
