/**
 * Labels and small pieces the audiences pages share (src/web/pages/audiences.tsx, the list,
 * builder and removals; src/web/pages/audience.tsx, one audience): one wording for each kind,
 * status, identifier and uninformed choice wherever it appears.
 */
import type { ReactNode } from 'react';
import type { AudienceFieldName, AudienceKind, AudienceStatus, UninformedChoice } from '../../shared/audiences.js';

export const AUDIENCE_KIND_LABELS: Record<AudienceKind, string> = {
  list: 'List-based audience',
  lookalike_seed: 'Lookalike seed',
};

const STATUS_LABELS: Record<AudienceStatus, string> = { draft: 'Draft', live: 'Live', retired: 'Retired' };
const STATUS_TAGS: Record<AudienceStatus, string> = {
  draft: 'tag-muted',
  live: 'tag-completed',
  retired: 'tag-cancelled',
};

export function AudienceStatusTag({ status }: { status: AudienceStatus }): ReactNode {
  return <span className={`tag ${STATUS_TAGS[status]}`}>{STATUS_LABELS[status]}</span>;
}

export const AUDIENCE_FIELD_LABELS: Record<AudienceFieldName, string> = {
  email: 'Email address',
  phone: 'Phone number',
  first_name: 'First name',
  last_name: 'Last name',
  postcode: 'Postcode',
  country: 'Country',
};

/** The choices for people never given a notice that explains list matching (TR-LIST-MATCHING-DISCLOSED). */
export const UNINFORMED_OPTIONS: readonly { value: UninformedChoice; label: string }[] = [
  { value: 'exclude', label: 'Leave them out, and count them' },
  { value: 'refuse', label: 'Refuse the whole audience while anyone in it was never told' },
];
