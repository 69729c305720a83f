/**
 * The `canvass` command (the package's bin). Each command parses its options, calls a use
 * case in src/app and presents the result: human text, or one JSON object with --json.
 *
 * Exit codes: 0 success; 1 the command failed (an AppError, a broken audit trail, a
 * configuration or database problem); 2 the command line itself is wrong.
 * Errors go to stderr as `error: <message>`; with --json the error envelope
 * `{ "error": { code, message, details? } }` also goes to stdout. Expected errors never
 * print a stack trace.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Command, CommanderError } from 'commander';
import { AppError } from '../domain/errors.js';
import type { CommandContext, RunState } from './command.js';
import { registerAudienceCommands } from './commands/audience.js';
import { registerAuditCommands } from './commands/audit.js';
import { registerCampaignCommands } from './commands/campaign.js';
import { registerDpiaCommands } from './commands/dpia.js';
import { registerEraseCommand } from './commands/erase.js';
import { registerGovernanceCommands } from './commands/governance.js';
import { registerImportCommands } from './commands/import.js';
import { registerMigrateCommand } from './commands/migrate.js';
import { registerNoticeCommands } from './commands/notice.js';
import { registerObjectCommand } from './commands/object.js';
import { registerPeopleCommands } from './commands/people.js';
import { registerServeCommand } from './commands/serve.js';
import { registerSiteCommands } from './commands/site.js';
import { registerSourceCommands } from './commands/source.js';
import { registerUserCommands } from './commands/user.js';
import { CliError, issuesOf, type CliIo, type FieldOptions } from './io.js';
import { sqlStateOf } from './runtime.js';

export type { CliIo } from './io.js';

const VERSION: string = (
  JSON.parse(readFileSync(fileURLToPath(new URL('../../package.json', import.meta.url)), 'utf8')) as { version: string }
).version;

function buildProgram(ctx: CommandContext): Command {
  const { io } = ctx;
  const program = new Command('canvass')
    .description('Canvass: digital campaigning for UK political campaigns, within data-protection law')
    .version(VERSION, '-V, --version', 'print the version')
    .helpOption('-h, --help', 'show help for the command')
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
      getOutHelpWidth: () => (io.stdout.isTTY ? io.stdout.columns : undefined) ?? 100,
      getErrHelpWidth: () => (io.stderr.isTTY ? io.stderr.columns : undefined) ?? 100,
      getOutHasColors: () => false,
      getErrHasColors: () => false,
    })
    .showHelpAfterError('(run with --help for usage)')
    .addHelpText('after', '\nRun `canvass <command> --help` for a command’s options.');
  // Subcommands created below inherit the output, exit and help settings above.
  registerServeCommand(program, ctx);
  registerMigrateCommand(program, ctx);
  registerCampaignCommands(program, ctx);
  registerUserCommands(program, ctx);
  registerAuditCommands(program, ctx);
  registerPeopleCommands(program, ctx);
  registerObjectCommand(program, ctx);
  registerEraseCommand(program, ctx);
  registerSourceCommands(program, ctx);
  registerImportCommands(program, ctx);
  registerDpiaCommands(program, ctx);
  registerGovernanceCommands(program, ctx);
  registerNoticeCommands(program, ctx);
  registerAudienceCommands(program, ctx);
  registerSiteCommands(program, ctx);
  return program;
}

interface Envelope {
  error: { code: string; message: string; details?: Record<string, unknown> };
}

function labelOf(field: string, fieldOptions: FieldOptions): string {
  return fieldOptions[field] ?? (field === '' ? 'input' : field);
}

/** The error envelope; validation issues also name the option that fed each field. */
function envelopeOf(error: AppError, fieldOptions: FieldOptions): Envelope {
  let details = error.details;
  const issues = issuesOf(error);
  if (details && issues.length > 0) {
    details = {
      ...details,
      issues: issues.map((i) => (fieldOptions[i.field] ? { ...i, option: fieldOptions[i.field] } : i)),
    };
  }
  return { error: { code: error.code, message: error.message, ...(details ? { details } : {}) } };
}

function appErrorLines(error: AppError, fieldOptions: FieldOptions): string[] {
  const issues = issuesOf(error);
  if (issues.length > 0) {
    return ['error: invalid input', ...issues.map((i) => `  ${labelOf(i.field, fieldOptions)}: ${i.message}`)];
  }
  const field = error.details?.['field'];
  const prefix = typeof field === 'string' && fieldOptions[field] ? `${fieldOptions[field]}: ` : '';
  return [`error: ${prefix}${error.message}`];
}

/** A database or network failure the operator can fix, worded without a stack trace. */
function operationalMessage(error: unknown): string | null {
  if (!(error instanceof Error)) return null;
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'ETIMEDOUT' || code === 'EHOSTUNREACH') {
    return `could not reach the database (${error.message}): is PostgreSQL running, and is DATABASE_URL right?`;
  }
  if (code === 'EADDRINUSE')
    return `${error.message}: another process uses this port; choose another with --port or PORT`;
  if (code === 'EACCES' && /listen/.test(error.message))
    return `${error.message}: choose a port above 1023 with --port or PORT`;
  const state = sqlStateOf(error);
  if (state?.startsWith('28') || state === '3D000') return `the database refused the connection: ${error.message}`;
  if (state === '42501') return `the database role lacks a privilege: ${error.message}`;
  return null;
}

function report(error: unknown, io: CliIo, state: RunState): number {
  const writeEnvelope = (envelope: Envelope): void => {
    if (state.json) io.stdout.write(`${JSON.stringify(envelope)}\n`);
  };
  if (error instanceof CommanderError) {
    if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version') return 0;
    // commander has already written its message (or the help) to stderr.
    writeEnvelope({ error: { code: 'bad_request', message: error.message.replace(/^error: /, '') } });
    return 2;
  }
  if (error instanceof AppError) {
    for (const line of appErrorLines(error, state.fieldOptions)) io.stderr.write(`${line}\n`);
    writeEnvelope(envelopeOf(error, state.fieldOptions));
    return 1;
  }
  if (error instanceof CliError) {
    io.stderr.write(`error: ${error.message}\n`);
    writeEnvelope({ error: { code: error.code, message: error.message } });
    return error.exitCode;
  }
  const operational = operationalMessage(error);
  if (operational) {
    io.stderr.write(`error: ${operational}\n`);
    writeEnvelope({ error: { code: 'internal_error', message: operational } });
    return 1;
  }
  // A bug: the one case where the stack trace helps whoever reports it.
  io.stderr.write(
    `error: unexpected failure (please report it): ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  writeEnvelope({ error: { code: 'internal_error', message: error instanceof Error ? error.message : String(error) } });
  return 1;
}

const guarded = new WeakSet<object>();

/**
 * `canvass … | head` closes the pipe before everything is written: not an error worth a
 * stack trace. The error arrives after the write, so the listener stays (once per stream).
 */
function ignoreClosedPipe(stream: CliIo['stdout']): void {
  if (guarded.has(stream)) return;
  guarded.add(stream);
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
  });
}

/** --json anywhere before a `--` (so usage errors can answer in JSON too). */
const wantsJson = (argv: readonly string[]): boolean => {
  const end = argv.indexOf('--');
  return (end === -1 ? argv : argv.slice(0, end)).includes('--json');
};

/**
 * Runs the CLI with argv (without node and the script) and returns the exit code.
 * `io` defaults to the process's streams and environment.
 */
export async function main(
  argv: string[],
  io: CliIo = { stdout: process.stdout, stderr: process.stderr },
): Promise<number> {
  const state: RunState = { exitCode: 0, json: wantsJson(argv), fieldOptions: {} };
  const program = buildProgram({ io, state });
  ignoreClosedPipe(io.stdout);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return state.exitCode;
  } catch (error) {
    return report(error, io, state);
  }
}

// `tsx src/cli/main.ts …` (npm run canvass / npm run dev) runs it directly; the bin imports it.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = await main(process.argv.slice(2));
}
