/**
 * The contract between the consent banner (src/banner, running on a campaign's website) and
 * the Canvass server (the public endpoints that serve a site's configuration and record
 * consent receipts). Types and constants only: the banner is dependency-free and imports
 * nothing at run time, so everything here is erased or inlined when it is compiled.
 *
 *   GET  /c/:siteId/config.json        → BannerConfig (cacheable, versioned by configHash)
 *   POST /c/:siteId/receipts           ← ReceiptSubmission → ReceiptAck (201), only once stored durably
 *   GET  /c/banner.js                  → the compiled banner
 *
 * The page includes one tag:
 *   <script src="https://canvass.example/c/banner.js" data-site="SITE_ID" defer></script>
 * (the banner reads its own `src` for the server origin and `data-site` for the site).
 */

/** The categories, in the order the banner shows them. */
export const CONSENT_CATEGORIES = ['necessary', 'statistics', 'appearance', 'advertising', 'social'] as const;
export type ConsentCategory = (typeof CONSENT_CATEGORIES)[number];

/** The two Sch A1 exceptions (PECR as amended by DUAA 2025): usable without consent only as configured. */
export const EXCEPTION_CATEGORIES = ['statistics', 'appearance'] as const satisfies readonly ConsentCategory[];

export const BANNER_LANGUAGES = ['en', 'cy'] as const;
export type BannerLanguage = (typeof BANNER_LANGUAGES)[number];

/** Google Consent Mode v2 signals (all denied by default). */
export const CONSENT_MODE_SIGNALS = ['ad_storage', 'ad_user_data', 'ad_personalization', 'analytics_storage'] as const;
export type ConsentModeSignal = (typeof CONSENT_MODE_SIGNALS)[number];

/** A cookie or storage entry a service sets, so the banner can list it and erase it on withdrawal. */
export interface BannerCookie {
  /** Exact name, or a prefix when `prefix` is true (e.g. `_ga_` for GA4's per-property cookies). */
  name: string;
  prefix: boolean;
  /** Plain-English duration, e.g. "2 years", "session". */
  duration: string;
  purpose: string;
  /** localStorage/sessionStorage entries are erased too. */
  storage: 'cookie' | 'local' | 'session';
}

export interface BannerService {
  /** Slug, unique within the site: matches `data-service` on blocked nodes. */
  id: string;
  name: string;
  /** Who runs it (e.g. "Meta Platforms Ireland Ltd"). */
  provider: string;
  privacyPolicyUrl: string | null;
  cookies: readonly BannerCookie[];
  /** The Consent Mode signals granted when this service's category is granted. */
  consentMode: readonly ConsentModeSignal[];
}

export interface BannerCategoryConfig {
  id: ConsentCategory;
  /** Strictly necessary: always on, no choice shown. */
  locked: boolean;
  /**
   * Statistics or appearance relying on the Sch A1 exception (first-party, with information and a
   * one-click objection): runs without consent unless the visitor objects (or sends GPC).
   * Always false for advertising and social (PECR-R6-EXCEPTION-SCOPE).
   */
  exempt: boolean;
  services: readonly BannerService[];
}

/** Texts for one language. Every field is plain text (no HTML). */
export interface BannerTexts {
  regionLabel: string;
  title: string;
  body: string;
  acceptAll: string;
  rejectAll: string;
  manage: string;
  save: string;
  closeDialog: string;
  dialogTitle: string;
  dialogBody: string;
  /** The persistent link that reopens the choices (withdrawal as easy as consent). */
  withdrawLink: string;
  /** Announced after a choice, with {consentId}. */
  savedAnnouncement: string;
  consentIdLabel: string;
  gpcNotice: string;
  exemptNotice: string;
  objectLabel: string;
  placeholder: string;
  placeholderLoad: string;
  privacyNoticeLink: string;
  categories: Record<ConsentCategory, { name: string; description: string }>;
  cookieTableHeadings: { name: string; duration: string; purpose: string };
}

export interface BannerConfig {
  siteId: string;
  /** The editor's revision: bumping it re-prompts every visitor. */
  revision: number;
  /**
   * SHA-256 (lower-case hex) of the material configuration — categories, services, their cookies
   * and purposes — computed by the server. A change re-prompts; copy edits alone do not.
   */
  configHash: string;
  /** SHA-256 of each language's texts as served (the receipt names the one shown). */
  textHashes: Partial<Record<BannerLanguage, string>>;
  languages: readonly BannerLanguage[];
  defaultLanguage: BannerLanguage;
  categories: readonly BannerCategoryConfig[];
  texts: Partial<Record<BannerLanguage, BannerTexts>>;
  /** Google Consent Mode v2, basic mode: tags are blocked until consent, defaults denied. */
  consentMode: { enabled: boolean };
  /** Reload the page after withdrawal (default true). */
  reloadOnWithdraw: boolean;
  privacyNoticeUrl: string | null;
  /** The first-party cookie holding the visitor's choice (strictly necessary). */
  cookieName: string;
  /** How long a choice is remembered before the banner asks again. */
  consentMaxAgeDays: number;
}

export const RECEIPT_ACTIONS = ['accept_all', 'reject_all', 'custom', 'gpc', 'withdraw'] as const;
export type ReceiptAction = (typeof RECEIPT_ACTIONS)[number];

/** What the banner posts after every choice. No IP address is stored. */
export interface ReceiptSubmission {
  /** Client-generated UUID v4, idempotency key of this receipt (a retry is not a second receipt). */
  receiptId: string;
  /** Client-generated UUID v4, stable for this browser's consent; shown to the visitor. */
  consentId: string;
  action: ReceiptAction;
  /** Every category of the configuration: granted or not (necessary is always true). */
  categories: Partial<Record<ConsentCategory, boolean>>;
  /** Every service of the configuration, by id: granted or not. */
  services: Record<string, boolean>;
  configHash: string;
  revision: number;
  language: BannerLanguage;
  /** textHashes[language] of the configuration the visitor saw. */
  textHash: string;
  /** navigator.globalPrivacyControl was on. */
  gpc: boolean;
  /** The page the choice was made on, without query string or fragment. */
  pageUrl: string;
  /** Client clock, ISO 8601 (the server's own time is what counts). */
  clientTime: string;
}

export interface ReceiptAck {
  receiptId: string;
  consentId: string;
  /** Server time the receipt was stored. */
  storedAt: string;
}

/** The largest receipt body the endpoint accepts, in bytes. */
export const RECEIPT_MAX_BYTES = 8192;
