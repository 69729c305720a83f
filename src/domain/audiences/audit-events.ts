/**
 * The audit events of audiences (issue 5), part of the AuditEvent union of src/domain/audit.ts.
 * Their stored JSON is a contract: add fields, never rename or remove. Ids and counts only —
 * never an identifier or a hash of one.
 */
export type AudienceAuditEvent =
  | { type: 'audience.segment_saved'; data: { segmentId: string; name: string; created: boolean } }
  | {
      type: 'audience.created';
      data: { audienceId: string; name: string; platform: string; kind: string; activityId: string; segmentId: string };
    }
  | { type: 'audience.updated'; data: { audienceId: string; fields: string[] } }
  | {
      type: 'audience.exported';
      data: {
        audienceId: string;
        exportId: string;
        operation: 'add' | 'remove';
        platform: string;
        people: number;
        rows: number;
        files: { name: string; sha256: string }[];
        excluded: Record<string, number>;
        decisionSeq: number | null;
        normalizationRulesVersion: string;
      };
    }
  | { type: 'audience.file_downloaded'; data: { exportId: string; audienceId: string; file: string } }
  | { type: 'audience.uploaded'; data: { audienceId: string; exportId: string; uploadId: string } }
  | {
      type: 'audience.removals_queued';
      data: { personId: string; reason: 'objection' | 'consent_withdrawn' | 'erased'; audienceIds: string[] };
    }
  | { type: 'audience.removals_confirmed'; data: { audienceId: string; exportId: string; removals: number } }
  | { type: 'audience.files_expired'; data: { exportIds: string[] } }
  | { type: 'audience.settings_updated'; data: { fileExpiryDays: number } }
  | { type: 'audience.explicit_wording_marked'; data: { wordingHash: string } };
