/**
 * The rules Canvass implements so far, with their ids and citations as in the research notes'
 * rule catalogue (docs/law.md). Issue 4 completes the catalogue and generates docs/rules.md.
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
});

export type RuleId = keyof typeof RULE_CATALOGUE;
