/**
 * Website consent, the staff side (issue 6): registering a website, the refusals on save with
 * their rule ids (PECR-R6-PRIOR-CONSENT, PECR-R6-EXCEPTION-SCOPE, ONL-JOINT-CONTROLLER) audited
 * and nothing saved, the versions a save publishes and their hashes (a copy edit keeps the
 * configuration hash, a new service changes it, a revision bump re-prompts), permissions, and
 * the staff API over HTTP.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConsentSite, getConsentSite, updateConsentSite } from '../../src/app/consent-sites.js';
import { createJointControllerArrangement } from '../../src/app/joint-controllers.js';
import { inCampaign } from '../../src/db/scope.js';
import {
  DEFAULT_TEXTS,
  defaultSiteConfig,
  SERVICE_PRESETS,
  type SiteConfig,
  type SiteConfigInput,
} from '../../src/domain/consent-sites.js';
import { AppError } from '../../src/domain/errors.js';
import { addMember, makeCampaign, PASSWORD, type TestCampaign } from '../helpers/factories.js';
import { ApiSession, startTestServer, type TestServer } from '../helpers/server.js';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer({ listen: false });
});
afterAll(async () => {
  await server?.close();
});

function withPreset(config: SiteConfig, presetId: string, patch: Partial<SiteConfig['categories'][number]> = {}) {
  const preset = SERVICE_PRESETS[presetId]!;
  return {
    ...config,
    categories: config.categories.map((c) =>
      c.id === preset.category ? { ...c, ...patch, services: [...c.services, preset.service] } : c,
    ),
  } satisfies SiteConfigInput;
}

async function refusal(promise: Promise<unknown>): Promise<{ ruleIds: string[]; message: string }> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  const appError = error as AppError;
  expect(appError.code).toBe('rule_refused');
  const findings = (appError.details?.['findings'] ?? []) as { ruleId: string; outcome: string }[];
  return {
    ruleIds: findings.filter((f) => f.outcome === 'refuse').map((f) => f.ruleId),
    message: appError.message,
  };
}

async function auditTypes(tc: TestCampaign): Promise<{ type: string; payload: Record<string, unknown> }[]> {
  return inCampaign(server.deps.db, tc.campaign.id, async (tx) =>
    (
      await tx
        .selectFrom('audit_events')
        .select(['type', 'payload'])
        .where('campaign_id', '=', tc.campaign.id)
        .orderBy('seq')
        .execute()
    ).map((r) => ({ type: r.type, payload: r.payload as Record<string, unknown> })),
  );
}

async function siteCount(tc: TestCampaign): Promise<number> {
  return inCampaign(server.deps.db, tc.campaign.id, async (tx) => {
    const { rows } = await (
      await import('kysely')
    ).sql<{ n: number }>`SELECT count(*)::int AS n FROM consent_sites`.execute(tx);
    return rows[0]!.n;
  });
}

describe('registering a website and saving its configuration', () => {
  it('registers with the defaults and publishes version 1 with its hashes', async () => {
    const tc = await makeCampaign(server.deps);
    const site = await createConsentSite(server.deps, tc.owner.principal, tc.campaign.id, {
      name: 'Campaign website',
      origins: ['https://www.example.org', 'https://www.example.org/', 'https://example.org'],
    });
    expect(site.origins).toEqual(['https://www.example.org', 'https://example.org']);
    expect(site.revision).toBe(1);
    expect(site.published).toMatchObject({ version: 1, revision: 1 });
    expect(site.published?.configHash).toMatch(/^[0-9a-f]{64}$/);
    expect(Object.keys(site.published?.textHashes ?? {}).sort()).toEqual(['cy', 'en']);
    expect(site.install.snippet).toBe(
      `<script src="${server.deps.settings.publicUrl}/c/banner.js" data-site="${site.id}" defer></script>`,
    );
    const types = (await auditTypes(tc)).map((e) => e.type);
    expect(types).toEqual(expect.arrayContaining(['consent_site.created', 'consent_site.published']));
  });

  it('refuses a non-exempt category switched on by default with PECR-R6-PRIOR-CONSENT: audited, nothing saved', async () => {
    const tc = await makeCampaign(server.deps);
    const config = withPreset(defaultSiteConfig(), 'google-analytics-4', { defaultOn: true });
    const { ruleIds, message } = await refusal(
      createConsentSite(server.deps, tc.owner.principal, tc.campaign.id, {
        name: 'Pre-ticked',
        origins: ['https://www.example.org'],
        config,
      }),
    );
    expect(ruleIds).toEqual(['PECR-R6-PRIOR-CONSENT']);
    expect(message).toContain('switched on by default');
    expect(await siteCount(tc)).toBe(0);
    const decided = (await auditTypes(tc)).filter((e) => e.type === 'rules.decided');
    expect(decided).toHaveLength(1);
    expect(decided[0]!.payload).toMatchObject({ capability: 'cookies.configure', outcome: 'refuse' });
  });

  it('refuses an exception claimed for an advertising service with PECR-R6-EXCEPTION-SCOPE, on update too', async () => {
    const tc = await makeCampaign(server.deps);
    const site = await createConsentSite(server.deps, tc.owner.principal, tc.campaign.id, {
      name: 'Site',
      origins: ['https://www.example.org'],
    });
    await createJointControllerArrangement(server.deps, tc.owner.principal, tc.campaign.id, {
      platform: 'google',
      scope: 'pixels_plugins',
      fromPreset: true,
    });
    const config = withPreset(defaultSiteConfig(), 'google-ads', { exempt: true });
    const { ruleIds } = await refusal(
      updateConsentSite(server.deps, tc.owner.principal, tc.campaign.id, site.id, { config }),
    );
    expect(ruleIds).toContain('PECR-R6-EXCEPTION-SCOPE');
    const after = await getConsentSite(server.deps, tc.owner.principal, tc.campaign.id, site.id);
    expect(after.versions).toHaveLength(1);
    expect(after.config.categories.find((c) => c.id === 'advertising')?.services).toEqual([]);
  });

  it('refuses a Meta Pixel without a pixels-and-plugins arrangement with ONL-JOINT-CONTROLLER; allowed once recorded', async () => {
    const tc = await makeCampaign(server.deps);
    const config = withPreset(defaultSiteConfig(), 'meta-pixel');
    const input = { name: 'Pixel site', origins: ['https://www.example.org'], config };
    const { ruleIds, message } = await refusal(
      createConsentSite(server.deps, tc.owner.principal, tc.campaign.id, input),
    );
    expect(ruleIds).toEqual(['ONL-JOINT-CONTROLLER']);
    expect(message).toContain('pixels and plugins on Meta');
    // An arrangement for another scope does not cover the pixel.
    await createJointControllerArrangement(server.deps, tc.owner.principal, tc.campaign.id, {
      platform: 'meta',
      scope: 'custom_audiences',
      fromPreset: true,
    });
    expect((await refusal(createConsentSite(server.deps, tc.owner.principal, tc.campaign.id, input))).ruleIds).toEqual([
      'ONL-JOINT-CONTROLLER',
    ]);
    await createJointControllerArrangement(server.deps, tc.owner.principal, tc.campaign.id, {
      platform: 'meta',
      scope: 'pixels_plugins',
      fromPreset: true,
    });
    const site = await createConsentSite(server.deps, tc.owner.principal, tc.campaign.id, input);
    expect(site.config.categories.find((c) => c.id === 'advertising')?.services.map((s) => s.id)).toEqual([
      'meta-pixel',
    ]);
  });

  it('versions: a copy edit publishes a new text hash with the same configuration hash; a new service changes it; a bump re-prompts', async () => {
    const tc = await makeCampaign(server.deps);
    const site = await createConsentSite(server.deps, tc.owner.principal, tc.campaign.id, {
      name: 'Versioned',
      origins: ['https://www.example.org'],
    });
    const v1 = site.published!;

    const copyEdit = {
      ...site.config,
      texts: { ...site.config.texts, cy: { ...DEFAULT_TEXTS.cy, title: 'Cwcis ar ein gwefan' } },
    };
    const edited = await updateConsentSite(server.deps, tc.owner.principal, tc.campaign.id, site.id, {
      config: copyEdit,
      expectedRevision: 1,
    });
    const v2 = edited.published!;
    expect(v2.version).toBe(2);
    expect(v2.configHash).toBe(v1.configHash);
    expect(v2.textHashes.en).toBe(v1.textHashes.en);
    expect(v2.textHashes.cy).not.toBe(v1.textHashes.cy);
    expect(v2.revision).toBe(1);

    // Saving the same again publishes nothing new.
    const same = await updateConsentSite(server.deps, tc.owner.principal, tc.campaign.id, site.id, {
      config: copyEdit,
    });
    expect(same.versions).toHaveLength(2);

    const added = await updateConsentSite(server.deps, tc.owner.principal, tc.campaign.id, site.id, {
      config: withPreset(edited.config, 'youtube'),
    });
    expect(added.published!.version).toBe(3);
    expect(added.published!.configHash).not.toBe(v1.configHash);

    const bumped = await updateConsentSite(server.deps, tc.owner.principal, tc.campaign.id, site.id, {
      bumpRevision: true,
      expectedRevision: 1,
    });
    expect(bumped.revision).toBe(2);
    expect(bumped.published).toMatchObject({ version: 4, revision: 2, configHash: added.published!.configHash });
    expect(bumped.versions.map((v) => v.version)).toEqual([4, 3, 2, 1]);

    const stale = await updateConsentSite(server.deps, tc.owner.principal, tc.campaign.id, site.id, {
      name: 'Renamed',
      expectedRevision: 1,
    }).catch((e: unknown) => e);
    expect((stale as AppError).code).toBe('conflict');

    // Published versions are append-only, whoever tries.
    const changed = await inCampaign(server.deps.db, tc.campaign.id, async (tx) =>
      (await import('kysely')).sql`UPDATE consent_site_versions SET revision = 9`.execute(tx),
    ).catch((e: unknown) => e);
    expect(String(changed)).toMatch(/permission denied|can never be changed/);
  });

  it('refuses bad input naming the field', async () => {
    const tc = await makeCampaign(server.deps);
    const error = (await createConsentSite(server.deps, tc.owner.principal, tc.campaign.id, {
      name: 'Bad',
      origins: ['https://www.example.org/path'],
    }).catch((e: unknown) => e)) as AppError;
    expect(error.code).toBe('validation_failed');
    expect(error.message).toMatch(/^origins\.0: /);
  });

  it('only the DPO and the owner may register or change a website; organisers may read', async () => {
    const tc = await makeCampaign(server.deps);
    const organiser = await addMember(server.deps, tc, 'organiser');
    const denied = (await createConsentSite(server.deps, organiser.principal, tc.campaign.id, {
      name: 'Nope',
      origins: ['https://www.example.org'],
    }).catch((e: unknown) => e)) as AppError;
    expect(denied.code).toBe('forbidden');
    const site = await createConsentSite(server.deps, tc.owner.principal, tc.campaign.id, {
      name: 'Readable',
      origins: ['https://www.example.org'],
    });
    expect((await getConsentSite(server.deps, organiser.principal, tc.campaign.id, site.id)).name).toBe('Readable');
    const other = await makeCampaign(server.deps);
    const hidden = (await getConsentSite(server.deps, other.owner.principal, other.campaign.id, site.id).catch(
      (e: unknown) => e,
    )) as AppError;
    expect(hidden.code).toBe('not_found');
  });
});

describe('the staff API', () => {
  it('registers, lists, shows presets, answers 422 naming the rule, and bumps the revision', async () => {
    const tc = await makeCampaign(server.deps);
    const api = new ApiSession(server.app);
    expect((await api.signIn(tc.owner.email, PASSWORD)).statusCode).toBe(200);
    const base = `/api/campaigns/${tc.campaign.id}/consent-sites`;

    const presets = await api.request('GET', `${base}/presets`);
    expect(presets.statusCode).toBe(200);
    expect(presets.json().presets.map((p: { id: string }) => p.id)).toContain('tiktok-pixel');

    const created = await api.request('POST', base, { name: 'API site', origins: ['https://api.example.org'] });
    expect(created.statusCode).toBe(201);
    const siteId = created.json().site.id as string;

    const refused = await api.request('PATCH', `${base}/${siteId}`, {
      config: withPreset(defaultSiteConfig(), 'x-embeds', { defaultOn: true }),
    });
    expect(refused.statusCode).toBe(422);
    const envelope = refused.json().error;
    expect(envelope.code).toBe('rule_refused');
    expect(envelope.details.findings.map((f: { ruleId: string }) => f.ruleId)).toEqual(
      expect.arrayContaining(['PECR-R6-PRIOR-CONSENT', 'ONL-JOINT-CONTROLLER']),
    );

    const bumped = await api.request('PATCH', `${base}/${siteId}`, { bumpRevision: true });
    expect(bumped.statusCode).toBe(200);
    expect(bumped.json().site.revision).toBe(2);

    const list = await api.request('GET', base);
    expect(list.json().sites).toEqual([
      expect.objectContaining({
        id: siteId,
        name: 'API site',
        revision: 2,
        published: expect.objectContaining({ version: 2 }),
      }),
    ]);
    expect((await api.request('GET', `${base}/${siteId}`)).json().site.versions).toHaveLength(2);
  });
});
