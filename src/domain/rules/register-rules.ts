/**
 * The electoral register's permitted purposes (Representation of the People (England and
 * Wales) Regulations 2001, Part VI: regs 102-108 for the full register, regs 118-120 for the
 * marked register). Who may have the register at all is checked at import
 * (ER-FULL-REGISTER-ENTITLED, import-rules.ts); here, what it may be used for.
 */
import type { SourceType } from '../../shared/labels.js';
import { applies, PEOPLE_CAPABILITIES, type RuleBinding } from './capabilities.js';
import { RULE_CATALOGUE } from './catalogue.js';
import { countOf, type PeopleFacts, type PurposeFacts, type PurposeCategory } from './facts.js';
import type { DataReuseFacts } from './lawful-basis-rules.js';
import type { Rule, RuleResult } from './rule.js';

/** The register copies whose use is restricted (the open register may be used for anything). */
export const RESTRICTED_REGISTERS: readonly SourceType[] = ['full_register', 'marked_register'];

/**
 * What full and marked register data may be used for: electoral purposes (campaigning) and
 * checking that donations are permissible (PPERA 2000 Part IV).
 */
export const REGISTER_PERMITTED_PURPOSES: readonly PurposeCategory[] = ['campaigning', 'donation_check'];

const fromRestrictedRegister = (types: readonly SourceType[]): boolean =>
  types.some((t) => RESTRICTED_REGISTERS.includes(t));

function refusal(purposeName: string, category: PurposeCategory, who: string): RuleResult {
  return {
    outcome: 'refuse',
    explanation: `Data from the full or marked electoral register (${who}) would be used for "${purposeName}", a ${category.replaceAll('_', ' ')} purpose. The register may be used only for electoral purposes and for checking donations.`,
    remedy: 'Leave the register data out of this processing, or use the open register or another source.',
  };
}

/** ER-PERMITTED-PURPOSE (RPR 2001 regs 102, 108) for a reuse of a source's data. */
export const registerPurposeForReuse: Rule<PurposeFacts & DataReuseFacts> = {
  meta: RULE_CATALOGUE['ER-PERMITTED-PURPOSE'],
  evaluate: ({ purpose, reuse }) =>
    fromRestrictedRegister(reuse.sourceTypes) && !REGISTER_PERMITTED_PURPOSES.includes(purpose.category)
      ? refusal(purpose.name, purpose.category, 'the source reused')
      : null,
};

/** ER-PERMITTED-PURPOSE (RPR 2001 regs 102, 108) for the people a batch reaches. */
export const registerPurposeForPeople: Rule<PurposeFacts & PeopleFacts> = {
  meta: RULE_CATALOGUE['ER-PERMITTED-PURPOSE'],
  evaluate: ({ purpose, people }) => {
    if (REGISTER_PERMITTED_PURPOSES.includes(purpose.category)) return null;
    const n = people.filter((p) => fromRestrictedRegister(p.sourceTypes)).length;
    return n === 0 ? null : refusal(purpose.name, purpose.category, `${countOf(n, people.length)} came from it`);
  },
};

export const REGISTER_RULES: readonly RuleBinding[] = [
  applies(registerPurposeForReuse, ['data.reuse']),
  applies(registerPurposeForPeople, PEOPLE_CAPABILITIES),
];
