/**
 * The DPO's page (issue 4, item 6): what is outstanding across the campaign's compliance
 * records, most pressing first, each item with its rule and a link to where it is fixed.
 * Each area contributes a collector; a collector reads its own records in the same
 * transaction (one consistent snapshot) and says what is missing.
 */
import { sql } from 'kysely';
import type { Tx } from '../db/scope.js';
import { inCampaign } from '../db/scope.js';
import { ART14_BREACH_DAY, art14WarningFrom } from '../domain/people.js';
import { RULE_CATALOGUE } from '../domain/rules/catalogue.js';
import { OUTSTANDING_SEVERITIES, type DpoOverview, type OutstandingItem } from '../shared/dpo.js';
import { authorize, nowOf, type AppDeps, type Principal } from './context.js';
import { selectDpiaSummaries } from './dpias.js';
import { governanceOutstanding } from './governance-outstanding.js';

/** One area's contribution: the items it finds outstanding at `now`. */
export type OutstandingCollector = (tx: Tx, campaignId: string, now: Date) => Promise<OutstandingItem[]>;

const campaignPath = (campaignId: string): string => `/c/${campaignId}`;

const plural = (n: number, one: string, many: string): string => `${n.toLocaleString('en-GB')} ${n === 1 ? one : many}`;

/**
 * TR-ART14-ONE-MONTH: people whose data came from a third party and who have not been sent
 * the Art 14 information — overdue after one month (a breach), or within the last nine days
 * of it (day 21 on).
 */
export const art14Outstanding: OutstandingCollector = async (tx, campaignId, now) => {
  const rule = RULE_CATALOGUE['TR-ART14-ONE-MONTH'];
  // The partial index people_art14_idx holds exactly the people still owed a notice.
  const counts = await sql<{ overdue: string; warning: string }>`
    SELECT count(*) FILTER (WHERE art14_due_at <= ${now}) AS overdue,
           count(*) FILTER (WHERE art14_due_at > ${now} AND art14_due_at <= ${art14WarningFrom(now)}) AS warning
      FROM people
     WHERE campaign_id = ${campaignId} AND art14_due_at IS NOT NULL AND art14_notified_at IS NULL`.execute(tx);
  const overdue = Number(counts.rows[0]?.overdue ?? 0);
  const warning = Number(counts.rows[0]?.warning ?? 0);
  const items: OutstandingItem[] = [];
  if (overdue > 0) {
    items.push({
      id: 'art14:overdue',
      area: 'art14',
      severity: 'breach',
      title: `${plural(overdue, 'person has', 'people have')} had no Art 14 notice for more than ${ART14_BREACH_DAY} days`,
      detail:
        'Their data came from a third party (a broker, the electoral register, a partner organisation or public sources) and they have not been told who you are and how you use it. Send the privacy information and record it on each person.',
      ruleId: rule.id,
      citation: rule.citation,
      link: `${campaignPath(campaignId)}/people?art14=overdue`,
      count: overdue,
    });
  }
  if (warning > 0) {
    items.push({
      id: 'art14:warning',
      area: 'art14',
      severity: 'due',
      title: `${plural(warning, 'person is', 'people are')} owed an Art 14 notice within 9 days`,
      detail:
        'The one-month deadline for telling them about the processing is close. Send the privacy information and record it on each person.',
      ruleId: rule.id,
      citation: rule.citation,
      link: `${campaignPath(campaignId)}/people?art14=warning`,
      count: warning,
    });
  }
  return items;
};

/**
 * DPIA-HIGH-RISK and the DPIA's own life: a DPIA that screening says is required and has no
 * approved version (the activity's features that need one stay locked), an approval past its
 * review date (locked again) or close to it, and overdue actions of the action plan.
 */
export const dpiaOutstanding: OutstandingCollector = async (tx, campaignId, now) => {
  const rule = RULE_CATALOGUE['DPIA-HIGH-RISK'];
  const items: OutstandingItem[] = [];
  for (const d of await selectDpiaSummaries(tx, campaignId, now)) {
    const link = `${campaignPath(campaignId)}/dpias/${d.id}`;
    const base = { area: 'dpias' as const, ruleId: rule.id, citation: rule.citation, link };
    if (d.inForce === null && d.screeningRequired) {
      items.push({
        ...base,
        id: `dpia:${d.id}:unapproved`,
        severity: 'blocked',
        title: `“${d.title}” has no approved version (latest: version ${d.latestVersion}, ${d.latestStatus.replace('_', ' ')})`,
        detail:
          'Screening says this processing needs a DPIA, so the features that rely on it stay locked until a version is approved. Complete the seven steps and sign it off.',
      });
    } else if (d.inForce?.reviewState === 'expired') {
      items.push({
        ...base,
        id: `dpia:${d.id}:expired`,
        severity: 'blocked',
        title: `“${d.title}” is past its review date (${d.inForce.reviewDate ?? 'none set'})`,
        detail:
          'An approval stops counting at its review date, so the features that rely on it are locked again. Review the DPIA and approve a new version.',
      });
    } else if (d.inForce?.reviewState === 'due_soon') {
      items.push({
        ...base,
        id: `dpia:${d.id}:review`,
        severity: 'due',
        title: `“${d.title}” is due for review by ${d.inForce.reviewDate ?? ''}`,
        detail: 'Review it before that date, or the features that rely on it will be locked.',
      });
    }
    if (d.overdueActions > 0) {
      items.push({
        ...base,
        id: `dpia:${d.id}:actions`,
        severity: 'due',
        title: `“${d.title}”: ${plural(d.overdueActions, 'action is', 'actions are')} overdue`,
        detail: 'The action plan has measures past their due date. Complete them or record a new date and owner.',
        count: d.overdueActions,
      });
    }
  }
  return items;
};

/**
 * The two links between an activity and its DPIA must agree: the record of processing names
 * the activity's DPIA (Art 30 read with Art 35), and the DPIA names the activity it assesses,
 * which decides the cover of the activity's features (DPIA-HIGH-RISK). A disagreement means
 * the record says one thing and the features are unlocked (or locked) by another.
 */
export const dpiaLinkOutstanding: OutstandingCollector = async (tx, campaignId) => {
  const rule = RULE_CATALOGUE['DPIA-HIGH-RISK'];
  const rows = await sql<{ activity_id: string; name: string; named: string | null; assessing: string | null }>`
    SELECT a.activity_id, a.name, a.dpia_id AS named,
           (SELECT d.dpia_id FROM dpias d
             WHERE d.campaign_id = a.campaign_id AND d.activity_id = a.activity_id
             ORDER BY d.updated_at DESC, d.dpia_id LIMIT 1) AS assessing
      FROM processing_activities a
     WHERE a.campaign_id = ${campaignId} AND a.status <> 'retired'
     ORDER BY a.name, a.activity_id`.execute(tx);
  const items: OutstandingItem[] = [];
  for (const r of rows.rows) {
    if (r.named === r.assessing) continue;
    const link = `${campaignPath(campaignId)}/record-of-processing/${r.activity_id}`;
    const base = {
      area: 'dpias' as const,
      severity: 'warning' as const,
      ruleId: rule.id,
      citation: rule.citation,
      link,
    };
    if (r.named !== null) {
      items.push({
        ...base,
        id: `dpia-link:${r.activity_id}`,
        title: `“${r.name}” names a DPIA that assesses ${r.assessing === null ? 'no' : 'another'} activity`,
        detail:
          'The record of processing names one DPIA for this activity, but the cover of its features is decided by the DPIA linked to the activity. Link that DPIA to this activity, or name the DPIA that assesses it.',
      });
    } else {
      items.push({
        ...base,
        id: `dpia-link:${r.activity_id}`,
        title: `“${r.name}” does not name the DPIA that assesses it`,
        detail:
          'A DPIA is linked to this activity, but its record of processing does not name it. Add it to the record.',
      });
    }
  }
  return items;
};

/** Every area's collector, in the order the page lists areas of equal severity. */
export const OUTSTANDING_COLLECTORS: readonly OutstandingCollector[] = [
  governanceOutstanding,
  dpiaOutstanding,
  dpiaLinkOutstanding,
  art14Outstanding,
];

const RANK = new Map(OUTSTANDING_SEVERITIES.map((s, i) => [s, i]));

/** What is outstanding in the campaign's compliance records, most pressing first. */
export async function getDpoOverview(deps: AppDeps, principal: Principal, campaignId: string): Promise<DpoOverview> {
  return inCampaign(deps.db, campaignId, async (tx) => {
    await authorize(tx, principal, campaignId, 'governance.read');
    const now = nowOf(deps);
    const items: OutstandingItem[] = [];
    for (const collect of OUTSTANDING_COLLECTORS) items.push(...(await collect(tx, campaignId, now)));
    // Stable sort: by severity, then in collector order.
    items.sort((a, b) => RANK.get(a.severity)! - RANK.get(b.severity)!);
    return { generatedAt: now.toISOString(), items };
  });
}
