/**
 * The DPO's page (issue 4, item 6): one list of what is outstanding in a campaign's
 * compliance records, each item naming the rule it comes from and linking to the page where
 * it is fixed. Shared by the server (src/app/dpo-overview.ts) and the dashboard.
 */

/** How pressing an item is, most pressing first. */
export const OUTSTANDING_SEVERITIES = ['breach', 'blocked', 'due', 'warning'] as const;
export type OutstandingSeverity = (typeof OUTSTANDING_SEVERITIES)[number];

export const OUTSTANDING_SEVERITY_LABELS: Record<OutstandingSeverity, string> = {
  breach: 'A legal deadline has passed',
  blocked: 'Processing is blocked until this is fixed',
  due: 'Due soon',
  warning: 'To review',
};

export const OUTSTANDING_AREAS = [
  'activities',
  'joint_controllers',
  'processors',
  'transfers',
  'dpias',
  'art14',
] as const;
export type OutstandingArea = (typeof OUTSTANDING_AREAS)[number];

export const OUTSTANDING_AREA_LABELS: Record<OutstandingArea, string> = {
  activities: 'Record of processing (Art 30)',
  joint_controllers: 'Joint-controller arrangements (Art 26)',
  processors: 'Processors (Art 28)',
  transfers: 'International transfers',
  dpias: 'DPIAs (Art 35)',
  art14: 'Privacy information for people whose data came from elsewhere (Art 14)',
};

export interface OutstandingItem {
  /** Stable within one overview: area, record and problem. */
  id: string;
  area: OutstandingArea;
  severity: OutstandingSeverity;
  /** One line, e.g. "12 people have had no Art 14 notice for more than a month". */
  title: string;
  /** What is wrong and what fixes it, in plain words. */
  detail: string;
  ruleId: string;
  citation: string;
  /** Dashboard path (under the site root) of the page where it is fixed. */
  link: string;
  /** How many records it concerns, where it is a count. */
  count?: number;
}

export interface DpoOverview {
  generatedAt: string;
  /** Most pressing first. */
  items: OutstandingItem[];
}
