import type { Finding } from './views.js';

/**
 * The privacy notice (issue 4): the shape of a composed notice, its sections, languages and
 * the ways a notice is given to a person. Pure TypeScript with no imports beyond src/shared,
 * so that the dashboard can show a notice exactly as the server composed it.
 *
 * A notice is ordered sections with stable ids, each a heading and blocks of text. There is
 * no HTML here: the public page (src/http/privacy-notice-html.ts) and the dashboard each
 * render the same structure, and the SHA-256 of the notice is taken over its canonical text.
 */

/** English, and Welsh where the campaign provides the Welsh text of every section. */
export const NOTICE_LANGUAGES = ['en', 'cy'] as const;
export type NoticeLanguage = (typeof NOTICE_LANGUAGES)[number];

export const NOTICE_LANGUAGE_LABELS: Record<NoticeLanguage, string> = {
  en: 'English',
  cy: 'Cymraeg (Welsh)',
};

export const isNoticeLanguage = (value: unknown): value is NoticeLanguage =>
  typeof value === 'string' && (NOTICE_LANGUAGES as readonly string[]).includes(value);

/**
 * Every section a notice may have, in the order a notice shows them. The ids are stable: they
 * are the anchors of the public page, the keys of the Welsh texts and what the audiences
 * feature reads. Matching people's details with social-media platforms and profiling come
 * right after who we are, before anything else (ICO: list-based targeting must not be buried
 * in privacy information; TR-LIST-MATCHING-DISCLOSED, TR-PROFILING-DISCLOSED), followed by the
 * right to object, presented separately (UK GDPR Art 21(4)).
 */
export const NOTICE_SECTION_IDS = [
  'controller',
  'list-matching',
  'profiling',
  'objection',
  'collection',
  'purposes',
  'special-category',
  'joint-controllers',
  'processors',
  'retention',
  'rights',
  'complaints',
  'changes',
] as const;
export type NoticeSectionId = (typeof NOTICE_SECTION_IDS)[number];

export const isNoticeSectionId = (value: unknown): value is NoticeSectionId =>
  typeof value === 'string' && (NOTICE_SECTION_IDS as readonly string[]).includes(value);

/** What each section is for, for the dashboard's editor of Welsh texts. */
export const NOTICE_SECTION_LABELS: Record<NoticeSectionId, string> = {
  controller: 'Who we are',
  'list-matching': 'Matching your details with social-media platforms',
  profiling: 'Profiling and targeting',
  objection: 'Your right to object',
  collection: 'What we collect and where it comes from',
  purposes: 'Why we use it and our lawful basis',
  'special-category': 'Sensitive (special category) information',
  'joint-controllers': 'Platforms we are jointly responsible with',
  processors: 'Service providers and transfers outside the UK',
  retention: 'How long we keep it',
  rights: 'Your rights',
  complaints: 'Complaints',
  changes: 'Changes to this notice',
};

/** A run of text, a link when it has an href (https:, http: or mailto: only). */
export interface NoticeInline {
  text: string;
  href?: string;
  /**
   * Set on text standing in for something the records lack (e.g. an arrangement's essence).
   * A notice with a missing part is never published: the rules refuse it first.
   */
  missing?: true;
}

export type NoticeBlock = { kind: 'paragraph'; content: NoticeInline[] } | { kind: 'list'; items: NoticeInline[][] };

export interface NoticeSection {
  id: NoticeSectionId;
  heading: string;
  blocks: NoticeBlock[];
}

/** A platform the notice says people's details are matched with (list-based or lookalike audiences). */
export interface NoticeListMatchingPlatform {
  /** The platform id of the governance records ('meta', 'google', … or 'other'). */
  platform: string;
  /** The name the notice uses. */
  name: string;
  customAudiences: boolean;
  lookalikes: boolean;
}

/**
 * What the notice discloses, in a form the rules can read without parsing the text: the
 * audiences feature asks whether the notice a person was given explains list matching with a
 * platform (src/domain/privacy-notice.ts, explainsListMatching).
 */
export interface NoticeDisclosures {
  listMatching: NoticeListMatchingPlatform[];
  profiling: boolean;
}

export interface NoticeDocument {
  /** The structure's version, for readers of stored notices. */
  format: 1;
  language: NoticeLanguage;
  title: string;
  controllerName: string;
  sections: NoticeSection[];
  disclosures: NoticeDisclosures;
}

/** How a notice was given to a person. */
export const NOTICE_DELIVERY_METHODS = ['web_form', 'email', 'letter', 'in_person', 'art14_letter'] as const;
export type NoticeDeliveryMethod = (typeof NOTICE_DELIVERY_METHODS)[number];

export const NOTICE_DELIVERY_METHOD_LABELS: Record<NoticeDeliveryMethod, string> = {
  web_form: 'Web form (shown or linked where the data was collected)',
  email: 'Email',
  letter: 'Letter',
  in_person: 'In person',
  art14_letter: 'Art 14 notice (data obtained from elsewhere)',
};

/** A published version, as the history lists it. */
export interface NoticeVersionSummary {
  version: number;
  language: NoticeLanguage;
  sha256: string;
  publishedAt: string;
}

/** A notice given to a person: which version, in which language, when and how. */
export interface NoticeDeliveryView {
  id: string;
  version: number;
  language: NoticeLanguage;
  method: NoticeDeliveryMethod;
  deliveredAt: string;
  recordedAt: string;
  note: string | null;
}

// ---------------------------------------------------------------------------------------
// Welsh texts and the DPO's view (the API's answers, read by the server and the dashboard)
// ---------------------------------------------------------------------------------------

export type TranslationStatus = 'translated' | 'missing' | 'outdated' | 'links_missing';

export interface SectionTranslationState {
  sectionId: NoticeSectionId;
  status: TranslationStatus;
  /** Links of the English section the Welsh text leaves out (status links_missing). */
  missingLinks: string[];
}

export interface NoticeUrls {
  /** The current notice, as accessible printable HTML (add ?lang=cy for Welsh). */
  notice: string;
  welsh: string;
  json: string;
  versions: string;
}

export interface StoredVersion extends NoticeVersionSummary {
  document: NoticeDocument;
}

/** One entry of the history: a version number with the languages it was published in. */
export interface NoticeHistoryEntry {
  version: number;
  publishedAt: string;
  languages: NoticeVersionSummary[];
}

export interface NoticeSettingsView {
  objectionUrl: string | null;
  privacyEmail: string | null;
  complaintUrl: string | null;
  updatedAt: string | null;
}

export interface SectionForTranslation {
  id: NoticeSectionId;
  heading: string;
  /** The English as editable plain text (links as their addresses). */
  text: string;
  sha256: string;
}

export interface NoticeOverview {
  urls: NoticeUrls;
  settings: NoticeSettingsView;
  preview: {
    document: NoticeDocument;
    sha256: string;
    /** Whether publishing now would make a new version. */
    changed: boolean;
    outcome: 'allow' | 'warn' | 'require' | 'refuse';
    findings: Finding[];
    sections: SectionForTranslation[];
    welsh: SectionTranslationState[];
  };
  published: {
    en: StoredVersion | null;
    /** The Welsh of the current English version, if published. */
    cy: StoredVersion | null;
    sections: SectionForTranslation[];
    welsh: SectionTranslationState[];
  };
  translations: { sectionId: string; heading: string; body: string; sourceSha256: string; updatedAt: string }[];
  history: NoticeHistoryEntry[];
}

export interface PublishResult {
  /** The current version number after publishing. */
  version: number;
  english: NoticeVersionSummary;
  welsh: NoticeVersionSummary | null;
  /** What this call published: empty when nothing had changed. */
  created: NoticeVersionSummary[];
  /** Sections the Welsh notice still lacks (empty when it is published). */
  welshMissing: SectionTranslationState[];
  warnings: Finding[];
  urls: NoticeUrls;
}
