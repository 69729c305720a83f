import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { actorOf, assertCan, type AppDeps } from '../../app/context.js';
import type { AuditActor } from '../../domain/audit.js';
import { notFound } from '../../domain/errors.js';
import type { JobRun } from '../../jobs/job-runs.js';
import { requirePrincipal } from '../auth.js';
import { campaignParams, idParam } from './common.js';

/** What the HTTP layer needs from the job runner (src/jobs/runner.ts); routes authorize first. */
export interface JobsFacade {
  listJobs(campaignId: string): Promise<JobRun[]>;
  getJob(campaignId: string, jobId: string): Promise<JobRun | null>;
  requestCancel(campaignId: string, jobId: string, actor: AuditActor): Promise<JobRun>;
}

/** An allow-list: payloads, checkpoints and attempt details stay on the server. */
export function presentJob(job: JobRun) {
  return {
    id: job.jobId,
    name: job.name,
    status: job.status,
    progress: job.progress,
    createdAt: job.createdAt,
    startedAt: job.startedAt,
    finishedAt: job.finishedAt,
    cancelRequested: job.cancelRequestedAt !== null,
    error: job.error,
    result: job.status === 'completed' ? job.result : null,
  };
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
      return { jobs: jobs ? (await jobs.listJobs(campaignId)).map(presentJob) : [] };
    },
  );
  app.get(
    '/campaigns/:campaignId/jobs/:jobId',
    { schema: { tags: ['jobs'], summary: 'One job with its progress', params: jobParams } },
    async (request) => {
      const principal = await requirePrincipal(deps, request);
      const campaignId = idParam(request.params, 'campaignId', 'campaign');
      await assertCan(deps, principal, campaignId, 'jobs.read');
      const job = await need().getJob(campaignId, idParam(request.params, 'jobId', 'job'));
      if (!job) throw notFound('job');
      return { job: presentJob(job) };
    },
  );
  app.post(
    '/campaigns/:campaignId/jobs/:jobId/cancel',
    { schema: { tags: ['jobs'], summary: 'Cancel a queued or running job', params: jobParams } },
    async (request) => {
      const principal = await requirePrincipal(deps, request);
      const campaignId = idParam(request.params, 'campaignId', 'campaign');
      await assertCan(deps, principal, campaignId, 'jobs.cancel');
      const job = await need().requestCancel(campaignId, idParam(request.params, 'jobId', 'job'), actorOf(principal));
      return { job: presentJob(job) };
    },
  );
}
