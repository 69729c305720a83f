/**
 * Pieces the DPIA pages share: status and risk-level tags, the screening result with its
 * reasons, and the risk map. Rule findings use FindingsList (people-ui.tsx).
 */
import type { ReactNode } from 'react';
import {
  DPIA_STATUS_LABELS,
  LIKELIHOOD_LABELS,
  RISK_LEVEL_LABELS,
  SEVERITIES,
  SEVERITY_LABELS,
  type DpiaStatus,
  type Likelihood,
  type ReviewState,
  type RiskLevel,
  type RiskMapCell,
  type Screening,
} from '../../shared/dpia.js';

const LEVEL_CLASS: Record<RiskLevel, string> = { low: 'tag-completed', medium: 'tag-queued', high: 'tag-failed' };
const STATUS_CLASS: Record<DpiaStatus, string> = {
  draft: 'tag-muted',
  in_review: 'tag-running',
  approved: 'tag-completed',
  rejected: 'tag-failed',
};

export function LevelTag({ level, prefix }: { level: RiskLevel | null; prefix?: string }): ReactNode {
  if (!level) return <span className="tag tag-muted">Not scored</span>;
  return (
    <span className={`tag ${LEVEL_CLASS[level]}`}>
      {prefix ? `${prefix} ` : ''}
      {RISK_LEVEL_LABELS[level]}
    </span>
  );
}

export function StatusTag({ status }: { status: DpiaStatus }): ReactNode {
  return <span className={`tag ${STATUS_CLASS[status]}`}>{DPIA_STATUS_LABELS[status]}</span>;
}

export function ReviewTag({ state }: { state: ReviewState }): ReactNode {
  if (state === 'expired') return <span className="tag tag-failed">Review overdue: expired</span>;
  if (state === 'due_soon') return <span className="tag tag-queued">Review due soon</span>;
  return null;
}

/** The screening: required or not, every reason with its citation, what was derived, and notes. */
export function ScreeningResultView({
  screening,
  headingLevel = 2,
}: {
  screening: Screening;
  headingLevel?: 2 | 3;
}): ReactNode {
  const { result, derived } = screening;
  const H = headingLevel === 2 ? 'h2' : 'h3';
  const Sub = headingLevel === 2 ? 'h3' : 'h4';
  return (
    <section className="panel" aria-labelledby="screening-result">
      <H id="screening-result">{result.required ? 'A DPIA is required' : 'A DPIA is not required'}</H>
      <p>{result.summary}</p>
      {result.reasons.length > 0 ? (
        <>
          <Sub>Reasons</Sub>
          <ul className="findings">
            {result.reasons.map((reason) => (
              <li key={reason.trigger} className="finding">
                <strong>{reason.title}</strong>
                <p>{reason.explanation}</p>
                <p className="hint">{reason.citation}</p>
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {derived.length > 0 ? (
        <>
          <Sub>What Canvass took from the activity</Sub>
          <ul>
            {derived.map((d, i) => (
              <li key={`${d.fact}-${i}`}>{d.because}</li>
            ))}
          </ul>
        </>
      ) : null}
      {result.notes.length > 0 ? (
        <>
          <Sub>Also</Sub>
          <ul>
            {result.notes.map((note) => (
              <li key={note}>{note}</li>
            ))}
          </ul>
        </>
      ) : null}
    </section>
  );
}

const LIKELIHOODS_DOWN: readonly Likelihood[] = ['probable', 'possible', 'remote'];

/** Likelihood × severity, each risk placed where it was scored before measures and where it remains after. */
export function RiskMap({ cells }: { cells: readonly RiskMapCell[] }): ReactNode {
  const cell = (l: Likelihood, s: (typeof SEVERITIES)[number]) =>
    cells.find((c) => c.likelihood === l && c.severity === s);
  return (
    <div className="table-wrap" role="region" aria-label="Risk map table" tabIndex={0}>
      <table className="table risk-map">
        <caption>
          Risk map: likelihood of harm against its severity (ICO matrix). “Before” is each risk as first scored, “after”
          what remains once its measures are in place.
        </caption>
        <thead>
          <tr>
            <td />
            {SEVERITIES.map((s) => (
              <th scope="col" key={s}>
                {SEVERITY_LABELS[s]} severity
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {LIKELIHOODS_DOWN.map((l) => (
            <tr key={l}>
              <th scope="row">{LIKELIHOOD_LABELS[l]}</th>
              {SEVERITIES.map((s) => {
                const c = cell(l, s);
                if (!c) return <td key={s} />;
                return (
                  <td key={s}>
                    <LevelTag level={c.level} />
                    <div>Before: {c.before.length ? c.before.join(', ') : '—'}</div>
                    <div>After: {c.after.length ? c.after.join(', ') : '—'}</div>
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
