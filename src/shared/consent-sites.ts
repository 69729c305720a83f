/**
 * Website consent (issue 6): the site configuration as the staff API and the dashboard see it,
 * and the staff API's answers. Types only (the zod schemas are in src/domain/consent-sites.ts,
 * which checks that what they produce matches these).
 */
import type {
  BannerCookie,
  BannerLanguage,
  BannerTexts,
  ConsentCategory,
  ConsentModeSignal,
} from './consent-banner.js';

/** What a service is used for (PECR Sch A1: advertising and social pixels and plugins are never exempt). */
export const SERVICE_PURPOSES = [
  'communication',
  'strictly_necessary',
  'statistics',
  'appearance',
  'emergency_assistance',
  'advertising',
  'retargeting',
  'social_pixel',
  'social_plugin',
  'fingerprinting',
  'embed',
  'other',
] as const;
export type ServicePurpose = (typeof SERVICE_PURPOSES)[number];

export const SERVICE_PURPOSE_LABELS: Record<ServicePurpose, string> = {
  communication: 'Transmitting a communication',
  strictly_necessary: 'Strictly necessary',
  statistics: 'Statistics',
  appearance: 'Appearance or functionality',
  emergency_assistance: 'Emergency assistance',
  advertising: 'Advertising',
  retargeting: 'Retargeting',
  social_pixel: 'Social-media pixel',
  social_plugin: 'Social-media plugin',
  fingerprinting: 'Fingerprinting',
  embed: 'Embedded content',
  other: 'Other',
};

export interface SiteService {
  id: string;
  name: string;
  provider: string;
  privacyPolicyUrl: string | null;
  cookies: BannerCookie[];
  consentMode: ConsentModeSignal[];
  purpose: ServicePurpose;
  platform: 'meta' | 'google' | 'x' | 'snap' | 'linkedin' | 'tiktok' | null;
  firstParty: boolean;
  jointController: boolean;
  presetId: string | null;
}

export interface SiteCategory {
  id: ConsentCategory;
  defaultOn: boolean;
  exempt: boolean;
  services: SiteService[];
}

export interface SiteConfig {
  categories: SiteCategory[];
  languages: BannerLanguage[];
  defaultLanguage: BannerLanguage;
  texts: { en?: BannerTexts | undefined; cy?: BannerTexts | undefined };
  consentMode: { enabled: boolean };
  reloadOnWithdraw: boolean;
  privacyNoticeUrl: string | null;
  cookieName: string;
  consentMaxAgeDays: number;
}

export interface ConsentSiteVersionView {
  version: number;
  revision: number;
  configHash: string;
  textHashes: Partial<Record<BannerLanguage, string>>;
  publishedAt: string;
}

export interface ConsentSiteSummary {
  id: string;
  name: string;
  origins: string[];
  revision: number;
  retentionDays: number | null;
  published: ConsentSiteVersionView | null;
  updatedAt: string;
}

export interface ConsentSiteView extends ConsentSiteSummary {
  config: SiteConfig;
  versions: ConsentSiteVersionView[];
  /** The one tag a website includes, and the public addresses. */
  install: { snippet: string; scriptUrl: string; configUrl: string; receiptsUrl: string; previewUrl: string };
}

export interface ServicePresetView {
  id: string;
  category: ConsentCategory;
  service: SiteService;
  source: string;
  note: string;
  version: string;
}

export interface ConsentReceiptView {
  receiptId: string;
  consentId: string;
  storedAt: string;
  action: string;
  categories: Partial<Record<ConsentCategory, boolean>>;
  services: Record<string, boolean>;
  configHash: string;
  revision: number;
  textHash: string;
  language: BannerLanguage;
  gpc: boolean;
  pageUrl: string;
  clientTime: string | null;
}

/** Consent rates: one day (UTC) of receipts, with how many granted each category. */
export interface ConsentRateBucket {
  day: string;
  receipts: number;
  granted: Record<ConsentCategory, number>;
}

/** The longest period the consent-rate chart covers, in days. */
export const CONSENT_RATE_DAYS_MAX = 400;
