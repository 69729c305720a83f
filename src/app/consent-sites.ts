/**
 * Website consent (issue 6): the campaign's websites and the banner configuration each
 * publishes.
 *
 * Saving a configuration is deciding `cookies.configure` (src/domain/rules): every service is a
 * technology, the campaign's joint-controller arrangements in force are the Art 26 facts, and
 * the decision is recorded in the audit trail. A refusal — a non-exempt category switched on by
 * default (PECR-R6-PRIOR-CONSENT), an exception claimed for advertising (PECR-R6-EXCEPTION-SCOPE),
 * a platform pixel without an arrangement (ONL-JOINT-CONTROLLER) — is committed as an audit
 * event and then raised as rule_refused; nothing else is saved.
 *
 * A save that changes anything the banner is served publishes a new version (append-only:
 * consent_site_versions), so a receipt naming an older configuration hash still validates.
 *
 * The public endpoints find a site by its id alone (publicSite): the site's row is readable
 * to a transaction that names it in app.consent_site_id (migration 20261129000500), which
 * tells its campaign; everything else is read inside that campaign's scope.
 */
import { randomUUID } from 'node:crypto';
import { sql, type ColumnType, type Transaction, type Updateable } from 'kysely';
import type { Database } from '../db/client.js';
import type { DB } from '../db/schema.js';
import { inCampaign, inInstallation, type Tx } from '../db/scope.js';
import {
  bannerConfigOf,
  defaultSiteConfig,
  cookiesConfigureFacts,
  PRESET_VERSION,
  SERVICE_PRESETS,
  sameBanner,
  siteConfigSchema,
  siteCreateSchema,
  siteUpdateSchema,
  versionKeysOf,
  type ConsentSiteAuditEvent,
  type ConsentSiteSummary,
  type ConsentSiteVersionView,
  type ConsentSiteView,
  type PublishedVersionKeys,
  type ServicePresetView,
  type SiteConfig,
} from '../domain/consent-sites.js';
import { conflict, notFound, type AppError } from '../domain/errors.js';
import { decideAction } from '../domain/rules/engine.js';
import { proceeds, type Decision } from '../domain/rules/rule.js';
import type { BannerConfig, BannerLanguage } from '../shared/consent-banner.js';
import { appendAuditEvent } from './audit.js';
import { actorOf, authorize, nowOf, type AppDeps, type Principal } from './context.js';
import { recordDecision, refusalError } from './decisions.js';
import { parseInput } from './validate.js';

// ---------------------------------------------------------------------------------------
// Tables (migrations/20261129000500_consent_sites.sql)
// ---------------------------------------------------------------------------------------

type Timestamp = ColumnType<Date, Date | string, Date | string>;
type DefaultTimestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type Json<T> = ColumnType<T, string, string>;

export interface ConsentSitesTable {
  campaign_id: string;
  site_id: string;
  name: string;
  origins: Json<string[]>;
  config: Json<unknown>;
  revision: number;
  retention_days: number | null;
  created_at: DefaultTimestamp;
  created_by: string | null;
  updated_at: DefaultTimestamp;
  updated_by: string | null;
  archived_at: Timestamp | null;
}

export interface ConsentSiteVersionsTable {
  campaign_id: string;
  site_id: string;
  version: number;
  revision: number;
  config_hash: string;
  text_hashes: Json<Partial<Record<BannerLanguage, string>>>;
  banner: Json<BannerConfig>;
  published_at: Timestamp;
  published_by: string | null;
}

export interface ConsentReceiptsTable {
  campaign_id: string;
  site_id: string;
  receipt_id: string;
  consent_id: string;
  stored_at: DefaultTimestamp;
  action: string;
  categories: Json<Record<string, boolean>>;
  services: Json<Record<string, boolean>>;
  config_hash: string;
  revision: number;
  text_hash: string;
  language: string;
  gpc: boolean;
  page_url: string;
  client_time: Timestamp | null;
}

export interface ConsentTables {
  consent_sites: ConsentSitesTable;
  consent_site_versions: ConsentSiteVersionsTable;
  consent_receipts: ConsentReceiptsTable;
}

export type ConsentTx = Transaction<DB & ConsentTables>;

/** The scope's transaction, typed with the consent tables. */
export const consentTx = (tx: Tx): ConsentTx => tx as unknown as ConsentTx;

// ---------------------------------------------------------------------------------------
// Presenting
// ---------------------------------------------------------------------------------------

const iso = (d: Date | string): string => new Date(d).toISOString();

function versionView(row: {
  version: number;
  revision: number;
  config_hash: string;
  text_hashes: Partial<Record<BannerLanguage, string>>;
  published_at: Date;
}): ConsentSiteVersionView {
  return {
    version: row.version,
    revision: row.revision,
    configHash: row.config_hash,
    textHashes: row.text_hashes,
    publishedAt: iso(row.published_at),
  };
}

/** The public addresses of a site and the tag its pages include. */
export function installOf(publicUrl: string, siteId: string): ConsentSiteView['install'] {
  const base = publicUrl.replace(/\/+$/, '');
  const scriptUrl = `${base}/c/banner.js`;
  return {
    snippet: `<script src="${scriptUrl}" data-site="${siteId}" defer></script>`,
    scriptUrl,
    configUrl: `${base}/c/${siteId}/config.json`,
    receiptsUrl: `${base}/c/${siteId}/receipts`,
    previewUrl: `${base}/c/${siteId}/preview`,
  };
}

/** A live (not archived) website's row, locked for update if asked; not_found otherwise. */
export async function loadSiteRow(tx: Tx, campaignId: string, siteId: string, forUpdate = false) {
  let query = consentTx(tx)
    .selectFrom('consent_sites')
    .selectAll()
    .where('campaign_id', '=', campaignId)
    .where('site_id', '=', siteId)
    .where('archived_at', 'is', null);
  if (forUpdate) query = query.forUpdate();
  const row = await query.executeTakeFirst();
  if (!row) throw notFound('website');
  return row;
}

/**
 * Changes a site's row, stamped with who changed it and when, and audits the change in the same
 * transaction.
 */
export async function changeSiteRow(
  tx: Tx,
  principal: Principal,
  campaignId: string,
  siteId: string,
  change: Omit<Updateable<ConsentSitesTable>, 'updated_at' | 'updated_by'>,
  event: ConsentSiteAuditEvent,
  now: Date,
): Promise<void> {
  await consentTx(tx)
    .updateTable('consent_sites')
    .set({ ...change, updated_at: now, updated_by: principal.userId })
    .where('campaign_id', '=', campaignId)
    .where('site_id', '=', siteId)
    .execute();
  await appendAuditEvent(tx, campaignId, actorOf(principal), event, now);
}

async function versionsOf(tx: Tx, campaignId: string, siteId: string): Promise<ConsentSiteVersionView[]> {
  const rows = await consentTx(tx)
    .selectFrom('consent_site_versions')
    .select(['version', 'revision', 'config_hash', 'text_hashes', 'published_at'])
    .where('campaign_id', '=', campaignId)
    .where('site_id', '=', siteId)
    .orderBy('version', 'desc')
    .execute();
  return rows.map(versionView);
}

async function siteView(deps: AppDeps, tx: Tx, campaignId: string, siteId: string): Promise<ConsentSiteView> {
  const row = await loadSiteRow(tx, campaignId, siteId);
  const versions = await versionsOf(tx, campaignId, siteId);
  return {
    id: row.site_id,
    name: row.name,
    origins: row.origins,
    revision: row.revision,
    retentionDays: row.retention_days,
    published: versions[0] ?? null,
    updatedAt: iso(row.updated_at),
    config: siteConfigSchema.parse(row.config),
    versions,
    install: installOf(deps.settings.publicUrl, row.site_id),
  };
}

// ---------------------------------------------------------------------------------------
// Reading
// ---------------------------------------------------------------------------------------

export async function listConsentSites(
  deps: AppDeps,
  principal: Principal,
  campaignId: string,
): Promise<ConsentSiteSummary[]> {
  return inCampaign(deps.db, campaignId, async (tx) => {
    await authorize(tx, principal, campaignId, 'governance.read');
    const rows = await consentTx(tx)
      .selectFrom('consent_sites as s')
      .leftJoin(
        (eb) =>
          eb
            .selectFrom('consent_site_versions')
            .distinctOn('site_id')
            .select(['site_id', 'version', 'revision', 'config_hash', 'text_hashes', 'published_at'])
            .where('campaign_id', '=', campaignId)
            .orderBy('site_id')
            .orderBy('version', 'desc')
            .as('v'),
        (join) => join.onRef('v.site_id', '=', 's.site_id'),
      )
      .select([
        's.site_id',
        's.name',
        's.origins',
        's.revision',
        's.retention_days',
        's.updated_at',
        'v.version',
        'v.revision as published_revision',
        'v.config_hash',
        'v.text_hashes',
        'v.published_at',
      ])
      .where('s.campaign_id', '=', campaignId)
      .where('s.archived_at', 'is', null)
      .orderBy('s.name')
      .execute();
    return rows.map((r) => ({
      id: r.site_id,
      name: r.name,
      origins: r.origins,
      revision: r.revision,
      retentionDays: r.retention_days,
      updatedAt: iso(r.updated_at),
      published:
        r.version === null
          ? null
          : versionView({
              version: r.version,
              revision: r.published_revision ?? r.revision,
              config_hash: r.config_hash ?? '',
              text_hashes: r.text_hashes ?? {},
              published_at: r.published_at ?? new Date(0),
            }),
    }));
  });
}

export async function getConsentSite(
  deps: AppDeps,
  principal: Principal,
  campaignId: string,
  siteId: string,
): Promise<ConsentSiteView> {
  return inCampaign(deps.db, campaignId, async (tx) => {
    await authorize(tx, principal, campaignId, 'governance.read');
    return siteView(deps, tx, campaignId, siteId);
  });
}

/** The service presets, for the editor's "add from presets". */
export function listServicePresets(): ServicePresetView[] {
  return Object.entries(SERVICE_PRESETS).map(([id, p]) => ({
    id,
    category: p.category,
    service: p.service,
    source: p.source,
    note: p.note,
    version: PRESET_VERSION,
  }));
}

// ---------------------------------------------------------------------------------------
// Saving: decide, record, publish
// ---------------------------------------------------------------------------------------

/** The campaign's Art 26 arrangements in force (not archived). */
async function arrangementsInForce(tx: Tx, campaignId: string): Promise<{ platform: string; scope: string }[]> {
  return tx
    .selectFrom('joint_controller_arrangements')
    .select(['platform', 'scope'])
    .where('campaign_id', '=', campaignId)
    .where('archived_at', 'is', null)
    .execute();
}

async function decideConfiguration(
  tx: Tx,
  principal: Principal,
  campaignId: string,
  siteId: string,
  config: SiteConfig,
  now: Date,
): Promise<Decision> {
  const action = {
    capability: 'cookies.configure' as const,
    facts: cookiesConfigureFacts(config, await arrangementsInForce(tx, campaignId), now),
  };
  const decision = decideAction(action);
  await recordDecision(tx, principal, campaignId, { capability: action.capability, ref: { siteId } }, decision, now);
  return decision;
}

/** Publishes the banner configuration if it differs from the newest published one. */
async function publishIfChanged(
  tx: Tx,
  principal: Principal,
  campaignId: string,
  siteId: string,
  banner: BannerConfig,
  now: Date,
): Promise<number | null> {
  const latest = await consentTx(tx)
    .selectFrom('consent_site_versions')
    .select(['version', 'banner'])
    .where('campaign_id', '=', campaignId)
    .where('site_id', '=', siteId)
    .orderBy('version', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (latest && sameBanner(latest.banner, banner)) return null;
  const version = (latest?.version ?? 0) + 1;
  await consentTx(tx)
    .insertInto('consent_site_versions')
    .values({
      campaign_id: campaignId,
      site_id: siteId,
      version,
      revision: banner.revision,
      config_hash: banner.configHash,
      text_hashes: JSON.stringify(banner.textHashes),
      banner: JSON.stringify(banner),
      published_at: now,
      published_by: principal.userId,
    })
    .execute();
  await appendAuditEvent(
    tx,
    campaignId,
    actorOf(principal),
    {
      type: 'consent_site.published',
      data: {
        siteId,
        version,
        revision: banner.revision,
        configHash: banner.configHash,
        textHashes: banner.textHashes,
      },
    },
    now,
  );
  return version;
}

type SaveOutcome = { refused: Decision } | { refused: null; view: ConsentSiteView };

function finish(outcome: SaveOutcome, siteId: string): ConsentSiteView {
  if (outcome.refused) throw refusalError('cookies.configure', outcome.refused);
  forgetPublicSite(siteId);
  return outcome.view;
}

/**
 * Registers a website: its name, the origins its pages are served from, and optionally its
 * configuration (the defaults otherwise). 201 with the site and its first published version;
 * rule_refused (nothing saved, the refusal audited) when the configuration breaks a rule.
 */
export async function createConsentSite(
  deps: AppDeps,
  principal: Principal,
  campaignId: string,
  input: unknown,
): Promise<ConsentSiteView> {
  const siteId = randomUUID();
  const outcome = await inCampaign<SaveOutcome>(
    deps.db,
    campaignId,
    async (tx) => {
      await authorize(tx, principal, campaignId, 'governance.manage');
      const parsed = parseInput(siteCreateSchema, input);
      const config = parsed.config ?? defaultSiteConfig();
      const now = nowOf(deps);
      const decision = await decideConfiguration(tx, principal, campaignId, siteId, config, now);
      if (!proceeds(decision)) return { refused: decision };
      await consentTx(tx)
        .insertInto('consent_sites')
        .values({
          campaign_id: campaignId,
          site_id: siteId,
          name: parsed.name,
          origins: JSON.stringify(parsed.origins),
          config: JSON.stringify(config),
          revision: 1,
          created_at: now,
          created_by: principal.userId,
          updated_at: now,
          updated_by: principal.userId,
        })
        .execute();
      await appendAuditEvent(
        tx,
        campaignId,
        actorOf(principal),
        { type: 'consent_site.created', data: { siteId, name: parsed.name, origins: parsed.origins } },
        now,
      );
      await publishIfChanged(tx, principal, campaignId, siteId, bannerConfigOf(siteId, config, 1), now);
      return { refused: null, view: await siteView(deps, tx, campaignId, siteId) };
    },
    { userId: principal.userId },
  );
  return finish(outcome, siteId);
}

/**
 * Changes a website's name, origins or configuration, or bumps its revision (every visitor is
 * asked again). The configuration is decided as on creation; a change to what the banner
 * serves publishes a new version. expectedRevision guards against saving over someone else's
 * revision bump.
 */
export async function updateConsentSite(
  deps: AppDeps,
  principal: Principal,
  campaignId: string,
  siteId: string,
  input: unknown,
): Promise<ConsentSiteView> {
  const outcome = await inCampaign<SaveOutcome>(deps.db, campaignId, async (tx) => {
    await authorize(tx, principal, campaignId, 'governance.manage');
    const parsed = parseInput(siteUpdateSchema, input);
    const row = await loadSiteRow(tx, campaignId, siteId, true);
    if (parsed.expectedRevision !== undefined && parsed.expectedRevision !== row.revision) {
      throw conflict(
        `the website is at revision ${row.revision}, not ${parsed.expectedRevision}: reload it and make your change again`,
        { field: 'expectedRevision', revision: row.revision },
      );
    }
    const now = nowOf(deps);
    const config = parsed.config ?? siteConfigSchema.parse(row.config);
    const revision = parsed.bumpRevision ? row.revision + 1 : row.revision;
    if (parsed.config) {
      const decision = await decideConfiguration(tx, principal, campaignId, siteId, config, now);
      if (!proceeds(decision)) return { refused: decision };
    }
    const fields = [
      ...(parsed.name !== undefined && parsed.name !== row.name ? ['name'] : []),
      ...(parsed.origins !== undefined && JSON.stringify(parsed.origins) !== JSON.stringify(row.origins)
        ? ['origins']
        : []),
      ...(parsed.config ? ['config'] : []),
      ...(revision !== row.revision ? ['revision'] : []),
    ];
    if (fields.length > 0) {
      await changeSiteRow(
        tx,
        principal,
        campaignId,
        siteId,
        {
          name: parsed.name ?? row.name,
          origins: JSON.stringify(parsed.origins ?? row.origins),
          config: JSON.stringify(config),
          revision,
        },
        { type: 'consent_site.updated', data: { siteId, fields, revision } },
        now,
      );
      await publishIfChanged(tx, principal, campaignId, siteId, bannerConfigOf(siteId, config, revision), now);
    }
    return { refused: null, view: await siteView(deps, tx, campaignId, siteId) };
  });
  return finish(outcome, siteId);
}

/**
 * Retires a website: its banner configuration is no longer served and no receipt is accepted
 * for it. Nothing is deleted — published versions and receipts stay as the proof of consent
 * (purge receipts by retention first if they are no longer needed). Audited.
 */
export async function archiveConsentSite(
  deps: AppDeps,
  principal: Principal,
  campaignId: string,
  siteId: string,
): Promise<void> {
  await inCampaign(deps.db, campaignId, async (tx) => {
    await authorize(tx, principal, campaignId, 'governance.manage');
    const row = await loadSiteRow(tx, campaignId, siteId, true);
    const now = nowOf(deps);
    await changeSiteRow(
      tx,
      principal,
      campaignId,
      siteId,
      { archived_at: now },
      { type: 'consent_site.archived', data: { siteId, name: row.name } },
      now,
    );
  });
  forgetPublicSite(siteId);
}

// ---------------------------------------------------------------------------------------
// The public side: a site by its id, its current configuration, the versions receipts name
// ---------------------------------------------------------------------------------------

export interface PublicSite {
  siteId: string;
  campaignId: string;
  origins: readonly string[];
  /** The newest published configuration. */
  current: { version: number; banner: BannerConfig; body: string; etag: string } | null;
  /** Published versions' keys by `${configHash}:${revision}`, filled on demand. */
  keys: Map<string, PublishedVersionKeys | null>;
  loadedAt: number;
}

/** How long a process trusts what it read about a site (origins, current version). */
export const PUBLIC_SITE_TTL_MS = 5_000;

const publicSites = new Map<string, PublicSite | { missing: true; loadedAt: number }>();
const MAX_CACHED_SITES = 10_000;

/** Drops what this process knows of a site (after a save). */
export function forgetPublicSite(siteId: string): void {
  publicSites.delete(siteId);
}

const keyOf = (configHash: string, revision: number): string => `${configHash}:${revision}`;

async function loadPublicSite(db: Database, siteId: string): Promise<PublicSite | null> {
  return inInstallation(db, async (tx) => {
    await sql`SELECT set_config('app.consent_site_id', ${siteId}, true)`.execute(tx);
    const site = await consentTx(tx)
      .selectFrom('consent_sites')
      .select(['campaign_id', 'origins'])
      .where('site_id', '=', siteId)
      .where('archived_at', 'is', null)
      .executeTakeFirst();
    if (!site) return null;
    await sql`SELECT set_config('app.campaign_id', ${site.campaign_id}, true)`.execute(tx);
    const latest = await consentTx(tx)
      .selectFrom('consent_site_versions')
      .select(['version', 'banner'])
      .where('campaign_id', '=', site.campaign_id)
      .where('site_id', '=', siteId)
      .orderBy('version', 'desc')
      .limit(1)
      .executeTakeFirst();
    const keys = new Map<string, PublishedVersionKeys | null>();
    let current: PublicSite['current'] = null;
    if (latest) {
      const banner = latest.banner;
      current = {
        version: latest.version,
        banner,
        body: JSON.stringify(banner),
        etag: `"${banner.configHash}.${latest.version}"`,
      };
    }
    return { siteId, campaignId: site.campaign_id, origins: site.origins, current, keys, loadedAt: Date.now() };
  });
}

/** A site as the public endpoints see it (cached for PUBLIC_SITE_TTL_MS); null when there is none. */
export async function publicSite(db: Database, siteId: string): Promise<PublicSite | null> {
  const cached = publicSites.get(siteId);
  if (cached && Date.now() - cached.loadedAt < PUBLIC_SITE_TTL_MS) return 'missing' in cached ? null : cached;
  const site = await loadPublicSite(db, siteId);
  if (publicSites.size >= MAX_CACHED_SITES) publicSites.clear();
  publicSites.set(siteId, site ?? { missing: true, loadedAt: Date.now() });
  return site;
}

/**
 * The keys of the published version a receipt names, or null when no published version of the
 * site has that configuration hash and revision. Unknown pairs are looked up once per TTL.
 */
export async function publishedVersionKeys(
  db: Database,
  site: PublicSite,
  configHash: string,
  revision: number,
): Promise<PublishedVersionKeys | null> {
  const key = keyOf(configHash, revision);
  if (site.keys.has(key)) return site.keys.get(key) ?? null;
  const found = await inCampaign(db, site.campaignId, async (tx) => {
    const row = await consentTx(tx)
      .selectFrom('consent_site_versions')
      .select(['banner'])
      .where('campaign_id', '=', site.campaignId)
      .where('site_id', '=', site.siteId)
      .where('config_hash', '=', configHash)
      .where('revision', '=', revision)
      .orderBy('version', 'desc')
      .execute();
    const [newest, ...older] = row.map((r) => r.banner);
    // Copy edits keep the hash and revision: every text any of these versions served is valid.
    return newest ? versionKeysOf(newest, ...older) : null;
  });
  site.keys.set(key, found);
  return found;
}

/** Thrown by the public endpoints when a site id names nothing. */
export const noSuchSite = (): AppError => notFound('consent site');
