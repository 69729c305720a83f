/**
 * What is outstanding in the governance records, for the DPO's page (issue 4, item 6): the
 * activities that cannot be activated (or no longer pass) and why, the arrangements with
 * unassigned Art 26 responsibilities or an overdue review, the processors missing Art 28(3)
 * terms, and the transfers without a mechanism. Each item links to the page where it is fixed
 * and names its rule. A collector of src/app/dpo-overview.ts: it reads in the caller's
 * transaction.
 */
import type { Tx } from '../db/scope.js';
import { arrangementLabel, type ProcessingActivity } from '../domain/governance.js';
import type { Finding } from '../domain/rules/rule.js';
import type { OutstandingArea, OutstandingItem, OutstandingSeverity } from '../shared/dpo.js';
import {
  decideActivityFields,
  linkedActivities,
  loadGovernanceGraph,
  presentArrangement,
  presentProcessor,
} from './governance-records.js';

/**
 * Rules whose findings are fixed on the arrangement or the processor (listed there, once each),
 * and transfers (listed on their own); every other finding of activation is fixed on the activity.
 */
const FIXED_ELSEWHERE = new Set([
  'ONL-ARRANGEMENT-GAPS',
  'ONL-PLATFORM-ELIGIBILITY',
  'CTRL-ART28-CONTRACT',
  'CTRL-SEGREGATION',
  'XFER-MECHANISM',
]);

const blocks = (f: Finding): boolean => f.outcome === 'refuse' || f.outcome === 'require';

/** Whether any draft or active activity relies on the record (so its refusals block processing). */
const relied = (activities: readonly ProcessingActivity[]): boolean => activities.some((a) => a.status !== 'retired');

export async function governanceOutstanding(tx: Tx, campaignId: string, now: Date): Promise<OutstandingItem[]> {
  const graph = await loadGovernanceGraph(tx, campaignId, now.toISOString().slice(0, 10));
  const base = `/c/${campaignId}`;
  const items: OutstandingItem[] = [];
  const add = (
    area: OutstandingArea,
    severity: OutstandingSeverity,
    id: string,
    title: string,
    link: string,
    findings: readonly Finding[],
  ): void => {
    const first = findings[0];
    if (!first) return;
    items.push({
      id,
      area,
      severity,
      title,
      detail: findings.map((f) => `${f.explanation}${f.remedy ? ` ${f.remedy}` : ''}`).join(' '),
      ruleId: first.ruleId,
      citation: first.citation,
      link,
    });
  };

  for (const activity of graph.activities.values()) {
    if (activity.status === 'retired') continue;
    const own = decideActivityFields(activity, graph).findings.filter((f) => !FIXED_ELSEWHERE.has(f.ruleId));
    const blocking = own.filter(blocks);
    const link = `${base}/record-of-processing/${activity.id}`;
    if (blocking.length > 0) {
      add(
        'activities',
        'blocked',
        `activity:${activity.id}`,
        activity.status === 'active'
          ? `"${activity.name}" is active but no longer passes ${[...new Set(blocking.map((f) => f.ruleId))].join(', ')}`
          : `"${activity.name}" cannot be activated`,
        link,
        blocking,
      );
    } else if (own.length > 0) {
      add('activities', 'warning', `activity:${activity.id}:warn`, `"${activity.name}" has warnings`, link, own);
    }
    const transfers = decideActivityFields(
      { ...activity, processorIds: [], arrangementIds: [] },
      graph,
    ).findings.filter((f) => f.ruleId === 'XFER-MECHANISM');
    add(
      'transfers',
      transfers.some(blocks) ? 'blocked' : 'warning',
      `activity-transfers:${activity.id}`,
      `"${activity.name}" sends data outside the UK without a valid mechanism`,
      link,
      transfers,
    );
  }

  for (const arrangement of graph.arrangements.values()) {
    if (arrangement.archivedAt) continue;
    const view = presentArrangement(arrangement, graph);
    const link = `${base}/joint-controllers/${arrangement.id}`;
    const label = arrangementLabel(arrangement);
    const blocking = view.decision.findings.filter(blocks);
    add(
      'joint_controllers',
      relied(linkedActivities(graph, { arrangementId: arrangement.id })) ? 'blocked' : 'warning',
      `arrangement:${arrangement.id}`,
      view.gaps.length > 0
        ? `${label}: ${view.gaps.map((g) => g.label).join(', ')}`
        : `${label}: refused by ${blocking.map((f) => f.ruleId).join(', ')}`,
      link,
      blocking,
    );
    add(
      'joint_controllers',
      view.review === 'overdue' ? 'due' : 'warning',
      `arrangement:${arrangement.id}:review`,
      view.review === 'overdue' ? `${label}: review overdue` : `${label}: no review date`,
      link,
      view.decision.findings.filter((f) => !blocks(f) && f.ruleId === 'ONL-ARRANGEMENT-GAPS'),
    );
  }

  for (const processor of graph.processors.values()) {
    if (processor.archivedAt) continue;
    const view = presentProcessor(processor, graph);
    const link = `${base}/processors/${processor.id}`;
    const severity: OutstandingSeverity = relied(linkedActivities(graph, { processorId: processor.id }))
      ? 'blocked'
      : 'warning';
    add(
      'processors',
      severity,
      `processor:${processor.id}:art28`,
      `${processor.name}: ${view.missingTerms.length} Art 28(3) term${view.missingTerms.length === 1 ? '' : 's'} missing`,
      link,
      view.decision.findings.filter((f) => f.ruleId === 'CTRL-ART28-CONTRACT'),
    );
    const transfers = view.decision.findings.filter((f) => f.ruleId === 'XFER-MECHANISM');
    add(
      'transfers',
      transfers.some(blocks) ? severity : 'warning',
      `processor:${processor.id}:transfers`,
      `${processor.name}: where it hosts the data, or on what transfer mechanism, is not settled`,
      link,
      transfers,
    );
    add(
      'processors',
      'warning',
      `processor:${processor.id}:segregation`,
      `${processor.name}: segregation or "service improvement" not settled`,
      link,
      view.decision.findings.filter((f) => f.ruleId === 'CTRL-SEGREGATION'),
    );
  }
  return items;
}
