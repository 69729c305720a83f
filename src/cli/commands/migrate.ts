/**
 * `canvass migrate`: applies pending SQL migrations and installs or updates the job queue's
 * schema. On PostgreSQL run it with the database owner's DATABASE_URL; the application's
 * own role owns nothing and cannot.
 */
import type { Command } from 'commander';
import { begin, withJsonOption, type CommandContext } from '../command.js';
import { installJobs } from '../job-schema.js';
import { configOf, openConfiguredDatabase, prepareSchema } from '../runtime.js';

export function registerMigrateCommand(program: Command, ctx: CommandContext): void {
  withJsonOption(
    program
      .command('migrate')
      .description('apply pending database migrations and install the job queue schema')
      .addHelpText(
        'after',
        '\nOn PostgreSQL, run it as the database owner: DATABASE_URL=postgres://owner@host/canvass canvass migrate\n' +
          'With the embedded database (no DATABASE_URL) `canvass serve` also migrates by itself.',
      ),
  ).action(async (options: { json?: boolean }) => {
    const out = begin(ctx, options);
    const config = configOf(ctx.io);
    const opened = await openConfiguredDatabase(config, ctx.io.db);
    try {
      const report = await prepareSchema(opened.db, 'apply');
      const migrations = report.migrations ?? { applied: [], alreadyApplied: 0 };
      await installJobs(opened.db, 'owner');
      out.object({
        database: opened.db.kind,
        applied: migrations.applied,
        alreadyApplied: migrations.alreadyApplied,
        jobSchema: 'installed',
      });
      if (migrations.applied.length === 0) {
        out.line(
          `The database schema is up to date (${migrations.alreadyApplied} migration${migrations.alreadyApplied === 1 ? '' : 's'} applied earlier).`,
        );
      } else {
        out.line(`Applied ${migrations.applied.length} migration${migrations.applied.length === 1 ? '' : 's'}:`);
        for (const version of migrations.applied) out.line(`  ${version}`);
      }
      out.line('The job queue schema is installed.');
    } finally {
      await opened.close();
    }
  });
}
