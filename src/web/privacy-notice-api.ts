/**
 * The privacy-notice endpoints (docs/api-contract.md, Privacy notice), for the privacy-notice
 * page only: kept out of api.ts so that they travel in that page's chunk, not the entry chunk.
 */
import { request } from './api.js';
import type { NoticeDocument, NoticeSectionId, NoticeVersionSummary } from '../shared/privacy-notice.js';
import type { Finding } from '../shared/views.js';

export interface NoticeUrls {
  notice: string;
  welsh: string;
  json: string;
  versions: string;
}

export interface NoticeSettings {
  objectionUrl: string | null;
  privacyEmail: string | null;
  complaintUrl: string | null;
  updatedAt: string | null;
}

export interface SectionForTranslation {
  id: NoticeSectionId;
  heading: string;
  text: string;
  sha256: string;
}

export interface SectionTranslationState {
  sectionId: NoticeSectionId;
  status: 'translated' | 'missing' | 'outdated' | 'links_missing';
  missingLinks: string[];
}

export interface StoredVersion extends NoticeVersionSummary {
  document: NoticeDocument;
}

export interface NoticeHistoryEntry {
  version: number;
  publishedAt: string;
  languages: NoticeVersionSummary[];
}

export interface NoticeOverview {
  urls: NoticeUrls;
  settings: NoticeSettings;
  preview: {
    document: NoticeDocument;
    sha256: string;
    changed: boolean;
    outcome: 'allow' | 'warn' | 'require' | 'refuse';
    findings: Finding[];
    sections: SectionForTranslation[];
    welsh: SectionTranslationState[];
  };
  published: {
    en: StoredVersion | null;
    cy: StoredVersion | null;
    sections: SectionForTranslation[];
    welsh: SectionTranslationState[];
  };
  translations: { sectionId: string; heading: string; body: string; sourceSha256: string; updatedAt: string }[];
  history: NoticeHistoryEntry[];
}

export interface PublishResult {
  version: number;
  english: NoticeVersionSummary;
  welsh: NoticeVersionSummary | null;
  created: NoticeVersionSummary[];
  welshMissing: SectionTranslationState[];
  warnings: Finding[];
  urls: NoticeUrls;
}

const base = (campaignId: string): string => `/api/campaigns/${encodeURIComponent(campaignId)}/privacy-notice`;

export const noticeApi = {
  overview: (campaignId: string) => request<NoticeOverview>('GET', base(campaignId)),
  publish: (campaignId: string, language: 'en' | 'cy') =>
    request<PublishResult>('POST', `${base(campaignId)}/publish`, { language }),
  updateSettings: (
    campaignId: string,
    input: Partial<Record<'objectionUrl' | 'privacyEmail' | 'complaintUrl', string | null>>,
  ) => request<{ settings: NoticeSettings }>('PATCH', `${base(campaignId)}/settings`, input),
  saveTranslation: (
    campaignId: string,
    sectionId: NoticeSectionId,
    input: { heading: string; body: string; sourceSha256: string },
  ) =>
    request<{ translation: unknown }>(
      'PUT',
      `${base(campaignId)}/translations/cy/${encodeURIComponent(sectionId)}`,
      input,
    ),
  removeTranslation: (campaignId: string, sectionId: NoticeSectionId) =>
    request<void>('DELETE', `${base(campaignId)}/translations/cy/${encodeURIComponent(sectionId)}`),
};
