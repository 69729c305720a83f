import { expect } from 'vitest';
/**
 * Running the CLI in-process: main() with captured stdout and stderr, an empty stdin and no
 * environment, against the given database.
 */
import { Readable, Writable } from 'node:stream';
import { main } from '../../src/cli/main.js';
import type { Database } from '../../src/db/client.js';

/** A writable stream that keeps everything written to it. */
export class Capture extends Writable {
  text = '';
  override _write(chunk: Buffer | string, _encoding: BufferEncoding, callback: () => void): void {
    this.text += chunk.toString();
    callback();
  }
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export async function runCli(db: Database, argv: string[]): Promise<CliResult> {
  const stdout = new Capture();
  const stderr = new Capture();
  const code = await main(argv, { stdout, stderr, db, env: {}, stdin: Readable.from([]) });
  return { code, stdout: stdout.text, stderr: stderr.text };
}

/** The one JSON document a `--json` command printed (fails the test if it printed more lines). */
export function jsonOutput(text: string): Record<string, unknown> {
  const lines = text.trim().split('\n');
  expect(lines).toHaveLength(1);
  return JSON.parse(lines[0]!) as Record<string, unknown>;
}
