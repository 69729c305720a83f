/**
 * The dashboard's API client and the response types of docs/api-contract.md.
 *
 * Staff sessions are cookie-based: the browser sends the HttpOnly `canvass_session` cookie
 * and every write carries the `x-csrf-token` header from the last SessionView. Any error
 * answer is the envelope `{ error: { code, message, details? } }`, raised as ApiError.
 */
import type { DpoOverview } from '../shared/dpo.js';
import type { NoticeDeliveryView } from '../shared/privacy-notice.js';
import type {
  Ability,
  ConsentChannel,
  ControllerType,
  DataKind,
  JobStatus,
  LawfulBasis,
  Role,
  SourceType,
  SpecialCategory,
} from '../shared/labels.js';

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

// ---------------------------------------------------------------------------------------
// People database (issue 3): sources, imports, people
// ---------------------------------------------------------------------------------------

export type { Art14Status, Finding, ImportSummary, ImportView, PersonSummary } from '../shared/views.js';
import type { Art14Status, ImportView, PersonSummary } from '../shared/views.js';

export interface DueDiligence {
  supplierName: string;
  supplierIcoRegistration: string;
  collectionMethod: string;
  peopleToldOfDisclosure: boolean;
  consentCoversUs: boolean | null;
  supplierScreened: boolean;
  checkedOn: string;
  checkedBy: string;
  notes: string;
}

export interface SourceInput {
  name: string;
  type: SourceType;
  description: string;
  collectionPurpose: string;
  lawfulBasis: LawfulBasis | null;
  lawfulBasisNote: string | null;
  art9Condition: string | null;
  dueDiligence: DueDiligence | null;
  art14Plan: string | null;
  compatibilityAssessment: string | null;
}

export interface Source extends SourceInput {
  id: string;
  thirdParty: boolean;
  createdAt: string;
  updatedAt: string;
  archivedAt: string | null;
}

export interface MappingEntry {
  column: string;
  field: string;
}

export interface ImportUpload {
  import: ImportView;
  header: string[];
  delimiter: ',' | ';';
  suggestedMapping: MappingEntry[];
  sampleRows: string[][];
}

export interface Provenance {
  id: number;
  kind: DataKind;
  lawfulBasis: LawfulBasis | null;
  collectedAt: string | null;
  recordedAt: string;
  sourceId: string | null;
  sourceName: string | null;
  sourceType: SourceType | null;
  importId: string | null;
}

export interface ConsentHistoryEntry {
  recordId: string;
  purpose: string;
  channel: ConsentChannel;
  action: 'granted' | 'withdrawn';
  method: string;
  wordingHash: string | null;
  wordingVersion: string | null;
  wording: string | null;
  occurredAt: string;
  recordedAt: string;
  recordedBy: unknown;
}

/** A person's place on a tag or list, with the provenance of that fact (null for older memberships). */
export interface Membership {
  id: string;
  name: string;
  archived: boolean;
  addedAt: string;
  provenance: Provenance | null;
}

export type CollectionKind = 'tag' | 'list';

export interface TagView {
  id: string;
  name: string;
  archivedAt: string | null;
  createdAt: string;
  people: number;
}

export interface ListView extends TagView {
  description: string;
}

export interface PersonInput {
  sourceId: string;
  firstName: string | null;
  lastName: string | null;
  email: string | null;
  phone: string | null;
  addressLine1: string | null;
  addressLine2: string | null;
  town: string | null;
  postcode: string | null;
}

export interface ObjectionByIdentifierInput extends ObjectionInput {
  email: string | null;
  phone: string | null;
  name: string | null;
  postcode: string | null;
}

export interface PersonDetail extends Omit<PersonSummary, 'art14Status'> {
  objectedAt: string | null;
  updatedAt: string;
  identifiers: { kind: string; value: string; primary: boolean }[];
  facts: { field: string; value: string; specialCategory: SpecialCategory | null; provenance: Provenance | null }[];
  tags: Membership[];
  lists: Membership[];
  sources: { id: string; name: string; type: SourceType; first: boolean }[];
  consent: {
    current: { purpose: string; channel: ConsentChannel; granted: boolean; occurredAt: string; recordId: string }[];
    history: ConsentHistoryEntry[];
  };
  objections: { id: string; receivedAt: string; method: string; note: string | null; recordedAt: string }[];
  art14: { status: Art14Status; dueAt: string | null; notifiedAt: string | null };
  /** Which version of the published privacy notice the person was given, when and how. */
  noticeDeliveries: NoticeDeliveryView[];
}

export interface PeopleQuery {
  q?: string;
  tag?: string;
  list?: string;
  sourceId?: string;
  consentChannel?: string;
  consent?: string;
  objection?: string;
  art14?: string;
  limit?: number;
  after?: string;
}

export type ConsentInput =
  | {
      action: 'granted';
      purpose: string;
      channels: ConsentChannel[];
      method: string;
      wording: string;
      wordingVersion: string;
      occurredAt: string;
      note: string | null;
    }
  | {
      action: 'withdrawn';
      purpose: string;
      channels: ConsentChannel[];
      method: string;
      occurredAt: string;
      note: string | null;
    };

export interface ObjectionInput {
  method: string;
  receivedAt: string;
  note: string | null;
}

export interface ErasureResult {
  erasureId: string;
  personId: string;
  suppressionEntriesKept: number;
  message: string;
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

/**
 * `raw` sends a file's bytes as they are (an import upload) instead of a JSON body. Exported for
 * the API modules of page chunks (e.g. dpia-api.ts), so their calls stay out of the entry chunk.
 */
export async function request<T>(method: Method, path: string, body?: unknown, raw?: Blob): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (raw !== undefined) headers['content-type'] = 'text/csv';
  else if (body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers,
      credentials: 'same-origin',
      ...(raw !== undefined ? { body: raw } : body === undefined ? {} : { body: JSON.stringify(body) }),
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
export const campaignPath = (campaignId: string): string => `/api/campaigns/${enc(campaignId)}`;

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
  dpoOutstanding: (campaignId: string) => request<DpoOverview>('GET', `${campaignPath(campaignId)}/dpo/outstanding`),
  cancelJob: (campaignId: string, jobId: string) =>
    request<{ job: JobView }>('POST', `${campaignPath(campaignId)}/jobs/${enc(jobId)}/cancel`),
  job: (campaignId: string, jobId: string) =>
    request<{ job: JobView }>('GET', `${campaignPath(campaignId)}/jobs/${enc(jobId)}`),

  sources: (campaignId: string) => request<{ sources: Source[] }>('GET', `${campaignPath(campaignId)}/sources`),
  source: (campaignId: string, sourceId: string) =>
    request<{ source: Source }>('GET', `${campaignPath(campaignId)}/sources/${enc(sourceId)}`),
  createSource: (campaignId: string, input: SourceInput) =>
    request<{ source: Source }>('POST', `${campaignPath(campaignId)}/sources`, input),
  updateSource: (campaignId: string, sourceId: string, input: Partial<SourceInput> & { archived?: boolean }) =>
    request<{ source: Source }>('PATCH', `${campaignPath(campaignId)}/sources/${enc(sourceId)}`, input),

  imports: (campaignId: string) => request<{ imports: ImportView[] }>('GET', `${campaignPath(campaignId)}/imports`),
  import: (campaignId: string, importId: string) =>
    request<{ import: ImportView }>('GET', `${campaignPath(campaignId)}/imports/${enc(importId)}`),
  uploadImport: (campaignId: string, sourceId: string, file: File) => {
    const query = new URLSearchParams({ sourceId, fileName: file.name });
    return request<ImportUpload>('POST', `${campaignPath(campaignId)}/imports?${query.toString()}`, undefined, file);
  },
  startImport: (campaignId: string, importId: string, input: { mapping: MappingEntry[]; collectedAt?: string }) =>
    request<{ import: ImportView }>('POST', `${campaignPath(campaignId)}/imports/${enc(importId)}/start`, input),
  deleteImport: (campaignId: string, importId: string) =>
    request<void>('DELETE', `${campaignPath(campaignId)}/imports/${enc(importId)}`),
  importReportUrl: (campaignId: string, importId: string) =>
    `${campaignPath(campaignId)}/imports/${enc(importId)}/report.csv`,

  people: (campaignId: string, query: PeopleQuery) => {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(query)) {
      if (value !== undefined && value !== '') params.set(key, String(value));
    }
    return request<{ people: PersonSummary[]; nextCursor: string | null }>(
      'GET',
      `${campaignPath(campaignId)}/people?${params.toString()}`,
    );
  },
  person: (campaignId: string, personId: string) =>
    request<{ person: PersonDetail }>('GET', `${campaignPath(campaignId)}/people/${enc(personId)}`),
  recordConsent: (campaignId: string, personId: string, input: ConsentInput) =>
    request<{ records: { recordId: string; channel: ConsentChannel }[] }>(
      'POST',
      `${campaignPath(campaignId)}/people/${enc(personId)}/consent`,
      input,
    ),
  recordObjection: (campaignId: string, personId: string, input: ObjectionInput) =>
    request<{ objectionId: string; suppressionEntriesAdded: number }>(
      'POST',
      `${campaignPath(campaignId)}/people/${enc(personId)}/objection`,
      input,
    ),
  erasePerson: (campaignId: string, personId: string, input: { reason: string }) =>
    request<ErasureResult>('POST', `${campaignPath(campaignId)}/people/${enc(personId)}/erase`, input),
  recordArt14Notice: (campaignId: string, personId: string, input: { sentAt: string; method: string }) =>
    request<{ person: PersonDetail }>(
      'POST',
      `${campaignPath(campaignId)}/people/${enc(personId)}/art14-notice`,
      input,
    ),
  createPerson: (campaignId: string, input: PersonInput) =>
    request<{ person: PersonDetail }>('POST', `${campaignPath(campaignId)}/people`, input),
  recordObjectionByIdentifier: (campaignId: string, input: ObjectionByIdentifierInput) =>
    request<{ objectionId: string; suppressionEntriesAdded: number; peopleMarked: string[] }>(
      'POST',
      `${campaignPath(campaignId)}/objections`,
      input,
    ),

  tags: (campaignId: string) => request<{ tags: TagView[] }>('GET', `${campaignPath(campaignId)}/tags`),
  lists: (campaignId: string) => request<{ lists: ListView[] }>('GET', `${campaignPath(campaignId)}/lists`),
  /** Creates a tag or list; `description` is for lists. */
  createCollection: (campaignId: string, kind: CollectionKind, input: { name: string; description?: string }) =>
    request<{ tag?: TagView; list?: ListView }>('POST', `${campaignPath(campaignId)}/${kind}s`, input),
  updateCollection: (
    campaignId: string,
    kind: CollectionKind,
    id: string,
    input: { name?: string; description?: string; archived?: boolean },
  ) => request<{ tag?: TagView; list?: ListView }>('PATCH', `${campaignPath(campaignId)}/${kind}s/${enc(id)}`, input),
  deleteCollection: (campaignId: string, kind: CollectionKind, id: string) =>
    request<void>('DELETE', `${campaignPath(campaignId)}/${kind}s/${enc(id)}`),
  /** Puts a person on a tag or list: by id, or by name (a new name creates it). */
  addToCollection: (
    campaignId: string,
    kind: CollectionKind,
    personId: string,
    input: { id?: string; name?: string; sourceId: string; kind: DataKind },
  ) => {
    const { id, ...rest } = input;
    const body = id === undefined ? rest : { ...rest, [kind === 'tag' ? 'tagId' : 'listId']: id };
    return request<{ membership: Membership }>(
      'POST',
      `${campaignPath(campaignId)}/people/${enc(personId)}/${kind}s`,
      body,
    );
  },
  removeFromCollection: (campaignId: string, kind: CollectionKind, personId: string, id: string) =>
    request<void>('DELETE', `${campaignPath(campaignId)}/people/${enc(personId)}/${kind}s/${enc(id)}`),
};

/** A readable message for anything a call may throw. */
export function describeError(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  if (error instanceof Error) return error.message;
  return 'Something went wrong. Please try again.';
}
