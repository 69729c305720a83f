/**
 * One processing activity as the record of processing shows it (UK GDPR Art 30(1)): used by
 * the printable record and by the activity page for members who may read but not edit.
 */
import type { ReactNode } from 'react';
import { formatDate } from '../format.js';
import {
  ART9_CONDITION_LABELS,
  CAPABILITY_LABELS,
  TRANSFER_MECHANISM_LABELS,
  type ActivityView,
  type TransferRecord,
} from '../../shared/governance.js';
import { LAWFUL_BASIS_LABELS, SPECIAL_CATEGORY_LABELS } from '../../shared/labels.js';

const NOT_RECORDED = <span className="muted">Not recorded</span>;

function List({ items }: { items: readonly string[] }): ReactNode {
  if (items.length === 0) return NOT_RECORDED;
  if (items.length === 1) return items[0];
  return (
    <ul className="bullets">
      {items.map((item, i) => (
        <li key={i}>{item}</li>
      ))}
    </ul>
  );
}

const text = (value: string | null | undefined): ReactNode =>
  value && value.trim() ? <span className="preserve-lines">{value}</span> : NOT_RECORDED;

export function transferLine(t: TransferRecord, who?: string): string {
  const extras = [
    t.transferRiskAssessment ? `transfer risk assessment: ${t.transferRiskAssessment}` : null,
    t.dpfCertificationCheckedOn ? `DPF certification checked ${formatDate(t.dpfCertificationCheckedOn)}` : null,
  ].filter(Boolean);
  const mechanism =
    t.country === 'GB' ? 'in the UK' : t.mechanism ? TRANSFER_MECHANISM_LABELS[t.mechanism] : 'no mechanism recorded';
  return `${who ?? (t.recipient || 'Recipient')} — ${t.country}: ${mechanism}${extras.length ? ` (${extras.join('; ')})` : ''}`;
}

export function ActivityDetails({ activity }: { activity: ActivityView }): ReactNode {
  const lia = activity.legitimateInterestsAssessment;
  const rows: [string, ReactNode][] = [
    ['Description', text(activity.description)],
    ['Purposes', <List key="p" items={activity.purposes} />],
    ['Lawful basis', activity.lawfulBasis ? LAWFUL_BASIS_LABELS[activity.lawfulBasis] : NOT_RECORDED],
    [
      activity.lawfulBasis === 'public_task' ? 'Necessity note' : 'Reasons for the basis',
      text(activity.lawfulBasisNote),
    ],
    ...(activity.lawfulBasis === 'legitimate_interests'
      ? ([
          [
            'Legitimate-interests assessment',
            lia ? (
              <dl key="lia" className="summary-list">
                <div>
                  <dt>Purpose test</dt>
                  <dd>{text(lia.purpose)}</dd>
                </div>
                <div>
                  <dt>Necessity test</dt>
                  <dd>{text(lia.necessity)}</dd>
                </div>
                <div>
                  <dt>Balancing test</dt>
                  <dd>{text(lia.balancing)}</dd>
                </div>
                <div>
                  <dt>Conclusion</dt>
                  <dd>
                    {text(lia.conclusion)} ({lia.assessedBy || 'assessor not recorded'}, {formatDate(lia.assessedOn)})
                  </dd>
                </div>
              </dl>
            ) : (
              NOT_RECORDED
            ),
          ],
        ] as [string, ReactNode][])
      : []),
    ['Categories of data subjects', <List key="s" items={activity.dataSubjects} />],
    ['Categories of personal data', <List key="c" items={activity.dataCategories} />],
    [
      'Special category data',
      activity.specialCategories.length === 0 ? (
        'None'
      ) : (
        <List
          key="sc"
          items={activity.specialCategories.map(
            (s) =>
              `${SPECIAL_CATEGORY_LABELS[s.category]}${s.inferred ? ' (inferred)' : ''}: ${s.condition ? ART9_CONDITION_LABELS[s.condition] : 'no Art 9 condition recorded'}${s.schedule1Paragraph !== null ? `, DPA 2018 Sch 1 para ${s.schedule1Paragraph}` : ''}`,
          )}
        />
      ),
    ],
    ...(activity.appropriatePolicyDocument
      ? ([['Appropriate policy document', text(activity.appropriatePolicyDocument)]] as [string, ReactNode][])
      : []),
    [
      'Sources',
      <List
        key="src"
        items={[...activity.sources.map((s) => s.name), ...(activity.otherSources ? [activity.otherSources] : [])]}
      />,
    ],
    ['Recipients', <List key="r" items={activity.recipients} />],
    ['Processors', <List key="pr" items={activity.processors.map((p) => p.name)} />],
    ['Joint controllers', <List key="jc" items={activity.arrangements.map((a) => a.name)} />],
    [
      'Transfers outside the UK',
      activity.transfers === null ? (
        NOT_RECORDED
      ) : activity.transfers.length === 0 ? (
        'None by the campaign itself (see its processors)'
      ) : (
        <List key="t" items={activity.transfers.map((t) => transferLine(t))} />
      ),
    ],
    ['Retention', text(activity.retention)],
    ['Security measures', text(activity.securityMeasures)],
    ['Capabilities', <List key="k" items={activity.capabilities.map((k) => CAPABILITY_LABELS[k])} />],
    ['DPIA', activity.dpiaId ?? 'None linked'],
  ];
  return (
    <dl className="summary-list">
      {rows.map(([label, value]) => (
        <div key={label}>
          <dt>{label}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}
