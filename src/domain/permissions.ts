/**
 * Who may do what in a campaign. Default deny: an action is allowed only where the table
 * below says so for the member's role; an unknown role or action is refused. Each rule is
 * a small pure function so that conditions (e.g. "only an owner may make an owner") live
 * here and nowhere else. The dashboard receives the computed abilities.
 */
import { ABILITIES, ROLES, type Role } from '../shared/labels.js';

// The names live in src/shared so the dashboard uses the very same lists.
export { ROLES, ROLE_LABELS, type Role } from '../shared/labels.js';
/** Every action of the permission table (the dashboard calls them abilities). */
export const ACTIONS = ABILITIES;
export type Action = (typeof ACTIONS)[number];

export interface Actor {
  role: Role;
}

/** Extra facts some decisions need. */
export interface PermissionContext {
  /** For members.invite / members.manage: the role being granted or taken away. */
  targetRole?: Role;
}

type Rule = (actor: Actor, context: PermissionContext) => boolean;

const is =
  (...roles: Role[]): Rule =>
  (actor) =>
    roles.includes(actor.role);

/** Granting or removing the owner role is for owners only. */
const managesRole =
  (...roles: Role[]): Rule =>
  (actor, context) =>
    roles.includes(actor.role) && (context.targetRole !== 'owner' || actor.role === 'owner');

const RULES: Record<Action, Rule> = {
  'campaign.read': is('owner', 'data_manager', 'organiser', 'volunteer', 'dpo'),
  'campaign.update': is('owner'),
  'members.read': is('owner', 'data_manager', 'organiser', 'dpo'),
  'members.invite': managesRole('owner', 'data_manager'),
  'members.manage': managesRole('owner'),
  'audit.read': is('owner', 'dpo'),
  'audit.verify': is('owner', 'dpo'),
  'jobs.read': is('owner', 'data_manager', 'dpo'),
  'jobs.cancel': is('owner', 'data_manager'),
  'people.read': is('owner', 'data_manager', 'organiser', 'dpo'),
  'people.write': is('owner', 'data_manager', 'organiser'),
  'people.erase': is('owner', 'data_manager', 'dpo'),
  // Renaming, archiving and deleting tags and lists (adding people to them is people.write).
  'tags.manage': is('owner', 'data_manager', 'dpo'),
  // Anyone who hears an objection must be able to record it (Art 21(3) is absolute).
  'objections.record': is('owner', 'data_manager', 'organiser', 'volunteer', 'dpo'),
  'consent.record': is('owner', 'data_manager', 'organiser'),
  'sources.read': is('owner', 'data_manager', 'organiser', 'dpo'),
  'sources.manage': is('owner', 'data_manager', 'dpo'),
  'imports.read': is('owner', 'data_manager', 'dpo'),
  'imports.run': is('owner', 'data_manager'),
  // DPIAs (Art 35): staff who plan processing may read and screen; the DPO and the owner write
  // and sign off (Art 35(2): the controller seeks the DPO's advice).
  'dpias.read': is('owner', 'data_manager', 'organiser', 'dpo'),
  'dpias.write': is('owner', 'dpo'),
  'dpias.approve': is('owner', 'dpo'),
  // Governance records (Arts 26, 28, 30): staff who run processing may read them; only the DPO
  // and the owner keep them.
  'governance.read': is('owner', 'data_manager', 'organiser', 'dpo'),
  'governance.manage': is('owner', 'dpo'),
  // The privacy notice (Arts 12-14): staff who use people's data may read it; its settings and
  // Welsh texts are kept by those who keep the data; publishing is for the DPO and the owner.
  'privacy_notice.read': is('owner', 'data_manager', 'organiser', 'dpo'),
  'privacy_notice.edit': is('owner', 'data_manager', 'dpo'),
  'privacy_notice.publish': is('owner', 'dpo'),
  // Audiences (issue 5): building and previewing is for staff who plan campaigns; writing the
  // files (personal data leaving for a platform), recording uploads and removals for those who
  // keep the data.
  'audiences.read': is('owner', 'data_manager', 'organiser', 'dpo'),
  'audiences.manage': is('owner', 'data_manager', 'organiser'),
  'audiences.export': is('owner', 'data_manager'),
};

export function can(actor: Actor, action: Action, context: PermissionContext = {}): boolean {
  if (!(ROLES as readonly string[]).includes(actor.role)) return false;
  const rule = Object.hasOwn(RULES, action) ? RULES[action] : undefined;
  return rule ? rule(actor, context) : false;
}

/** The abilities the dashboard shows or hides controls by (context-free actions only). */
export function abilitiesOf(actor: Actor): Action[] {
  return ACTIONS.filter((action) => can(actor, action));
}
