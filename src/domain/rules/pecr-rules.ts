/**
 * The Privacy and Electronic Communications Regulations 2003 (PECR), as amended by the Data
 * (Use and Access) Act 2025: electronic mail (reg 22-23), live and automated calls (regs 19,
 * 21) and storage and access technologies — cookies, pixels, plugins, fingerprinting (reg 6,
 * Sch A1). PECR comes first where it applies: its consent cannot be replaced by a UK GDPR basis.
 */
import { SERVICE_PURPOSES } from '../../shared/consent-sites.js';
import type { LawfulBasis } from '../../shared/labels.js';
import { applies, type RuleBinding } from './capabilities.js';
import { RULE_CATALOGUE } from './catalogue.js';
import {
  agree,
  capitalize,
  consentsFor,
  countOf,
  daysBetween,
  isLiveConsent,
  listOf,
  type ControllerFacts,
  type PeopleFacts,
  type PurposeFacts,
  type SubjectFacts,
  type UseChannel,
} from './facts.js';
import type { PlatformId } from './platforms.js';
import type { Rule } from './rule.js';

const CHANNEL_LABELS: Record<UseChannel, string> = {
  email: 'email',
  sms: 'text message',
  phone: 'phone call',
  post: 'post',
  social_list_matching: 'social-media list matching',
  lookalike_seeding: 'lookalike seeding',
  profiling: 'profiling',
  social_dm: 'social-media direct message',
  voicemail: 'voicemail',
  automated_call: 'automated call',
};

/** How many people lack a standing consent to this controller for this purpose and channel. */
function withoutConsent(
  facts: ControllerFacts & PurposeFacts & PeopleFacts,
  channel: UseChannel = facts.channel,
): number {
  const scope = { controllerId: facts.controller.id, channel, purpose: facts.purpose.name };
  return facts.people.filter((p) => !consentsFor(p, scope).some(isLiveConsent)).length;
}

// ---------------------------------------------------------------------------------------
// Electronic mail: email, SMS, direct messages, voicemail (regs 22-23)
// ---------------------------------------------------------------------------------------

export interface MessageFacts {
  message: {
    /** The soft opt-in (reg 22(3)) is claimed instead of consent. */
    softOptInClaimed: boolean;
    /** How the sender appears to the recipient; concealed: a name or address that hides who sends it. */
    sender: { shownAs: string | null; concealed: boolean };
    /** How a recipient asks to stop: the link or address, and when it was last tested working. */
    optOut: { method: 'link' | 'reply' | 'address' | null; target: string | null; testedAt: string | null };
  };
}

/**
 * PECR-R22-PRIOR-CONSENT (reg 22(2)): unsolicited electronic mail for direct marketing needs
 * the recipient's prior consent — to this sender, on this channel (and, to the UK GDPR standard,
 * for this purpose).
 */
export const electronicMailConsent: Rule<ControllerFacts & PurposeFacts & PeopleFacts> = {
  meta: RULE_CATALOGUE['PECR-R22-PRIOR-CONSENT'],
  evaluate: (facts) => {
    const n = withoutConsent(facts);
    if (n === 0) return null;
    const channel = CHANNEL_LABELS[facts.channel];
    return {
      outcome: 'refuse',
      explanation: `${capitalize(countOf(n, facts.people.length))} gave ${facts.controller.name} no standing consent to receive "${facts.purpose.name}" by ${channel}. Political messages by ${channel} need prior consent to this sender and channel; consent given to another organisation or for another channel does not count.`,
      remedy: `Leave out the people without consent to ${channel}s from ${facts.controller.name}.`,
    };
  },
};

/**
 * PECR-R22-NO-SOFT-OPT-IN (reg 22(3),(3A)): the soft opt-in covers a business's own similar
 * products and services and, since the Data (Use and Access) Act 2025, a charity's charitable
 * purposes. It never covers political campaigning.
 */
export const noSoftOptIn: Rule<MessageFacts> = {
  meta: RULE_CATALOGUE['PECR-R22-NO-SOFT-OPT-IN'],
  evaluate: ({ message }) =>
    message.softOptInClaimed
      ? {
          outcome: 'refuse',
          explanation:
            'The soft opt-in is claimed, but it covers only commercial products and services and charities’ charitable purposes (reg 22(3),(3A)); parties, candidates and campaigners cannot rely on it.',
          remedy: 'Send only to people who consented to messages from this campaign on this channel.',
        }
      : null,
};

/**
 * PECR-R23-IDENTITY-OPTOUT (reg 23): the sender's identity is not disguised or concealed, and
 * the message gives a valid address to which the recipient can ask for messages to stop.
 */
export const identityAndOptOut: Rule<MessageFacts> = {
  meta: RULE_CATALOGUE['PECR-R23-IDENTITY-OPTOUT'],
  evaluate: ({ message }) => {
    const problems = [
      ...(!message.sender.shownAs?.trim() ? ['does not say who sends it'] : []),
      ...(message.sender.concealed ? ['disguises or conceals who sends it'] : []),
      ...(message.optOut.method === null || !message.optOut.target?.trim() ? ['gives no way to opt out'] : []),
      ...(message.optOut.method !== null && message.optOut.target?.trim() && message.optOut.testedAt === null
        ? ['has an opt-out that has not been tested working']
        : []),
    ];
    if (problems.length === 0) return null;
    return {
      outcome: 'refuse',
      explanation: `The message ${listOf(problems)}.`,
      remedy:
        'Send under the campaign’s own name and include a working unsubscribe link or reply address (test it before sending).',
    };
  },
};

// ---------------------------------------------------------------------------------------
// Calls (regs 19, 21)
// ---------------------------------------------------------------------------------------

/**
 * How fresh the screening against the Telephone Preference Service must be: the ICO's direct
 * marketing guidance and the TPS licence ask callers to screen within the last 28 days.
 */
export const TPS_SCREENING_MAX_AGE_DAYS = 28;

export interface CallSubject extends SubjectFacts {
  /** The number is on the TPS (or the Corporate TPS) register. */
  tpsRegistered: boolean;
  /** The subscriber told this campaign not to call (reg 21(1)(a)). */
  askedNotToCall: boolean;
}

export interface CallFacts extends PeopleFacts<CallSubject> {
  call: {
    /** When the call list was screened against the TPS register. */
    tpsScreenedAt: string | null;
  };
  now: string;
}

/**
 * PECR-R21-TPS (reg 21): no live marketing call to a number on the TPS register, unless the
 * subscriber told this caller they do not object for the time being (reg 21(4)); never to a line
 * that asked this caller to stop.
 */
export const telephonePreference: Rule<ControllerFacts & PurposeFacts & CallFacts> = {
  meta: RULE_CATALOGUE['PECR-R21-TPS'],
  evaluate: (facts) => {
    const { call, now, people, controller } = facts;
    const problems: string[] = [];
    if (call.tpsScreenedAt === null) problems.push('the call list has not been screened against the TPS register');
    else if (daysBetween(call.tpsScreenedAt, now) > TPS_SCREENING_MAX_AGE_DAYS) {
      problems.push(`the TPS screening is more than ${TPS_SCREENING_MAX_AGE_DAYS} days old`);
    }
    const stop = people.filter((p) => p.askedNotToCall).length;
    if (stop > 0) problems.push(`${countOf(stop, people.length)} asked this campaign not to call`);
    const scope = { controllerId: controller.id, channel: 'phone' as const, purpose: facts.purpose.name };
    const tps = people.filter(
      (p) => !p.askedNotToCall && p.tpsRegistered && !consentsFor(p, scope).some(isLiveConsent),
    ).length;
    if (tps > 0)
      problems.push(
        `${countOf(tps, people.length)} ${agree(tps, 'is', 'are')} on the TPS register and ${agree(tps, 'has', 'have')} not agreed to calls`,
      );
    if (problems.length === 0) return null;
    return {
      outcome: 'refuse',
      explanation: `Live calls are refused: ${listOf(problems)}.`,
      remedy: `Screen the list against the TPS register (within ${TPS_SCREENING_MAX_AGE_DAYS} days) and leave out the numbers it flags, unless the person agreed to calls from this campaign.`,
    };
  },
};

/** PECR-R19-AUTOMATED (reg 19): recorded or automated calls only with prior consent to them from this caller. */
export const automatedCallConsent: Rule<ControllerFacts & PurposeFacts & PeopleFacts> = {
  meta: RULE_CATALOGUE['PECR-R19-AUTOMATED'],
  evaluate: (facts) => {
    const n = withoutConsent(facts, 'automated_call');
    if (n === 0) return null;
    return {
      outcome: 'refuse',
      explanation: `${capitalize(countOf(n, facts.people.length))} ${agree(n, 'has', 'have')} not consented to automated or recorded calls from ${facts.controller.name}. Consent to live calls, or to other channels, does not count.`,
      remedy: 'Call only people who consented to automated calls from this campaign, or make live calls instead.',
    };
  },
};

// ---------------------------------------------------------------------------------------
// Storage and access technologies (reg 6, Sch A1)
// ---------------------------------------------------------------------------------------

/** What a cookie, pixel, script, SDK or similar technology on a campaign site is for. */
/** What a cookie or similar technology is for: the purposes a site's services are configured with. */
export const TECHNOLOGY_PURPOSES = SERVICE_PURPOSES;
export type TechnologyPurpose = (typeof TECHNOLOGY_PURPOSES)[number];

/**
 * The exceptions to the consent requirement, PECR Sch A1 (inserted by the Data (Use and Access)
 * Act 2025 s.112), each with the purpose it covers.
 */
export const SCH_A1_EXCEPTIONS = {
  communication: 'solely to carry out the transmission of a communication',
  strictly_necessary: 'strictly necessary to provide the service the user asked for',
  statistics: 'statistical purposes: first-party, aggregate information to improve the service',
  appearance: 'the appearance or functionality of the service as the user chose it',
  emergency_assistance: 'locating a user who asks for emergency assistance',
} as const satisfies Partial<Record<TechnologyPurpose, string>>;
export type SchA1Exception = keyof typeof SCH_A1_EXCEPTIONS;

/** The exceptions that apply only with clear information and a simple, free way to object. */
export const EXCEPTIONS_NEEDING_NOTICE: readonly SchA1Exception[] = ['statistics', 'appearance'];

/** The statistics and appearance exceptions are in force from this date (DUAA 2025 s.112). */
export const SCH_A1_NEW_EXCEPTIONS_FROM = '2026-02-05';

/** Never exempt (ICO guidance): consent before they run, whatever else is claimed. */
export const NEVER_EXEMPT: readonly TechnologyPurpose[] = [
  'advertising',
  'retargeting',
  'social_pixel',
  'social_plugin',
  'fingerprinting',
];

export interface Technology {
  name: string;
  purpose: TechnologyPurpose;
  /** The platform behind a pixel or plugin, if any (a joint controller, ONL-JOINT-CONTROLLER). */
  platform: PlatformId | null;
  /** The site's own, not a third party's. */
  firstParty: boolean;
  /** The basis offered for setting it: consent, a Sch A1 exception, or a UK GDPR basis. */
  basis: 'consent' | 'exception' | Exclude<LawfulBasis, 'consent'>;
  /** The Sch A1 exception claimed, if any. */
  exception: SchA1Exception | null;
  /** For statistics and appearance: clear information about it, and a simple, free way to object. */
  exceptionNoticeGiven: boolean;
  objectionMeans: boolean;
  /** Runs, stores or reads before the visitor consents. */
  runsBeforeConsent: boolean;
  /** Its consent category is switched on by default (pre-ticked). */
  defaultOn: boolean;
}

export interface SiteFacts {
  site: { technologies: readonly Technology[] };
  now: string;
}

/** Why a claimed exception does not hold (null: it holds, or none is claimed). */
export function exceptionProblem(t: Technology, now: string): string | null {
  if (t.exception === null) return null;
  if (NEVER_EXEMPT.includes(t.purpose)) {
    return `${t.name} is ${t.purpose.replaceAll('_', ' ')}, which no exception covers`;
  }
  if (t.purpose !== t.exception) {
    return `${t.name} claims the ${t.exception.replaceAll('_', ' ')} exception but is used for ${t.purpose.replaceAll('_', ' ')}`;
  }
  if (EXCEPTIONS_NEEDING_NOTICE.includes(t.exception)) {
    if (new Date(now) < new Date(SCH_A1_NEW_EXCEPTIONS_FROM)) {
      return `the ${t.exception} exception for ${t.name} is not in force before ${SCH_A1_NEW_EXCEPTIONS_FROM}`;
    }
    if (t.exception === 'statistics' && !t.firstParty) {
      return `${t.name} is a third party’s; the statistics exception covers only the site’s own aggregate statistics`;
    }
    if (!t.exceptionNoticeGiven || !t.objectionMeans) {
      return `${t.name} relies on the ${t.exception} exception without ${listOf([
        ...(!t.exceptionNoticeGiven ? ['clear information about it'] : []),
        ...(!t.objectionMeans ? ['a simple, free way to object'] : []),
      ])}`;
    }
  }
  return null;
}

/** Whether a technology may run without consent: a Sch A1 exception that holds. */
export const isExempt = (t: Technology, now: string): boolean =>
  t.basis === 'exception' && t.exception !== null && exceptionProblem(t, now) === null;

/**
 * PECR-R6-PRIOR-CONSENT (reg 6): a technology that is not exempt stores or reads nothing
 * before the visitor consents, and its category is not switched on by default.
 */
export const cookiePriorConsent: Rule<SiteFacts> = {
  meta: RULE_CATALOGUE['PECR-R6-PRIOR-CONSENT'],
  evaluate: ({ site, now }) => {
    const early = site.technologies.filter((t) => !isExempt(t, now) && t.runsBeforeConsent);
    const preTicked = site.technologies.filter((t) => !isExempt(t, now) && t.defaultOn);
    if (early.length === 0 && preTicked.length === 0) return null;
    const problems = listOf([
      ...(early.length ? [`${listOf(early.map((t) => t.name))} would run before the visitor consents`] : []),
      ...(preTicked.length ? [`${listOf(preTicked.map((t) => t.name))} would be switched on by default`] : []),
    ]);
    return {
      outcome: 'refuse',
      explanation: `${capitalize(problems)}. Only exempt technologies may run without consent; advertising, retargeting, social pixels and plugins and fingerprinting never are.`,
      remedy: 'Block these until the visitor accepts their category, with every non-exempt category off by default.',
    };
  },
};

/**
 * PECR-R6-EXCEPTION-SCOPE (Sch A1): an exception covers only its own purpose; statistics and
 * appearance only with clear information and a simple, free way to object.
 */
export const exceptionScope: Rule<SiteFacts> = {
  meta: RULE_CATALOGUE['PECR-R6-EXCEPTION-SCOPE'],
  evaluate: ({ site, now }) => {
    const problems = site.technologies.map((t) => exceptionProblem(t, now)).filter((p): p is string => p !== null);
    if (problems.length === 0) return null;
    return {
      outcome: 'refuse',
      explanation: `A consent exception is claimed beyond its scope: ${problems.join('; ')}.`,
      remedy:
        'Put these technologies behind consent, or give clear information and a simple way to object where the statistics or appearance exception truly applies.',
    };
  },
};

/**
 * PECR-R6-NO-OTHER-BASIS (reg 6; ICO guidance): public task ("democratic engagement") or
 * legitimate interests cannot replace consent for storage and access.
 */
export const cookieNoOtherBasis: Rule<SiteFacts> = {
  meta: RULE_CATALOGUE['PECR-R6-NO-OTHER-BASIS'],
  evaluate: ({ site }) => {
    const offending = site.technologies.filter((t) => t.basis !== 'consent' && t.basis !== 'exception');
    if (offending.length === 0) return null;
    return {
      outcome: 'refuse',
      explanation: `${listOf(offending.map((t) => `${t.name} (${t.basis.replaceAll('_', ' ')})`))} ${offending.length === 1 ? 'relies' : 'rely'} on a UK GDPR basis; for cookies and similar technologies only consent, or a Sch A1 exception, will do.`,
      remedy: 'Ask for consent for these technologies.',
    };
  },
};

const ELECTRONIC_MAIL = ['message.email', 'message.sms', 'message.social_dm', 'message.voicemail'] as const;

export const PECR_RULES: readonly RuleBinding[] = [
  applies(electronicMailConsent, ELECTRONIC_MAIL),
  applies(noSoftOptIn, ELECTRONIC_MAIL),
  applies(identityAndOptOut, ELECTRONIC_MAIL),
  applies(telephonePreference, ['call.live']),
  applies(automatedCallConsent, ['call.automated']),
  applies(cookiePriorConsent, ['cookies.configure']),
  applies(exceptionScope, ['cookies.configure']),
  applies(cookieNoOtherBasis, ['cookies.configure']),
];
