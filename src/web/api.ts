/**
 * The dashboard's API client and the response types of docs/api-contract.md.
 *
 * Staff sessions are cookie-based: the browser sends the HttpOnly `canvass_session` cookie
 * and every write carries the `x-csrf-token` header from the last SessionView. Any error
 * answer is the envelope `{ error: { code, message, details? } }`, raised as ApiError.
 */
import type { Ability, ControllerType, JobStatus, Role } from '../shared/labels.js';

export interface SessionCampaign {
  id: string;
  name: string;
  controllerType: ControllerType;
  role: Role;
  abilities: Ability[];
}

export interface SessionUser {
  id: string;
  email: string;
  displayName: string;
}

export interface SessionView {
  user: SessionUser;
  csrfToken: string;
  campaigns: SessionCampaign[];
}

export interface DpoContact {
  name: string;
  email: string;
  phone?: string;
}

export interface CampaignInput {
  name: string;
  controllerType: ControllerType;
  postalAddress: string;
  icoRegistrationNumber?: string;
  dpo?: DpoContact;
}

export interface Campaign {
  id: string;
  name: string;
  controllerType: ControllerType;
  postalAddress: string;
  icoRegistrationNumber: string | null;
  dpo: { name: string; email: string; phone: string | null } | null;
  createdAt: string;
  updatedAt: string;
}

export interface CampaignAccess {
  campaign: Campaign;
  role: Role;
  abilities: Ability[];
}

export interface Member {
  userId: string;
  email: string;
  displayName: string;
  role: Role;
  joinedAt: string;
}

export type InvitationStatus = 'pending' | 'accepted' | 'revoked' | 'expired';

export interface Invitation {
  id: string;
  email: string;
  role: Role;
  createdAt: string;
  expiresAt: string;
  status: InvitationStatus;
}

export interface InvitationPreview {
  campaignId: string;
  campaignName: string;
  role: Role;
  email: string;
  accountExists: boolean;
}

export interface ApiToken {
  id: string;
  name: string;
  prefix: string;
  createdAt: string;
  expiresAt: string | null;
  lastUsedAt: string | null;
}

export interface AuditEventView {
  seq: number;
  eventId: string;
  occurredAt: string;
  actor: { type: string; id: string | null };
  type: string;
  data: Record<string, unknown>;
}

export interface AuditPage {
  events: AuditEventView[];
  nextBefore: number | null;
}

export interface ChainVerification {
  ok: boolean;
  eventsChecked: number;
  headSeq: number;
  problem: null | { kind: string; seq: number; eventId: string | null; message: string };
}

export interface JobView {
  id: string;
  name: string;
  status: JobStatus;
  progress: { done: number; total: number | null };
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  cancelRequested: boolean;
  error: { code: string; message: string } | null;
  result: unknown;
}

export interface FieldIssue {
  field: string;
  message: string;
}

/** An error answer from the API (or a network failure, with code `network_error`). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly issues: FieldIssue[] = [],
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

let csrfToken: string | null = null;

/** Remembers the CSRF token of the current cookie session (from any SessionView). */
export function rememberSession(session: SessionView | null): void {
  csrfToken = session ? session.csrfToken : null;
}

type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function parseIssues(details: unknown): FieldIssue[] {
  if (!isRecord(details) || !Array.isArray(details.issues)) return [];
  return details.issues.flatMap((issue: unknown) =>
    isRecord(issue) && typeof issue.message === 'string'
      ? [{ field: typeof issue.field === 'string' ? issue.field : '', message: issue.message }]
      : [],
  );
}

async function request<T>(method: Method, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers,
      credentials: 'same-origin',
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  } catch {
    throw new ApiError(0, 'network_error', 'The server could not be reached. Check your connection and try again.');
  }
  if (response.status === 204) return undefined as T;
  let payload: unknown = null;
  const text = await response.text();
  if (text) {
    try {
      payload = JSON.parse(text) as unknown;
    } catch {
      payload = null;
    }
  }
  if (!response.ok) {
    const envelope = isRecord(payload) && isRecord(payload.error) ? payload.error : null;
    const code = envelope && typeof envelope.code === 'string' ? envelope.code : 'internal_error';
    const message =
      envelope && typeof envelope.message === 'string'
        ? envelope.message
        : `The server answered ${response.status}. Please try again.`;
    const details = envelope && isRecord(envelope.details) ? envelope.details : {};
    throw new ApiError(response.status, code, message, parseIssues(details), details);
  }
  return payload as T;
}

const enc = encodeURIComponent;
const campaignPath = (campaignId: string): string => `/api/campaigns/${enc(campaignId)}`;

export const api = {
  setupStatus: () => request<{ needed: boolean }>('GET', '/api/setup'),
  setup: (input: {
    token: string;
    user: { email: string; displayName: string; password: string };
    campaign: CampaignInput;
  }) => request<SessionView>('POST', '/api/setup', input),

  session: () => request<SessionView>('GET', '/api/session'),
  signIn: (input: { email: string; password: string }) => request<SessionView>('POST', '/api/session', input),
  signOut: () => request<void>('DELETE', '/api/session'),

  createCampaign: (input: CampaignInput) => request<{ campaign: Campaign }>('POST', '/api/campaigns', input),
  campaign: (campaignId: string) => request<CampaignAccess>('GET', campaignPath(campaignId)),
  updateCampaign: (campaignId: string, input: Partial<Record<keyof CampaignInput, unknown>>) =>
    request<{ campaign: Campaign }>('PATCH', campaignPath(campaignId), input),

  members: (campaignId: string) => request<{ members: Member[] }>('GET', `${campaignPath(campaignId)}/members`),
  changeRole: (campaignId: string, userId: string, role: Role) =>
    request<{ member: Member }>('PATCH', `${campaignPath(campaignId)}/members/${enc(userId)}`, { role }),
  removeMember: (campaignId: string, userId: string) =>
    request<void>('DELETE', `${campaignPath(campaignId)}/members/${enc(userId)}`),

  invitations: (campaignId: string) =>
    request<{ invitations: Invitation[] }>('GET', `${campaignPath(campaignId)}/invitations`),
  invite: (campaignId: string, input: { email: string; role: Role }) =>
    request<{ invitation: Invitation; acceptUrl: string }>('POST', `${campaignPath(campaignId)}/invitations`, input),
  revokeInvitation: (campaignId: string, invitationId: string) =>
    request<void>('DELETE', `${campaignPath(campaignId)}/invitations/${enc(invitationId)}`),
  previewInvitation: (token: string) => request<InvitationPreview>('POST', '/api/invitations/preview', { token }),
  acceptInvitation: (input: { token: string; displayName?: string; password?: string }) =>
    request<SessionView>('POST', '/api/invitations/accept', input),

  account: () => request<{ user: SessionUser }>('GET', '/api/account'),
  updateAccount: (input: { displayName: string }) => request<{ user: SessionUser }>('PATCH', '/api/account', input),
  changePassword: (input: { currentPassword: string; newPassword: string }) =>
    request<void>('POST', '/api/account/password', input),
  tokens: () => request<{ tokens: ApiToken[] }>('GET', '/api/account/tokens'),
  createToken: (input: { name: string; expiresInDays?: number }) =>
    request<{ token: ApiToken; secret: string }>('POST', '/api/account/tokens', input),
  revokeToken: (tokenId: string) => request<void>('DELETE', `/api/account/tokens/${enc(tokenId)}`),

  audit: (campaignId: string, options: { limit: number; before?: number }) => {
    const query = new URLSearchParams({ limit: String(options.limit) });
    if (options.before !== undefined) query.set('before', String(options.before));
    return request<AuditPage>('GET', `${campaignPath(campaignId)}/audit?${query.toString()}`);
  },
  verifyAudit: (campaignId: string) => request<ChainVerification>('POST', `${campaignPath(campaignId)}/audit/verify`),

  jobs: (campaignId: string) => request<{ jobs: JobView[] }>('GET', `${campaignPath(campaignId)}/jobs`),
  cancelJob: (campaignId: string, jobId: string) =>
    request<{ job: JobView }>('POST', `${campaignPath(campaignId)}/jobs/${enc(jobId)}/cancel`),
};

/** A readable message for anything a call may throw. */
export function describeError(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  if (error instanceof Error) return error.message;
  return 'Something went wrong. Please try again.';
}
