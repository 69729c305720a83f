import type { FastifyInstance } from 'fastify';
import { assertCan, type AppDeps, type Principal } from '../../app/context.js';
import { notFound } from '../../domain/errors.js';
import { requirePrincipal } from '../auth.js';
import { campaignParams, idParam } from './common.js';
import { z } from 'zod';

/** What the HTTP layer needs from the job runner (src/jobs). Callers authorize first. */
export interface JobsFacade {
  listJobs(campaignId: string): Promise<unknown[]>;
  getJob(campaignId: string, jobId: string): Promise<unknown>;
  cancelJob(campaignId: string, jobId: string, principal: Principal): Promise<unknown>;
}

export function registerJobRoutes(app: FastifyInstance, deps: AppDeps, jobs: JobsFacade | null): void {
  const jobParams = campaignParams.extend({ jobId: z.uuid() });
  const need = (): JobsFacade => {
    if (!jobs) throw notFound('job');
    return jobs;
  };
  app.get(
    '/campaigns/:campaignId/jobs',
    { schema: { tags: ['jobs'], summary: 'Jobs of the campaign, newest first', params: campaignParams } },
    async (request) => {
      const principal = await requirePrincipal(deps, request);
      const campaignId = idParam(request.params, 'campaignId', 'campaign');
      await assertCan(deps, principal, campaignId, 'jobs.read');
      return { jobs: jobs ? await jobs.listJobs(campaignId) : [] };
    },
  );
  app.get(
    '/campaigns/:campaignId/jobs/:jobId',
    { schema: { tags: ['jobs'], summary: 'One job with its progress', params: jobParams } },
    async (request) => {
      const principal = await requirePrincipal(deps, request);
      const campaignId = idParam(request.params, 'campaignId', 'campaign');
      await assertCan(deps, principal, campaignId, 'jobs.read');
      return { job: await need().getJob(campaignId, idParam(request.params, 'jobId', 'job')) };
    },
  );
  app.post(
    '/campaigns/:campaignId/jobs/:jobId/cancel',
    { schema: { tags: ['jobs'], summary: 'Cancel a queued or running job', params: jobParams } },
    async (request) => {
      const principal = await requirePrincipal(deps, request);
      const campaignId = idParam(request.params, 'campaignId', 'campaign');
      await assertCan(deps, principal, campaignId, 'jobs.cancel');
      return { job: await need().cancelJob(campaignId, idParam(request.params, 'jobId', 'job'), principal) };
    },
  );
}
