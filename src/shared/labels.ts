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
  'people.read',
  'people.write',
  'people.erase',
  'tags.manage',
  'objections.record',
  'consent.record',
  'sources.read',
  'sources.manage',
  'imports.read',
  'imports.run',
  'dpias.read',
  'dpias.write',
  'dpias.approve',
  'governance.read',
  'governance.manage',
  'privacy_notice.read',
  'privacy_notice.edit',
  'privacy_notice.publish',
  'audiences.read',
  'audiences.manage',
  'audiences.export',
] as const;
export type Ability = (typeof ABILITIES)[number];

/**
 * A label for every audit event type. Its keys are checked against the AuditEvent union in
 * src/domain/audit.ts: a type added without a label does not compile.
 */
export const AUDIT_EVENT_LABELS = {
  'processing_activity.created': 'Processing activity recorded',
  'processing_activity.updated': 'Processing activity changed',
  'processing_activity.status_changed': 'Processing activity activated or retired',
  'processing_activity.refused': 'Processing activity refused by a rule',
  'ropa.exported': 'Record of processing exported',
  'processor.created': 'Processor recorded',
  'processor.updated': 'Processor changed',
  'joint_arrangement.created': 'Joint-controller arrangement recorded',
  'joint_arrangement.updated': 'Joint-controller arrangement changed',
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
  'source.created': 'Source added',
  'source.updated': 'Source changed',
  'import.refused': 'Import refused by a rule',
  'import.queued': 'Import queued',
  'import.finished': 'Import finished',
  'import.report_downloaded': 'Import report downloaded',
  'person.created': 'Person added by staff',
  'person.updated': 'Person changed by staff',
  'person.consent_recorded': 'Consent recorded',
  'person.objection_recorded': 'Objection recorded',
  'person.erased': 'Person erased',
  'person.viewed': 'Person record viewed',
  'rules.decided': 'Compliance rules decision recorded',
  'person.create_refused': 'Adding a person refused by a rule',
  'person.tag_added': 'Tag added to a person',
  'person.tag_removed': 'Tag removed from a person',
  'person.list_added': 'Person added to a list',
  'person.list_removed': 'Person removed from a list',
  'tag.created': 'Tag created',
  'tag.updated': 'Tag renamed, archived or restored',
  'tag.deleted': 'Tag deleted',
  'list.created': 'List created',
  'list.updated': 'List changed, archived or restored',
  'list.deleted': 'List deleted',
  'dpia.created': 'DPIA started',
  'dpia.updated': 'DPIA changed',
  'dpia.version_created': 'DPIA new version started',
  'dpia.submitted': 'DPIA sent for review',
  'dpia.returned_to_draft': 'DPIA returned to draft',
  'dpia.approved': 'DPIA approved',
  'dpia.approval_refused': 'DPIA approval refused by a rule',
  'dpia.rejected': 'DPIA rejected',
  'dpia.action_added': 'DPIA action added',
  'dpia.action_updated': 'DPIA action changed',
  'dpia.processing_refused': 'Processing refused: no approved DPIA',
  'privacy_notice.settings_updated': 'Privacy notice settings changed',
  'privacy_notice.translation_saved': 'Privacy notice Welsh text changed',
  'privacy_notice.published': 'Privacy notice published',
  'privacy_notice.publish_refused': 'Privacy notice publication refused by a rule',
  'privacy_notice.delivered': 'Privacy notice given to a person',
  'consent_site.created': 'Website added to the consent manager',
  'consent_site.updated': 'Website consent configuration changed',
  'consent_site.published': 'Website consent banner published',
  'consent_site.retention_set': 'Consent receipts retention set',
  'consent_site.archived': 'Website removed from the consent manager',
  'consent_receipts.exported': 'Consent receipts exported',
  'consent_receipts.purged': 'Old consent receipts deleted',
  'audience.segment_saved': 'Audience segment saved',
  'audience.created': 'Audience created',
  'audience.updated': 'Audience changed',
  'audience.exported': 'Audience file written',
  'audience.file_downloaded': 'Audience file downloaded',
  'audience.uploaded': 'Audience file uploaded to the platform',
  'audience.removals_queued': 'Removal from live audiences queued',
  'audience.removals_confirmed': 'Removal file uploaded to the platform',
  'audience.files_expired': 'Expired audience files deleted',
  'audience.settings_updated': 'Audience file expiry changed',
  'audience.explicit_wording_marked': 'Consent wording marked as explicit (special category data)',
} satisfies Record<string, string>;

/** An audit event's label; an unknown type (a newer server's) is shown as it is. */
export function auditEventLabel(type: string): string {
  return (AUDIT_EVENT_LABELS as Record<string, string>)[type] ?? type;
}

// ---------------------------------------------------------------------------------------
// People database (issue 3)
// ---------------------------------------------------------------------------------------

/** Where personal data came from. */
export const SOURCE_TYPES = [
  'web_form',
  'canvass',
  'petition',
  'event',
  'survey',
  'casework',
  'manual_entry',
  'file_import',
  'full_register',
  'open_register',
  'marked_register',
  'data_broker',
  'social_media',
  'public_data',
  'scraped_data',
] as const;
export type SourceType = (typeof SOURCE_TYPES)[number];

export const SOURCE_TYPE_LABELS: Record<SourceType, string> = {
  web_form: 'Web form',
  canvass: 'Canvassing',
  petition: 'Petition',
  event: 'Event sign-up',
  survey: 'Survey',
  casework: 'Casework',
  manual_entry: 'Manual entry',
  file_import: 'File of our own records',
  full_register: 'Full electoral register',
  open_register: 'Open (edited) electoral register',
  marked_register: 'Marked electoral register',
  data_broker: 'Data broker',
  social_media: 'Social-media platform',
  public_data: 'Public data',
  scraped_data: 'Scraped data',
};

/**
 * Sources whose people did not give us the data themselves: UK GDPR Art 14 applies, and
 * each person's one-month notice clock starts when their data arrives (TR-ART14-ONE-MONTH).
 */
export const THIRD_PARTY_SOURCE_TYPES: readonly SourceType[] = [
  'full_register',
  'open_register',
  'marked_register',
  'data_broker',
  'social_media',
  'public_data',
  'scraped_data',
];

/** The ICO's three kinds of personal data: provided, observed, inferred (derived). */
export const DATA_KINDS = ['provided', 'observed', 'inferred'] as const;
export type DataKind = (typeof DATA_KINDS)[number];

export const DATA_KIND_LABELS: Record<DataKind, string> = {
  provided: 'Provided by the person',
  observed: 'Observed',
  inferred: 'Inferred',
};

/** UK GDPR Art 9(1) special categories. */
export const SPECIAL_CATEGORIES = [
  'racial_or_ethnic_origin',
  'political_opinion',
  'religious_or_philosophical_belief',
  'trade_union_membership',
  'genetic',
  'biometric',
  'health',
  'sex_life',
  'sexual_orientation',
] as const;
export type SpecialCategory = (typeof SPECIAL_CATEGORIES)[number];

export const SPECIAL_CATEGORY_LABELS: Record<SpecialCategory, string> = {
  racial_or_ethnic_origin: 'Racial or ethnic origin',
  political_opinion: 'Political opinion',
  religious_or_philosophical_belief: 'Religious or philosophical belief',
  trade_union_membership: 'Trade union membership',
  genetic: 'Genetic data',
  biometric: 'Biometric data',
  health: 'Health',
  sex_life: 'Sex life',
  sexual_orientation: 'Sexual orientation',
};

export const LAWFUL_BASES = [
  'consent',
  'contract',
  'legal_obligation',
  'vital_interests',
  'public_task',
  'legitimate_interests',
] as const;
export type LawfulBasis = (typeof LAWFUL_BASES)[number];

export const LAWFUL_BASIS_LABELS: Record<LawfulBasis, string> = {
  consent: 'Consent — Art 6(1)(a)',
  contract: 'Contract — Art 6(1)(b)',
  legal_obligation: 'Legal obligation — Art 6(1)(c)',
  vital_interests: 'Vital interests — Art 6(1)(d)',
  public_task: 'Public task (democratic engagement, DPA 2018 s.8(e)) — Art 6(1)(e)',
  legitimate_interests: 'Legitimate interests — Art 6(1)(f)',
};

/** Channels the consent ledger records consent for. */
export const CONSENT_CHANNELS = [
  'email',
  'sms',
  'phone',
  'post',
  'social_list_matching',
  'lookalike_seeding',
  'profiling',
] as const;
export type ConsentChannel = (typeof CONSENT_CHANNELS)[number];

export const CONSENT_CHANNEL_LABELS: Record<ConsentChannel, string> = {
  email: 'Email',
  sms: 'SMS',
  phone: 'Phone calls',
  post: 'Post',
  social_list_matching: 'Social-media list matching',
  lookalike_seeding: 'Lookalike audience seeding',
  profiling: 'Profiling',
};

export const IMPORT_STATUSES = [
  'uploading',
  'uploaded',
  'refused',
  'queued',
  'running',
  'completed',
  'failed',
  'cancelled',
] as const;
export type ImportStatus = (typeof IMPORT_STATUSES)[number];

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

export function isLawfulBasis(value: string): value is LawfulBasis {
  return (LAWFUL_BASES as readonly string[]).includes(value);
}

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
