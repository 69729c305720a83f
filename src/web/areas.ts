/**
 * The areas of a campaign. Those not built yet say so plainly, and say what they will do;
 * none shows invented data.
 */
import type { Ability } from '../shared/labels.js';

export interface Area {
  path: string;
  label: string;
  section: 'Campaign' | 'Supporters and outreach' | 'Compliance' | 'Administration';
  /** The ability needed to see the area; none means every member. */
  needs?: Ability;
  /** Present for areas that are not available yet. */
  upcoming?: { arrivesWith: string; summary: string; points: string[] };
}

export const AREAS: readonly Area[] = [
  { path: '', label: 'Overview', section: 'Campaign' },
  { path: 'people', label: 'People', section: 'Supporters and outreach', needs: 'people.read' },
  { path: 'tags', label: 'Tags and lists', section: 'Supporters and outreach', needs: 'people.read' },
  { path: 'sources', label: 'Sources', section: 'Supporters and outreach', needs: 'sources.read' },
  { path: 'imports', label: 'Imports', section: 'Supporters and outreach', needs: 'imports.read' },
  { path: 'audiences', label: 'Audiences', section: 'Supporters and outreach', needs: 'audiences.read' },
  {
    path: 'messages',
    label: 'Messages',
    section: 'Supporters and outreach',
    upcoming: {
      arrivesWith: 'the messaging release',
      summary: 'Email and text messages to audiences, sent only where e-privacy rules allow.',
      points: [
        'Send only to people who gave the consent that electronic marketing needs (PECR regulation 22).',
        'Include a working way to unsubscribe in every message, and act on it at once.',
        'Add the imprint that digital election material must carry.',
      ],
    },
  },
  { path: 'website-consent', label: 'Website consent', section: 'Supporters and outreach', needs: 'governance.read' },
  { path: 'dpo', label: 'What needs the DPO', section: 'Compliance', needs: 'governance.read' },
  {
    path: 'rights-requests',
    label: 'Rights requests',
    section: 'Compliance',
    upcoming: {
      arrivesWith: 'the data subject rights release',
      summary: "Requests from people exercising their rights, tracked against the law's deadlines.",
      points: [
        'Log subject access, erasure, rectification and objection requests.',
        'Track each request against its one-month deadline, and any lawful extension.',
        'Gather what Canvass holds about the person to answer an access request.',
      ],
    },
  },
  { path: 'objections', label: 'Record an objection', section: 'Compliance', needs: 'objections.record' },
  { path: 'record-of-processing', label: 'Record of processing', section: 'Compliance', needs: 'governance.read' },
  { path: 'processors', label: 'Processors', section: 'Compliance', needs: 'governance.read' },
  { path: 'joint-controllers', label: 'Joint controllers', section: 'Compliance', needs: 'governance.read' },
  { path: 'dpias', label: 'DPIAs', section: 'Compliance', needs: 'dpias.read' },
  { path: 'privacy-notice', label: 'Privacy notice', section: 'Compliance', needs: 'privacy_notice.read' },
  { path: 'audit', label: 'Audit trail', section: 'Compliance', needs: 'audit.read' },
  { path: 'jobs', label: 'Jobs', section: 'Administration', needs: 'jobs.read' },
  { path: 'members', label: 'Members', section: 'Administration', needs: 'members.read' },
  { path: 'settings', label: 'Settings', section: 'Administration' },
];

export const SECTIONS = ['Campaign', 'Supporters and outreach', 'Compliance', 'Administration'] as const;
