/**
 * The embedded database's lock: PGlite takes none, and two processes on one data directory
 * corrupt it, so every CLI command that opens it holds `<data dir>.lock`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable, Writable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CliError } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { acquirePgliteLock } from '../../src/cli/pglite-lock.js';

class Capture extends Writable {
  text = '';
  override _write(chunk: Buffer | string, _encoding: BufferEncoding, callback: () => void): void {
    this.text += chunk.toString();
    callback();
  }
}

let root: string;
let dataDir: string;

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'canvass-cli-lock-'));
  dataDir = join(root, 'pglite');
});

afterEach(() => {
  rmSync(root, { recursive: true, force: true });
});

/** A live process that is not this one. */
function otherProcess(): ChildProcess {
  return spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
}

describe('acquirePgliteLock', () => {
  it('writes the pid beside the data directory and removes it on release', () => {
    const lock = acquirePgliteLock(dataDir);
    expect(lock.path).toBe(`${dataDir}.lock`);
    expect(readFileSync(lock.path, 'utf8').trim()).toBe(String(process.pid));
    lock.release();
    expect(existsSync(lock.path)).toBe(false);
    lock.release(); // idempotent
  });

  it('refuses a second holder while the first is alive', () => {
    const lock = acquirePgliteLock(dataDir);
    try {
      expect(() => acquirePgliteLock(dataDir)).toThrow(CliError);
      expect(() => acquirePgliteLock(dataDir)).toThrow(/in use by this process/);
    } finally {
      lock.release();
    }
  });

  it('never displaces a live process, and names it', () => {
    const child = otherProcess();
    try {
      mkdirSync(root, { recursive: true });
      writeFileSync(`${dataDir}.lock`, `${child.pid}\n`);
      expect(() => acquirePgliteLock(dataDir)).toThrow(`in use by another canvass process (pid ${child.pid})`);
      expect(readFileSync(`${dataDir}.lock`, 'utf8').trim()).toBe(String(child.pid));
    } finally {
      child.kill();
    }
  });

  it('takes over a lock whose process has gone', async () => {
    const child = otherProcess();
    const pid = child.pid!;
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill();
    });
    writeFileSync(`${dataDir}.lock`, `${pid}\n`);
    const lock = acquirePgliteLock(dataDir);
    expect(readFileSync(lock.path, 'utf8').trim()).toBe(String(process.pid));
    lock.release();
  });

  it('does not remove a lock that another process took over', () => {
    const lock = acquirePgliteLock(dataDir);
    writeFileSync(lock.path, '1\n');
    lock.release();
    expect(readFileSync(lock.path, 'utf8').trim()).toBe('1');
  });
});

describe('a command on an embedded database in use', () => {
  it('exits 1 naming the process that holds it, and opens nothing', async () => {
    const child = otherProcess();
    try {
      writeFileSync(`${dataDir}.lock`, `${child.pid}\n`);
      const stdout = new Capture();
      const stderr = new Capture();
      const code = await main(
        ['user', 'create', '--email', 'jo@example.org', '--name', 'Jo', '--password-stdin', '--json'],
        {
          stdout,
          stderr,
          stdin: Readable.from(['correct horse battery staple\n']),
          env: { CANVASS_DATA_DIR: root },
        },
      );
      expect(code).toBe(1);
      expect(stderr.text).toContain(`is in use by another canvass process (pid ${child.pid})`);
      expect(stderr.text).toContain('stop `canvass serve`');
      expect(JSON.parse(stdout.text)).toMatchObject({ error: { code: 'conflict' } });
      expect(existsSync(dataDir)).toBe(false);
    } finally {
      child.kill();
    }
  });
});
