/**
 * The audience endpoints (src/http/routes/audiences.ts), for the audience pages only: kept out
 * of api.ts so that they travel in those pages' chunks, not the entry chunk. Request and
 * response shapes come from src/shared/audiences.ts, as the server defines them.
 */
import { campaignPath, request } from './api.js';
import type {
  AudienceCreateBody,
  AudienceDetailView,
  AudienceExportView,
  AudiencePreview,
  AudienceSettingsView,
  AudienceUpdateBody,
  ConsentWordingView,
  AudienceView,
  PendingRemovalView,
  RemovalExportResult,
  SegmentBody,
  SegmentView,
  UploadBody,
} from '../shared/audiences.js';

const enc = encodeURIComponent;
const base = campaignPath;
const audiencePath = (campaignId: string, audienceId: string): string =>
  `${base(campaignId)}/audiences/${enc(audienceId)}`;
const exportPath = (campaignId: string, exportId: string): string =>
  `${base(campaignId)}/audience-exports/${enc(exportId)}`;
const removalsQuery = (audienceId?: string): string => (audienceId ? `?audienceId=${enc(audienceId)}` : '');

export const audiencesApi = {
  segments: (campaignId: string) =>
    request<{ segments: SegmentView[] }>('GET', `${base(campaignId)}/audience-segments`),
  createSegment: (campaignId: string, input: SegmentBody) =>
    request<{ segment: SegmentView }>('POST', `${base(campaignId)}/audience-segments`, input),
  updateSegment: (campaignId: string, segmentId: string, input: SegmentBody) =>
    request<{ segment: SegmentView }>('PUT', `${base(campaignId)}/audience-segments/${enc(segmentId)}`, input),

  list: (campaignId: string) => request<{ audiences: AudienceView[] }>('GET', `${base(campaignId)}/audiences`),
  create: (campaignId: string, input: AudienceCreateBody) =>
    request<{ audience: AudienceView }>('POST', `${base(campaignId)}/audiences`, input),
  get: (campaignId: string, audienceId: string) =>
    request<AudienceDetailView>('GET', audiencePath(campaignId, audienceId)),
  update: (campaignId: string, audienceId: string, input: AudienceUpdateBody) =>
    request<{ audience: AudienceView }>('PATCH', audiencePath(campaignId, audienceId), input),
  /** Who would be in the file now, who is left out and why, and every rule finding. Writes nothing. */
  preview: (campaignId: string, audienceId: string) =>
    request<{ preview: AudiencePreview }>('GET', `${audiencePath(campaignId, audienceId)}/preview`),
  /** Writes the platform's files behind the lawful gate; a refusal is ApiError rule_refused with details.findings. */
  exportFiles: (campaignId: string, audienceId: string) =>
    request<{ export: AudienceExportView }>('POST', `${audiencePath(campaignId, audienceId)}/exports`),
  /** The audited download of one file of an export (a plain link: the browser saves it). */
  fileUrl: (campaignId: string, exportId: string, fileName: string) =>
    `${exportPath(campaignId, exportId)}/files/${enc(fileName)}`,
  recordUpload: (campaignId: string, exportId: string, input: UploadBody) =>
    request<{ audience: AudienceView }>('POST', `${exportPath(campaignId, exportId)}/upload`, input),

  removals: (campaignId: string, audienceId?: string) =>
    request<{ removals: PendingRemovalView[] }>(
      'GET',
      `${base(campaignId)}/audience-removals${removalsQuery(audienceId)}`,
    ),
  exportRemovals: (campaignId: string, audienceId?: string) =>
    request<RemovalExportResult>('POST', `${base(campaignId)}/audience-removals/exports${removalsQuery(audienceId)}`),
  confirmRemovals: (campaignId: string, exportId: string) =>
    request<{ confirmed: number }>('POST', `${exportPath(campaignId, exportId)}/confirm-removals`),

  settings: (campaignId: string) =>
    request<{ settings: AudienceSettingsView }>('GET', `${base(campaignId)}/audience-settings`),
  updateSettings: (campaignId: string, input: { fileExpiryDays: number }) =>
    request<{ settings: { fileExpiryDays: number } }>('PUT', `${base(campaignId)}/audience-settings`, input),

  /** Consent wordings and whether each is marked explicit (SCD-TARGETING-EXPLICIT-CONSENT). */
  wordings: (campaignId: string) =>
    request<{ wordings: ConsentWordingView[] }>('GET', `${base(campaignId)}/consent-wordings`),
  markExplicit: (campaignId: string, wordingHash: string, note: string) =>
    request<{ wording: ConsentWordingView }>(
      'POST',
      `${base(campaignId)}/consent-wordings/${enc(wordingHash)}/explicit`,
      { note },
    ),
};
