/**
 * Every job the product runs. `canvass migrate` creates a queue for each, and the server's
 * runner works them. To change a job's payload or checkpoint shape incompatibly, add a new
 * version and keep the old one here until its queue has drained.
 */
import { auditVerifyJob } from './audit-verify-job.js';
import { importJob } from './import-job.js';
import type { AnyJobDefinition } from './definition.js';

export const JOBS: readonly AnyJobDefinition[] = [auditVerifyJob, importJob];
