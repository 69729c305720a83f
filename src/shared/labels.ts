/**
 * Names and human labels shared by the dashboard and the server: roles, controller types
 * and audit event types. Pure TypeScript with no imports, so the browser bundle can use it.
 * The server's domain imports these lists, so browser and server cannot drift apart.
 */

export const ROLES = ['owner', 'data_manager', 'organiser', 'volunteer', 'dpo'] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_LABELS: Record<Role, string> = {
  owner: 'Owner',
  data_manager: 'Data manager',
  organiser: 'Organiser',
  volunteer: 'Volunteer',
  dpo: 'Data Protection Officer',
};

/** One line on what each role may do, shown where roles are chosen. */
export const ROLE_DESCRIPTIONS: Record<Role, string> = {
  owner: 'Full control, including settings, members and the audit trail.',
  data_manager: 'Manages data and jobs, and invites members.',
  organiser: 'Runs campaign activity and sees who is in the team.',
  volunteer: 'Sees the campaign only.',
  dpo: 'Oversight: reads the audit trail, members and jobs.',
};

export const CONTROLLER_TYPES = [
  'registered_party',
  'candidate',
  'non_party_campaigner',
  'referendum_campaigner',
  'elected_representative',
  'other',
] as const;
export type ControllerType = (typeof CONTROLLER_TYPES)[number];

export const CONTROLLER_TYPE_LABELS: Record<ControllerType, string> = {
  registered_party: 'Registered political party',
  candidate: 'Candidate',
  non_party_campaigner: 'Non-party campaigner',
  referendum_campaigner: 'Referendum campaigner',
  elected_representative: 'Elected representative',
  other: 'Other',
};

/** The abilities the server computes for a member (action names of its permission table). */
export const ABILITIES = [
  'campaign.read',
  'campaign.update',
  'members.read',
  'members.invite',
  'members.manage',
  'audit.read',
  'audit.verify',
  'jobs.read',
  'jobs.cancel',
] as const;
export type Ability = (typeof ABILITIES)[number];

export const AUDIT_EVENT_LABELS: Record<string, string> = {
  'campaign.created': 'Campaign created',
  'campaign.updated': 'Campaign details changed',
  'member.invited': 'Member invited',
  'invitation.revoked': 'Invitation revoked',
  'member.joined': 'Member joined',
  'member.role_changed': 'Member role changed',
  'member.removed': 'Member removed',
  'job.queued': 'Job queued',
  'job.cancel_requested': 'Job cancellation requested',
  'job.finished': 'Job finished',
  'audit.verified': 'Audit trail verified',
};

export const JOB_STATUSES = ['queued', 'running', 'completed', 'failed', 'cancelled'] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];

export const JOB_STATUS_LABELS: Record<JobStatus, string> = {
  queued: 'Queued',
  running: 'Running',
  completed: 'Completed',
  failed: 'Failed',
  cancelled: 'Cancelled',
};

export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 256;

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}

export function isControllerType(value: string): value is ControllerType {
  return (CONTROLLER_TYPES as readonly string[]).includes(value);
}

export function roleLabel(value: string): string {
  return isRole(value) ? ROLE_LABELS[value] : value;
}

export function controllerTypeLabel(value: string): string {
  return isControllerType(value) ? CONTROLLER_TYPE_LABELS[value] : value;
}
