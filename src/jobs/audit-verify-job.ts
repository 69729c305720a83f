/**
 * Verifies a campaign's audit hash chain (UK GDPR Art 5(2) accountability) as a job, so a
 * long chain is checked in the background with visible progress. The result is the
 * ChainVerification. It keeps no checkpoint: the walk is read-only and fast enough to
 * restart from the first event after a crash.
 */
import { z } from 'zod';
import { verifyAuditTrail } from '../app/audit.js';
import type { ChainVerification } from '../domain/audit.js';
import { defineJob } from './definition.js';

export const auditVerifyJob = defineJob({
  name: 'audit.verify',
  version: 1,
  payload: z.object({}).strict(),
  retryLimit: 2,
  handler: async (ctx): Promise<ChainVerification> => {
    const result = await verifyAuditTrail(ctx.database, ctx.campaignId, {
      onProgress: ({ eventsChecked, headSeq }) => ctx.reportProgress(eventsChecked, headSeq),
    });
    await ctx.reportProgress(result.eventsChecked, result.headSeq);
    return result;
  },
});
