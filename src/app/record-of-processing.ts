/**
 * The record of processing activities as a document (UK GDPR Art 30(1), 30(4): made available
 * to the ICO on request): JSON for the printable page and the CLI, CSV for spreadsheets. Every
 * export is audited, in the same transaction that reads the record.
 *
 * The CSV is opened in spreadsheets and its cells carry text the campaign typed, so each cell
 * is formula-neutralised (a cell starting with =, +, -, @, a tab or a carriage return is
 * prefixed with a quote), as the import report does.
 */
import { inCampaign } from '../db/scope.js';
import { invalid } from '../domain/errors.js';
import { countryName, type Transfer } from '../domain/governance.js';
import { formatReportCell } from '../imports/report.js';
import {
  ART9_CONDITION_LABELS,
  CAPABILITY_LABELS,
  PARTY_LABELS,
  RESPONSIBILITIES,
  RESPONSIBILITY_LABELS,
  TRANSFER_MECHANISM_LABELS,
  type ActivityStatus,
  type ActivityView,
  type ArrangementView,
  type ProcessorView,
  type RecordOfProcessing,
  type TransferRecord,
} from '../shared/governance.js';
import { LAWFUL_BASIS_LABELS, SPECIAL_CATEGORY_LABELS } from '../shared/labels.js';
import { appendAuditEvent } from './audit.js';
import { actorOf, authorize, nowOf, type AppDeps, type Principal } from './context.js';
import {
  loadGovernanceGraph,
  presentActivity,
  presentArrangement,
  presentProcessor,
  todayOf,
} from './governance-records.js';

export const RECORD_FORMATS = ['csv', 'json', 'print'] as const;
export type RecordFormat = (typeof RECORD_FORMATS)[number];

export interface RecordOptions {
  format: RecordFormat;
  /** 'active' (the default): the processing the campaign carries out now; 'all' adds drafts and retired ones. */
  include?: 'active' | 'all';
}

/** The record of processing, read and audited. */
export async function exportRecordOfProcessing(
  deps: AppDeps,
  principal: Principal,
  campaignId: string,
  options: RecordOptions,
): Promise<RecordOfProcessing> {
  if (!RECORD_FORMATS.includes(options.format)) {
    throw invalid([{ field: 'format', message: `must be one of ${RECORD_FORMATS.join(', ')}` }]);
  }
  const include = options.include ?? 'active';
  if (include !== 'active' && include !== 'all') {
    throw invalid([{ field: 'include', message: 'must be active or all' }]);
  }
  return inCampaign(deps.db, campaignId, async (tx) => {
    await authorize(tx, principal, campaignId, 'governance.read');
    const graph = await loadGovernanceGraph(tx, campaignId, todayOf(deps));
    const wanted: readonly ActivityStatus[] = include === 'all' ? ['active', 'draft', 'retired'] : ['active'];
    const activities = [...graph.activities.values()]
      .filter((a) => wanted.includes(a.status))
      .sort((a, b) => wanted.indexOf(a.status) - wanted.indexOf(b.status));
    const processorIds = new Set(activities.flatMap((a) => a.processorIds));
    const arrangementIds = new Set(activities.flatMap((a) => a.arrangementIds));
    const now = nowOf(deps);
    await appendAuditEvent(
      tx,
      campaignId,
      actorOf(principal),
      { type: 'ropa.exported', data: { format: options.format, activities: activities.length } },
      now,
    );
    return {
      controller: {
        name: graph.controller.name,
        postalAddress: graph.controller.postalAddress,
        icoRegistrationNumber: graph.controller.icoRegistrationNumber,
        dpo: graph.controller.dpo,
      },
      generatedAt: now.toISOString(),
      activities: activities.map((a) => presentActivity(a, graph)),
      processors: [...graph.processors.values()]
        .filter((p) => processorIds.has(p.id))
        .map((p) => presentProcessor(p, graph)),
      arrangements: [...graph.arrangements.values()]
        .filter((a) => arrangementIds.has(a.id))
        .map((a) => presentArrangement(a, graph)),
    };
  });
}

// ---------------------------------------------------------------------------------------
// CSV
// ---------------------------------------------------------------------------------------

export const RECORD_CSV_HEADER = [
  'Activity',
  'Status',
  'Description',
  'Controller',
  'Controller contact',
  'Data protection officer',
  'Purposes',
  'Lawful basis',
  'Reasons / necessity note',
  'Legitimate interests assessment',
  'Categories of data subjects',
  'Categories of personal data',
  'Special category data and Art 9 conditions',
  'Appropriate policy document',
  'Sources',
  'Recipients',
  'Processors',
  'Joint controllers',
  'Transfers outside the UK and safeguards',
  'Retention',
  'Security measures',
  'Capabilities',
  'DPIA',
  'Activated',
  'Last changed',
] as const;

const joined = (items: readonly string[]): string => items.join('; ');

function transferText(t: TransferRecord | Transfer, who: string): string {
  const mechanism = t.mechanism ? TRANSFER_MECHANISM_LABELS[t.mechanism] : 'no mechanism recorded';
  const extras = [
    t.transferRiskAssessment ? `TRA: ${t.transferRiskAssessment}` : null,
    t.dpfCertificationCheckedOn ? `DPF certification checked ${t.dpfCertificationCheckedOn}` : null,
  ].filter((x): x is string => x !== null);
  return `${who} → ${countryName(t.country)} (${t.country}): ${mechanism}${extras.length ? ` (${extras.join(', ')})` : ''}`;
}

function processorText(p: ProcessorView): string {
  return `${p.name}${p.service ? ` — ${p.service}` : ''}${p.missingTerms.length ? ` [missing Art 28(3) terms: ${p.missingTerms.length}]` : ''}`;
}

function arrangementText(a: ArrangementView): string {
  const matrix = RESPONSIBILITIES.map(
    (r) =>
      `${RESPONSIBILITY_LABELS[r]}: ${a.responsibilities[r].party ? PARTY_LABELS[a.responsibilities[r].party] : 'unassigned'}`,
  ).join(', ');
  return `${a.platformName} (${a.scope.replaceAll('_', ' ')}) — ${matrix}${a.essence ? ` — essence: ${a.essence}` : ''}`;
}

function rowOf(record: RecordOfProcessing, a: ActivityView): string[] {
  const processors = record.processors.filter((p) => a.processorIds.includes(p.id));
  const arrangements = record.arrangements.filter((x) => a.arrangementIds.includes(x.id));
  const c = record.controller;
  const lia = a.legitimateInterestsAssessment;
  return [
    a.name,
    a.status,
    a.description,
    c.name,
    `${c.postalAddress}${c.icoRegistrationNumber ? ` (ICO registration ${c.icoRegistrationNumber})` : ''}`,
    c.dpo ? `${c.dpo.name}, ${c.dpo.email}${c.dpo.phone ? `, ${c.dpo.phone}` : ''}` : '',
    joined(a.purposes),
    a.lawfulBasis ? LAWFUL_BASIS_LABELS[a.lawfulBasis] : '',
    a.lawfulBasisNote ?? '',
    lia
      ? `Purpose: ${lia.purpose} Necessity: ${lia.necessity} Balancing: ${lia.balancing} Conclusion: ${lia.conclusion} (${lia.assessedBy}, ${lia.assessedOn ?? 'undated'})`
      : '',
    joined(a.dataSubjects),
    joined(a.dataCategories),
    joined(
      a.specialCategories.map(
        (s) =>
          `${SPECIAL_CATEGORY_LABELS[s.category]}${s.inferred ? ' (inferred)' : ''}: ${s.condition ? ART9_CONDITION_LABELS[s.condition] : 'no condition recorded'}${s.schedule1Paragraph !== null ? `, DPA 2018 Sch 1 para ${s.schedule1Paragraph}` : ''}`,
      ),
    ),
    a.appropriatePolicyDocument ?? '',
    joined([...a.sources.map((s) => s.name), ...(a.otherSources ? [a.otherSources] : [])]),
    joined(a.recipients),
    joined(processors.map(processorText)),
    joined(arrangements.map(arrangementText)),
    a.transfers === null
      ? 'not stated'
      : joined([
          ...(a.transfers.length === 0 ? ['None by the campaign itself'] : []),
          ...a.transfers.map((t) => transferText(t, t.recipient || 'recipient')),
          ...processors.flatMap((p) => [
            ...p.hosting.map((t) => transferText(t, p.name)),
            ...p.subProcessors.flatMap((s) => s.hosting.map((t) => transferText(t, `${p.name} / ${s.name}`))),
          ]),
        ]),
    a.retention ?? '',
    a.securityMeasures ?? '',
    joined(a.capabilities.map((k) => CAPABILITY_LABELS[k])),
    a.dpiaId ?? '',
    a.activatedAt ?? '',
    a.updatedAt,
  ];
}

/** The record as CSV: UTF-8 with a BOM (spreadsheets), CRLF, one row per activity. */
export function recordOfProcessingCsv(record: RecordOfProcessing): string {
  const lines = [RECORD_CSV_HEADER as readonly string[], ...record.activities.map((a) => rowOf(record, a))].map(
    (cells) => cells.map(formatReportCell).join(','),
  );
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}
