/**
 * What the command modules share: the run's state (exit code, --json, which option fed
 * which use-case field) and small helpers for the options they have in common.
 */
import type { Command } from 'commander';
import type { AppDeps } from '../app/context.js';
import { findUserByEmail, type UserView } from '../app/users.js';
import { AppError, invalid } from '../domain/errors.js';
import { issuesOf, Output, type CliIo, type FieldOptions } from './io.js';
import { isUuid } from '../domain/people.js';

export interface RunState {
  exitCode: number;
  /** --json was given: errors also go to stdout as the error envelope. */
  json: boolean;
  /** Set by the running command, so a validation error names its options. */
  fieldOptions: FieldOptions;
}

export interface CommandContext {
  io: CliIo;
  state: RunState;
}

/** Called first by every action: records how to name fields and returns the writer. */
export function begin(ctx: CommandContext, options: { json?: boolean }, fieldOptions: FieldOptions = {}): Output {
  ctx.state.json = options.json === true;
  ctx.state.fieldOptions = fieldOptions;
  return new Output(ctx.io, ctx.state.json);
}

export const withJsonOption = (command: Command): Command =>
  command.option(
    '--json',
    'print the result as one JSON object on stdout (errors as { "error": { code, message, details } })',
  );

/** A campaign id from --campaign; validation_failed naming the field when it is not a UUID. */
export function campaignIdOf(value: string): string {
  const id = value.trim().toLowerCase();
  if (!isUuid(id))
    throw invalid([
      { field: 'campaign', message: 'must be a campaign id (a UUID, as printed by `canvass campaign create`)' },
    ]);
  return id;
}

/**
 * The account an option names by email (--owner, --by), or validation_failed naming that
 * option's field: the CLI acts for a person, as the API does for its signed-in user.
 */
export async function accountByEmail(deps: AppDeps, email: string, field: string): Promise<UserView> {
  let user: UserView | null;
  try {
    user = await findUserByEmail(deps, email);
  } catch (error) {
    if (error instanceof AppError && error.code === 'validation_failed') {
      throw invalid([{ field, message: issuesOf(error)[0]?.message ?? 'must be an email address' }]);
    }
    throw error;
  }
  if (!user) throw invalid([{ field, message: 'no account has this email (create one with `canvass user create`)' }]);
  return user;
}
