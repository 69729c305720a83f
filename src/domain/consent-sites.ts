/**
 * Website consent (issue 6), the pure part: a site's configuration (categories, services and
 * their cookies, texts in English and Welsh), the service presets, the hashes that version it,
 * the BannerConfig the public endpoint serves (src/shared/consent-banner.ts), the receipt
 * schema, and the facts the rules engine decides a configuration on (`cookies.configure`).
 *
 *   - configHash: SHA-256 of the canonical JSON of the material configuration — categories
 *     (id, locked, exempt) and their services with providers, purposes, cookies and Consent Mode
 *     signals. Texts are excluded: a copy edit does not re-prompt visitors.
 *   - textHashes[language]: SHA-256 of the canonical JSON of that language's texts as served.
 *
 * Canonical JSON: object keys sorted, no whitespace, arrays in order.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import {
  BANNER_LANGUAGES,
  CONSENT_CATEGORIES,
  CONSENT_MODE_SIGNALS,
  RECEIPT_ACTIONS,
  type BannerConfig,
  type BannerLanguage,
  type BannerTexts,
  type ConsentCategory,
} from '../shared/consent-banner.js';
import type { SiteConfig as SharedSiteConfig } from '../shared/consent-sites.js';
import type { CookiesConfigureFacts } from './rules/capabilities.js';
import type { Art26Scope } from './rules/online-rules.js';
import { TECHNOLOGY_PURPOSES, type SchA1Exception, type Technology } from './rules/pecr-rules.js';
import { PLATFORMS, type PlatformId } from './rules/platforms.js';

// ---------------------------------------------------------------------------------------
// Canonical JSON and hashes
// ---------------------------------------------------------------------------------------

/** JSON with object keys sorted at every level (undefined members dropped, as JSON.stringify does). */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v === undefined ? null : v)).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

export const sha256Hex = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

// ---------------------------------------------------------------------------------------
// Schemas
// ---------------------------------------------------------------------------------------

const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * A website origin: https://host[:port] (http only for localhost, for testing), nothing else —
 * no path, query, fragment or credentials. Normalised to the form browsers send in `Origin`.
 */
export const originSchema = z
  .string()
  .trim()
  .max(300)
  .transform((value, ctx) => {
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      ctx.addIssue({ code: 'custom', message: 'must be a web address such as https://www.example.org' });
      return z.NEVER;
    }
    const local = LOCAL_HOSTS.has(url.hostname);
    if (url.protocol !== 'https:' && !(url.protocol === 'http:' && local)) {
      ctx.addIssue({ code: 'custom', message: 'must start with https:// (http:// only for localhost)' });
      return z.NEVER;
    }
    if (url.username || url.password || (url.pathname !== '/' && url.pathname !== '') || url.search || url.hash) {
      ctx.addIssue({
        code: 'custom',
        message: 'must be only the scheme and host (and port), e.g. https://www.example.org — no path',
      });
      return z.NEVER;
    }
    return url.origin;
  });

const SLUG = /^[a-z0-9][a-z0-9-]{0,62}$/;
const text = (max: number) => z.string().trim().min(1).max(max);

export const bannerCookieSchema = z.strictObject({
  name: z
    .string()
    .trim()
    .min(1)
    .max(100)
    .regex(/^[\x21-\x7e]+$/, 'a cookie or storage name has no spaces or control characters'),
  prefix: z.boolean().default(false),
  duration: text(60),
  purpose: text(500),
  storage: z.enum(['cookie', 'local', 'session']).default('cookie'),
});

export const serviceSchema = z.strictObject({
  id: z.string().regex(SLUG, 'lower-case letters, digits and hyphens, starting with a letter or digit'),
  name: text(100),
  provider: text(200),
  privacyPolicyUrl: z
    .url({ protocol: /^https?$/ })
    .max(500)
    .nullable()
    .default(null),
  cookies: z.array(bannerCookieSchema).max(50).default([]),
  consentMode: z.array(z.enum(CONSENT_MODE_SIGNALS)).max(4).default([]),
  /** What it is used for (PECR Sch A1 reads this: advertising and social pixels are never exempt). */
  purpose: z.enum(TECHNOLOGY_PURPOSES),
  /** The platform behind it, where it is one of the ad platforms (a possible joint controller). */
  platform: z.enum(PLATFORMS).nullable().default(null),
  /** Run by the campaign itself (first-party), not a third party. */
  firstParty: z.boolean().default(false),
  /** The platform decides with the campaign why and how visitors' data is used (Art 26; ONL-JOINT-CONTROLLER). */
  jointController: z.boolean().default(false),
  /** The preset it came from, if any. */
  presetId: z.string().max(64).nullable().default(null),
});
export type SiteService = z.output<typeof serviceSchema>;

export const categorySchema = z.strictObject({
  id: z.enum(CONSENT_CATEGORIES),
  /**
   * Switched on before the visitor chooses (pre-ticked). Only strictly necessary — and
   * statistics or appearance relying on the Sch A1 exception — may be; anything else is
   * refused on save (PECR-R6-PRIOR-CONSENT).
   */
  defaultOn: z.boolean().default(false),
  /**
   * Relies on the Sch A1 exception (statistics, appearance): runs without consent, with clear
   * information and a one-click objection. Claimed for anything else, it is refused on save
   * (PECR-R6-EXCEPTION-SCOPE).
   */
  exempt: z.boolean().default(false),
  services: z.array(serviceSchema).max(40).default([]),
});
export type SiteCategory = z.output<typeof categorySchema>;

const categoryTextSchema = z.strictObject({ name: text(80), description: text(1000) });

export const bannerTextsSchema = z.strictObject({
  regionLabel: text(120),
  title: text(200),
  body: text(2000),
  acceptAll: text(40),
  rejectAll: text(40),
  manage: text(60),
  save: text(60),
  closeDialog: text(40),
  dialogTitle: text(200),
  dialogBody: text(2000),
  withdrawLink: text(80),
  savedAnnouncement: text(300),
  consentIdLabel: text(60),
  gpcNotice: text(500),
  exemptNotice: text(1000),
  objectLabel: text(60),
  placeholder: text(500),
  placeholderLoad: text(80),
  privacyNoticeLink: text(80),
  categories: z.strictObject({
    necessary: categoryTextSchema,
    statistics: categoryTextSchema,
    appearance: categoryTextSchema,
    advertising: categoryTextSchema,
    social: categoryTextSchema,
  }),
  cookieTableHeadings: z.strictObject({ name: text(40), duration: text(40), purpose: text(40) }),
}) satisfies z.ZodType<BannerTexts>;

/** The configuration an editor saves (the site's name and origins travel beside it). */
export const siteConfigSchema = z
  .strictObject({
    categories: z.array(categorySchema).max(CONSENT_CATEGORIES.length),
    languages: z.array(z.enum(BANNER_LANGUAGES)).min(1).max(BANNER_LANGUAGES.length),
    defaultLanguage: z.enum(BANNER_LANGUAGES),
    texts: z.strictObject({ en: bannerTextsSchema.optional(), cy: bannerTextsSchema.optional() }),
    consentMode: z.strictObject({ enabled: z.boolean() }).default({ enabled: true }),
    reloadOnWithdraw: z.boolean().default(true),
    privacyNoticeUrl: z
      .url({ protocol: /^https?$/ })
      .max(500)
      .nullable()
      .default(null),
    cookieName: z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,40}$/, 'letters, digits, _ and - only')
      .default('canvass_consent'),
    consentMaxAgeDays: z.number().int().min(1).max(395).default(180),
  })
  .superRefine((config, ctx) => {
    const seen = new Set<string>();
    config.categories.forEach((category, i) => {
      if (seen.has(category.id)) {
        ctx.addIssue({ code: 'custom', path: ['categories', i, 'id'], message: `${category.id} is listed twice` });
      }
      seen.add(category.id);
    });
    const services = new Set<string>();
    config.categories.forEach((category, i) =>
      category.services.forEach((service, j) => {
        if (services.has(service.id)) {
          ctx.addIssue({
            code: 'custom',
            path: ['categories', i, 'services', j, 'id'],
            message: `the service id ${service.id} is used twice: each service needs its own`,
          });
        }
        services.add(service.id);
      }),
    );
    if (new Set(config.languages).size !== config.languages.length) {
      ctx.addIssue({ code: 'custom', path: ['languages'], message: 'a language is listed twice' });
    }
    if (!config.languages.includes(config.defaultLanguage)) {
      ctx.addIssue({ code: 'custom', path: ['defaultLanguage'], message: 'must be one of the languages' });
    }
    for (const language of config.languages) {
      if (!config.texts[language]) {
        ctx.addIssue({
          code: 'custom',
          path: ['texts', language],
          message: `the texts in ${LANGUAGE_NAMES[language]} are missing`,
        });
      }
    }
  })
  .transform(normaliseConfig);
export type SiteConfig = z.output<typeof siteConfigSchema>;
/** The schema's output is the shared SiteConfig the dashboard edits (checked here at compile time). */
export const SITE_CONFIG_MATCHES_SHARED: SiteConfig extends SharedSiteConfig
  ? SharedSiteConfig extends SiteConfig
    ? true
    : false
  : false = true;
export type SiteConfigInput = z.input<typeof siteConfigSchema>;

export const LANGUAGE_NAMES: Record<BannerLanguage, string> = { en: 'English', cy: 'Welsh' };

/** Every category once, in the banner's order; strictly necessary always on. */
function normaliseConfig<C extends { categories: SiteCategory[] }>(config: C): C {
  const categories = CONSENT_CATEGORIES.map(
    (id): SiteCategory =>
      config.categories.find((c) => c.id === id) ?? { id, defaultOn: false, exempt: false, services: [] },
  ).map((c) => (c.id === 'necessary' ? { ...c, defaultOn: true, exempt: false } : c));
  return { ...config, categories };
}

export const siteNameSchema = text(200);
export const originsSchema = z
  .array(originSchema)
  .min(1, 'register at least one origin')
  .max(20)
  .transform((origins) => [...new Set(origins)]);

export const siteCreateSchema = z.strictObject({
  name: siteNameSchema,
  origins: originsSchema,
  /** Left out: the defaults (no services, English and Welsh texts). */
  config: siteConfigSchema.optional(),
});

export const siteUpdateSchema = z.strictObject({
  /** The revision the editor saw: a stale save is refused (conflict). */
  expectedRevision: z.number().int().min(1).optional(),
  name: siteNameSchema.optional(),
  origins: originsSchema.optional(),
  config: siteConfigSchema.optional(),
  /** Bump the revision: every visitor is asked again. */
  bumpRevision: z.boolean().optional(),
});

export const retentionSchema = z.strictObject({
  /** Days receipts are kept (30 days to 10 years); null keeps them until the site is retired. */
  retentionDays: z.number().int().min(30).max(3650).nullable(),
});

// ---------------------------------------------------------------------------------------
// Default texts
// ---------------------------------------------------------------------------------------

export const DEFAULT_TEXTS: Record<BannerLanguage, BannerTexts> = {
  en: {
    regionLabel: 'Cookies on this website',
    title: 'Cookies on this website',
    body: 'We use some essential cookies to make this website work. We would also like to use other cookies and similar technologies, set by us and by the services named under "Manage choices", to measure how the site is used, to show our adverts on other websites and social media, and to show videos and posts from social media. They stay off unless you accept them.',
    acceptAll: 'Accept all',
    rejectAll: 'Reject all',
    manage: 'Manage choices',
    save: 'Save my choices',
    closeDialog: 'Close',
    dialogTitle: 'Your cookie choices',
    dialogBody:
      'Choose which cookies and similar technologies we may use. You can change your mind at any time with the "Cookie settings" link on every page.',
    withdrawLink: 'Cookie settings',
    savedAnnouncement: 'Your cookie choices have been saved. Your consent ID is {consentId}.',
    consentIdLabel: 'Consent ID',
    gpcNotice:
      'Your browser sent a Global Privacy Control signal, so we have treated it as "Reject all". You can still choose to accept some cookies.',
    exemptNotice:
      'We measure visits with our own statistics and remember how you chose to see the site without asking first, as the law allows. You can object to this with one click.',
    objectLabel: 'Object to this',
    placeholder:
      'This content comes from another website that may set cookies. It stays blocked until you choose to load it.',
    placeholderLoad: 'Load this content',
    privacyNoticeLink: 'Privacy notice',
    categories: {
      necessary: {
        name: 'Strictly necessary',
        description: 'These make the website work, for example by remembering your cookie choices. They are always on.',
      },
      statistics: {
        name: 'Statistics',
        description: 'These count visits and show us how the website is used, so that we can improve it.',
      },
      appearance: {
        name: 'Appearance and preferences',
        description: 'These remember how you chose to see the website, such as text size or language.',
      },
      advertising: {
        name: 'Advertising',
        description:
          'These let advertising platforms measure our adverts and show them to people who have visited this website.',
      },
      social: {
        name: 'Social media and embedded content',
        description:
          'These show videos, posts and buttons from social media and other websites. Those platforms can see that you visited this page.',
      },
    },
    cookieTableHeadings: { name: 'Name', duration: 'Lasts for', purpose: 'Purpose' },
  },
  cy: {
    regionLabel: 'Cwcis ar y wefan hon',
    title: 'Cwcis ar y wefan hon',
    body: 'Rydym yn defnyddio rhai cwcis hanfodol i wneud i’r wefan hon weithio. Hoffem hefyd ddefnyddio cwcis eraill a thechnolegau tebyg, wedi’u gosod gennym ni a chan y gwasanaethau a enwir o dan "Rheoli dewisiadau", i fesur sut mae’r wefan yn cael ei defnyddio, i ddangos ein hysbysebion ar wefannau eraill ac ar y cyfryngau cymdeithasol, ac i ddangos fideos a negeseuon o’r cyfryngau cymdeithasol. Byddant yn aros i ffwrdd oni bai eich bod yn eu derbyn.',
    acceptAll: 'Derbyn y cyfan',
    rejectAll: 'Gwrthod y cyfan',
    manage: 'Rheoli dewisiadau',
    save: 'Cadw fy newisiadau',
    closeDialog: 'Cau',
    dialogTitle: 'Eich dewisiadau cwcis',
    dialogBody:
      'Dewiswch pa gwcis a thechnolegau tebyg y cawn eu defnyddio. Gallwch newid eich meddwl unrhyw bryd drwy’r ddolen "Gosodiadau cwcis" ar bob tudalen.',
    withdrawLink: 'Gosodiadau cwcis',
    savedAnnouncement: 'Mae eich dewisiadau cwcis wedi’u cadw. Eich dynodwr caniatâd yw {consentId}.',
    consentIdLabel: 'Dynodwr caniatâd',
    gpcNotice:
      'Anfonodd eich porwr signal Global Privacy Control, felly rydym wedi’i drin fel "Gwrthod y cyfan". Gallwch ddewis derbyn rhai cwcis o hyd.',
    exemptNotice:
      'Rydym yn mesur ymweliadau â’n hystadegau ein hunain ac yn cofio sut y dewisoch weld y wefan heb ofyn yn gyntaf, fel y mae’r gyfraith yn ei ganiatáu. Gallwch wrthwynebu hyn gydag un clic.',
    objectLabel: 'Gwrthwynebu hyn',
    placeholder:
      'Daw’r cynnwys hwn o wefan arall a allai osod cwcis. Bydd yn aros wedi’i rwystro nes i chi ddewis ei lwytho.',
    placeholderLoad: 'Llwytho’r cynnwys hwn',
    privacyNoticeLink: 'Hysbysiad preifatrwydd',
    categories: {
      necessary: {
        name: 'Hollol angenrheidiol',
        description:
          'Mae’r rhain yn gwneud i’r wefan weithio, er enghraifft drwy gofio eich dewisiadau cwcis. Maent ymlaen bob amser.',
      },
      statistics: {
        name: 'Ystadegau',
        description:
          'Mae’r rhain yn cyfrif ymweliadau ac yn dangos i ni sut mae’r wefan yn cael ei defnyddio, er mwyn i ni allu ei gwella.',
      },
      appearance: {
        name: 'Golwg a dewisiadau',
        description: 'Mae’r rhain yn cofio sut y dewisoch weld y wefan, fel maint y testun neu’r iaith.',
      },
      advertising: {
        name: 'Hysbysebu',
        description:
          'Mae’r rhain yn gadael i lwyfannau hysbysebu fesur ein hysbysebion a’u dangos i bobl sydd wedi ymweld â’r wefan hon.',
      },
      social: {
        name: 'Cyfryngau cymdeithasol a chynnwys wedi’i fewnosod',
        description:
          'Mae’r rhain yn dangos fideos, negeseuon a botymau o’r cyfryngau cymdeithasol a gwefannau eraill. Gall y llwyfannau hynny weld eich bod wedi ymweld â’r dudalen hon.',
      },
    },
    cookieTableHeadings: { name: 'Enw', duration: 'Yn para am', purpose: 'Diben' },
  },
};

/** A new site's configuration: nothing but strictly necessary, English and Welsh texts, nothing on. */
export function defaultSiteConfig(): SiteConfig {
  return siteConfigSchema.parse({
    categories: [],
    languages: ['en', 'cy'],
    defaultLanguage: 'en',
    texts: { en: DEFAULT_TEXTS.en, cy: DEFAULT_TEXTS.cy },
  });
}

// ---------------------------------------------------------------------------------------
// Service presets
// ---------------------------------------------------------------------------------------

export interface ServicePreset {
  /** The category a campaign site would normally put it in. */
  category: Exclude<ConsentCategory, 'necessary'> | 'necessary';
  service: SiteService;
  /** Where the cookie list comes from. */
  source: string;
  /** What the editor should know (e.g. cookies set on the platform's own domain). */
  note: string;
}

/** When the presets were last checked against the vendors' pages. */
export const PRESET_VERSION = '2026-11';

type CookieRow = readonly [
  name: string,
  duration: string,
  purpose: string,
  opts?: { prefix?: boolean; storage?: 'local' | 'session' },
];

function preset(
  category: ServicePreset['category'],
  service: Omit<SiteService, 'cookies' | 'presetId' | 'consentMode'> & {
    cookies: readonly CookieRow[];
    consentMode?: SiteService['consentMode'];
  },
  source: string,
  note: string,
): ServicePreset {
  return {
    category,
    service: {
      ...service,
      consentMode: service.consentMode ?? [],
      presetId: service.id,
      cookies: service.cookies.map(([name, duration, purpose, opts]) => ({
        name,
        duration,
        purpose,
        prefix: opts?.prefix ?? false,
        storage: opts?.storage ?? 'cookie',
      })),
    },
    source,
    note,
  };
}

const THIRD_PARTY =
  'Set on the platform’s own domain: the banner lists it but cannot erase it (only the visitor’s browser can).';

/**
 * Presets for the services campaign sites use most. Cookie names, durations and purposes as
 * the vendors document them (each preset names its source); third-party cookies set on the
 * platform's own domain are listed for information (the banner cannot erase them).
 */
export const SERVICE_PRESETS: Record<string, ServicePreset> = Object.fromEntries(
  [
    preset(
      'advertising',
      {
        id: 'meta-pixel',
        name: 'Meta Pixel',
        provider: 'Meta Platforms Ireland Ltd',
        privacyPolicyUrl: 'https://www.facebook.com/privacy/policy/',
        purpose: 'social_pixel',
        platform: 'meta',
        firstParty: false,
        jointController: true,
        cookies: [
          [
            '_fbp',
            '90 days',
            'Identifies this browser to Meta so it can measure and target adverts (set by the pixel on this site).',
          ],
          ['_fbc', '90 days', 'Stores the Facebook ad click identifier (fbclid) of a visit that came from an advert.'],
          [
            'fr',
            '90 days',
            `Meta’s advertising cookie on facebook.com: delivers, measures and targets adverts. ${THIRD_PARTY}`,
          ],
        ],
      },
      'https://www.facebook.com/privacy/policies/cookies/',
      'Meta is a joint controller with the campaign for the data the pixel collects (CJEU Fashion ID, C-40/17): record an Art 26 arrangement for pixels and plugins first.',
    ),
    preset(
      'statistics',
      {
        id: 'google-analytics-4',
        name: 'Google Analytics 4',
        provider: 'Google Ireland Ltd',
        privacyPolicyUrl: 'https://policies.google.com/privacy',
        purpose: 'statistics',
        platform: 'google',
        firstParty: false,
        jointController: false,
        consentMode: ['analytics_storage'],
        cookies: [
          ['_ga', '2 years', 'Distinguishes visitors for Google Analytics.'],
          [
            '_ga_',
            '2 years',
            'Keeps the state of a visit for one Google Analytics property (named _ga_<property id>).',
            { prefix: true },
          ],
        ],
      },
      'https://support.google.com/analytics/answer/11397207',
      'Google Analytics is a third party’s service: the statistics exception (first-party, aggregate) does not cover it, so it needs consent.',
    ),
    preset(
      'advertising',
      {
        id: 'google-ads',
        name: 'Google Ads conversion tracking and remarketing',
        provider: 'Google Ireland Ltd',
        privacyPolicyUrl: 'https://policies.google.com/privacy',
        purpose: 'advertising',
        platform: 'google',
        firstParty: false,
        jointController: true,
        consentMode: ['ad_storage', 'ad_user_data', 'ad_personalization'],
        cookies: [
          ['_gcl_au', '90 days', 'Google Ads conversion linker: stores ad click information to measure conversions.'],
          ['_gcl_aw', '90 days', 'Stores the Google Ads click identifier (gclid) of a visit that came from an advert.'],
          ['_gcl_dc', '90 days', 'Stores click information from Display & Video 360 and Campaign Manager adverts.'],
          [
            'IDE',
            '13 months',
            `Google’s advertising cookie on doubleclick.net: targets and measures adverts. ${THIRD_PARTY}`,
          ],
        ],
      },
      'https://business.safety.google/adscookies/',
      'Remarketing lists built from visitors make Google and the campaign joint controllers for pixels: record an Art 26 arrangement first.',
    ),
    preset(
      'advertising',
      {
        id: 'x-pixel',
        name: 'X Pixel',
        provider: 'Twitter International Unlimited Company (X)',
        privacyPolicyUrl: 'https://x.com/en/privacy',
        purpose: 'social_pixel',
        platform: 'x',
        firstParty: false,
        jointController: true,
        cookies: [
          [
            'muc_ads',
            '2 years',
            `X’s advertising cookie on x.com and t.co: measures and targets adverts. ${THIRD_PARTY}`,
          ],
          [
            'personalization_id',
            '2 years',
            `X’s cookie on x.com that links activity across sites for adverts. ${THIRD_PARTY}`,
          ],
          ['guest_id', '2 years', `Identifies a visitor who is not signed in to X, on x.com. ${THIRD_PARTY}`],
        ],
      },
      'https://help.x.com/en/rules-and-policies/x-cookies',
      'X is a joint controller with the campaign for the pixel’s data: record an Art 26 arrangement for pixels and plugins first.',
    ),
    preset(
      'advertising',
      {
        id: 'linkedin-insight',
        name: 'LinkedIn Insight Tag',
        provider: 'LinkedIn Ireland Unlimited Company',
        privacyPolicyUrl: 'https://www.linkedin.com/legal/privacy-policy',
        purpose: 'social_pixel',
        platform: 'linkedin',
        firstParty: false,
        jointController: true,
        cookies: [
          [
            'li_fat_id',
            '30 days',
            'LinkedIn’s first-party ad tracking id: attributes conversions on this site to LinkedIn adverts.',
          ],
          [
            'li_sugr',
            '90 days',
            'Identifies this browser to LinkedIn, to match visits to LinkedIn members for adverts.',
          ],
          ['bcookie', '1 year', `LinkedIn’s browser identifier on linkedin.com. ${THIRD_PARTY}`],
          ['lidc', '24 hours', `LinkedIn’s data-centre routing cookie on linkedin.com. ${THIRD_PARTY}`],
          ['UserMatchHistory', '30 days', `Syncs LinkedIn Ads identifiers, on linkedin.com. ${THIRD_PARTY}`],
          [
            'AnalyticsSyncHistory',
            '30 days',
            `Records when identifiers were last synced for analytics, on linkedin.com. ${THIRD_PARTY}`,
          ],
        ],
      },
      'https://www.linkedin.com/legal/l/cookie-table',
      'LinkedIn bans political adverts (ONL-PLATFORM-ELIGIBILITY); the tag still sends visitors’ data to LinkedIn, as joint controller.',
    ),
    preset(
      'advertising',
      {
        id: 'tiktok-pixel',
        name: 'TikTok Pixel',
        provider: 'TikTok Technology Ltd',
        privacyPolicyUrl: 'https://www.tiktok.com/legal/privacy-policy-eea',
        purpose: 'social_pixel',
        platform: 'tiktok',
        firstParty: false,
        jointController: true,
        cookies: [
          ['_ttp', '13 months', 'Identifies this browser to TikTok to measure and improve adverts.'],
          ['_tt_enable_cookie', '13 months', 'Checks whether this browser accepts TikTok’s cookies.'],
        ],
      },
      'https://ads.tiktok.com/help/article?aid=10007540',
      'TikTok bans political adverts (ONL-PLATFORM-ELIGIBILITY); the pixel still sends visitors’ data to TikTok, as joint controller.',
    ),
    preset(
      'social',
      {
        id: 'youtube',
        name: 'YouTube videos',
        provider: 'Google Ireland Ltd (YouTube)',
        privacyPolicyUrl: 'https://policies.google.com/privacy',
        purpose: 'embed',
        platform: 'google',
        firstParty: false,
        jointController: false,
        cookies: [
          ['YSC', 'session', `Counts the views of embedded videos, on youtube.com. ${THIRD_PARTY}`],
          [
            'VISITOR_INFO1_LIVE',
            '6 months',
            `Estimates bandwidth and keeps player preferences, on youtube.com. ${THIRD_PARTY}`,
          ],
          [
            'VISITOR_PRIVACY_METADATA',
            '6 months',
            `Keeps the visitor’s cookie choices for YouTube, on youtube.com. ${THIRD_PARTY}`,
          ],
          ['PREF', '8 months', `Keeps player preferences, on youtube.com. ${THIRD_PARTY}`],
        ],
      },
      'https://policies.google.com/technologies/cookies',
      'Use the privacy-enhanced address (www.youtube-nocookie.com) as well; it still stores data once the video plays.',
    ),
    preset(
      'social',
      {
        id: 'facebook-embeds',
        name: 'Facebook posts and buttons',
        provider: 'Meta Platforms Ireland Ltd',
        privacyPolicyUrl: 'https://www.facebook.com/privacy/policy/',
        purpose: 'social_plugin',
        platform: 'meta',
        firstParty: false,
        jointController: true,
        cookies: [
          ['fr', '90 days', `Meta’s advertising cookie on facebook.com. ${THIRD_PARTY}`],
          [
            'datr',
            '2 years',
            `Identifies the browser to Meta for security and integrity, on facebook.com. ${THIRD_PARTY}`,
          ],
          ['sb', '2 years', `Identifies the browser to Meta for sign-in and security, on facebook.com. ${THIRD_PARTY}`],
        ],
      },
      'https://www.facebook.com/privacy/policies/cookies/',
      'An embedded Facebook plugin makes Meta and the campaign joint controllers for the data it sends (CJEU Fashion ID, C-40/17): record an Art 26 arrangement first.',
    ),
    preset(
      'social',
      {
        id: 'x-embeds',
        name: 'X posts and timelines',
        provider: 'Twitter International Unlimited Company (X)',
        privacyPolicyUrl: 'https://x.com/en/privacy',
        purpose: 'social_plugin',
        platform: 'x',
        firstParty: false,
        jointController: true,
        cookies: [
          ['guest_id', '2 years', `Identifies a visitor who is not signed in to X, on x.com. ${THIRD_PARTY}`],
          ['personalization_id', '2 years', `Links activity across sites for X’s adverts, on x.com. ${THIRD_PARTY}`],
        ],
      },
      'https://help.x.com/en/rules-and-policies/x-cookies',
      'An embedded X widget makes X and the campaign joint controllers for the data it sends: record an Art 26 arrangement first.',
    ),
    preset(
      'statistics',
      {
        id: 'hotjar',
        name: 'Hotjar',
        provider: 'Hotjar Ltd',
        privacyPolicyUrl: 'https://www.hotjar.com/legal/policies/privacy/',
        purpose: 'statistics',
        platform: null,
        firstParty: false,
        jointController: false,
        cookies: [
          [
            '_hjSessionUser_',
            '1 year',
            'Keeps one Hotjar user id per site (named _hjSessionUser_<site id>).',
            { prefix: true },
          ],
          [
            '_hjSession_',
            '30 minutes',
            'Holds the current Hotjar session (named _hjSession_<site id>).',
            { prefix: true },
          ],
          ['_hjTLDTest', 'session', 'Finds the widest domain Hotjar can set its cookies on.'],
          ['hjActiveViewportIds', 'session', 'Tracks the open viewports for Hotjar recordings.', { storage: 'local' }],
          ['hjViewportId', 'session', 'Identifies this tab for Hotjar recordings.', { storage: 'session' }],
        ],
      },
      'https://help.hotjar.com/hc/en-us/articles/115011789248-Hotjar-Cookie-Information',
      'Recordings and heatmaps by a third party are not the first-party aggregate statistics the exception covers: consent is needed.',
    ),
    preset(
      'statistics',
      {
        id: 'microsoft-clarity',
        name: 'Microsoft Clarity',
        provider: 'Microsoft Ireland Operations Ltd',
        privacyPolicyUrl: 'https://privacy.microsoft.com/privacystatement',
        purpose: 'statistics',
        platform: null,
        firstParty: false,
        jointController: false,
        consentMode: ['analytics_storage'],
        cookies: [
          ['_clck', '1 year', 'Keeps the Clarity user id and preferences for this site.'],
          ['_clsk', '1 day', 'Joins page views into one Clarity session.'],
          ['CLID', '1 year', `Identifies the first time Clarity saw this browser, on clarity.ms. ${THIRD_PARTY}`],
          ['MUID', '1 year', `Microsoft’s browser identifier, on clarity.ms and bing.com. ${THIRD_PARTY}`],
        ],
      },
      'https://learn.microsoft.com/en-us/clarity/setup-and-installation/cookie-consent',
      'Clarity records sessions for a third party: consent is needed.',
    ),
    preset(
      'necessary',
      {
        id: 'nationbuilder',
        name: 'NationBuilder',
        provider: 'NationBuilder (3DNA Corp.)',
        privacyPolicyUrl: 'https://nationbuilder.com/privacy',
        purpose: 'strictly_necessary',
        platform: null,
        firstParty: true,
        jointController: false,
        cookies: [
          ['_nbuild_session', 'session', 'Identifies the visitor’s current session on the site.'],
          ['_nbuild_token', 'session', 'Protects the site’s forms against cross-site request forgery.'],
          ['_nbuild_nocache', '1 year', 'Decides whether cached pages may be served.'],
          ['_public_login', '2 weeks', 'Keeps a visitor who chose "remember me" signed in to the site.'],
          ['_nbuild_login', '2 weeks', 'Keeps a staff member signed in to the control panel.'],
        ],
      },
      'https://nationbuilder.com/nationbuilder_application_cookies',
      'Only NationBuilder’s own cookies are strictly necessary; add analytics, pixels and embeds on a NationBuilder site as their own services.',
    ),
    preset(
      'social',
      {
        id: 'action-network',
        name: 'Action Network forms',
        provider: 'Action Network',
        privacyPolicyUrl: 'https://actionnetwork.org/privacy',
        purpose: 'embed',
        platform: null,
        firstParty: false,
        jointController: false,
        cookies: [],
      },
      'https://actionnetwork.org/privacy',
      'Action Network publishes no list of the cookies its embedded forms set: load a form, look in the browser’s storage, and add what it sets here.',
    ),
  ].map((p) => [p.service.id, p]),
);

// ---------------------------------------------------------------------------------------
// Hashes and the BannerConfig
// ---------------------------------------------------------------------------------------

/** The material configuration: what a visitor consents to. Texts and display settings are not in it. */
export function materialConfig(config: Pick<SiteConfig, 'categories'>): unknown {
  return {
    categories: config.categories.map((c) => ({
      id: c.id,
      locked: c.id === 'necessary',
      exempt: c.exempt,
      services: c.services.map((s) => ({
        id: s.id,
        name: s.name,
        provider: s.provider,
        privacyPolicyUrl: s.privacyPolicyUrl,
        purpose: s.purpose,
        platform: s.platform,
        firstParty: s.firstParty,
        consentMode: s.consentMode,
        cookies: s.cookies.map((k) => ({
          name: k.name,
          prefix: k.prefix,
          duration: k.duration,
          purpose: k.purpose,
          storage: k.storage,
        })),
      })),
    })),
  };
}

export const configHashOf = (config: Pick<SiteConfig, 'categories'>): string =>
  sha256Hex(canonicalJson(materialConfig(config)));

export const textHashOf = (texts: BannerTexts): string => sha256Hex(canonicalJson(texts));

/** The configuration the public endpoint serves, for one saved configuration and revision. */
export function bannerConfigOf(siteId: string, config: SiteConfig, revision: number): BannerConfig {
  const texts: Partial<Record<BannerLanguage, BannerTexts>> = {};
  const textHashes: Partial<Record<BannerLanguage, string>> = {};
  for (const language of config.languages) {
    const t = config.texts[language];
    if (!t) continue;
    texts[language] = t;
    textHashes[language] = textHashOf(t);
  }
  return {
    siteId,
    revision,
    configHash: configHashOf(config),
    textHashes,
    languages: config.languages,
    defaultLanguage: config.defaultLanguage,
    categories: config.categories.map((c) => ({
      id: c.id,
      locked: c.id === 'necessary',
      exempt: c.exempt,
      services: c.services.map((s) => ({
        id: s.id,
        name: s.name,
        provider: s.provider,
        privacyPolicyUrl: s.privacyPolicyUrl,
        cookies: s.cookies,
        consentMode: s.consentMode,
      })),
    })),
    texts,
    consentMode: config.consentMode,
    reloadOnWithdraw: config.reloadOnWithdraw,
    privacyNoticeUrl: config.privacyNoticeUrl,
    cookieName: config.cookieName,
    consentMaxAgeDays: config.consentMaxAgeDays,
  };
}

/** Whether two banner configurations differ in anything served (so a new version is published). */
export const sameBanner = (a: BannerConfig, b: BannerConfig): boolean => canonicalJson(a) === canonicalJson(b);

// ---------------------------------------------------------------------------------------
// The rules engine's facts (cookies.configure)
// ---------------------------------------------------------------------------------------

/** The Sch A1 exception an exempt category claims. */
const exceptionOf = (category: ConsentCategory): SchA1Exception =>
  category === 'necessary' ? 'strictly_necessary' : category === 'appearance' ? 'appearance' : 'statistics';

/** An Art 26 arrangement in force, as joint_controller_arrangements records it. */
export interface ArrangementInForce {
  platform: string;
  scope: string;
}

/**
 * The facts `cookies.configure` is decided on. Every service is a technology: strictly
 * necessary ones run at once (the strictly-necessary exception); an exempt category's run
 * before any choice (the statistics or appearance exception — the banner gives the information
 * in `exemptNotice` and the one-click objection); everything else waits for consent, unless
 * its category is switched on by default. Services whose platform is a joint controller are
 * joint processing of pixels and plugins (ONL-JOINT-CONTROLLER).
 */
export function cookiesConfigureFacts(
  config: SiteConfig,
  arrangements: readonly ArrangementInForce[],
  now: Date,
): CookiesConfigureFacts {
  const noticeGiven = config.languages.every((l) => (config.texts[l]?.exemptNotice.trim() ?? '') !== '');
  const technologies: Technology[] = config.categories.flatMap((category) =>
    category.services.map((service): Technology => {
      const locked = category.id === 'necessary';
      const exempt = locked || category.exempt;
      return {
        name: service.name,
        purpose: service.purpose,
        platform: service.platform,
        firstParty: service.firstParty,
        basis: exempt ? 'exception' : 'consent',
        exception: exempt ? exceptionOf(category.id) : null,
        exceptionNoticeGiven: noticeGiven,
        objectionMeans: true,
        runsBeforeConsent: exempt,
        defaultOn: locked || category.exempt || category.defaultOn,
      };
    }),
  );
  // A category switched on by default with no services yet is still pre-ticked: say so.
  for (const category of config.categories) {
    if (category.id !== 'necessary' && category.defaultOn && !category.exempt && category.services.length === 0) {
      technologies.push({
        name: `the ${category.id} category`,
        purpose: category.id === 'advertising' ? 'advertising' : category.id === 'social' ? 'social_plugin' : 'other',
        platform: null,
        firstParty: false,
        basis: 'consent',
        exception: null,
        exceptionNoticeGiven: noticeGiven,
        objectionMeans: true,
        runsBeforeConsent: false,
        defaultOn: true,
      });
    }
  }
  const jointProcessing: { platform: PlatformId; scope: Art26Scope }[] = [];
  for (const service of config.categories.flatMap((c) => c.services)) {
    if (!service.jointController || service.platform === null) continue;
    if (!jointProcessing.some((j) => j.platform === service.platform)) {
      jointProcessing.push({ platform: service.platform, scope: 'pixels_plugins' });
    }
  }
  const byPlatform = new Map<PlatformId, Art26Scope[]>();
  for (const a of arrangements) {
    if (!(PLATFORMS as readonly string[]).includes(a.platform)) continue;
    const platform = a.platform as PlatformId;
    const scopes = byPlatform.get(platform) ?? [];
    scopes.push(a.scope as Art26Scope);
    byPlatform.set(platform, scopes);
  }
  return {
    site: { technologies },
    now: now.toISOString(),
    jointProcessing,
    arrangements: [...byPlatform].map(([platform, scopes]) => ({ platform, scopes })),
  };
}

// ---------------------------------------------------------------------------------------
// Receipts
// ---------------------------------------------------------------------------------------

const HEX64 = /^[0-9a-f]{64}$/;

/** A receipt as the banner posts it (ReceiptSubmission), strictly: unknown fields are refused. */
export const receiptSubmissionSchema = z.strictObject({
  receiptId: z.uuid(),
  consentId: z.uuid(),
  action: z.enum(RECEIPT_ACTIONS),
  categories: z.partialRecord(z.enum(CONSENT_CATEGORIES), z.boolean()),
  services: z
    .record(z.string().regex(SLUG, 'not a service id'), z.boolean())
    .refine((s) => Object.keys(s).length <= 200, 'too many services'),
  configHash: z.string().regex(HEX64, 'must be a SHA-256 in lower-case hex'),
  revision: z.number().int().min(1).max(1_000_000),
  language: z.enum(BANNER_LANGUAGES),
  textHash: z.string().regex(HEX64, 'must be a SHA-256 in lower-case hex'),
  gpc: z.boolean(),
  pageUrl: z.url({ protocol: /^https?$/ }).max(2048),
  clientTime: z.iso.datetime({ offset: true }),
});
export type ReceiptInput = z.output<typeof receiptSubmissionSchema>;

/** What a published version lets a receipt name. */
export interface PublishedVersionKeys {
  configHash: string;
  revision: number;
  /** Every text hash served with this configuration hash and revision (copy edits add more). */
  textHashes: Partial<Record<BannerLanguage, readonly string[]>>;
  categories: readonly ConsentCategory[];
  services: readonly string[];
}

/**
 * The problems of a receipt against the version it names (empty: it fits). A receipt must name
 * a published configuration and the text shown in its language, choose only among that
 * configuration's categories and services, keep strictly necessary on, and agree with its action.
 */
export function receiptProblems(
  receipt: ReceiptInput,
  version: PublishedVersionKeys,
): { field: string; message: string }[] {
  const problems: { field: string; message: string }[] = [];
  if (!version.textHashes[receipt.language]?.includes(receipt.textHash)) {
    problems.push({
      field: 'textHash',
      message: `is not the hash of the ${LANGUAGE_NAMES[receipt.language]} text of this configuration`,
    });
  }
  for (const [id, granted] of Object.entries(receipt.categories)) {
    if (!version.categories.includes(id as ConsentCategory)) {
      problems.push({ field: `categories.${id}`, message: 'is not a category of this configuration' });
    } else if (id === 'necessary' && granted === false) {
      problems.push({ field: 'categories.necessary', message: 'strictly necessary is always on' });
    }
  }
  for (const id of Object.keys(receipt.services)) {
    if (!version.services.includes(id))
      problems.push({ field: `services.${id}`, message: 'is not a service of this configuration' });
  }
  const optional = Object.entries(receipt.categories).filter(([id]) => id !== 'necessary');
  if (receipt.action === 'accept_all' && optional.some(([, granted]) => !granted)) {
    problems.push({ field: 'categories', message: 'accept_all grants every category' });
  }
  if (
    (receipt.action === 'reject_all' || receipt.action === 'gpc') &&
    optional.some(([id, granted]) => granted && !isExceptionCategory(id))
  ) {
    problems.push({ field: 'categories', message: `${receipt.action} grants no category that needs consent` });
  }
  if (receipt.action === 'gpc' && !receipt.gpc) {
    problems.push({ field: 'gpc', message: 'a gpc receipt is made because the browser sent Global Privacy Control' });
  }
  return problems;
}

const isExceptionCategory = (id: string): boolean => id === 'statistics' || id === 'appearance';

/** The page address as stored: scheme, host, port and path (no query string, no fragment). */
export function pageAddressOf(pageUrl: string): string {
  const url = new URL(pageUrl);
  return `${url.origin}${url.pathname}`;
}

/**
 * The keys published banner configurations let receipts name: those of one configuration hash
 * and revision (several versions when only texts changed between them).
 */
export function versionKeysOf(banner: BannerConfig, ...older: readonly BannerConfig[]): PublishedVersionKeys {
  const textHashes: Partial<Record<BannerLanguage, string[]>> = {};
  for (const b of [banner, ...older]) {
    for (const language of BANNER_LANGUAGES) {
      const hash = b.textHashes[language];
      if (hash && !textHashes[language]?.includes(hash)) (textHashes[language] ??= []).push(hash);
    }
  }
  return {
    configHash: banner.configHash,
    revision: banner.revision,
    textHashes,
    categories: banner.categories.map((c) => c.id),
    services: banner.categories.flatMap((c) => c.services.map((s) => s.id)),
  };
}

// ---------------------------------------------------------------------------------------
// CSV
// ---------------------------------------------------------------------------------------

/** The receipt export's columns, in order. */
export const RECEIPT_CSV_COLUMNS = [
  'stored_at',
  'receipt_id',
  'consent_id',
  'action',
  ...CONSENT_CATEGORIES.map((c) => `category_${c}`),
  'services',
  'config_hash',
  'revision',
  'text_hash',
  'language',
  'gpc',
  'page_url',
  'client_time',
] as const;

// ---------------------------------------------------------------------------------------
// Audit events (src/domain/audit.ts includes these in AuditEvent)
// ---------------------------------------------------------------------------------------

export type ConsentSiteAuditEvent =
  | { type: 'consent_site.created'; data: { siteId: string; name: string; origins: string[] } }
  | { type: 'consent_site.updated'; data: { siteId: string; fields: string[]; revision: number } }
  | {
      type: 'consent_site.published';
      data: {
        siteId: string;
        version: number;
        revision: number;
        configHash: string;
        textHashes: Partial<Record<BannerLanguage, string>>;
      };
    }
  | { type: 'consent_site.retention_set'; data: { siteId: string; retentionDays: number | null } }
  | { type: 'consent_site.archived'; data: { siteId: string; name: string } }
  | {
      type: 'consent_receipts.exported';
      data: { siteId: string; format: 'csv' | 'json'; receipts: number; consentId: string | null };
    }
  | {
      type: 'consent_receipts.purged';
      data: { siteId: string; storedBefore: string; retentionDays: number; purged: number };
    };

export {
  CONSENT_RATE_DAYS_MAX,
  type ConsentRateBucket,
  type ConsentReceiptView,
  type ConsentSiteSummary,
  type ConsentSiteVersionView,
  type ConsentSiteView,
  type ServicePresetView,
} from '../shared/consent-sites.js';
