/**
 * Digital imprints (Elections Act 2022 Part 6, in force November 2023; Electoral Commission
 * statutory guidance on digital imprints). A paid advert that is political material needs an
 * imprint, whoever publishes it; organic material needs one when it is election, referendum
 * or recall material published by or for a relevant entity — a registered party, a registered
 * non-party campaigner or referendum permitted participant, a candidate or an office-holder.
 * The research notes record that SMS, and a party's emails to its members, need none.
 */
import type { ControllerType } from '../../shared/labels.js';
import { applies, type RuleBinding } from './capabilities.js';
import { RULE_CATALOGUE } from './catalogue.js';
import { listOf, type ControllerFacts } from './facts.js';
import type { Rule } from './rule.js';

export const PUBLICATION_MEDIA = [
  'paid_ad',
  'social_post',
  'website',
  'video',
  'email',
  'sms',
  'social_dm',
  'other',
] as const;
export type PublicationMedium = (typeof PUBLICATION_MEDIA)[number];

/** Controller types that are relevant entities whatever else is true of them. */
const ALWAYS_RELEVANT: readonly ControllerType[] = ['registered_party', 'candidate', 'elected_representative'];
/** Relevant only when registered with the Electoral Commission (non-party campaigner, permitted participant). */
const RELEVANT_IF_REGISTERED: readonly ControllerType[] = ['non_party_campaigner', 'referendum_campaigner'];

export interface ImprintParty {
  name: string;
  /** A postal address at which the person can be contacted (not an email or web address). */
  address: string;
}

export interface Imprint {
  promoter: ImprintParty;
  /** Anyone (other than the promoter) on whose behalf the material is published. */
  onBehalfOf: readonly ImprintParty[];
  /** In the material itself, or where that is not reasonably practicable, somewhere directly accessible from it. */
  placement: 'in_material' | 'accessible_from_material';
}

export interface PublicationFacts extends ControllerFacts {
  publication: {
    medium: PublicationMedium;
    /** Paid to be published as an advert. */
    paid: boolean;
    /** Political material (for a paid advert): about elections, referendums, parties, candidates or their policies. */
    politicalMaterial: boolean;
    /** Election, referendum or recall petition material (for organic material). */
    electionMaterial: boolean;
    /** Sent by a party to its members only. */
    toMembersOnly: boolean;
    /** The campaign is registered with the Electoral Commission (non-party campaigner or permitted participant). */
    registeredWithElectoralCommission: boolean;
    /** The medium lets the imprint be part of the material itself. */
    imprintFitsInMaterial: boolean;
    imprint: Imprint | null;
  };
}

/** Whether the publisher is a relevant entity for organic material. */
export function isRelevantEntity(facts: PublicationFacts): boolean {
  const type = facts.controller.type;
  return (
    ALWAYS_RELEVANT.includes(type) ||
    (RELEVANT_IF_REGISTERED.includes(type) && facts.publication.registeredWithElectoralCommission)
  );
}

/** Why the material needs an imprint (null: it does not). */
export function imprintRequirement(facts: PublicationFacts): 'paid' | 'organic' | null {
  const p = facts.publication;
  if (p.medium === 'sms') return null;
  if (p.paid) return p.politicalMaterial ? 'paid' : null;
  if (p.medium === 'email' && p.toMembersOnly && facts.controller.type === 'registered_party') return null;
  return p.electionMaterial && isRelevantEntity(facts) ? 'organic' : null;
}

/** IMPRINT-PAID-POLITICAL (Elections Act 2022 Part 6): material that needs a digital imprint has one. */
export const imprintPresent: Rule<PublicationFacts> = {
  meta: RULE_CATALOGUE['IMPRINT-PAID-POLITICAL'],
  evaluate: (facts) => {
    const need = imprintRequirement(facts);
    if (need === null || facts.publication.imprint !== null) return null;
    return {
      outcome: 'refuse',
      explanation:
        need === 'paid'
          ? 'This paid advert is political material and has no digital imprint.'
          : 'This is election material published by or for a relevant entity (a party, registered campaigner, candidate or office-holder), and it has no digital imprint.',
      remedy:
        'Add a digital imprint: the name and postal address of the promoter and of anyone it is published on behalf of.',
    };
  },
};

/** An email or web address is not a postal address. */
const NOT_POSTAL = /@|https?:\/\/|www\./i;
const isPostalAddress = (address: string): boolean => !NOT_POSTAL.test(address);

/**
 * IMPRINT-CONTENTS (Elections Act 2022 Part 6; EC statutory guidance): the imprint names the
 * promoter and anyone it is published on behalf of, each with a postal address, inside the
 * material where the medium allows.
 */
export const imprintContents: Rule<PublicationFacts> = {
  meta: RULE_CATALOGUE['IMPRINT-CONTENTS'],
  evaluate: (facts) => {
    const imprint = facts.publication.imprint;
    if (imprint === null || imprintRequirement(facts) === null) return null;
    const problems: string[] = [];
    const check = (party: ImprintParty, who: string): void => {
      if (!party.name.trim()) problems.push(`the name of ${who}`);
      if (!party.address.trim()) problems.push(`the postal address of ${who}`);
      else if (!isPostalAddress(party.address))
        problems.push(`a postal address (not an email or web address) for ${who}`);
    };
    check(imprint.promoter, 'the promoter');
    imprint.onBehalfOf.forEach((p, i) =>
      check(p, p.name.trim() ? `${p.name.trim()}, on whose behalf it is published` : `on-behalf-of person ${i + 1}`),
    );
    if (imprint.placement === 'accessible_from_material' && facts.publication.imprintFitsInMaterial) {
      problems.push('the imprint in the material itself (this medium allows it)');
    }
    if (problems.length === 0) return null;
    return {
      outcome: 'refuse',
      explanation: `The digital imprint lacks ${listOf(problems)}.`,
      remedy: 'Complete the imprint and place it in the material.',
    };
  },
};

export const IMPRINT_RULES: readonly RuleBinding[] = [
  applies(imprintPresent, ['ad.launch', 'content.publish', 'message.email', 'message.social_dm']),
  applies(imprintContents, ['ad.launch', 'content.publish', 'message.email', 'message.social_dm']),
];
