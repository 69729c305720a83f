/**
 * PGlite is PostgreSQL in single-user mode: two processes that open the same data directory
 * both succeed, both write, and corrupt it (PGlite itself takes no lock, see
 * electric-sql/pglite#1106). Every command that opens the embedded database first takes this
 * lock: a file beside the data directory holding the process id. A live holder is never
 * displaced; a lock whose process has gone is taken over.
 */
import { closeSync, mkdirSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { CliError } from './io.js';

export interface PgliteLock {
  readonly path: string;
  release(): void;
}

function holderOf(path: string): number | null {
  try {
    const pid = Number.parseInt(readFileSync(path, 'utf8').trim(), 10);
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function acquirePgliteLock(dataDir: string): PgliteLock {
  const path = `${dataDir}.lock`;
  mkdirSync(dirname(path), { recursive: true });
  for (let attempt = 0; attempt < 3; attempt += 1) {
    let fd: number;
    try {
      fd = openSync(path, 'wx');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = holderOf(path);
      if (holder !== null && isAlive(holder)) {
        const who = holder === process.pid ? 'this process' : `another canvass process (pid ${holder})`;
        throw new CliError(
          'conflict',
          `the embedded database in ${dataDir} is in use by ${who}. PGlite allows one process at a time: ` +
            'stop `canvass serve` before running this command, or use PostgreSQL (DATABASE_URL) to run both at once.',
        );
      }
      // The holder has gone (or the file is unreadable): the lock is stale.
      try {
        unlinkSync(path);
      } catch (unlinkError) {
        if ((unlinkError as NodeJS.ErrnoException).code !== 'ENOENT') throw unlinkError;
      }
      continue;
    }
    try {
      writeSync(fd, `${process.pid}\n`);
    } finally {
      closeSync(fd);
    }
    let released = false;
    const release = (): void => {
      if (released) return;
      released = true;
      process.removeListener('exit', release);
      // Remove only our own lock, never one a later process took over.
      if (holderOf(path) === process.pid) {
        try {
          unlinkSync(path);
        } catch {
          // already gone
        }
      }
    };
    process.on('exit', release);
    return { path, release };
  }
  throw new CliError('conflict', `could not take the lock ${path} on the embedded database; try again`);
}
