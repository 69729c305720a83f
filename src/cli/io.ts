/**
 * What a command reads and writes. main() receives it, so tests run commands in-process
 * with in-memory streams and their own database; the bin passes the real process streams.
 */
import type { Readable, Writable } from 'node:stream';
import type { Database } from '../db/client.js';
import type { AppError, ErrorCode, FieldIssue } from '../domain/errors.js';

/** A terminal stream exposes these; a pipe or an in-memory stream does not. */
type MaybeTty = { isTTY?: boolean; columns?: number };

export interface CliIo {
  stdout: Writable & MaybeTty;
  stderr: Writable & MaybeTty;
  /** Read by `user create` for the password; defaults to process.stdin. */
  stdin?: Readable & MaybeTty & { setRawMode?: (mode: boolean) => unknown };
  /** Use this database instead of opening the one the configuration names (tests). */
  db?: Database;
  /** Environment for loadConfig; defaults to process.env. */
  env?: Record<string, string | undefined>;
  /** Aborting it stops a running `canvass serve`, as SIGINT or SIGTERM do. */
  signal?: AbortSignal;
}

/**
 * A failure the operator can act on that is not a use case's AppError: configuration, a
 * database in use by another process, migrations the app role may not apply. It carries a
 * code from the same closed set, for the --json envelope.
 */
export class CliError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

/** The command line itself is wrong (exit code 2, like a commander usage error). */
export const usageError = (message: string): CliError => new CliError('bad_request', message, 2);

/** Maps a use case's field names (e.g. "controllerType") to the option that fed it ("--type"). */
export type FieldOptions = Readonly<Record<string, string>>;

export function issuesOf(error: AppError): FieldIssue[] {
  const issues = error.details?.['issues'];
  if (!Array.isArray(issues)) return [];
  return issues.filter(
    (i): i is FieldIssue =>
      typeof i === 'object' &&
      i !== null &&
      typeof (i as FieldIssue).field === 'string' &&
      typeof (i as FieldIssue).message === 'string',
  );
}

/** Per-command writer: one JSON object on stdout with --json, human lines otherwise. */
export class Output {
  constructor(
    private readonly io: CliIo,
    readonly json: boolean,
  ) {}

  /** Human text on stdout; ignored with --json (the JSON object carries the same facts). */
  line(text = ''): void {
    if (!this.json) this.io.stdout.write(`${text}\n`);
  }

  /** The single JSON object of a --json run. */
  object(value: unknown): void {
    if (this.json) this.io.stdout.write(`${JSON.stringify(value)}\n`);
  }

  /** Notes for the operator (progress, warnings): stderr, so stdout stays parseable. */
  note(text: string): void {
    this.io.stderr.write(`${text}\n`);
  }
}
