/**
 * The privacy notice: the staff API (under /api, signed in) and the public pages (no sign-in).
 *
 * Public, for anyone the campaign gives the link to (UK GDPR Art 12(1): concise, transparent,
 * intelligible and easily accessible):
 *   GET /p/:campaignId/privacy-notice[?lang=cy]             the current notice, HTML
 *   GET /p/:campaignId/privacy-notice.json[?lang=cy]        the same, JSON
 *   GET /p/:campaignId/privacy-notice/versions              every version with its dates, HTML
 *   GET /p/:campaignId/privacy-notice/versions.json         the same, JSON
 *   GET /p/:campaignId/privacy-notice/versions/:n[?lang=cy] one version, HTML (…/:n.json for JSON)
 * Nothing published answers 404 with a page that says so. The pages carry no script and no
 * inline style (the server's CSP forbids both); their stylesheet is served here too.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { AppDeps } from '../../app/context.js';
import {
  getPrivacyNoticeOverview,
  getPrivacyNoticeVersion,
  publishInputSchema,
  publishPrivacyNotice,
  readPublicHistory,
  readPublicNotice,
  removeNoticeTranslation,
  saveNoticeTranslation,
  updatePrivacyNoticeSettings,
  type PublicNotice,
} from '../../app/privacy-notice.js';
import {
  listNoticeDeliveries,
  noticeDeliveryInputSchema,
  recordNoticeDelivery,
} from '../../app/privacy-notice-deliveries.js';
import {
  isNoticeLanguage,
  NOTICE_LANGUAGES,
  NOTICE_SECTION_IDS,
  noticeSettingsSchema,
  translationInputSchema,
  type NoticeLanguage,
} from '../../domain/privacy-notice.js';
import { requirePrincipal } from '../auth.js';
import {
  NOTICE_CSS,
  NOTICE_CSS_PATH,
  renderHistoryPage,
  renderMessagePage,
  renderNoticePage,
} from '../privacy-notice-html.js';
import { campaignParams, idParam } from './common.js';

// ---------------------------------------------------------------------------------------
// Staff API
// ---------------------------------------------------------------------------------------

/** The :sectionId of the path (the use case answers not_found for an unknown one). */
const sectionOf = (params: unknown): string => {
  const value = (params as Record<string, unknown> | undefined)?.['sectionId'];
  return typeof value === 'string' ? value : '';
};

export function registerPrivacyNoticeRoutes(app: FastifyInstance, deps: AppDeps): void {
  const campaignOf = (params: unknown): string => idParam(params, 'campaignId', 'campaign');
  const sectionParams = campaignParams.extend({ sectionId: z.enum(NOTICE_SECTION_IDS) });
  const personParams = campaignParams.extend({ personId: z.uuid() });

  app.get(
    '/campaigns/:campaignId/privacy-notice',
    {
      schema: {
        tags: ['privacy notice'],
        summary:
          'The notice as it would be published now (with the rule findings that block it), beside the published version; the Welsh texts and their state; the history and public addresses',
        params: campaignParams,
      },
    },
    async (request) =>
      getPrivacyNoticeOverview(deps, await requirePrincipal(deps, request), campaignOf(request.params)),
  );

  app.post(
    '/campaigns/:campaignId/privacy-notice/publish',
    {
      schema: {
        tags: ['privacy notice'],
        summary:
          'Publish (DPO or owner): 201 with the new version(s), 200 when nothing changed; 422 rule_refused naming the rule when a section cannot be written; 409 invalid_state for Welsh with sections missing',
        params: campaignParams,
        body: publishInputSchema,
      },
    },
    async (request, reply) => {
      const result = await publishPrivacyNotice(
        deps,
        await requirePrincipal(deps, request),
        campaignOf(request.params),
        request.body ?? {},
      );
      return reply.status(result.created.length > 0 ? 201 : 200).send(result);
    },
  );

  app.get(
    '/campaigns/:campaignId/privacy-notice/versions/:version',
    {
      schema: {
        tags: ['privacy notice'],
        summary: 'One published version with its document',
        params: campaignParams.extend({ version: z.coerce.number().int().min(1) }),
        querystring: z.object({ language: z.enum(NOTICE_LANGUAGES).optional() }),
      },
    },
    async (request) => {
      const { version } = request.params as { version: string };
      const { language } = (request.query ?? {}) as { language?: string };
      return {
        version: await getPrivacyNoticeVersion(
          deps,
          await requirePrincipal(deps, request),
          campaignOf(request.params),
          {
            version,
            ...(language === undefined ? {} : { language }),
          },
        ),
      };
    },
  );

  app.patch(
    '/campaigns/:campaignId/privacy-notice/settings',
    {
      schema: {
        tags: ['privacy notice'],
        summary: 'Set the objection page, the privacy inbox and the complaint form (only the fields sent; null clears)',
        params: campaignParams,
        body: noticeSettingsSchema,
      },
    },
    async (request) => ({
      settings: await updatePrivacyNoticeSettings(
        deps,
        await requirePrincipal(deps, request),
        campaignOf(request.params),
        request.body,
      ),
    }),
  );

  app.put(
    '/campaigns/:campaignId/privacy-notice/translations/cy/:sectionId',
    {
      schema: {
        tags: ['privacy notice'],
        summary:
          'Save the Welsh text of a section; sourceSha256 is the SHA-256 of the English section it translates (from the overview)',
        params: sectionParams,
        body: translationInputSchema,
      },
    },
    async (request) => ({
      translation: await saveNoticeTranslation(
        deps,
        await requirePrincipal(deps, request),
        campaignOf(request.params),
        sectionOf(request.params),
        request.body,
      ),
    }),
  );

  app.delete(
    '/campaigns/:campaignId/privacy-notice/translations/cy/:sectionId',
    { schema: { tags: ['privacy notice'], summary: 'Remove the Welsh text of a section', params: sectionParams } },
    async (request, reply) => {
      await removeNoticeTranslation(
        deps,
        await requirePrincipal(deps, request),
        campaignOf(request.params),
        sectionOf(request.params),
      );
      return reply.status(204).send();
    },
  );

  app.get(
    '/campaigns/:campaignId/people/:personId/privacy-notices',
    {
      schema: {
        tags: ['privacy notice'],
        summary: 'The privacy notice versions a person was given, when and how',
        params: personParams,
      },
    },
    async (request) => ({
      deliveries: await listNoticeDeliveries(
        deps,
        await requirePrincipal(deps, request),
        campaignOf(request.params),
        idParam(request.params, 'personId', 'person'),
      ),
    }),
  );

  app.post(
    '/campaigns/:campaignId/people/:personId/privacy-notices',
    {
      schema: {
        tags: ['privacy notice'],
        summary:
          'Record that a person was given the notice (version: the one published at deliveredAt if left out; method: web_form, email, letter, in_person or art14_letter)',
        params: personParams,
        body: noticeDeliveryInputSchema,
      },
    },
    async (request, reply) =>
      reply.status(201).send({
        delivery: await recordNoticeDelivery(
          deps,
          await requirePrincipal(deps, request),
          campaignOf(request.params),
          idParam(request.params, 'personId', 'person'),
          request.body,
        ),
      }),
  );
}

// ---------------------------------------------------------------------------------------
// Public pages
// ---------------------------------------------------------------------------------------

/** The current notice may change when a new version is published: browsers check every few minutes. */
const CURRENT_CACHE = 'public, max-age=300, must-revalidate';
/** A version never changes (only the languages it is published in may grow). */
const VERSION_CACHE = 'public, max-age=86400';
/** "Nothing published yet" must give way as soon as something is. */
const MISSING_CACHE = 'no-cache';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const PUBLIC_RATE_LIMIT = { rateLimit: { max: 300, timeWindow: '1 minute' } };

interface PublicParams {
  campaignId?: string;
  version?: string;
}

function publicHtml(reply: FastifyReply, status: number, html: string, cache: string, language: NoticeLanguage = 'en') {
  return reply
    .status(status)
    .header('cache-control', cache)
    .header('content-language', language)
    .type('text/html; charset=utf-8')
    .send(html);
}

const basePathOf = (campaignId: string): string => `/p/${campaignId}/privacy-notice`;

function notPublishedPage(reply: FastifyReply, json: boolean) {
  if (json) {
    return reply
      .status(404)
      .header('cache-control', MISSING_CACHE)
      .send({ error: { code: 'not_found', message: 'no privacy notice is published at this address' } });
  }
  return publicHtml(
    reply,
    404,
    renderMessagePage({
      title: 'No privacy notice is published here',
      paragraphs: [
        'There is no published privacy notice at this address. The campaign may not have published one yet, or the link may be mistyped.',
        'If you were given this link by a campaign, contact them and ask for their privacy notice: they must tell you how they use your personal information.',
      ],
      welsh: 'Nid oes hysbysiad preifatrwydd wedi’i gyhoeddi yn y cyfeiriad hwn.',
    }),
    MISSING_CACHE,
  );
}

/** ?lang=en|cy (default en); anything else is a 400 that says what is allowed. */
function languageOf(request: FastifyRequest, reply: FastifyReply, json: boolean): NoticeLanguage | null {
  const lang = (request.query as Record<string, unknown> | undefined)?.['lang'];
  if (lang === undefined || lang === '') return 'en';
  if (isNoticeLanguage(lang)) return lang;
  if (json) {
    void reply.status(400).send({
      error: {
        code: 'validation_failed',
        message: 'lang: must be en or cy',
        details: { issues: [{ field: 'lang', message: 'must be en or cy' }] },
      },
    });
  } else {
    void publicHtml(
      reply,
      400,
      renderMessagePage({
        title: 'Choose English or Welsh',
        paragraphs: ['This notice is available with ?lang=en (English) or ?lang=cy (Welsh, where published).'],
      }),
      MISSING_CACHE,
    );
  }
  return null;
}

function sendNotice(
  request: FastifyRequest,
  reply: FastifyReply,
  campaignId: string,
  found: PublicNotice,
  options: { json: boolean; language: NoticeLanguage; cache: string },
) {
  const basePath = basePathOf(campaignId);
  if (found.kind === 'none') return notPublishedPage(reply, options.json);
  if (found.kind === 'no_such_version') {
    if (options.json) {
      return reply
        .status(404)
        .header('cache-control', MISSING_CACHE)
        .send({ error: { code: 'not_found', message: `version ${found.version} of this notice was never published` } });
    }
    return publicHtml(
      reply,
      404,
      renderMessagePage({
        title: `Version ${found.version} of this notice was never published`,
        paragraphs: [`The current version is ${found.currentVersion}.`],
        links: [
          { href: basePath, text: 'Read the current version' },
          { href: `${basePath}/versions`, text: 'Every published version' },
        ],
      }),
      MISSING_CACHE,
    );
  }
  if (found.kind === 'untranslated') {
    if (options.json) {
      return reply
        .status(404)
        .header('cache-control', MISSING_CACHE)
        .send({
          error: {
            code: 'not_found',
            message: `version ${found.version} of this notice is not published in ${found.language === 'cy' ? 'Welsh' : 'English'}`,
          },
        });
    }
    return publicHtml(
      reply,
      404,
      renderMessagePage({
        title: 'This notice is not yet published in Welsh',
        paragraphs: [
          `Version ${found.version} of this privacy notice is published in English. The campaign has not yet published its Welsh version.`,
        ],
        welsh: `Nid yw fersiwn ${found.version} o’r hysbysiad preifatrwydd hwn wedi’i chyhoeddi yn Gymraeg eto.`,
        links: [{ href: `${basePath}/versions/${found.version}`, text: 'Read it in English', lang: 'en' }],
      }),
      MISSING_CACHE,
    );
  }
  const v = found.version;
  const etag = `"${v.sha256.slice(0, 32)}-${v.version}-${v.language}-${found.languages.join('')}${options.json ? '-json' : ''}"`;
  void reply.header('etag', etag).header('cache-control', options.cache).header('content-language', v.language);
  if (request.headers['if-none-match'] === etag) return reply.status(304).send();
  if (options.json) {
    return reply.type('application/json; charset=utf-8').send({
      version: v.version,
      language: v.language,
      publishedAt: v.publishedAt,
      sha256: v.sha256,
      current: v.version === found.currentVersion,
      languages: found.languages,
      document: v.document,
    });
  }
  return reply.type('text/html; charset=utf-8').send(
    renderNoticePage({
      document: v.document,
      version: v.version,
      publishedAt: v.publishedAt,
      sha256: v.sha256,
      languages: found.languages,
      currentVersion: found.currentVersion,
      basePath,
    }),
  );
}

export function registerPublicNoticeRoutes(app: FastifyInstance, deps: AppDeps): void {
  const publicSchema = (summary: string) => ({ tags: ['public'], summary, security: [] });

  app.get(NOTICE_CSS_PATH, { schema: { hide: true } }, async (_request, reply) =>
    reply
      .header('cache-control', 'public, max-age=31536000, immutable')
      .type('text/css; charset=utf-8')
      .send(NOTICE_CSS),
  );

  const current = (json: boolean) => async (request: FastifyRequest, reply: FastifyReply) => {
    const { campaignId = '' } = request.params as PublicParams;
    const language = languageOf(request, reply, json);
    if (language === null) return reply;
    if (!UUID.test(campaignId)) return notPublishedPage(reply, json);
    const found = await readPublicNotice(deps.db, campaignId.toLowerCase(), { language });
    return sendNotice(request, reply, campaignId.toLowerCase(), found, { json, language, cache: CURRENT_CACHE });
  };

  const oneVersion = (json: boolean) => async (request: FastifyRequest, reply: FastifyReply) => {
    const { campaignId = '', version = '' } = request.params as PublicParams;
    const language = languageOf(request, reply, json);
    if (language === null) return reply;
    if (!UUID.test(campaignId) || !/^[1-9]\d{0,8}$/.test(version)) return notPublishedPage(reply, json);
    const found = await readPublicNotice(deps.db, campaignId.toLowerCase(), { language, version: Number(version) });
    return sendNotice(request, reply, campaignId.toLowerCase(), found, { json, language, cache: VERSION_CACHE });
  };

  const history = (json: boolean) => async (request: FastifyRequest, reply: FastifyReply) => {
    const { campaignId = '' } = request.params as PublicParams;
    if (!UUID.test(campaignId)) return notPublishedPage(reply, json);
    const id = campaignId.toLowerCase();
    const { controllerName, history: entries } = await readPublicHistory(deps.db, id);
    if (entries.length === 0) return notPublishedPage(reply, json);
    if (json) {
      return reply.header('cache-control', CURRENT_CACHE).send({ versions: entries });
    }
    return publicHtml(
      reply,
      200,
      renderHistoryPage({ controllerName: controllerName ?? '', basePath: basePathOf(id), history: entries }),
      CURRENT_CACHE,
    );
  };

  const langQuery = z.object({ lang: z.enum(NOTICE_LANGUAGES).optional() });
  const params = z.object({ campaignId: z.uuid() });
  const versionParams = params.extend({ version: z.coerce.number().int().min(1) });
  const routes: [
    string,
    string,
    (json: boolean) => (r: FastifyRequest, p: FastifyReply) => Promise<unknown>,
    boolean,
    z.ZodType,
  ][] = [
    ['/p/:campaignId/privacy-notice', 'The current privacy notice (HTML; ?lang=cy for Welsh)', current, false, params],
    [
      '/p/:campaignId/privacy-notice.json',
      'The current privacy notice (JSON; ?lang=cy for Welsh)',
      current,
      true,
      params,
    ],
    ['/p/:campaignId/privacy-notice/versions', 'Every published version, newest first (HTML)', history, false, params],
    [
      '/p/:campaignId/privacy-notice/versions.json',
      'Every published version, newest first (JSON)',
      history,
      true,
      params,
    ],
    [
      '/p/:campaignId/privacy-notice/versions/:version',
      'One published version (HTML; ?lang=cy for Welsh)',
      oneVersion,
      false,
      versionParams,
    ],
    [
      '/p/:campaignId/privacy-notice/versions/:version.json',
      'One published version (JSON)',
      oneVersion,
      true,
      versionParams,
    ],
  ];
  for (const [path, summary, handler, json, routeParams] of routes) {
    app.get(
      path,
      {
        config: PUBLIC_RATE_LIMIT,
        schema: {
          ...publicSchema(summary),
          params: routeParams,
          ...(path.includes('/versions') && !path.includes(':version') ? {} : { querystring: langQuery }),
        },
      },
      handler(json),
    );
  }
}
