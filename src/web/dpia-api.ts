/**
 * The DPIA endpoints (docs/api-contract.md, DPIAs), for the DPIA pages only: kept out of
 * api.ts so that they travel in the DPIA pages' chunk, not the entry chunk.
 */
import { campaignPath, request } from './api.js';
import type {
  ActivityDescription,
  DpiaActionView,
  DpiaContent,
  DpiaCoverView,
  DpiaDetailView,
  DpiaSummaryView,
  Screening,
  ScreeningFacts,
} from '../shared/dpia.js';

export interface ScreeningInput {
  activity?: ActivityDescription | null;
  facts?: Partial<ScreeningFacts>;
}

export type DpiaUpdate = Partial<Omit<DpiaContent, 'signOff' | 'icoConsultation' | 'risks'>> & {
  title?: string;
  activityId?: string | null;
  screening?: ScreeningInput;
  risks?: unknown[];
  signOff?: Partial<DpiaContent['signOff']>;
  icoConsultation?: DpiaContent['icoConsultation'];
};

export interface ActionInput {
  riskId: string | null;
  action: string;
  owner: string;
  dueDate: string;
}

const base = campaignPath;
const dpiaPath = (campaignId: string, dpiaId: string): string =>
  `${base(campaignId)}/dpias/${encodeURIComponent(dpiaId)}`;

export type DpiaTransition = 'versions' | 'submit' | 'return-to-draft' | 'approve';

export const dpiaApi = {
  screen: (campaignId: string, input: ScreeningInput) =>
    request<{ screening: Screening }>('POST', `${base(campaignId)}/dpias/screen`, input),
  list: (campaignId: string) => request<{ dpias: DpiaSummaryView[] }>('GET', `${base(campaignId)}/dpias`),
  create: (campaignId: string, input: { title: string; activityId: string | null; screening: ScreeningInput }) =>
    request<DpiaDetailView>('POST', `${base(campaignId)}/dpias`, input),
  get: (campaignId: string, dpiaId: string, version?: number) =>
    request<DpiaDetailView>(
      'GET',
      `${dpiaPath(campaignId, dpiaId)}${version === undefined ? '' : `?version=${encodeURIComponent(String(version))}`}`,
    ),
  update: (campaignId: string, dpiaId: string, input: DpiaUpdate) =>
    request<DpiaDetailView>('PATCH', dpiaPath(campaignId, dpiaId), input),
  transition: (campaignId: string, dpiaId: string, transition: DpiaTransition, version: number) =>
    request<DpiaDetailView>('POST', `${dpiaPath(campaignId, dpiaId)}/${transition}`, { version }),
  reject: (campaignId: string, dpiaId: string, version: number, reason: string) =>
    request<DpiaDetailView>('POST', `${dpiaPath(campaignId, dpiaId)}/reject`, { version, reason }),
  addAction: (campaignId: string, dpiaId: string, input: ActionInput) =>
    request<{ action: DpiaActionView }>('POST', `${dpiaPath(campaignId, dpiaId)}/actions`, input),
  updateAction: (
    campaignId: string,
    dpiaId: string,
    actionId: string,
    input: Partial<ActionInput> & { done?: boolean },
  ) =>
    request<{ action: DpiaActionView }>(
      'PATCH',
      `${dpiaPath(campaignId, dpiaId)}/actions/${encodeURIComponent(actionId)}`,
      input,
    ),
  cover: (campaignId: string, activityId: string) =>
    request<{ cover: DpiaCoverView }>('GET', `${base(campaignId)}/dpia-cover/${encodeURIComponent(activityId)}`),
};
