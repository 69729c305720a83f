import { describe, expect, it } from 'vitest';
import { CONSENT_CATEGORIES } from '../shared/consent-banner.js';
import {
  bannerConfigOf,
  canonicalJson,
  configHashOf,
  cookiesConfigureFacts,
  DEFAULT_TEXTS,
  defaultSiteConfig,
  originSchema,
  pageAddressOf,
  receiptProblems,
  receiptSubmissionSchema,
  SERVICE_PRESETS,
  serviceSchema,
  siteConfigSchema,
  textHashOf,
  versionKeysOf,
  type SiteConfig,
  type SiteService,
} from './consent-sites.js';
import { decideAction } from './rules/engine.js';
import { blockingFindings } from './rules/rule.js';

const NOW = new Date('2026-11-29T09:00:00Z');

function withService(config: SiteConfig, category: SiteConfig['categories'][number]['id'], service: SiteService) {
  return siteConfigSchema.parse({
    ...config,
    categories: config.categories.map((c) => (c.id === category ? { ...c, services: [...c.services, service] } : c)),
  });
}

const preset = (id: string): SiteService => SERVICE_PRESETS[id]!.service;

function decide(config: SiteConfig, arrangements: { platform: string; scope: string }[] = []) {
  const decision = decideAction({
    capability: 'cookies.configure',
    facts: cookiesConfigureFacts(config, arrangements, NOW),
  });
  return { decision, ruleIds: blockingFindings(decision).map((f) => f.ruleId) };
}

describe('canonical JSON', () => {
  it('sorts keys at every level and keeps array order', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, 1], c: null } })).toBe('{"a":{"c":null,"d":[2,1]},"b":1}');
    expect(canonicalJson({ a: undefined, b: 'x' })).toBe('{"b":"x"}');
  });
});

describe('site configuration', () => {
  it('defaults: every category once in order, strictly necessary on, English and Welsh texts', () => {
    const config = defaultSiteConfig();
    expect(config.categories.map((c) => c.id)).toEqual([...CONSENT_CATEGORIES]);
    expect(config.categories[0]).toMatchObject({ id: 'necessary', defaultOn: true });
    expect(config.categories.slice(1).every((c) => !c.defaultOn && !c.exempt)).toBe(true);
    expect(config.languages).toEqual(['en', 'cy']);
    expect(config.texts.cy?.acceptAll).toBe('Derbyn y cyfan');
  });

  it('every preset is a valid service, with cookies unless the vendor publishes none', () => {
    for (const [id, p] of Object.entries(SERVICE_PRESETS)) {
      expect(serviceSchema.parse(p.service).id).toBe(id);
      if (id !== 'action-network') expect(p.service.cookies.length, id).toBeGreaterThan(0);
    }
    expect(Object.keys(SERVICE_PRESETS)).toEqual(
      expect.arrayContaining([
        'meta-pixel',
        'google-analytics-4',
        'google-ads',
        'x-pixel',
        'linkedin-insight',
        'tiktok-pixel',
        'youtube',
        'facebook-embeds',
        'x-embeds',
        'hotjar',
        'microsoft-clarity',
        'nationbuilder',
        'action-network',
      ]),
    );
    expect(preset('google-ads').consentMode).toEqual(['ad_storage', 'ad_user_data', 'ad_personalization']);
    expect(preset('google-analytics-4').cookies.find((c) => c.name === '_ga_')?.prefix).toBe(true);
  });

  it('refuses a duplicate service id, a language without texts, and a default language not offered', () => {
    const config = withService(defaultSiteConfig(), 'advertising', preset('meta-pixel'));
    const dup = siteConfigSchema.safeParse({
      ...config,
      categories: config.categories.map((c) => (c.id === 'social' ? { ...c, services: [preset('meta-pixel')] } : c)),
    });
    expect(dup.success).toBe(false);
    expect(JSON.stringify(dup.error?.issues)).toContain('used twice');
    const noWelsh = siteConfigSchema.safeParse({ ...config, texts: { en: DEFAULT_TEXTS.en } });
    expect(noWelsh.error?.issues[0]?.path).toEqual(['texts', 'cy']);
    const wrongDefault = siteConfigSchema.safeParse({ ...config, languages: ['en'], defaultLanguage: 'cy' });
    expect(wrongDefault.error?.issues.map((i) => i.path.join('.'))).toContain('defaultLanguage');
  });

  it('origins: scheme and host only; http only on localhost', () => {
    expect(originSchema.parse('https://www.Example.org/')).toBe('https://www.example.org');
    expect(originSchema.parse('http://localhost:8080')).toBe('http://localhost:8080');
    expect(originSchema.safeParse('http://www.example.org').success).toBe(false);
    expect(originSchema.safeParse('https://www.example.org/donate').success).toBe(false);
    expect(originSchema.safeParse('not a url').success).toBe(false);
  });
});

describe('hashes', () => {
  const base = withService(defaultSiteConfig(), 'advertising', preset('meta-pixel'));

  it('a copy edit changes the text hash of that language only, never the configuration hash', () => {
    const edited = siteConfigSchema.parse({
      ...base,
      texts: { ...base.texts, en: { ...DEFAULT_TEXTS.en, title: 'Cookies on our campaign website' } },
    });
    expect(configHashOf(edited)).toBe(configHashOf(base));
    const [a, b] = [bannerConfigOf('s', base, 1), bannerConfigOf('s', edited, 1)];
    expect(b.textHashes.en).not.toBe(a.textHashes.en);
    expect(b.textHashes.cy).toBe(a.textHashes.cy);
    expect(a.textHashes.en).toBe(textHashOf(DEFAULT_TEXTS.en));
  });

  it('adding a service, a cookie or changing a purpose changes the configuration hash', () => {
    const more = withService(base, 'social', preset('youtube'));
    expect(configHashOf(more)).not.toBe(configHashOf(base));
    const pixel = base.categories.find((c) => c.id === 'advertising')!.services[0]!;
    const purposeChanged = siteConfigSchema.parse({
      ...base,
      categories: base.categories.map((c) =>
        c.id === 'advertising'
          ? { ...c, services: [{ ...pixel, cookies: [{ ...pixel.cookies[0]!, purpose: 'Something else' }] }] }
          : c,
      ),
    });
    expect(configHashOf(purposeChanged)).not.toBe(configHashOf(base));
    expect(configHashOf(base)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('the banner configuration follows the contract: categories in order, necessary locked, no editor-only fields', () => {
    const banner = bannerConfigOf('site-1', base, 3);
    expect(banner.revision).toBe(3);
    expect(banner.categories.map((c) => [c.id, c.locked])).toEqual(
      CONSENT_CATEGORIES.map((c) => [c, c === 'necessary']),
    );
    const service = banner.categories.find((c) => c.id === 'advertising')!.services[0]!;
    expect(Object.keys(service).sort()).toEqual([
      'consentMode',
      'cookies',
      'id',
      'name',
      'privacyPolicyUrl',
      'provider',
    ]);
  });
});

describe('cookies.configure: the rules on a configuration', () => {
  const arrangementsFor = (...platforms: string[]) =>
    platforms.map((platform) => ({ platform, scope: 'pixels_plugins' }));

  it('the default configuration is allowed', () => {
    expect(decide(defaultSiteConfig()).decision.outcome).toBe('allow');
  });

  it('an advertising category switched on by default is refused with PECR-R6-PRIOR-CONSENT', () => {
    const config = withService(defaultSiteConfig(), 'advertising', preset('google-ads'));
    const preTicked = siteConfigSchema.parse({
      ...config,
      categories: config.categories.map((c) => (c.id === 'advertising' ? { ...c, defaultOn: true } : c)),
    });
    const { decision, ruleIds } = decide(preTicked, arrangementsFor('google'));
    expect(ruleIds).toEqual(['PECR-R6-PRIOR-CONSENT']);
    expect(blockingFindings(decision)[0]?.explanation).toContain('switched on by default');
  });

  it('a pre-ticked category with no services yet is refused too', () => {
    const config = siteConfigSchema.parse({
      ...defaultSiteConfig(),
      categories: defaultSiteConfig().categories.map((c) => (c.id === 'social' ? { ...c, defaultOn: true } : c)),
    });
    expect(decide(config).ruleIds).toEqual(['PECR-R6-PRIOR-CONSENT']);
  });

  it('claiming the exception for an advertising service is refused with PECR-R6-EXCEPTION-SCOPE (and prior consent)', () => {
    const config = withService(defaultSiteConfig(), 'advertising', preset('google-ads'));
    const claimed = siteConfigSchema.parse({
      ...config,
      categories: config.categories.map((c) => (c.id === 'advertising' ? { ...c, exempt: true } : c)),
    });
    const { ruleIds } = decide(claimed, arrangementsFor('google'));
    expect(ruleIds).toContain('PECR-R6-EXCEPTION-SCOPE');
    expect(ruleIds).toContain('PECR-R6-PRIOR-CONSENT');
  });

  it('an advertising service put in an exempt statistics category is refused with PECR-R6-EXCEPTION-SCOPE', () => {
    const config = siteConfigSchema.parse({
      ...withService(defaultSiteConfig(), 'statistics', preset('google-ads')),
    });
    const exempt = siteConfigSchema.parse({
      ...config,
      categories: config.categories.map((c) => (c.id === 'statistics' ? { ...c, exempt: true } : c)),
    });
    expect(decide(exempt, arrangementsFor('google')).ruleIds).toContain('PECR-R6-EXCEPTION-SCOPE');
  });

  it('third-party analytics cannot use the statistics exception; first-party statistics can', () => {
    const ga = siteConfigSchema.parse(withService(defaultSiteConfig(), 'statistics', preset('google-analytics-4')));
    const exemptGa = siteConfigSchema.parse({
      ...ga,
      categories: ga.categories.map((c) => (c.id === 'statistics' ? { ...c, exempt: true } : c)),
    });
    const refused = decide(exemptGa);
    expect(refused.ruleIds).toContain('PECR-R6-EXCEPTION-SCOPE');
    expect(
      blockingFindings(refused.decision).find((f) => f.ruleId === 'PECR-R6-EXCEPTION-SCOPE')?.explanation,
    ).toContain('third party');
    const own: SiteService = serviceSchema.parse({
      id: 'own-stats',
      name: 'Our own visit counter',
      provider: 'The campaign',
      purpose: 'statistics',
      firstParty: true,
      cookies: [{ name: 'visits', duration: '1 year', purpose: 'Counts visits, in aggregate' }],
    });
    const firstParty = siteConfigSchema.parse({
      ...withService(defaultSiteConfig(), 'statistics', own),
    });
    const exemptOwn = siteConfigSchema.parse({
      ...firstParty,
      categories: firstParty.categories.map((c) => (c.id === 'statistics' ? { ...c, exempt: true } : c)),
    });
    expect(decide(exemptOwn).decision.outcome).toBe('allow');
  });

  it('a Meta Pixel without a pixels-and-plugins arrangement with Meta is refused with ONL-JOINT-CONTROLLER', () => {
    const config = withService(defaultSiteConfig(), 'advertising', preset('meta-pixel'));
    expect(decide(config).ruleIds).toEqual(['ONL-JOINT-CONTROLLER']);
    expect(decide(config, [{ platform: 'meta', scope: 'custom_audiences' }]).ruleIds).toEqual(['ONL-JOINT-CONTROLLER']);
    expect(decide(config, arrangementsFor('meta')).decision.outcome).toBe('allow');
  });

  it('services that are not joint controllers need no arrangement (YouTube, Hotjar, NationBuilder)', () => {
    let config = withService(defaultSiteConfig(), 'social', preset('youtube'));
    config = withService(config, 'statistics', preset('hotjar'));
    config = withService(config, 'necessary', preset('nationbuilder'));
    expect(decide(config).decision.outcome).toBe('allow');
  });

  it('a pixel put under strictly necessary is refused: it would run before consent, and no exception covers it', () => {
    const config = withService(defaultSiteConfig(), 'necessary', preset('tiktok-pixel'));
    const { ruleIds } = decide(config, arrangementsFor('tiktok'));
    expect(ruleIds).toEqual(expect.arrayContaining(['PECR-R6-PRIOR-CONSENT', 'PECR-R6-EXCEPTION-SCOPE']));
  });
});

describe('receipts', () => {
  const config = withService(defaultSiteConfig(), 'advertising', preset('meta-pixel'));
  const banner = bannerConfigOf('site', config, 2);
  const keys = versionKeysOf(banner);
  const good = {
    receiptId: '6f1c7a52-3c1e-4d3b-9a57-0b4f7d9c2e11',
    consentId: '0e8b5a3c-8c55-4a52-bb0e-6b1f6e1a9d42',
    action: 'custom',
    categories: { necessary: true, statistics: false, appearance: true, advertising: true, social: false },
    services: { 'meta-pixel': true },
    configHash: banner.configHash,
    revision: 2,
    language: 'cy',
    textHash: banner.textHashes.cy,
    gpc: false,
    pageUrl: 'https://www.example.org/join?utm_source=x#top',
    clientTime: '2026-11-29T09:00:00.000Z',
  };

  it('a good receipt fits its version', () => {
    expect(receiptProblems(receiptSubmissionSchema.parse(good), keys)).toEqual([]);
  });

  it('strict: unknown fields, bad ids and an IP address field are refused', () => {
    expect(receiptSubmissionSchema.safeParse({ ...good, ip: '192.0.2.1' }).success).toBe(false);
    expect(receiptSubmissionSchema.safeParse({ ...good, receiptId: 'x' }).success).toBe(false);
    expect(receiptSubmissionSchema.safeParse({ ...good, configHash: 'ABC' }).success).toBe(false);
    expect(receiptSubmissionSchema.safeParse({ ...good, pageUrl: 'javascript:alert(1)' }).success).toBe(false);
  });

  it('names the problems against the version', () => {
    const parse = (over: object) => receiptProblems(receiptSubmissionSchema.parse({ ...good, ...over }), keys);
    expect(parse({ textHash: banner.textHashes.en })[0]?.field).toBe('textHash');
    expect(parse({ services: { hotjar: true } })[0]?.field).toBe('services.hotjar');
    expect(parse({ categories: { necessary: false } })[0]?.field).toBe('categories.necessary');
    expect(parse({ action: 'accept_all' }).map((p) => p.field)).toEqual(['categories']);
    expect(parse({ action: 'reject_all', categories: { advertising: true } })[0]?.field).toBe('categories');
    expect(parse({ action: 'gpc', categories: { advertising: false }, gpc: false })[0]?.field).toBe('gpc');
  });

  it('the page address keeps no query string or fragment', () => {
    expect(pageAddressOf(good.pageUrl)).toBe('https://www.example.org/join');
  });
});
