/**
 * Once per test run: a migrated PGlite database (with the job schema) dumped to a file.
 * Each test file then starts its own in-memory PGlite from this image instead of running
 * initdb and every migration again (about 2.5 s instead of 10 s on this machine).
 */
import { rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { dumpPGliteImage, openDatabase } from '../src/db/client.js';
import { migrate } from '../src/db/migrate.js';
import { installJobSchema } from '../src/jobs/boss.js';

export default async function setup(project: TestProject): Promise<() => void> {
  const path = join(tmpdir(), `canvass-pglite-template-${process.pid}.tar`);
  const db = await openDatabase({ kind: 'pglite', dataDir: undefined });
  try {
    await migrate(db);
    await installJobSchema(db);
    const image = await dumpPGliteImage(db);
    writeFileSync(path, Buffer.from(await image.arrayBuffer()));
  } finally {
    await db.close();
  }
  project.provide('pgliteTemplate', path);
  return () => rmSync(path, { force: true });
}
