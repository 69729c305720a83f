/**
 * The DPIA rules (docs/law.md):
 *  - DPIA-HIGH-RISK (UK GDPR Art 35(1),(3),(4)): processing that screening says is likely to
 *    result in high risk needs an approved DPIA, not expired, before it starts.
 *  - DPIA-RESIDUAL-HIGH (Art 36(1)): a DPIA may not be approved while a risk stays high after
 *    its measures unless the ICO has been consulted, and that prior consultation is recorded.
 */
import type { DpiaCoverView, IcoConsultation, ScreeningResult } from '../../shared/dpia.js';
import { RULE_CATALOGUE } from './catalogue.js';
import { applies, type RuleBinding } from './capabilities.js';
import { decide, type Decision, type Rule } from './rule.js';

/** Facts for DPIA-HIGH-RISK: what screening found, and the DPIA cover of the activity. */
export interface DpiaCoverFacts {
  dpia: {
    screening: Pick<ScreeningResult, 'required' | 'reasons'>;
    cover: Pick<DpiaCoverView, 'covered' | 'state' | 'version' | 'reviewDate'>;
  };
}

export const dpiaHighRisk: Rule<DpiaCoverFacts> = {
  meta: RULE_CATALOGUE['DPIA-HIGH-RISK'],
  evaluate: ({ dpia: { screening, cover } }) => {
    if (!screening.required || cover.covered) return null;
    const why = screening.reasons.map((r) => r.title.toLowerCase()).join('; ');
    const state: Record<Exclude<DpiaCoverFacts['dpia']['cover']['state'], 'approved'>, string> = {
      none: 'there is no DPIA for it',
      in_progress: `its DPIA (version ${cover.version ?? '?'}) is not approved yet`,
      expired: `its DPIA passed its review date (${cover.reviewDate ?? 'unknown'}) and must be reviewed`,
      rejected: `its DPIA (version ${cover.version ?? '?'}) was rejected`,
    };
    // `approved` and not covered cannot happen; treat it as not approved.
    const current = cover.state === 'approved' ? 'its DPIA is not approved' : state[cover.state];
    return {
      outcome: 'require',
      explanation: `This processing is likely to result in a high risk to people (${why}), and ${current}. It may not start until an approved, unexpired DPIA covers it.`,
      remedy:
        cover.state === 'rejected'
          ? 'Change the processing to address the reasons for rejection, then start a new version of the DPIA and have it approved.'
          : cover.state === 'expired'
            ? 'Review the DPIA: start a new version, check the risks and measures still hold, and have it approved with a new review date.'
            : 'Complete the DPIA (all seven steps), send it for review, and have the DPO and the controller sign it off.',
    };
  },
};

/** A risk that stays high after its measures. */
export interface ResidualHighRisk {
  label: string;
  description: string;
}

/** Facts for DPIA-RESIDUAL-HIGH: the risks still high after measures, and the ICO consultation record. */
export interface ResidualRiskFacts {
  residualHigh: readonly ResidualHighRisk[];
  icoConsultation: IcoConsultation | null;
}

const shorten = (text: string, max = 80): string => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

export const dpiaResidualHigh: Rule<ResidualRiskFacts> = {
  meta: RULE_CATALOGUE['DPIA-RESIDUAL-HIGH'],
  evaluate: ({ residualHigh, icoConsultation }) => {
    if (residualHigh.length === 0) return null;
    const risks = residualHigh.map((r) => `${r.label} (${shorten(r.description)})`).join('; ');
    if (!icoConsultation) {
      return {
        outcome: 'require',
        explanation: `${residualHigh.length === 1 ? 'A risk stays' : `${residualHigh.length} risks stay`} high after the measures — ${risks}. The ICO must be consulted before the processing starts (Art 36(1)), and the DPIA cannot be approved until that prior consultation is recorded.`,
        remedy:
          'Reduce the risk further with more measures, or consult the ICO and record the consultation (date, reference and what was sent) on the DPIA.',
      };
    }
    if (!icoConsultation.adviceReceivedOn) {
      return {
        outcome: 'warn',
        explanation: `The ICO was consulted on ${icoConsultation.submittedOn} about the high residual risk (${risks}); its written advice is not recorded yet. The ICO has up to eight weeks, extendable by six, to advise (Art 36(2)).`,
        remedy: "Record the ICO's written advice when it arrives, and do not go ahead against it.",
      };
    }
    return null;
  },
};

/** The DPIA rules, each with the capabilities it is checked on. */
export const DPIA_RULES: readonly RuleBinding[] = [
  // The features that need an approved DPIA when screening says so: matching lists with a
  // platform, seeding lookalikes, and profiling.
  applies(dpiaHighRisk, ['audience.build', 'audience.lookalike_seed', 'profiling.run']),
  applies(dpiaResidualHigh, ['dpia.approve']),
];

/** DPIA-HIGH-RISK on its own: screening and cover of one activity (the DPIA pages). */
export const decideDpiaCover = (dpia: DpiaCoverFacts['dpia']): Decision => decide([dpiaHighRisk], { dpia });
