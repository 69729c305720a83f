/**
 * Website consent (issue 6): the staff API (under /api, signed in) and the public endpoints a
 * campaign's website uses (no sign-in, cross-origin).
 *
 * Public, for the banner on the campaign's registered origins:
 *   GET     /c/banner.js                 the compiled banner (dist/banner/banner.js; 404 until built)
 *   GET     /c/:siteId/config.json       the current BannerConfig: short max-age, ETag naming the
 *                                        configuration hash and version; CORS for registered origins
 *   OPTIONS /c/:siteId/receipts          CORS preflight (registered origins only)
 *   POST    /c/:siteId/receipts          ReceiptSubmission → 201 ReceiptAck once committed (200 for a
 *                                        retry of a stored receipt); JSON as application/json or
 *                                        text/plain (sendBeacon), at most RECEIPT_MAX_BYTES; rate-limited
 *                                        per site and client
 *   GET     /c/:siteId/preview[?lang=cy] a page that loads the real banner, for the dashboard's preview
 *
 * The server's helmet headers are for the dashboard: these responses say
 * Cross-Origin-Resource-Policy: cross-origin so a campaign website may load them, and the preview
 * page may be framed by the dashboard (same origin) only.
 */
import { existsSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import {
  consentRates,
  exportConsentReceipts,
  listConsentReceipts,
  originAllowed,
  purgeConsentReceipts,
  receiptsCsv,
  setReceiptRetention,
  submitReceipt,
} from '../../app/consent-receipts.js';
import {
  archiveConsentSite,
  createConsentSite,
  getConsentSite,
  listConsentSites,
  listServicePresets,
  publicSite,
  updateConsentSite,
} from '../../app/consent-sites.js';
import type { AppDeps } from '../../app/context.js';
import { retentionSchema, siteCreateSchema, siteUpdateSchema } from '../../domain/consent-sites.js';
import { AppError } from '../../domain/errors.js';
import { RECEIPT_MAX_BYTES } from '../../shared/consent-banner.js';
import { requirePrincipal } from '../auth.js';
import { campaignParams, idParam } from './common.js';
import { isUuid } from '../../domain/people.js';

// ---------------------------------------------------------------------------------------
// Staff API
// ---------------------------------------------------------------------------------------

const siteParams = campaignParams.extend({ siteId: z.uuid() });

export function registerConsentSiteRoutes(app: FastifyInstance, deps: AppDeps): void {
  const campaign = (params: unknown): string => idParam(params, 'campaignId', 'campaign');
  const site = (params: unknown): string => idParam(params, 'siteId', 'website');
  const tags = ['website consent'];

  app.get(
    '/campaigns/:campaignId/consent-sites',
    {
      schema: { tags, summary: 'The campaign’s websites, with their published configuration', params: campaignParams },
    },
    async (request) => ({
      sites: await listConsentSites(deps, await requirePrincipal(deps, request), campaign(request.params)),
    }),
  );

  app.get(
    '/campaigns/:campaignId/consent-sites/presets',
    {
      schema: {
        tags,
        summary: 'Service presets (Meta Pixel, GA4, YouTube, …) with their cookies, purposes and Consent Mode signals',
        params: campaignParams,
      },
    },
    async (request) => {
      await requirePrincipal(deps, request);
      return { presets: listServicePresets() };
    },
  );

  app.post(
    '/campaigns/:campaignId/consent-sites',
    {
      schema: {
        tags,
        summary:
          'Register a website (DPO or owner): 201 with its first published configuration; 422 rule_refused (PECR-R6-PRIOR-CONSENT, PECR-R6-EXCEPTION-SCOPE, ONL-JOINT-CONTROLLER) when the configuration breaks a rule',
        params: campaignParams,
        body: siteCreateSchema,
      },
    },
    async (request, reply) =>
      reply.status(201).send({
        site: await createConsentSite(
          deps,
          await requirePrincipal(deps, request),
          campaign(request.params),
          request.body,
        ),
      }),
  );

  app.get(
    '/campaigns/:campaignId/consent-sites/:siteId',
    {
      schema: {
        tags,
        summary: 'One website: its draft configuration, every published version, the install snippet',
        params: siteParams,
      },
    },
    async (request) => ({
      site: await getConsentSite(
        deps,
        await requirePrincipal(deps, request),
        campaign(request.params),
        site(request.params),
      ),
    }),
  );

  app.patch(
    '/campaigns/:campaignId/consent-sites/:siteId',
    {
      schema: {
        tags,
        summary:
          'Change a website’s name, origins or configuration, or bump its revision (bumpRevision: true re-prompts every visitor); a change to what the banner serves publishes a new version; 422 rule_refused as on registration; 409 when expectedRevision is stale',
        params: siteParams,
        body: siteUpdateSchema,
      },
    },
    async (request) => ({
      site: await updateConsentSite(
        deps,
        await requirePrincipal(deps, request),
        campaign(request.params),
        site(request.params),
        request.body,
      ),
    }),
  );

  app.delete(
    '/campaigns/:campaignId/consent-sites/:siteId',
    {
      schema: {
        tags,
        summary:
          'Retire a website (DPO or owner): its configuration is no longer served and no receipt is accepted; versions and receipts are kept; audited',
        params: siteParams,
      },
    },
    async (request, reply) => {
      await archiveConsentSite(
        deps,
        await requirePrincipal(deps, request),
        campaign(request.params),
        site(request.params),
      );
      return reply.status(204).send();
    },
  );

  app.put(
    '/campaigns/:campaignId/consent-sites/:siteId/retention',
    {
      schema: {
        tags,
        summary: 'How many days receipts are kept (30-3650; null: until the site is retired); audited',
        params: siteParams,
        body: retentionSchema,
      },
    },
    async (request) =>
      setReceiptRetention(
        deps,
        await requirePrincipal(deps, request),
        campaign(request.params),
        site(request.params),
        request.body,
      ),
  );

  app.post(
    '/campaigns/:campaignId/consent-sites/:siteId/purge',
    {
      schema: {
        tags,
        summary: 'Delete the receipts older than the retention period (audited); 409 invalid_state without one',
        params: siteParams,
      },
    },
    async (request) =>
      purgeConsentReceipts(deps, await requirePrincipal(deps, request), campaign(request.params), site(request.params)),
  );

  app.get(
    '/campaigns/:campaignId/consent-sites/:siteId/receipts',
    {
      schema: {
        tags,
        summary: 'Receipts, newest first; ?consentId= finds one visitor’s (the id the banner showed them)',
        params: siteParams,
        querystring: z.object({
          consentId: z.string().optional(),
          limit: z.coerce.number().int().min(1).max(500).optional(),
        }),
      },
    },
    async (request) => {
      const query = (request.query ?? {}) as { consentId?: string; limit?: string };
      return {
        receipts: await listConsentReceipts(
          deps,
          await requirePrincipal(deps, request),
          campaign(request.params),
          site(request.params),
          {
            consentId: query.consentId,
            limit: query.limit === undefined ? undefined : Number(query.limit),
          },
        ),
      };
    },
  );

  app.get(
    '/campaigns/:campaignId/consent-sites/:siteId/rates',
    {
      schema: {
        tags,
        summary: 'Consent rates per day (UTC) and category over the last ?days= days (default 30)',
        params: siteParams,
        querystring: z.object({ days: z.coerce.number().int().min(1).max(400).optional() }),
      },
    },
    async (request) => {
      const { days } = (request.query ?? {}) as { days?: string };
      return {
        rates: await consentRates(
          deps,
          await requirePrincipal(deps, request),
          campaign(request.params),
          site(request.params),
          days === undefined ? 30 : Number(days),
        ),
      };
    },
  );

  app.get(
    '/campaigns/:campaignId/consent-sites/:siteId/receipts/export',
    {
      schema: {
        tags,
        summary:
          'Download every receipt (?format=csv|json, ?consentId= for one visitor’s); CSV cells are formula-neutralised; the download is audited',
        params: siteParams,
        querystring: z.object({ format: z.enum(['csv', 'json']).optional(), consentId: z.string().optional() }),
      },
    },
    async (request, reply) => {
      const query = (request.query ?? {}) as { format?: string; consentId?: string };
      const exported = await exportConsentReceipts(
        deps,
        await requirePrincipal(deps, request),
        campaign(request.params),
        site(request.params),
        { format: query.format ?? 'csv', consentId: query.consentId },
      );
      const name = `consent-receipts-${exported.siteId.slice(0, 8)}-${exported.generatedAt.slice(0, 10)}`;
      if (exported.format === 'json') {
        return reply
          .type('application/json; charset=utf-8')
          .header('content-disposition', `attachment; filename="${name}.json"`)
          .send(exported);
      }
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="${name}.csv"`)
        .send(receiptsCsv(exported.receipts));
    },
  );
}

// ---------------------------------------------------------------------------------------
// Public endpoints
// ---------------------------------------------------------------------------------------

export const BANNER_ROOT = fileURLToPath(new URL('../../../dist/banner/', import.meta.url));

/** The configuration may change when the campaign saves: browsers and caches recheck every minute. */
const CONFIG_CACHE = 'public, max-age=60, must-revalidate';
const BANNER_CACHE = 'public, max-age=300';

export interface PublicConsentOptions {
  /** Receipts per minute per site and client address (default 120). */
  receiptsPerMinute?: number;
  /** Where the banner build is (default dist/banner). */
  bannerRoot?: string;
}

/**
 * The JSON endpoints a website calls on every page view: helmet's document headers (CSP, frame
 * options, …) are for HTML pages, and building them is a large part of each request's cost.
 * These answers carry nosniff and CORP (the onRequest hook below) and are never rendered.
 */
const JSON_ONLY = { helmet: false } as const;

/**
 * Per client address, for the configuration and the preview: every page view of a visitor asks
 * for the configuration (mostly answered from the browser's cache), and an unknown site id costs
 * a database lookup.
 */
const PAGE_VIEW_LIMIT = { rateLimit: { max: 600, timeWindow: '1 minute' } };

const siteIdOf = (request: FastifyRequest): string | null => {
  const value = (request.params as Record<string, unknown> | undefined)?.['siteId'];
  return typeof value === 'string' && isUuid(value) ? value.toLowerCase() : null;
};

const originOf = (request: FastifyRequest): string | undefined => {
  const origin = request.headers.origin;
  return typeof origin === 'string' && origin !== 'null' ? origin : undefined;
};

/** A built file, re-read when it changes on disk (the banner helper's build writes it). */
function builtFile(path: string) {
  let cached: { mtimeMs: number; body: Buffer } | null = null;
  return async (): Promise<Buffer | null> => {
    if (!existsSync(path)) return null;
    const { mtimeMs } = await stat(path);
    if (cached?.mtimeMs !== mtimeMs) cached = { mtimeMs, body: await readFile(path) };
    return cached.body;
  };
}

const escapeHtml = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

function previewPage(siteId: string, language: 'en' | 'cy', bannerBuilt: boolean): string {
  const welsh = language === 'cy';
  const body = bannerBuilt
    ? `<h1>${welsh ? 'Rhagolwg o’r faner cwcis' : 'Cookie banner preview'}</h1>
<p>${
        welsh
          ? 'Dyma’r faner fel y bydd ymwelwyr yn ei gweld, gyda’r ffurfweddiad a gyhoeddwyd ddiwethaf. Nid yw dewisiadau a wneir yma yn cael eu cofnodi.'
          : 'This is the banner as visitors see it, with the configuration published last. Choices made here are not recorded.'
      }</p>
<script src="/c/banner.js" data-site="${escapeHtml(siteId)}" defer></script>`
    : `<h1>The banner is not built</h1><p>Run <code>npm run build</code> to build the banner script (dist/banner/banner.js), then reload.</p>`;
  return `<!doctype html>
<html lang="${language}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${welsh ? 'Rhagolwg' : 'Preview'}</title>
</head>
<body>
${body}
</body>
</html>
`;
}

export async function registerPublicConsentRoutes(
  app: FastifyInstance,
  deps: AppDeps,
  options: PublicConsentOptions = {},
): Promise<void> {
  const bannerRoot = options.bannerRoot ?? BANNER_ROOT;
  const bannerJs = builtFile(`${bannerRoot}/banner.js`);
  const perMinute = options.receiptsPerMinute ?? 120;

  await app.register(async (pub) => {
    // Receipts arrive as application/json (fetch) or text/plain (navigator.sendBeacon, which
    // needs no preflight); both are parsed here, strictly, within RECEIPT_MAX_BYTES.
    pub.removeAllContentTypeParsers();
    pub.addContentTypeParser(
      ['application/json', 'text/plain'],
      { parseAs: 'string', bodyLimit: RECEIPT_MAX_BYTES },
      (_request, body, done) => done(null, body),
    );

    pub.addHook('onRequest', async (request, reply) => {
      void reply.header('cross-origin-resource-policy', 'cross-origin').header('x-content-type-options', 'nosniff');
      const siteId = siteIdOf(request);
      const origin = originOf(request);
      if (siteId && origin && (await originAllowed(deps.db, siteId, origin))) {
        void reply
          .header('access-control-allow-origin', origin)
          .header('access-control-expose-headers', 'etag')
          .header('vary', 'Origin');
      } else if (siteId) {
        void reply.header('vary', 'Origin');
      }
    });

    const publicSchema = (summary: string, extra: Record<string, unknown> = {}) => ({
      tags: ['public'],
      summary,
      security: [],
      ...extra,
    });

    pub.get(
      '/c/banner.js',
      { schema: publicSchema('The consent banner script a campaign website includes') },
      async (_request, reply) => {
        const body = await bannerJs();
        if (!body) {
          return reply
            .status(404)
            .header('cache-control', 'no-cache')
            .type('text/plain; charset=utf-8')
            .send(
              'The consent banner is not built on this server. Run `npm run build` (it builds dist/banner/banner.js).',
            );
        }
        return reply
          .header('cache-control', BANNER_CACHE)
          .header('access-control-allow-origin', '*')
          .type('text/javascript; charset=utf-8')
          .send(body);
      },
    );

    pub.get(
      '/c/:siteId/config.json',
      {
        ...JSON_ONLY,
        config: PAGE_VIEW_LIMIT,
        schema: publicSchema('A website’s current banner configuration', { params: z.object({ siteId: z.uuid() }) }),
      },
      async (request, reply) => {
        const siteId = siteIdOf(request);
        const found = siteId ? await publicSite(deps.db, siteId) : null;
        if (!found?.current) {
          void reply.header('cache-control', 'no-cache');
          throw new AppError('not_found', 'no consent configuration is published at this address');
        }
        const { etag, body } = found.current;
        void reply.header('etag', etag).header('cache-control', CONFIG_CACHE);
        if (request.headers['if-none-match'] === etag) return reply.status(304).send();
        return reply.type('application/json; charset=utf-8').send(body);
      },
    );

    pub.options('/c/:siteId/receipts', { ...JSON_ONLY, schema: { hide: true } }, async (request, reply) => {
      const siteId = siteIdOf(request);
      const origin = originOf(request);
      if (!siteId || !origin || !(await originAllowed(deps.db, siteId, origin))) {
        return reply
          .status(403)
          .type('text/plain; charset=utf-8')
          .send('This origin is not registered for this consent site.');
      }
      return reply
        .status(204)
        .header('access-control-allow-methods', 'POST')
        .header('access-control-allow-headers', 'content-type')
        .header('access-control-max-age', '600')
        .send();
    });

    pub.post(
      '/c/:siteId/receipts',
      {
        ...JSON_ONLY,
        config: {
          rateLimit: {
            max: perMinute,
            timeWindow: '1 minute',
            // In memory only: the address is never stored.
            keyGenerator: (request: FastifyRequest) => `consent:${siteIdOf(request) ?? ''}:${request.ip}`,
          },
        },
        schema: publicSchema(
          'Record a visitor’s consent choice: 201 ReceiptAck once committed; 200 for a retry; 400 naming the field; 403 from an unregistered origin; 413 over the size limit; 429 too many',
          { params: z.object({ siteId: z.uuid() }) },
        ),
      },
      async (request, reply) => {
        const siteId = siteIdOf(request);
        if (!siteId) throw new AppError('not_found', 'consent site not found');
        const stored = await submitReceipt(deps.db, { siteId, origin: originOf(request), body: request.body });
        return reply
          .status(stored.created ? 201 : 200)
          .header('cache-control', 'no-store')
          .send(stored.ack);
      },
    );

    pub.get(
      '/c/:siteId/preview',
      { config: PAGE_VIEW_LIMIT, schema: { hide: true } },
      async (request: FastifyRequest, reply: FastifyReply) => {
        const siteId = siteIdOf(request);
        const lang = (request.query as Record<string, unknown> | undefined)?.['lang'] === 'cy' ? 'cy' : 'en';
        if (!siteId || !(await publicSite(deps.db, siteId))) {
          throw new AppError('not_found', 'consent site not found');
        }
        return reply
          .header(
            'content-security-policy',
            "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-src 'none'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'self'",
          )
          .header('cross-origin-resource-policy', 'same-origin')
          .header('cache-control', 'no-cache')
          .type('text/html; charset=utf-8')
          .send(previewPage(siteId, lang, (await bannerJs()) !== null));
      },
    );
  });
}
