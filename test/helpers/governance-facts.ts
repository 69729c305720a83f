/**
 * A complete record of processing, as the governance rules read it: a Meta custom-audience
 * arrangement with every responsibility assigned, a processor with every Art 28(3) term, and an
 * activity whose record is complete. For the governance rules' tests and the rules engine's.
 */
import {
  ART28_TERMS,
  RESPONSIBILITIES,
  type ActivityFields,
  type Art28Term,
  type Art28TermRecord,
  type Responsibilities,
  type Transfer,
} from '../../src/domain/governance.js';
import type { ArrangementFacts, ProcessorFacts } from '../../src/domain/rules/governance-rules.js';

export const assigned = (): Responsibilities =>
  Object.fromEntries(RESPONSIBILITIES.map((r) => [r, { party: 'campaign', note: '' }])) as Responsibilities;

export const ARRANGEMENT: ArrangementFacts = {
  platform: 'meta',
  platformName: 'Meta',
  scope: 'custom_audiences',
  responsibilities: assigned(),
  essence: 'We and Meta both decide how your details are matched; ask us about it.',
  eligibilityConfirmation: 'Authorised for social issues, elections or politics, ref 123',
  reviewDueOn: '2027-05-01',
};

export const allTerms = (): Record<Art28Term, Art28TermRecord> =>
  Object.fromEntries(ART28_TERMS.map((t) => [t, { present: true, clause: `clause ${t}` }])) as Record<
    Art28Term,
    Art28TermRecord
  >;

export const transfer = (over: Partial<Transfer>): Transfer => ({
  recipient: '',
  country: 'GB',
  mechanism: null,
  transferRiskAssessment: null,
  dpfCertificationCheckedOn: null,
  note: '',
  ...over,
});

export const PROCESSOR: ProcessorFacts = {
  name: 'Mailer Ltd',
  art28Terms: allTerms(),
  hosting: [transfer({ country: 'GB' })],
  subProcessors: [],
  segregation: 'One database schema per campaign, separate keys.',
  serviceImprovement: 'none',
  serviceImprovementNote: null,
};

export const ACTIVITY: ActivityFields = {
  name: 'Supporter matching on Meta',
  description: '',
  purposes: ['Show campaign ads to our supporters on Facebook and Instagram'],
  lawfulBasis: 'consent',
  lawfulBasisNote: 'Supporters tick a box to be matched on social media.',
  legitimateInterestsAssessment: null,
  dataCategories: ['email address', 'phone number'],
  specialCategories: [],
  appropriatePolicyDocument: null,
  dataSubjects: ['supporters'],
  sourceIds: [],
  otherSources: '',
  recipients: ['Meta (joint controller)', 'Mailer Ltd (processor)'],
  retention: 'Audience removed 30 days after polling day.',
  transfers: [],
  securityMeasures: 'Hashed upload over TLS; access limited to two staff.',
  capabilities: ['custom_audiences'],
  dpiaId: null,
  arrangementIds: [],
  processorIds: [],
};
