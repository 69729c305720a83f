import { describe, expect, it } from 'vitest';
import { abilitiesOf, ACTIONS, can, ROLES, type Action, type Role } from './permissions.js';

// The whole table, spelled out: a change to a permission must change this test.
const ALLOWED: Record<Action, Role[]> = {
  'campaign.read': ['owner', 'data_manager', 'organiser', 'volunteer', 'dpo'],
  'campaign.update': ['owner'],
  'members.read': ['owner', 'data_manager', 'organiser', 'dpo'],
  'members.invite': ['owner', 'data_manager'],
  'members.manage': ['owner'],
  'audit.read': ['owner', 'dpo'],
  'audit.verify': ['owner', 'dpo'],
  'jobs.read': ['owner', 'data_manager', 'dpo'],
  'jobs.cancel': ['owner', 'data_manager'],
  'people.read': ['owner', 'data_manager', 'organiser', 'dpo'],
  'people.write': ['owner', 'data_manager', 'organiser'],
  'people.erase': ['owner', 'data_manager', 'dpo'],
  'tags.manage': ['owner', 'data_manager', 'dpo'],
  'objections.record': ['owner', 'data_manager', 'organiser', 'volunteer', 'dpo'],
  'consent.record': ['owner', 'data_manager', 'organiser'],
  'sources.read': ['owner', 'data_manager', 'organiser', 'dpo'],
  'sources.manage': ['owner', 'data_manager', 'dpo'],
  'imports.read': ['owner', 'data_manager', 'dpo'],
  'imports.run': ['owner', 'data_manager'],
  'dpias.read': ['owner', 'data_manager', 'organiser', 'dpo'],
  'dpias.write': ['owner', 'dpo'],
  'dpias.approve': ['owner', 'dpo'],
  'governance.read': ['owner', 'data_manager', 'organiser', 'dpo'],
  'governance.manage': ['owner', 'dpo'],
  'privacy_notice.read': ['owner', 'data_manager', 'organiser', 'dpo'],
  'privacy_notice.edit': ['owner', 'data_manager', 'dpo'],
  'privacy_notice.publish': ['owner', 'dpo'],
  'audiences.read': ['owner', 'data_manager', 'organiser', 'dpo'],
  'audiences.manage': ['owner', 'data_manager', 'organiser'],
  'audiences.export': ['owner', 'data_manager'],
};

describe('permissions: default deny', () => {
  const cases = ROLES.flatMap((role) =>
    ACTIONS.map((action) => ({ role, action, allowed: ALLOWED[action].includes(role) })),
  );
  it.each(cases)('$role may $action: $allowed', ({ role, action, allowed }) => {
    expect(can({ role }, action)).toBe(allowed);
  });

  it.each([
    { role: 'owner', action: 'members.invite', targetRole: 'owner', allowed: true },
    { role: 'data_manager', action: 'members.invite', targetRole: 'owner', allowed: false },
    { role: 'data_manager', action: 'members.invite', targetRole: 'dpo', allowed: true },
    { role: 'owner', action: 'members.manage', targetRole: 'owner', allowed: true },
    { role: 'dpo', action: 'members.manage', targetRole: 'volunteer', allowed: false },
  ] as const)('$role may $action granting $targetRole: $allowed', ({ role, action, targetRole, allowed }) => {
    expect(can({ role }, action, { targetRole })).toBe(allowed);
  });

  it('refuses unknown roles and unknown actions', () => {
    expect(can({ role: 'admin' as Role }, 'campaign.read')).toBe(false);
    expect(can({ role: 'owner' }, 'people.delete_everything' as Action)).toBe(false);
    expect(can({ role: 'owner' }, 'toString' as Action)).toBe(false);
  });

  it('computes abilities for the dashboard from the same table', () => {
    expect(abilitiesOf({ role: 'volunteer' })).toEqual(['campaign.read', 'objections.record']);
    expect(abilitiesOf({ role: 'owner' })).toEqual([...ACTIONS]);
  });
});
