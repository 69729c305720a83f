/**
 * The privacy-notice endpoints (docs/api-contract.md, Privacy notice), for the privacy-notice
 * page only: kept out of api.ts so that they travel in that page's chunk, not the entry chunk.
 */
import { campaignPath, request } from './api.js';
import type { NoticeOverview, NoticeSectionId, NoticeSettingsView, PublishResult } from '../shared/privacy-notice.js';

const base = (campaignId: string): string => `${campaignPath(campaignId)}/privacy-notice`;

export const noticeApi = {
  overview: (campaignId: string) => request<NoticeOverview>('GET', base(campaignId)),
  publish: (campaignId: string, language: 'en' | 'cy') =>
    request<PublishResult>('POST', `${base(campaignId)}/publish`, { language }),
  updateSettings: (
    campaignId: string,
    input: Partial<Record<'objectionUrl' | 'privacyEmail' | 'complaintUrl', string | null>>,
  ) => request<{ settings: NoticeSettingsView }>('PATCH', `${base(campaignId)}/settings`, input),
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
