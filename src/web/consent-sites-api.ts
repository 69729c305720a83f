/**
 * The website-consent endpoints (src/http/routes/consent-sites.ts), for the website-consent
 * pages only: kept out of api.ts so that they travel in those pages' chunks.
 */
import { campaignPath, request } from './api.js';
import type {
  ConsentRateBucket,
  ConsentReceiptView,
  ConsentSiteSummary,
  ConsentSiteView,
  ServicePresetView,
  SiteConfig,
} from '../shared/consent-sites.js';

export type {
  ConsentRateBucket,
  ConsentReceiptView,
  ConsentSiteSummary,
  ConsentSiteView,
  ServicePresetView,
  SiteConfig,
  SiteService,
} from '../shared/consent-sites.js';

const enc = encodeURIComponent;
const sites = (campaignId: string): string => `${campaignPath(campaignId)}/consent-sites`;
const one = (campaignId: string, siteId: string): string => `${sites(campaignId)}/${enc(siteId)}`;

export interface SiteChange {
  name?: string;
  origins?: string[];
  config?: SiteConfig;
  bumpRevision?: boolean;
  expectedRevision?: number;
}

export const consentSitesApi = {
  list: (campaignId: string) => request<{ sites: ConsentSiteSummary[] }>('GET', sites(campaignId)),
  presets: (campaignId: string) => request<{ presets: ServicePresetView[] }>('GET', `${sites(campaignId)}/presets`),
  create: (campaignId: string, input: { name: string; origins: string[] }) =>
    request<{ site: ConsentSiteView }>('POST', sites(campaignId), input),
  get: (campaignId: string, siteId: string) => request<{ site: ConsentSiteView }>('GET', one(campaignId, siteId)),
  update: (campaignId: string, siteId: string, change: SiteChange) =>
    request<{ site: ConsentSiteView }>('PATCH', one(campaignId, siteId), change),
  archive: (campaignId: string, siteId: string) => request<void>('DELETE', one(campaignId, siteId)),
  setRetention: (campaignId: string, siteId: string, retentionDays: number | null) =>
    request<{ retentionDays: number | null }>('PUT', `${one(campaignId, siteId)}/retention`, { retentionDays }),
  purge: (campaignId: string, siteId: string) =>
    request<{ purged: number; storedBefore: string }>('POST', `${one(campaignId, siteId)}/purge`),
  receipts: (campaignId: string, siteId: string, consentId?: string) =>
    request<{ receipts: ConsentReceiptView[] }>(
      'GET',
      `${one(campaignId, siteId)}/receipts${consentId ? `?consentId=${enc(consentId)}` : ''}`,
    ),
  rates: (campaignId: string, siteId: string, days: number) =>
    request<{ rates: ConsentRateBucket[] }>('GET', `${one(campaignId, siteId)}/rates?days=${days}`),
  exportUrl: (campaignId: string, siteId: string, format: 'csv' | 'json') =>
    `${one(campaignId, siteId)}/receipts/export?format=${format}`,
};
