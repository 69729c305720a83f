import type { Database } from '../db/client.js';
import { installJobSchema } from '../jobs/boss.js';
import { CliError } from './io.js';
import { isInsufficientPrivilege } from './runtime.js';

/**
 * Installs or updates pg-boss's schema and queues. As the owner (`canvass migrate`, and
 * `serve` on PGlite) a failure stops; as the application's role on PostgreSQL, lacking the
 * privilege is expected when `canvass migrate` already did it, so it returns a note and the
 * runner's own check at start decides.
 */
export async function installJobs(db: Database, as: 'owner' | 'app'): Promise<string | null> {
  try {
    await installJobSchema(db);
    return null;
  } catch (error) {
    if (!isInsufficientPrivilege(error)) throw error;
    if (as === 'owner') {
      throw new CliError(
        'forbidden',
        `this database role may not install the job queue schema (${(error as Error).message}): connect as the database owner`,
      );
    }
    return 'note: this database role may not install the job queue schema; using the one `canvass migrate` installed';
  }
}
