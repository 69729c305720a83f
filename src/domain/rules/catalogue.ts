/**
 * Every rule of the research notes' rule catalogue (docs/law.md), with its id, citation,
 * action and trigger. Rule implementations take their meta from here (never a copy), and
 * docs/rules.md (npm run rules:doc) maps each id to the functions and tests that implement it.
 */
import type { RuleMeta } from './rule.js';

const meta = <const T extends Record<string, Omit<RuleMeta, 'id'>>>(table: T): { [K in keyof T]: RuleMeta } =>
  Object.fromEntries(Object.entries(table).map(([id, m]) => [id, { id, ...m }])) as { [K in keyof T]: RuleMeta };

export const RULE_CATALOGUE = meta({
  'LB-BASIS-RECORDED': {
    citation: 'UK GDPR Art 5(2), 6(1)',
    action: 'require',
    when: 'A purpose has no recorded lawful basis with reasons',
  },
  'LB-CONSENT-EVIDENCE': {
    citation: 'UK GDPR Art 7(1),(3)',
    action: 'refuse',
    when: 'Consent-based processing without who/when/how/wording/scope, or consent withdrawn',
  },
  'PURP-COMPATIBLE-REUSE': {
    citation: 'UK GDPR Art 5(1)(b), 6(4)',
    // The catalogue says refuse; issue 3 makes it a warning at import, recorded in the audit trail.
    action: 'warn',
    when: 'Petition, survey or casework data reused for campaigning without compatibility assessment or consent',
  },
  'SCD-ART9-CONDITION': {
    citation: 'UK GDPR Art 9(1)',
    action: 'refuse',
    when: 'Special category data (collected or inferred) without an Art 9 condition',
  },
  'ER-FULL-REGISTER-ENTITLED': {
    citation: 'RPR 2001 Part VI',
    action: 'refuse',
    when: 'Full or marked electoral register imported by a controller type not entitled to it',
  },
  'TR-ART14-ONE-MONTH': {
    citation: 'UK GDPR Art 14(3)',
    action: 'require',
    when: 'Third-party-sourced person without an Art 14 notice (warn day 21, breach day 30)',
  },
  'TP-BROKER-DUE-DILIGENCE': {
    citation: 'UK GDPR Arts 5(2), 14',
    action: 'refuse',
    when: 'Broker data imported without a due-diligence record',
  },
  'TP-SCRAPED-CONTROLLER': {
    citation: 'UK GDPR Arts 6, 14; ICO guidance',
    action: 'refuse',
    when: 'Scraped or publicly matched data without lawful basis and Art 14 plan',
  },
  'DM-OBJECTION-ABSOLUTE': {
    citation: 'UK GDPR Art 21(2)–(3)',
    action: 'refuse',
    when: 'Any direct marketing, profiling, audience upload or lookalike seed that includes an objector',
  },
  'DM-SUPPRESSION': {
    citation: 'UK GDPR Art 21(3)',
    action: 'require',
    when: 'Objection not kept as a suppression entry, or a batch/import not screened against suppressions',
  },
  'LB-PUBLIC-TASK-NECESSITY': {
    citation: 'UK GDPR Art 6(1)(e); DPA s.8(e)',
    action: 'require',
    when: 'Public task relied on without a necessity note',
  },
  'LB-RLI-NOT-DEMOCRATIC': {
    citation: 'UK GDPR Art 6(1)(ea), Annex 1',
    action: 'refuse',
    when: '"Recognised legitimate interest" claimed for campaigning',
  },
  'LB-LI-ASSESSMENT': {
    citation: 'UK GDPR Art 6(1)(f)',
    action: 'require',
    when: 'Legitimate interests without a balancing assessment',
  },
  'SCD-P22-ELIGIBLE': {
    citation: 'DPA 2018 Sch 1 paras 22, 39',
    action: 'refuse',
    when: 'DPA Sch 1 para 22 relied on by a controller that is not a registered party, or without an appropriate policy document',
    // [U] in the research notes: the text could not be confirmed from a primary source, so the
    // rule warns until a DPO confirms it (see docs/law.md).
    unconfirmed: true,
  },
  'SCD-TARGETING-EXPLICIT-CONSENT': {
    citation: 'UK GDPR Art 9(2)(a); ICO guidance',
    action: 'refuse',
    when: 'Targeting uses special category data, inferred included, without explicit consent',
  },
  'SCD-NAME-INFERENCE': {
    citation: 'UK GDPR Art 9(1); ICO "Democracy disrupted?"',
    action: 'refuse',
    when: 'Ethnicity or religion inferred from names',
  },
  'ER-PERMITTED-PURPOSE': {
    citation: 'RPR 2001 regs 102, 108',
    action: 'refuse',
    when: 'Full-register data used outside campaigning or donation checks',
  },
  'TR-ART13-AT-COLLECTION': {
    citation: 'UK GDPR Art 13',
    action: 'refuse',
    when: 'A form or canvass script collects data without privacy information',
  },
  'TR-DISPROPORTIONATE-EFFORT': {
    citation: 'UK GDPR Art 14(5)(b)',
    action: 'require',
    when: 'Art 14(5)(b) claimed',
    // Catalogue action: require assessment, public notice and DPIA.
  },
  'TR-LIST-MATCHING-DISCLOSED': {
    citation: 'UK GDPR Arts 5(1)(a),(b), 13, 14; ICO guidance',
    action: 'refuse',
    when: 'List-based or lookalike audience while the privacy notice does not prominently explain it',
  },
  'TR-PROFILING-DISCLOSED': {
    citation: 'UK GDPR Arts 13, 14',
    action: 'refuse',
    when: 'Profiling or micro-targeting not in the privacy notice',
  },
  'DM-REMOVE-FROM-LIVE-AUDIENCES': {
    citation: 'UK GDPR Art 21(3); platform terms',
    action: 'require',
    when: 'Person objects after being uploaded to a platform audience',
    // Catalogue action: require removal file/job for every live audience.
  },
  'DM-POST-S91': {
    citation: 'RPA 1983 s.91',
    action: 'refuse',
    when: 'Addressed post to an objector, except one parliamentary election address',
  },
  'PECR-R22-PRIOR-CONSENT': {
    citation: 'PECR reg 22(2)',
    action: 'refuse',
    when: 'Email, SMS, DM or voicemail without consent for this sender and channel',
  },
  'PECR-R22-NO-SOFT-OPT-IN': {
    citation: 'PECR reg 22(3),(3A)',
    action: 'refuse',
    when: 'Soft opt-in claimed by a party, candidate or campaigner',
  },
  'PECR-R23-IDENTITY-OPTOUT': {
    citation: 'PECR reg 23',
    action: 'refuse',
    when: 'Message hides the sender or lacks a working opt-out',
  },
  'PECR-R21-TPS': {
    citation: 'PECR reg 21',
    action: 'refuse',
    when: 'Live call to a TPS-registered number or a line that asked us to stop',
  },
  'PECR-R19-AUTOMATED': {
    citation: 'PECR reg 19',
    action: 'refuse',
    when: 'Automated or recorded call without prior consent',
  },
  'PECR-R6-PRIOR-CONSENT': {
    citation: 'PECR reg 6',
    action: 'refuse',
    when: 'Advertising, retargeting, social pixel, plugin or fingerprinting before consent',
  },
  'PECR-R6-EXCEPTION-SCOPE': {
    citation: 'PECR Sch A1',
    action: 'refuse',
    when: 'A technology claims a Sch A1 exception beyond its purpose, or without notice and a way to object',
  },
  'PECR-R6-NO-OTHER-BASIS': {
    citation: 'PECR reg 6; ICO guidance',
    action: 'refuse',
    when: 'Public task or legitimate interests offered as the basis for cookies',
  },
  'ONL-JOINT-CONTROLLER': {
    citation: 'UK GDPR Art 26',
    action: 'refuse',
    when: 'Audience upload, lookalike, pixel or page insights with a platform without an Art 26 arrangement',
  },
  'ONL-ARRANGEMENT-GAPS': {
    citation: 'UK GDPR Art 26(1)–(2)',
    action: 'refuse',
    when: 'An Art 26 arrangement leaves a responsibility unassigned (transparency, rights, security, DPIA, breach, contact point)',
  },
  'ONL-PLATFORM-ELIGIBILITY': {
    citation: 'platform policies',
    action: 'refuse',
    when: 'Political targeting on a platform whose policy forbids it (LinkedIn, TikTok; Google customer lists for UK election ads)',
  },
  'ONL-AD-CHECKLIST': {
    citation: 'seed guidance "What should we consider when using online advertising?"',
    action: 'refuse',
    when: 'A targeted ad campaign launched without: cookie consent, explicit consent for special category data, lawful basis, DPIA, privacy information, processor/joint-controller arrangements',
  },
  'ONL-CONTEXTUAL-EXEMPT': {
    citation: 'PECR reg 6; UK GDPR Art 2',
    // Catalogue action: allow, record the reasoning (a Reasoning on the decision, never blocking).
    action: 'allow',
    when: 'Contextual ad with no device storage/access and no personal data',
  },
  'CTRL-ART28-CONTRACT': {
    citation: 'UK GDPR Art 28(3)',
    action: 'refuse',
    when: 'Sharing with a processor whose contract lacks an Art 28(3) term',
  },
  'CTRL-SEGREGATION': {
    citation: 'UK GDPR Arts 5(1)(f), 28; ICO guidance',
    action: 'warn',
    when: 'A processor platform cannot state how each campaign\'s data is segregated, or uses it for "service improvement" without a basis',
  },
  'ROPA-COMPLETE': {
    citation: 'UK GDPR Art 30',
    action: 'require',
    when: 'Processing activity missing an Art 30(1) field',
    // Catalogue action: require before activation.
  },
  'DPIA-HIGH-RISK': {
    citation: 'UK GDPR Art 35(1),(3),(4)',
    action: 'require',
    when: 'Profiling at scale, data matching, invisible processing, tracking, vulnerable people, large-scale special category',
    // Catalogue action: require an approved DPIA.
  },
  'DPIA-RESIDUAL-HIGH': {
    citation: 'UK GDPR Art 36',
    action: 'require',
    when: 'DPIA accepts a residual high risk',
    // Catalogue action: require ICO prior consultation record.
  },
  'XFER-MECHANISM': {
    citation: 'UK GDPR Arts 44A, 45A, 46',
    action: 'refuse',
    when: 'Data hosted or processed outside the UK without an approved-country basis or IDTA/Addendum + assessment',
  },
  'CANV-POSTAL-VOTE': {
    citation: 'RPA 1983 s.112A',
    action: 'refuse',
    when: "A task involves handling someone else's postal vote",
  },
  'IMPRINT-PAID-POLITICAL': {
    citation: 'Elections Act 2022 Part 6',
    action: 'refuse',
    when: 'Paid political advert without a digital imprint',
  },
  'IMPRINT-CONTENTS': {
    citation: 'Elections Act 2022 Part 6; EC statutory guidance',
    action: 'refuse',
    when: "Imprint lacks the promoter's (or on-behalf-of person's) name and postal address",
  },
  'DSAR-CLOCK': {
    citation: 'UK GDPR Arts 12(3), 12A, 15',
    action: 'warn',
    when: 'Subject access request open past one month (+2 if complex; paused for ID)',
    // Catalogue action: warn day 20, escalate day 30.
  },
  'COMPLAINT-30D': {
    citation: 'DPA 2018 s.164A',
    action: 'warn',
    when: 'Data-protection complaint not acknowledged within 30 days (from 19 Jun 2026)',
    // Catalogue action: warn day 20, breach day 30.
  },
  'RET-CAMPAIGN-END': {
    citation: 'UK GDPR Art 5(1)(e)',
    action: 'require',
    when: 'Campaign closed or register copy past its purpose',
    // Catalogue action: require retention review / destruction record.
  },
  'RET-CONSENT-PROOF': {
    citation: 'UK GDPR Art 7(1)',
    action: 'refuse',
    when: 'Deleting consent evidence while processing still relies on it',
  },
});

export type RuleId = keyof typeof RULE_CATALOGUE;

/** The ids of the rules marked [U] in the research notes: they warn until a DPO confirms them. */
export const UNCONFIRMED_RULE_IDS: readonly RuleId[] = (Object.keys(RULE_CATALOGUE) as RuleId[]).filter(
  (id) => RULE_CATALOGUE[id].unconfirmed === true,
);
