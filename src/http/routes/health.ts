import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import type { AppDeps } from '../../app/context.js';
import { VERSION } from '../server.js';

export function registerHealthRoutes(app: FastifyInstance, deps: AppDeps): void {
  app.get(
    '/health',
    { schema: { tags: ['health'], summary: 'Liveness and database check' } },
    async (_request, reply) => {
      try {
        await sql`SELECT 1`.execute(deps.db.kysely);
        return { status: 'ok', database: deps.db.kind, version: VERSION };
      } catch {
        return reply.status(503).send({ status: 'unavailable', database: deps.db.kind, version: VERSION });
      }
    },
  );
}
