import type { IncomingMessage } from 'node:http';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { AppDeps } from '../../app/context.js';
import {
  deleteImport,
  getImport,
  listImports,
  openImportReport,
  startImport,
  uploadImport,
  type ImportJobs,
} from '../../app/imports.js';
import { AppError } from '../../domain/errors.js';
import { columnMappingInputSchema } from '../../imports/column-mapping.js';
import { requirePrincipal } from '../auth.js';
import { campaignParams, idParam } from './common.js';
import type { JobsFacade } from './jobs.js';

const importParams = campaignParams.extend({ importId: z.uuid() });
const uploadQuery = z.object({ sourceId: z.uuid(), fileName: z.string().optional() });
const startBody = z.object({ mapping: columnMappingInputSchema, collectedAt: z.iso.datetime().optional() });

/** Content types the upload takes: the CSV bytes as they are, streamed. */
export const UPLOAD_CONTENT_TYPES = ['text/csv', 'application/octet-stream'];

export function registerImportRoutes(
  app: FastifyInstance,
  deps: AppDeps,
  jobs: (JobsFacade & Partial<ImportJobs>) | null,
): void {
  const enqueuer = (): ImportJobs => {
    if (!jobs?.enqueue) throw new AppError('invalid_state', 'imports cannot start: this server has no job runner');
    return jobs as ImportJobs;
  };

  // The upload route lives in its own scope, so the raw-body parser applies to it alone.
  void app.register(async (scope) => {
    scope.addContentTypeParser(UPLOAD_CONTENT_TYPES, (_request, payload, done) => done(null, payload));
    scope.post(
      '/campaigns/:campaignId/imports',
      {
        schema: {
          tags: ['imports'],
          summary:
            'Upload a CSV (raw body, Content-Type text/csv or application/octet-stream, at most 256 MB): returns its header, delimiter, a suggested mapping and sample rows',
          params: campaignParams,
          querystring: uploadQuery,
        },
      },
      async (request, reply) => {
        const principal = await requirePrincipal(deps, request);
        const campaignId = idParam(request.params, 'campaignId', 'campaign');
        const body = request.body as IncomingMessage | undefined;
        if (!body || typeof (body as { [Symbol.asyncIterator]?: unknown })[Symbol.asyncIterator] !== 'function') {
          throw new AppError('unsupported_media_type', 'send the CSV as the raw body with Content-Type text/csv');
        }
        const result = await uploadImport(deps, principal, campaignId, request.query, body);
        return reply.status(201).send(result);
      },
    );
  });

  app.get(
    '/campaigns/:campaignId/imports',
    { schema: { tags: ['imports'], summary: 'Imports, newest first', params: campaignParams } },
    async (request) => ({
      imports: await listImports(
        deps,
        await requirePrincipal(deps, request),
        idParam(request.params, 'campaignId', 'campaign'),
      ),
    }),
  );

  app.get(
    '/campaigns/:campaignId/imports/:importId',
    { schema: { tags: ['imports'], summary: 'One import with its progress and summary', params: importParams } },
    async (request) => ({
      import: await getImport(
        deps,
        await requirePrincipal(deps, request),
        idParam(request.params, 'campaignId', 'campaign'),
        idParam(request.params, 'importId', 'import'),
      ),
    }),
  );

  app.post(
    '/campaigns/:campaignId/imports/:importId/start',
    {
      schema: {
        tags: ['imports'],
        summary: 'Check the import rules and start the import with a column mapping (422 rule_refused names the rules)',
        params: importParams,
        body: startBody,
      },
    },
    async (request, reply) => {
      const principal = await requirePrincipal(deps, request);
      const view = await startImport(
        deps,
        principal,
        idParam(request.params, 'campaignId', 'campaign'),
        idParam(request.params, 'importId', 'import'),
        request.body,
        enqueuer(),
      );
      return reply.status(202).send({ import: view });
    },
  );

  app.get(
    '/campaigns/:campaignId/imports/:importId/report.csv',
    {
      schema: {
        tags: ['imports'],
        summary: 'The import report as CSV: one line per input record (the download is audited)',
        params: importParams,
      },
    },
    async (request, reply) => {
      const report = await openImportReport(
        deps,
        await requirePrincipal(deps, request),
        idParam(request.params, 'campaignId', 'campaign'),
        idParam(request.params, 'importId', 'import'),
      );
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="${report.fileName}"`)
        .send(report.stream);
    },
  );

  app.delete(
    '/campaigns/:campaignId/imports/:importId',
    { schema: { tags: ['imports'], summary: 'Delete an import that has not been started', params: importParams } },
    async (request, reply) => {
      await deleteImport(
        deps,
        await requirePrincipal(deps, request),
        idParam(request.params, 'campaignId', 'campaign'),
        idParam(request.params, 'importId', 'import'),
      );
      return reply.status(204).send();
    },
  );
}
