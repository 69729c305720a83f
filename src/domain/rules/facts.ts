/**
 * Facts that rules of several areas read: the controller, the purpose and its lawful basis,
 * the people a batch reaches and the consent evidence held for them. Plain values that a use
 * case in src/app loads and passes in; no rule reads the database or the clock (the time is a
 * fact, `now`, where a rule needs it).
 */
import type { ConsentChannel, ControllerType, LawfulBasis, SourceType, SpecialCategory } from '../../shared/labels.js';

export const DAY_MS = 86_400_000;

/** The campaign that decides the processing (the controller, and the sender of its messages). */
export interface ControllerRef {
  id: string;
  name: string;
  type: ControllerType;
}

export interface ControllerFacts {
  controller: ControllerRef;
}

/**
 * What a purpose is for, as far as the rules need to know: the electoral register may be
 * used only for campaigning and donation checks (ER-PERMITTED-PURPOSE). Political
 * messaging — appeals for votes, funds or support — is campaigning (DPA 2018 s.122(5)).
 */
export const PURPOSE_CATEGORIES = [
  'campaigning',
  'donation_check',
  'casework',
  'research',
  'commercial',
  'other',
] as const;
export type PurposeCategory = (typeof PURPOSE_CATEGORIES)[number];

/** The three parts of a legitimate-interests assessment (UK GDPR Art 6(1)(f); ICO guidance). */
export interface LegitimateInterestsAssessment {
  /** The purpose test: the interest pursued. */
  purpose: string;
  /** The necessity test: why this processing is needed for it. */
  necessity: string;
  /** The balancing test: the people's interests and expectations weighed against it. */
  balancing: string;
  assessedOn: string;
  assessedBy: string;
}

/** The lawful basis a purpose relies on, with what each basis must carry. */
export type LawfulBasisClaim =
  | { kind: 'consent' }
  | { kind: 'public_task'; necessityNote: string | null }
  | { kind: 'legitimate_interests'; assessment: LegitimateInterestsAssessment | null }
  /** Art 6(1)(ea) with the Annex 1 condition relied on (LB-RLI-NOT-DEMOCRATIC). */
  | { kind: 'recognised_legitimate_interest'; condition: string | null }
  | { kind: 'contract' | 'legal_obligation' | 'vital_interests' };

export interface PurposeRef {
  /** The purpose's name, as in the consent ledger (e.g. campaign_updates). */
  name: string;
  category: PurposeCategory;
  /** Null: no lawful basis recorded (LB-BASIS-RECORDED). */
  basis: LawfulBasisClaim | null;
}

export interface PurposeFacts {
  purpose: PurposeRef;
}

/**
 * The channels a use of personal data needs consent for. The consent ledger records the
 * ConsentChannel ones today; social-media direct messages, voicemail and automated calls are
 * here so that the PECR rules are complete: with no consent recorded for them, they are
 * refused (deny by default).
 */
export type UseChannel = ConsentChannel | 'social_dm' | 'voicemail' | 'automated_call';

/** One consent of a person, as the ledger holds it (LB-CONSENT-EVIDENCE, UK GDPR Art 7(1)). */
export interface ConsentFact {
  /** The controller the consent was given to: consent covers that sender only (PECR reg 22(2)). */
  controllerId: string;
  purpose: string;
  channel: UseChannel;
  /** When. */
  givenAt: string | null;
  /** How (form, banner or script, and its id). */
  method: string | null;
  /** The exact wording shown, by hash, and its version. */
  wordingHash: string | null;
  wordingVersion: string | null;
  withdrawnAt: string | null;
  /** An express statement of consent covering special category data (Art 9(2)(a)). */
  explicit: boolean;
}

/** A person a batch would reach. */
export interface SubjectFacts {
  personId: string;
  /** Has objected to direct marketing, or matches a suppression entry (UK GDPR Art 21(3)). */
  objected: boolean;
  /** The kinds of source the person's data came from. */
  sourceTypes: readonly SourceType[];
  /** The lawful basis relied on for this person (from their source), if any. */
  lawfulBasis: LawfulBasis | null;
  consents: readonly ConsentFact[];
  /** The version of the privacy notice the person was given (Art 13 or 14), if any. */
  noticeVersion: string | null;
}

/** Processing that reaches people: a send, a call list, an audience file, a profile run. */
export interface PeopleFacts<S extends SubjectFacts = SubjectFacts> {
  people: readonly S[];
  /** The channel the processing uses, i.e. the consent it needs. */
  channel: UseChannel;
  /** When the batch was screened against the suppression entries; null if it was not (DM-SUPPRESSION). */
  suppressionScreenedAt: string | null;
}

/** A targeting or selection criterion of an audience or an ad. */
export interface TargetingCriterion {
  name: string;
  /** The special category the criterion reveals (a supporters list reveals political opinion). */
  specialCategory: SpecialCategory | null;
  /** Inferred (a score, a model, a platform's interest category) rather than provided. */
  inferred: boolean;
}

// ---------------------------------------------------------------------------------------
// Helpers shared by the rule files
// ---------------------------------------------------------------------------------------

/** Whether a consent record carries the evidence Art 7(1) needs: when, how, wording and scope. */
export const hasConsentEvidence = (c: ConsentFact): boolean =>
  !!c.givenAt && !!c.method?.trim() && !!c.wordingHash?.trim() && !!c.wordingVersion?.trim() && !!c.purpose.trim();

/** The person's consents to this controller on this channel (and for this purpose, if given). */
export function consentsFor(
  subject: SubjectFacts,
  scope: { controllerId: string; channel: UseChannel; purpose?: string },
): ConsentFact[] {
  return subject.consents.filter(
    (c) =>
      c.controllerId === scope.controllerId &&
      c.channel === scope.channel &&
      (scope.purpose === undefined || c.purpose === scope.purpose),
  );
}

/** A consent that stands: given, with its evidence, and not withdrawn. */
export const isLiveConsent = (c: ConsentFact): boolean => c.withdrawnAt === null && hasConsentEvidence(c);

/** "3 of 120 people" / "the person" / "all 5 people". */
export function countOf(n: number, total: number): string {
  if (total === 1) return 'the person';
  if (n === total) return `all ${total} people`;
  return `${n} of ${total} people`;
}

/** Days from `from` to `to` (fractional). */
export const daysBetween = (from: string | Date, to: string | Date): number =>
  (new Date(to).getTime() - new Date(from).getTime()) / DAY_MS;

/** The verb form that agrees with a count: agree(1, 'is', 'are') → 'is'. */
export const agree = (n: number, singular: string, plural: string): string => (n === 1 ? singular : plural);

/** The sentence with its first letter in capitals. */
export const capitalize = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);

/** "a, b and c". */
export function listOf(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}
