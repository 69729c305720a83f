/**
 * The governance endpoints (docs/api-contract.md, "Governance records"), for the governance
 * pages only: kept out of api.ts so that they travel in those pages' chunks.
 */
import { campaignPath, request } from './api.js';
import type {
  ActivityRecord,
  ActivityStatus,
  ActivityView,
  ArrangementRecord,
  ArrangementView,
  PlatformPresetView,
  ProcessorRecord,
  ProcessorView,
  RecordOfProcessing,
} from '../shared/governance.js';

const enc = encodeURIComponent;
const base = campaignPath;

export type ActivityInput = Partial<ActivityRecord> & { name: string; status?: 'draft' | 'active' };
export type ProcessorInput = Partial<ProcessorRecord> & { name: string };
export type ArrangementInput = Partial<Omit<ArrangementRecord, 'platform' | 'scope'>> &
  Pick<ArrangementRecord, 'platform' | 'scope'> & { fromPreset?: boolean };

export const governanceApi = {
  activities: (campaignId: string, status?: ActivityStatus) =>
    request<{ activities: ActivityView[] }>(
      'GET',
      `${base(campaignId)}/processing-activities${status ? `?status=${enc(status)}` : ''}`,
    ),
  activity: (campaignId: string, id: string) =>
    request<{ activity: ActivityView }>('GET', `${base(campaignId)}/processing-activities/${enc(id)}`),
  createActivity: (campaignId: string, input: ActivityInput) =>
    request<{ activity: ActivityView }>('POST', `${base(campaignId)}/processing-activities`, input),
  updateActivity: (campaignId: string, id: string, input: Partial<ActivityRecord>) =>
    request<{ activity: ActivityView }>('PATCH', `${base(campaignId)}/processing-activities/${enc(id)}`, input),
  activateActivity: (campaignId: string, id: string) =>
    request<{ activity: ActivityView }>('POST', `${base(campaignId)}/processing-activities/${enc(id)}/activate`),
  retireActivity: (campaignId: string, id: string) =>
    request<{ activity: ActivityView }>('POST', `${base(campaignId)}/processing-activities/${enc(id)}/retire`),
  /** The record for the printable page (the read is audited). */
  record: (campaignId: string, include: 'active' | 'all') =>
    request<{ record: RecordOfProcessing }>(
      'GET',
      `${base(campaignId)}/record-of-processing?format=print&include=${enc(include)}`,
    ),
  recordCsvUrl: (campaignId: string, include: 'active' | 'all') =>
    `${base(campaignId)}/record-of-processing.csv?include=${enc(include)}`,

  processors: (campaignId: string) => request<{ processors: ProcessorView[] }>('GET', `${base(campaignId)}/processors`),
  processor: (campaignId: string, id: string) =>
    request<{ processor: ProcessorView }>('GET', `${base(campaignId)}/processors/${enc(id)}`),
  createProcessor: (campaignId: string, input: ProcessorInput) =>
    request<{ processor: ProcessorView }>('POST', `${base(campaignId)}/processors`, input),
  updateProcessor: (campaignId: string, id: string, input: Partial<ProcessorRecord> & { archived?: boolean }) =>
    request<{ processor: ProcessorView }>('PATCH', `${base(campaignId)}/processors/${enc(id)}`, input),

  arrangements: (campaignId: string) =>
    request<{ arrangements: ArrangementView[] }>('GET', `${base(campaignId)}/joint-controller-arrangements`),
  arrangement: (campaignId: string, id: string) =>
    request<{ arrangement: ArrangementView }>('GET', `${base(campaignId)}/joint-controller-arrangements/${enc(id)}`),
  createArrangement: (campaignId: string, input: ArrangementInput) =>
    request<{ arrangement: ArrangementView }>('POST', `${base(campaignId)}/joint-controller-arrangements`, input),
  updateArrangement: (
    campaignId: string,
    id: string,
    input: Partial<Omit<ArrangementRecord, 'platform' | 'scope'>> & { archived?: boolean },
  ) =>
    request<{ arrangement: ArrangementView }>(
      'PATCH',
      `${base(campaignId)}/joint-controller-arrangements/${enc(id)}`,
      input,
    ),
  presets: () => request<{ presets: PlatformPresetView[] }>('GET', '/api/platform-presets'),
};
