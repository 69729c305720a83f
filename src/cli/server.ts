/**
 * Starting and stopping the whole server process: database (migrated), job runner, HTTP.
 * `canvass serve` uses it, and so can a test or an embedding script: startServer() returns
 * once the server listens, with a stop() that undoes everything in reverse order.
 */
import { resolve } from 'node:path';
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import type { Config } from '../config.js';
import type { AppDeps } from '../app/context.js';
import { isSetupNeeded, issueSetupLink } from '../app/setup.js';
import type { Database } from '../db/client.js';
import { buildServer } from '../http/server.js';
import { JOBS } from '../jobs/registry.js';
import { createJobRunner, type JobLogger, type JobRunner } from '../jobs/runner.js';
import { CliError } from './io.js';
import { installJobs } from './job-schema.js';
import { OWNER_MIGRATE_HINT, openConfiguredDatabase, prepareSchema, settingsOf } from './runtime.js';

export interface StartServerOptions {
  /** Use this database instead of opening the configured one (it is left open on stop). */
  db?: Database;
  /** Notes for the operator (schema checks); default: ignored. */
  note?: (line: string) => void;
}

export interface RunningServer {
  /** Where the server answers: PUBLIC_URL, or the bound address when PORT is 0. */
  url: string;
  /** The one-time setup link while no account exists, else null. It is a secret. */
  setupLink: string | null;
  deps: AppDeps;
  /** The job runner (working the queue unless JOBS=false). */
  jobs: JobRunner;
  /** Closes the HTTP server, stops the job runner and closes the database. Idempotent. */
  stop(): Promise<void>;
}

/** Forwards the runner's log lines to the server's logger once it exists. */
function deferredLogger(): { logger: JobLogger; attach(log: FastifyBaseLogger): void } {
  let target: FastifyBaseLogger | null = null;
  return {
    logger: {
      info: (data, message) => target?.info(data, message),
      warn: (data, message) => target?.warn(data, message),
      error: (data, message) => target?.error(data, message),
    },
    attach(log) {
      target = log.child({ component: 'jobs' });
    },
  };
}

export async function startServer(config: Config, options: StartServerOptions = {}): Promise<RunningServer> {
  const note = options.note ?? (() => undefined);
  const opened = await openConfiguredDatabase(config, options.db);
  const { db } = opened;
  let app: FastifyInstance | null = null;
  let runner: JobRunner | null = null;
  let stopped = false;

  // Reverse order of start: stop taking requests, let running jobs finish or put them back,
  // then close the database. Every step runs even if an earlier one failed.
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    const failures: unknown[] = [];
    const attempt = async (step: () => Promise<unknown>): Promise<void> => {
      try {
        await step();
      } catch (error) {
        failures.push(error);
      }
    };
    if (app) await attempt(() => app!.close());
    if (runner) await attempt(() => runner!.stop());
    await attempt(() => opened.close());
    if (failures.length > 0) throw failures[0];
  };

  try {
    const schema = await prepareSchema(db, 'apply-if-allowed');
    schema.warnings.forEach(note);
    const jobNote = await installJobs(db, db.kind === 'pglite' ? 'owner' : 'app');
    if (jobNote) note(jobNote);

    // The settings object is the server's own: with PORT=0 its publicUrl is completed below,
    // once the port is known, before any link is issued or any request is checked against it.
    const settings = settingsOf(config);
    const deps: AppDeps = { db, settings };

    // The API reads and cancels jobs through the runner even when this process does not
    // work them (JOBS=false: another process runs the queue).
    const jobLog = deferredLogger();
    const jobs = createJobRunner({ db, jobs: JOBS, logger: jobLog.logger });
    app = await buildServer({
      deps,
      logLevel: config.logLevel,
      trustProxy: config.trustProxy,
      jobs,
      audienceExportsDir: resolve(config.dataDir, 'audience-exports'),
    });
    jobLog.attach(app.log);

    await app.listen({ port: config.port, host: config.host });
    const publicUrl = new URL(settings.publicUrl);
    if (publicUrl.port === '0') {
      const address = app.server.address();
      if (address !== null && typeof address === 'object') publicUrl.port = String(address.port);
      settings.publicUrl = publicUrl.toString().replace(/\/$/, '');
    }

    // Jobs are worked only once the port is ours: a server that fails to start takes none.
    if (config.runJobs) {
      try {
        await jobs.start();
      } catch (error) {
        const hint = db.kind === 'postgres' ? ` (${OWNER_MIGRATE_HINT})` : '';
        throw new CliError('invalid_state', `the job runner could not start: ${(error as Error).message}${hint}`);
      }
      runner = jobs;
    }

    const setupLink = (await isSetupNeeded(deps)) ? await issueSetupLink(deps) : null;
    return { url: settings.publicUrl, setupLink, deps, jobs, stop };
  } catch (error) {
    await stop().catch(() => undefined);
    throw error;
  }
}
