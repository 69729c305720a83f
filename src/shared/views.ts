/**
 * Response shapes the server sends and the dashboard reads, defined once. Pure types with
 * no imports beyond src/shared, so the browser bundle can use them.
 */
import type { ImportStatus } from './labels.js';

/** A rule's finding: why processing was refused, required a record, or warned. */
export interface Finding {
  ruleId: string;
  citation: string;
  outcome: 'warn' | 'require' | 'refuse';
  /** Plain English: what is wrong, for the person who asked. */
  explanation: string;
  /** What would make it allowed (null when nothing can: e.g. an absolute objection). */
  remedy: string | null;
}

/** Every input record lands in exactly one of these. */
export interface ImportSummary {
  total: number;
  created: number;
  merged: number;
  suppressed: number;
  rejected: number;
  skipped: number;
  /**
   * Blank lines of the file (empty, or only spaces and tabs): not records, so in no count
   * above and not in the report; counted once the import has read the whole file.
   */
  blankLines?: number;
}

export interface ImportView {
  id: string;
  sourceId: string;
  sourceName: string;
  fileName: string;
  fileBytes: number;
  status: ImportStatus;
  decisions: Finding[];
  summary: ImportSummary | null;
  mapping: { column: string; field: string }[];
  jobId: string | null;
  progress: { done: number; total: number | null } | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
}

/** The Art 14 notice clock of a person (TR-ART14-ONE-MONTH). */
export type Art14Status = 'not_applicable' | 'notified' | 'due' | 'warning' | 'overdue';

export interface PersonSummary {
  id: string;
  firstName: string | null;
  lastName: string | null;
  email: string | null;
  phone: string | null;
  postcode: string | null;
  objected: boolean;
  art14Status: Art14Status;
  createdAt: string;
}
