/**
 * The capabilities that process personal data, each with the facts its rules read. A
 * capability asks the rules engine (engine.ts) before it processes: `decideAction({ capability:
 * 'message.email', facts })`. The list follows the "When" column of the rule catalogue.
 *
 * Each rule file binds its rules to the capabilities they apply to with `applies(rule,
 * [...capabilities])`; the type of `applies` checks that every capability named carries the
 * facts the rule reads. To give a capability's rules more facts, extend its facts interface
 * below (e.g. `interface ActivityActivateFacts extends ..., RopaFacts {}`).
 */
import type { NoticeInput } from '../privacy-notice.js';
import type { CanvassTaskFacts } from './canvassing-rules.js';
import type { DpiaCoverFacts, ResidualRiskFacts } from './dpia-rules.js';
import type { ControllerFacts, PeopleFacts, PurposeFacts, SubjectFacts } from './facts.js';
import type { ActivityRecordFacts, ArrangementRuleFacts, ProcessorRuleFacts } from './governance-rules.js';
import type { ImportFacts } from './import-rules.js';
import type { PublicationFacts } from './imprint-rules.js';
import type { DataReuseFacts } from './lawful-basis-rules.js';
import type { ObjectionFacts, PostFacts } from './marketing-rules.js';
import type { AdFacts, JointControllerFacts, PlannedPlatformUseFacts, PlatformUseFacts } from './online-rules.js';
import type { CallFacts, MessageFacts, SiteFacts } from './pecr-rules.js';
import type { ConsentEvidenceDeletionFacts, RetentionFacts } from './retention-rules.js';
import type { ComplaintFacts, SubjectAccessFacts } from './rights-rules.js';
import type { Rule } from './rule.js';
import type { ProfilingFacts, SpecialCategoryFacts, TargetingFacts } from './special-category-rules.js';
import type { Art14ExemptionFacts, AudienceFacts, CollectionFacts, NoticeFacts } from './transparency-rules.js';

/** Processing that reaches people on a channel, for a purpose of a controller. */
export interface BatchFacts<S extends SubjectFacts = SubjectFacts>
  extends ControllerFacts, PurposeFacts, PeopleFacts<S> {}

/**
 * A processing activity going live: its record (ROPA, Art 26 arrangements, Art 28 processors,
 * transfers) and the same record read as any processing is (purpose and basis, special
 * category data, joint processing, platforms). Built from the record by
 * `activityActivateFacts` (governance-rules.ts).
 */
export interface ActivityActivateFacts
  extends
    ControllerFacts,
    PurposeFacts,
    SpecialCategoryFacts,
    Art14ExemptionFacts,
    ActivityRecordFacts,
    JointControllerFacts,
    PlannedPlatformUseFacts {}

/** Personal data shared with a processor: the processors' Art 28 terms and segregation. */
export interface ProcessorShareFacts extends ControllerFacts, PurposeFacts, ProcessorRuleFacts {}

export interface DataReuseActionFacts extends ControllerFacts, PurposeFacts, DataReuseFacts {}
export interface CollectionOpenFacts extends ControllerFacts, PurposeFacts, CollectionFacts, SpecialCategoryFacts {}
export interface ProfilingRunFacts
  extends BatchFacts, ProfilingFacts, SpecialCategoryFacts, NoticeFacts, DpiaCoverFacts {}
export interface AudienceBuildFacts
  extends
    BatchFacts,
    AudienceFacts,
    NoticeFacts,
    TargetingFacts,
    JointControllerFacts,
    ArrangementRuleFacts,
    PlatformUseFacts,
    DpiaCoverFacts {}
export interface ElectronicMessageFacts extends BatchFacts, MessageFacts {}
export interface PublishedMessageFacts extends ElectronicMessageFacts, PublicationFacts {}
export interface LiveCallFacts extends ControllerFacts, PurposeFacts, CallFacts {}
export interface AddressedPostFacts extends ControllerFacts, PurposeFacts, PostFacts {}
export interface CookiesConfigureFacts extends SiteFacts, JointControllerFacts {}
export interface AdLaunchFacts extends AdFacts, PlatformUseFacts, PublicationFacts {}

/** Every capability and the facts it carries. */
export interface CapabilityFacts {
  import: ImportFacts;
  'data.reuse': DataReuseActionFacts;
  'activity.activate': ActivityActivateFacts;
  'collection.open': CollectionOpenFacts;
  'profiling.run': ProfilingRunFacts;
  'audience.build': AudienceBuildFacts;
  'audience.lookalike_seed': AudienceBuildFacts;
  'message.email': PublishedMessageFacts;
  'message.sms': ElectronicMessageFacts;
  'message.social_dm': PublishedMessageFacts;
  'message.voicemail': ElectronicMessageFacts;
  'call.live': LiveCallFacts;
  'call.automated': BatchFacts;
  'post.addressed': AddressedPostFacts;
  'cookies.configure': CookiesConfigureFacts;
  'page_insights.enable': JointControllerFacts;
  'ad.launch': AdLaunchFacts;
  'content.publish': PublicationFacts;
  'objection.record': ObjectionFacts;
  'canvass.task': CanvassTaskFacts;
  'dsar.check': SubjectAccessFacts;
  'complaint.check': ComplaintFacts;
  'retention.check': RetentionFacts;
  'consent_evidence.delete': ConsentEvidenceDeletionFacts;
  'processor.share': ProcessorShareFacts;
  'dpia.approve': ResidualRiskFacts;
  'notice.publish': NoticeInput;
}

export type Capability = keyof CapabilityFacts;

/** What each capability is, in a line (for the docs and the audit trail). */
export const CAPABILITY_DESCRIPTIONS: Record<Capability, string> = {
  import: 'Import a file of people from a source',
  'data.reuse': 'Reuse data from a source for another purpose',
  'activity.activate': 'Activate a processing activity',
  'collection.open': 'Open a form or canvassing script that collects personal data',
  'profiling.run': 'Run profiling: scores, segments, inferences',
  'audience.build': 'Upload a list-based audience to a platform',
  'audience.lookalike_seed': 'Upload a list as the seed of a lookalike audience',
  'message.email': 'Send marketing email',
  'message.sms': 'Send marketing text messages',
  'message.social_dm': 'Send social-media direct messages',
  'message.voicemail': 'Leave marketing voicemail',
  'call.live': 'Make live marketing calls',
  'call.automated': 'Make automated or recorded marketing calls',
  'post.addressed': 'Send addressed post',
  'cookies.configure': 'Configure the cookies, pixels and plugins of a campaign website',
  'page_insights.enable': 'Use a platform’s page insights',
  'ad.launch': 'Launch an advert campaign on a platform',
  'content.publish': 'Publish organic digital material',
  'objection.record': 'Record an objection to direct marketing',
  'canvass.task': 'Assign a canvassing task',
  'dsar.check': 'Check a subject access request’s deadline',
  'complaint.check': 'Check a complaint’s acknowledgement deadline',
  'retention.check': 'Check retention at campaign end',
  'consent_evidence.delete': 'Delete consent evidence',
  'processor.share': 'Share personal data with a processor',
  'dpia.approve': 'Approve a DPIA',
  'notice.publish': 'Publish a version of the privacy notice',
};

export const CAPABILITIES = Object.keys(CAPABILITY_DESCRIPTIONS) as Capability[];

/**
 * The capabilities that process a batch of people, each carrying the people it reaches
 * (PeopleFacts): profiling, audience uploads and lookalike seeds, messages, calls and addressed
 * post. The rules on who may be reached (consent evidence, objections, suppressions, the
 * electoral register's purposes) are checked on all of them.
 */
export const PEOPLE_CAPABILITIES = [
  'profiling.run',
  'audience.build',
  'audience.lookalike_seed',
  'message.email',
  'message.sms',
  'message.social_dm',
  'message.voicemail',
  'call.live',
  'call.automated',
  'post.addressed',
] as const satisfies readonly CapabilitiesFor<PeopleFacts>[];

/** An action a capability asks the engine to decide: which capability, and its facts. */
export type ActionOf<K extends Capability> = { capability: K; facts: CapabilityFacts[K] };
export type Action = { [K in Capability]: ActionOf<K> }[Capability];

/** The capabilities whose facts include everything a rule on facts F reads. */
export type CapabilitiesFor<F> = { [K in Capability]: CapabilityFacts[K] extends F ? K : never }[Capability];

/** A rule and the capabilities it is checked on. */
export interface RuleBinding {
  readonly rule: Rule<never>;
  readonly capabilities: readonly Capability[];
}

/**
 * Binds a rule to capabilities. Type-checked: naming a capability whose facts lack what the
 * rule reads does not compile.
 */
export function applies<F>(rule: Rule<F>, capabilities: readonly CapabilitiesFor<F>[]): RuleBinding {
  return { rule, capabilities };
}
