/**
 * Pieces the governance pages share: the rule decision on a record, status tags, the
 * editor of transfers outside the UK, and the conversions between "one per line" text areas
 * and lists.
 */
import { useId, type ReactNode } from 'react';
import { FindingsList } from './people-ui.js';
import {
  ACTIVITY_STATUS_LABELS,
  TRANSFER_MECHANISMS,
  TRANSFER_MECHANISM_LABELS,
  type ActivityStatus,
  type MissingFieldView,
  type RecordDecision,
  type TransferMechanism,
  type TransferRecord,
} from '../../shared/governance.js';

/** A text area's lines as a list: trimmed, without blanks. */
export const linesOf = (text: string): string[] =>
  text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '');

export const textOfLines = (list: readonly string[]): string => list.join('\n');

/** Trimmed text, or null when empty. */
export const orNull = (text: string): string | null => (text.trim() === '' ? null : text.trim());

export function ActivityStatusTag({ status }: { status: ActivityStatus }): ReactNode {
  const tone = status === 'active' ? 'tag-completed' : status === 'retired' ? 'tag-muted' : 'tag-queued';
  return <span className={`tag ${tone}`}>{ACTIVITY_STATUS_LABELS[status]}</span>;
}

const OUTCOME_TAG: Record<RecordDecision['outcome'], { tone: string; label: string }> = {
  allow: { tone: 'tag-completed', label: 'Passes the rules' },
  warn: { tone: 'tag-finding-warn', label: 'Passes, with warnings' },
  require: { tone: 'tag-finding-require', label: 'Needs records' },
  refuse: { tone: 'tag-finding-refuse', label: 'Refused' },
};

export function OutcomeTag({ outcome }: { outcome: RecordDecision['outcome'] }): ReactNode {
  return <span className={`tag ${OUTCOME_TAG[outcome].tone}`}>{OUTCOME_TAG[outcome].label}</span>;
}

/** What the rules say about a record, with the fields still missing. */
export function DecisionPanel({
  title,
  decision,
  missing = [],
  allowText,
}: {
  title: string;
  decision: RecordDecision;
  missing?: readonly MissingFieldView[];
  allowText: string;
}): ReactNode {
  return (
    <section className="panel section" aria-labelledby="decision-heading">
      <h2 id="decision-heading">
        {title} <OutcomeTag outcome={decision.outcome} />
      </h2>
      {decision.findings.length === 0 ? <p>{allowText}</p> : null}
      {missing.length > 0 ? (
        <>
          <p>Still to record:</p>
          <ul className="bullets">
            {missing.map((m) => (
              <li key={m.field}>{m.label}</li>
            ))}
          </ul>
        </>
      ) : null}
      {decision.findings.length > 0 ? <FindingsList findings={decision.findings} /> : null}
    </section>
  );
}

export const emptyTransfer = (): TransferRecord => ({
  recipient: '',
  country: '',
  mechanism: null,
  transferRiskAssessment: null,
  dpfCertificationCheckedOn: null,
  note: '',
});

const isMechanism = (value: string): value is TransferMechanism =>
  (TRANSFER_MECHANISMS as readonly string[]).includes(value);

/**
 * Where data goes outside the UK, one row per country: the country, the mechanism, and what
 * the mechanism needs (a transfer risk assessment; the date a DPF certification was checked).
 */
export function TransfersEditor({
  legend,
  hint,
  value,
  onChange,
  withRecipient,
}: {
  legend: string;
  hint?: string;
  value: readonly TransferRecord[];
  onChange(next: TransferRecord[]): void;
  withRecipient: boolean;
}): ReactNode {
  const id = useId();
  const set = (index: number, patch: Partial<TransferRecord>): void =>
    onChange(value.map((t, i) => (i === index ? { ...t, ...patch } : t)));
  return (
    <fieldset className="fieldset">
      <legend>{legend}</legend>
      {hint ? <p className="hint">{hint}</p> : null}
      {value.map((t, index) => {
        const row = `${id}-${index}`;
        return (
          <div className="panel" key={index}>
            <div className="form-row">
              {withRecipient ? (
                <div className="field">
                  <label htmlFor={`${row}-recipient`}>Recipient</label>
                  <input
                    id={`${row}-recipient`}
                    className="input input-medium"
                    value={t.recipient}
                    onChange={(e) => set(index, { recipient: e.target.value })}
                  />
                </div>
              ) : null}
              <div className="field">
                <label htmlFor={`${row}-country`}>Country (ISO code)</label>
                <p className="hint" id={`${row}-country-hint`}>
                  GB for the UK, US, IE…
                </p>
                <input
                  id={`${row}-country`}
                  aria-describedby={`${row}-country-hint`}
                  className="input input-small"
                  maxLength={2}
                  value={t.country}
                  onChange={(e) => set(index, { country: e.target.value.toUpperCase() })}
                />
              </div>
              <div className="field">
                <label htmlFor={`${row}-mechanism`}>Transfer mechanism</label>
                <select
                  id={`${row}-mechanism`}
                  className="input input-medium"
                  value={t.mechanism ?? ''}
                  onChange={(e) => set(index, { mechanism: isMechanism(e.target.value) ? e.target.value : null })}
                >
                  <option value="">None (or the UK itself)</option>
                  {TRANSFER_MECHANISMS.map((m) => (
                    <option key={m} value={m}>
                      {TRANSFER_MECHANISM_LABELS[m]}
                    </option>
                  ))}
                </select>
              </div>
            </div>
            {t.mechanism === 'idta' || t.mechanism === 'uk_addendum' ? (
              <div className="field">
                <label htmlFor={`${row}-tra`}>Transfer risk assessment (where it is, and its date)</label>
                <input
                  id={`${row}-tra`}
                  className="input input-full"
                  value={t.transferRiskAssessment ?? ''}
                  onChange={(e) => set(index, { transferRiskAssessment: orNull(e.target.value) })}
                />
              </div>
            ) : null}
            {t.mechanism === 'us_dpf_uk_extension' ? (
              <div className="field">
                <label htmlFor={`${row}-dpf`}>Date the recipient’s certification was checked on the DPF list</label>
                <input
                  id={`${row}-dpf`}
                  type="date"
                  className="input input-short"
                  value={t.dpfCertificationCheckedOn ?? ''}
                  onChange={(e) => set(index, { dpfCertificationCheckedOn: e.target.value || null })}
                />
              </div>
            ) : null}
            <button
              type="button"
              className="button button-secondary button-small"
              onClick={() => onChange(value.filter((_, i) => i !== index))}
            >
              Remove {t.country || 'this row'}
            </button>
          </div>
        );
      })}
      <button type="button" className="button button-secondary" onClick={() => onChange([...value, emptyTransfer()])}>
        Add a country
      </button>
    </fieldset>
  );
}

/** Checkboxes choosing some of `options` by id. */
export function PickList({
  legend,
  hint,
  options,
  value,
  onChange,
  empty,
}: {
  legend: string;
  hint?: string;
  options: readonly { id: string; label: string; note?: string | undefined }[];
  value: readonly string[];
  onChange(next: string[]): void;
  empty: ReactNode;
}): ReactNode {
  const id = useId();
  return (
    <fieldset className="fieldset choices">
      <legend>{legend}</legend>
      {hint ? <p className="hint">{hint}</p> : null}
      {options.length === 0 ? <p className="muted">{empty}</p> : null}
      {options.map((option) => (
        <div className="choice" key={option.id}>
          <input
            type="checkbox"
            id={`${id}-${option.id}`}
            checked={value.includes(option.id)}
            onChange={(e) => onChange(e.target.checked ? [...value, option.id] : value.filter((v) => v !== option.id))}
          />
          <label htmlFor={`${id}-${option.id}`}>
            {option.label}
            {option.note ? <span className="code-hint">{option.note}</span> : null}
          </label>
        </div>
      ))}
    </fieldset>
  );
}
